/*
 * Interrupt hooks (see interrupt.h).  A hook id given to a driver is the
 * hook's index plus one, so 0 never names a hook.
 *
 * The table is global and small, so a process holds at most one hook per
 * IRQ line, and only on lines its privileges still allow: attaching again
 * to a line it holds updates that hook (notify id, policy), and privctl
 * releases the hooks a new description no longer allows.  One driver can
 * no longer take every hook by asking with different notify ids.
 */
#include "interrupt.h"
#include "ipc.h"
#include "priv.h"
#include <ax/kcall.h>

struct irq_hook {
	bool h_in_use;
	int h_irq;
	int h_owner;           /* process slot */
	endpoint_t h_endpoint; /* the owner when the hook was made */
	int h_notify_id;
	int h_policy;
};

static struct irq_hook irq_hooks[NR_IRQ_HOOKS];

void
irq_handle(int irq)
{
	bool wanted = false, reenable = false;

	for (int i = 0; i < NR_IRQ_HOOKS; i++) {
		struct irq_hook *h = &irq_hooks[i];
		struct proc *owner = proc_addr(h->h_owner);

		if (!h->h_in_use || h->h_irq != irq)
			continue;
		wanted = true;
		reenable |= h->h_policy & IRQ_REENABLE;
		owner->p_priv->s_int_pending |= (uint64_t)1 << h->h_notify_id;
		ipc_notify_from(proc_addr(HARDWARE), owner);
	}
	if (!wanted || !reenable)
		arch_irq_mask(irq);
}

int
irq_set_policy(struct proc *p, int irq, int policy, int notify_id)
{
	struct irq_hook *free_hook = NULL;

	if (irq < 0 || irq >= NR_IRQ_LINES || notify_id < 0 || notify_id > 63)
		return -EINVAL;
	if (policy & ~IRQ_REENABLE)
		return -EINVAL;
	if (!(p->p_priv->s_irq_mask & (1u << irq)))
		return -EPERM;
	if (arch_irq_reserved(irq))
		return -EBUSY;
	for (int i = 0; i < NR_IRQ_HOOKS; i++) {
		struct irq_hook *h = &irq_hooks[i];

		if (!h->h_in_use && !free_hook)
			free_hook = h;
		if (h->h_in_use && h->h_owner == p->p_slot && h->h_irq == irq) {
			free_hook = h; /* its hook on this line: update it */
			break;
		}
	}
	if (!free_hook)
		return -ENOSPC;
	*free_hook = (struct irq_hook){ true, irq, p->p_slot, p->p_endpoint, notify_id, policy };
	arch_irq_unmask(irq);
	return (int)(free_hook - irq_hooks) + 1;
}

bool
irq_line_hooked(int irq)
{
	for (int i = 0; i < NR_IRQ_HOOKS; i++)
		if (irq_hooks[i].h_in_use && irq_hooks[i].h_irq == irq)
			return true;
	return false;
}

/* IRQ_RMPOLICY, IRQ_ENABLE, IRQ_DISABLE on one of p's hooks. */
int
irq_control(struct proc *p, int request, int hook_id)
{
	struct irq_hook *h;

	if (hook_id < 1 || hook_id > NR_IRQ_HOOKS)
		return -EINVAL;
	h = &irq_hooks[hook_id - 1];
	if (!h->h_in_use || h->h_owner != p->p_slot || h->h_endpoint != p->p_endpoint)
		return -EPERM;
	switch (request) {
	case IRQ_ENABLE:
		arch_irq_unmask(h->h_irq);
		return 0;
	case IRQ_DISABLE:
		arch_irq_mask(h->h_irq);
		return 0;
	case IRQ_RMPOLICY:
		h->h_in_use = false;
		if (!irq_line_hooked(h->h_irq))
			arch_irq_mask(h->h_irq);
		return 0;
	default:
		return -EINVAL;
	}
}

/* Release p's hooks on lines its privileges no longer allow (privctl). */
void
irq_release_unpermitted(struct proc *p)
{
	uint32_t allowed = p->p_priv ? p->p_priv->s_irq_mask : 0;

	for (int i = 0; i < NR_IRQ_HOOKS; i++) {
		struct irq_hook *h = &irq_hooks[i];

		if (h->h_in_use && h->h_owner == p->p_slot && !(allowed >> h->h_irq & 1))
			irq_control(p, IRQ_RMPOLICY, i + 1);
	}
}

void
irq_release_all(struct proc *p)
{
	for (int i = 0; i < NR_IRQ_HOOKS; i++) {
		struct irq_hook *h = &irq_hooks[i];

		if (h->h_in_use && h->h_owner == p->p_slot)
			irq_control(p, IRQ_RMPOLICY, i + 1);
	}
}

/* Hooks in use, for the resource counters (getinfo). */
int
irq_hooks_in_use(void)
{
	int n = 0;

	for (int i = 0; i < NR_IRQ_HOOKS; i++)
		n += irq_hooks[i].h_in_use;
	return n;
}
