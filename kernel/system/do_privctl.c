/*
 * PRIVCTL: a privileged process (RS) sets or extends another process's
 * privileges.  Reads: m_sys_privctl (endpt, request, addr, base, limit).
 *
 *   SET            a whole description (struct priv_desc at addr): kernel
 *                  calls, IPC targets, I/O ranges, IRQ lines, memory ranges,
 *                  signal manager (NONE, or a live system process other
 *                  than the target: EINVAL), flags, memory limit (quota.h;
 *                  a limit below what it holds now only stops it growing;
 *                  a caller that is not a root lends it out of its own).
 *                  Everything is validated before anything changes.
 *   ADD_IO/IRQ/MEM one more resource for a running process (duplicates are
 *                  ignored; a full table is ENOMEM).
 *   QUERY_MEM      0 if [base, limit] lies in one of endpt's memory ranges.
 *   ALLOW/DISALLOW let endpt run, or stop it.
 *
 *   SET_USER       give up its own privileges for the shared unprivileged
 *                  slot: no kernel calls, no native IPC (user processes).
 *
 * Authority (authority.h): the caller must be responsible for the target
 * (it spawned it, is its signal manager, or is a root), and may give only
 * what it holds itself: SET's calls, IPC targets, ports, IRQ lines, memory
 * ranges and flags, and each ADD_* resource.  Otherwise EPERM, with nothing
 * changed.  The caller itself and kernel identities are never targets.
 */
#include "system.h"
#include "priv.h"
#include "vm.h"
#include "ipc.h"
#include "authority.h"
#include "quota.h"
#include "interrupt.h"

static int
check_ranges(const struct priv_desc *d)
{
	if (d->nr_io > PRIV_DESC_IO || d->nr_mem > PRIV_DESC_MEM)
		return -EINVAL;
	for (uint32_t i = 0; i < d->nr_io; i++)
		if (d->io[i].base > d->io[i].limit || d->io[i].limit > 0xffff)
			return -EINVAL;
	for (uint32_t i = 0; i < d->nr_mem; i++)
		if (d->mem[i].base > d->mem[i].limit)
			return -EINVAL;
	for (int irq = 0; irq < 32; irq++)
		if ((d->irq_mask >> irq & 1) && (irq >= NR_IRQ_LINES || arch_irq_reserved(irq)))
			return -EINVAL;
	return 0;
}

/*
 * Everything in d must be valid before any of it is applied.  Its flags,
 * the admin right among them, are given only by a holder (auth_may_give).
 */
static int
check_desc(const struct priv_desc *d, const struct proc *target)
{
	struct proc *p;
	int r;

	if (d->flags & ~(PRIV_FLAG_MAGIC_GRANTS | PRIV_FLAG_ROOT | PRIV_FLAG_ADMIN))
		return -EINVAL;
	if ((r = check_ranges(d)) < 0)
		return r;
	if (d->reply_bound && (d->reply_bound < CALL_BOUND_MIN || d->reply_bound > REPLY_BOUND_MAX))
		return -EINVAL;
	if (d->sig_mgr != NONE && (r = proc_lookup(d->sig_mgr, &p)) < 0)
		return r;
	if (d->sig_mgr != NONE && !sig_mgr_able(p, target))
		return -EINVAL; /* it would freeze the target for ever (signal.c) */
	if (d->nr_ipc == PRIV_DESC_ALL_IPC)
		return 0;
	if (d->nr_ipc > PRIV_DESC_IPC)
		return -EINVAL;
	for (uint32_t i = 0; i < d->nr_ipc; i++) {
		if ((r = proc_lookup(d->ipc_to[i], &p)) < 0)
			return r;
		if (!p->p_priv)
			return -EINVAL;
	}
	return 0;
}

static void
apply_desc(struct priv *s, const struct priv_desc *d)
{
	struct proc *t;

	s->s_flags = PRIV_IN_USE | PRIV_SYS_PROC |
		     (d->flags & (PRIV_FLAG_MAGIC_GRANTS | PRIV_FLAG_ROOT | PRIV_FLAG_ADMIN)) |
		     (d->nr_ipc == PRIV_DESC_ALL_IPC ? PRIV_IPC_ALL : 0);
	s->s_call_mask = d->call_mask;
	s->s_irq_mask = d->irq_mask;
	s->s_sig_mgr = d->sig_mgr;
	s->s_mem_limit = d->mem_limit ? d->mem_limit : PRIV_MEM_DEFAULT;
	s->s_reply_bound = d->reply_bound;
	s->s_nr_io_ranges = (int)d->nr_io;
	for (uint32_t i = 0; i < d->nr_io; i++)
		s->s_io_tab[i] = (struct io_range){ d->io[i].base, d->io[i].limit };
	s->s_nr_mem_ranges = (int)d->nr_mem;
	for (uint32_t i = 0; i < d->nr_mem; i++)
		s->s_mem_tab[i] = (struct mem_range_priv){ d->mem[i].base, d->mem[i].limit };
	memset(s->s_ipc_to, 0, sizeof(s->s_ipc_to));
	for (uint32_t i = 0; d->nr_ipc != PRIV_DESC_ALL_IPC && i < d->nr_ipc; i++)
		if (proc_lookup(d->ipc_to[i], &t) == 0)
			bitmap_set(s->s_ipc_to, t->p_priv->s_id);
}

static int
privctl_set(struct proc *caller, struct proc *p, vir_addr_t addr)
{
	struct priv_desc d;
	uint64_t mem;
	int r;

	if ((r = vm_copy_from_user(caller, &d, addr, sizeof(d))) < 0)
		return r;
	mem = d.mem_limit ? d.mem_limit : PRIV_MEM_DEFAULT;
	if ((r = check_desc(&d, p)) < 0 || (r = auth_may_give(caller, &d)) < 0 ||
	    (r = quota_may_lend(caller, p, mem)) < 0)
		return r;
	if ((!p->p_priv || p->p_priv == priv_user()) && !priv_alloc(p))
		return -ENOMEM;
	apply_desc(p->p_priv, &d);
	quota_lend(caller, p, mem);
	irq_release_unpermitted(p);
	return 0;
}

static int
privctl_set_user(struct proc *p)
{
	if (p->p_priv == priv_user())
		return 0;
	if (p->p_priv) {
		ipc_forget_pending_from(p);
		priv_free(p->p_priv);
	}
	p->p_priv = priv_user();
	irq_release_unpermitted(p);
	return 0;
}

static int
add_io(struct priv *s, uint64_t base, uint64_t limit)
{
	if (base > limit || limit > 0xffff)
		return -EINVAL;
	for (int i = 0; i < s->s_nr_io_ranges; i++)
		if (s->s_io_tab[i].base == base && s->s_io_tab[i].limit == limit)
			return 0;
	if (s->s_nr_io_ranges == NR_IO_RANGES)
		return -ENOMEM;
	s->s_io_tab[s->s_nr_io_ranges++] = (struct io_range){ (uint32_t)base, (uint32_t)limit };
	return 0;
}

static int
add_mem(struct priv *s, uint64_t base, uint64_t limit)
{
	if (base > limit)
		return -EINVAL;
	for (int i = 0; i < s->s_nr_mem_ranges; i++)
		if (s->s_mem_tab[i].base == base && s->s_mem_tab[i].limit == limit)
			return 0;
	if (s->s_nr_mem_ranges == NR_MEM_RANGES)
		return -ENOMEM;
	s->s_mem_tab[s->s_nr_mem_ranges++] = (struct mem_range_priv){ base, limit };
	return 0;
}

static int
query_mem(const struct priv *s, uint64_t base, uint64_t limit)
{
	return base <= limit && priv_has_mem(s, base, limit) ? 0 : -EPERM;
}

static int
add_irq(struct priv *s, uint64_t irq)
{
	if (irq >= NR_IRQ_LINES || arch_irq_reserved((int)irq))
		return -EINVAL;
	s->s_irq_mask |= 1u << irq;
	return 0;
}

int
do_privctl(struct proc *caller, message *m)
{
	struct msg_sys_privctl req = m->m_sys_privctl;
	struct proc *p;
	int r;

	if ((r = proc_lookup(req.endpt, &p)) < 0)
		return r;
	if (!auth_responsible(caller, p))
		return -EPERM;
	if (req.request == PRIVCTL_SET)
		return privctl_set(caller, p, req.addr);
	if (req.request == PRIVCTL_SET_USER)
		return privctl_set_user(p);
	if (req.request == PRIVCTL_ALLOW || req.request == PRIVCTL_DISALLOW) {
		if (req.request == PRIVCTL_ALLOW)
			proc_unblock(p, RTS_NO_PRIV);
		else
			proc_block(p, RTS_NO_PRIV);
		return 0;
	}
	if (!p->p_priv || p->p_priv == priv_user())
		return -EPERM;
	switch (req.request) {
	case PRIVCTL_ADD_IO:
		if (!auth_holds_io(caller->p_priv, req.base, req.limit))
			return -EPERM;
		return add_io(p->p_priv, req.base, req.limit);
	case PRIVCTL_ADD_IRQ:
		if (!auth_holds_irq(caller->p_priv, req.base))
			return -EPERM;
		return add_irq(p->p_priv, req.base);
	case PRIVCTL_ADD_MEM:
		if (!auth_holds_mem(caller->p_priv, req.base, req.limit))
			return -EPERM;
		return add_mem(p->p_priv, req.base, req.limit);
	case PRIVCTL_QUERY_MEM:
		return query_mem(p->p_priv, req.base, req.limit);
	default:
		return -EINVAL;
	}
}
