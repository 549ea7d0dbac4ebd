/*
 * The authority model (see authority.h and docs/kernel.md): responsibility
 * for a target, and the subset checks that keep a process from giving away
 * more than it holds.  Pure predicates over the process and privilege
 * tables: the kernel-call handlers ask, then act.
 */
#include "authority.h"

bool
auth_is_root(const struct proc *p)
{
	return p->p_priv && (p->p_priv->s_flags & PRIV_ROOT);
}

/*
 * Is caller responsible for target: a root, target's creator (sys_spawn),
 * or target's signal manager?  Both relations name endpoints, which a
 * stateful restart or a live update keeps, so a new RS in the old one's
 * slot keeps what the old one was responsible for.  Nobody is responsible
 * for itself or for a kernel identity.
 */
bool
auth_responsible(const struct proc *caller, const struct proc *target)
{
	if (target == caller || proc_is_kernel(target))
		return false;
	if (auth_is_root(caller) || target->p_creator == caller->p_endpoint)
		return true;
	return target->p_priv && target->p_priv != priv_user() &&
	       target->p_priv->s_sig_mgr == caller->p_endpoint;
}

bool
auth_holds_io(const struct priv *h, uint64_t base, uint64_t limit)
{
	return (h->s_flags & PRIV_ROOT) || priv_has_io(h, base, limit);
}

bool
auth_holds_irq(const struct priv *h, uint64_t irq)
{
	return (h->s_flags & PRIV_ROOT) || (irq < 32 && ((h->s_irq_mask >> irq) & 1));
}

bool
auth_holds_mem(const struct priv *h, uint64_t base, uint64_t limit)
{
	return (h->s_flags & PRIV_ROOT) || priv_has_mem(h, base, limit);
}

static bool
holds_flags(const struct priv *h, uint32_t flags)
{
	return (h->s_flags & PRIV_ROOT) || (flags & ~h->s_flags) == 0;
}

/* May h let someone send to t?  Its own targets, and itself (a child reaches its parent). */
static bool
holds_target(const struct proc *caller, const struct proc *t)
{
	const struct priv *h = caller->p_priv;

	return t == caller || (h->s_flags & (PRIV_ROOT | PRIV_IPC_ALL)) ||
	       (t->p_priv && bitmap_test(h->s_ipc_to, t->p_priv->s_id));
}

/*
 * May caller give d (privctl SET)?  0, or -EPERM for the first thing in it
 * that caller does not hold.  (Its memory limit is lent: quota.c.)  d is already validated (check_desc), so its
 * IPC targets are live processes with privileges.
 */
int
auth_may_give(const struct proc *caller, const struct priv_desc *d)
{
	const struct priv *h = caller->p_priv;
	struct proc *t;

	if (auth_is_root(caller))
		return 0;
	if ((d->call_mask & ~h->s_call_mask) || !holds_flags(h, d->flags))
		return -EPERM;
	for (int irq = 0; irq < 32; irq++)
		if (((d->irq_mask >> irq) & 1) && !auth_holds_irq(h, (uint64_t)irq))
			return -EPERM;
	for (uint32_t i = 0; i < d->nr_io; i++)
		if (!auth_holds_io(h, d->io[i].base, d->io[i].limit))
			return -EPERM;
	for (uint32_t i = 0; i < d->nr_mem; i++)
		if (!auth_holds_mem(h, d->mem[i].base, d->mem[i].limit))
			return -EPERM;
	if (d->nr_ipc == PRIV_DESC_ALL_IPC)
		return (h->s_flags & PRIV_IPC_ALL) ? 0 : -EPERM;
	for (uint32_t i = 0; i < d->nr_ipc; i++)
		if (proc_lookup(d->ipc_to[i], &t) < 0 || !holds_target(caller, t))
			return -EPERM;
	return 0;
}

/* Does caller hold everything s grants (update moves a program under s)? */
bool
auth_holds_all(const struct proc *caller, const struct priv *s)
{
	const struct priv *h = caller->p_priv;

	if (auth_is_root(caller))
		return true;
	if ((s->s_call_mask & ~h->s_call_mask) || (s->s_irq_mask & ~h->s_irq_mask) ||
	    s->s_mem_limit > h->s_mem_limit ||
	    !holds_flags(h,
			 s->s_flags & (PRIV_MAGIC_GRANTS | PRIV_ROOT | PRIV_ADMIN | PRIV_IPC_ALL)))
		return false;
	for (int i = 0; i < s->s_nr_io_ranges; i++)
		if (!auth_holds_io(h, s->s_io_tab[i].base, s->s_io_tab[i].limit))
			return false;
	for (int i = 0; i < s->s_nr_mem_ranges; i++)
		if (!auth_holds_mem(h, s->s_mem_tab[i].base, s->s_mem_tab[i].limit))
			return false;
	for (int id = 0; id < NR_PRIVS; id++)
		if (bitmap_test(s->s_ipc_to, id) && !(h->s_flags & PRIV_IPC_ALL) &&
		    !bitmap_test(h->s_ipc_to, id) && id != h->s_id)
			return false;
	return true;
}
