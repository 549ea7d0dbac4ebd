/*
 * UPDATE: swap two processes' slots, so that a new version takes over the
 * old one's endpoint (live update, stateful restart).  Reads:
 * m_sys_update.src, .dst, .flags.
 *
 * What belongs to the program moves: registers, FPU state, address space
 * (heap bounds and its page count included), its blocked state, name and accounting, and its
 * grant table (which lives in its memory).  What belongs to the endpoint
 * stays: endpoint and slot, privileges (masks, I/O, IRQs, signal manager),
 * pending notifications and SENDA bits, alarm, interrupt hooks,
 * scheduling, and the queue of senders waiting for it.  So messages sent to the endpoint, before or after the
 * swap, reach whichever program is there.  A SENDA table also lives in the
 * program's memory but its pending bits name the endpoint: a program
 * re-registers it after an update (as MINIX's senda_reload).
 *
 * Both must be system processes that are neither runnable nor sending (they
 * sit in a receive, or are frozen): EBUSY otherwise.  UPDATE_ROLLBACK (undo
 * an earlier swap) needs nothing more, since neither may be sending.
 *
 * Authority (authority.h): the caller must be responsible for both, and
 * hold every privilege of both slots, since each program ends up under the
 * other's: otherwise a manager could move a program of its own into a
 * slot with more privileges than it may give (EPERM).
 */
#include "system.h"
#include "ipc.h"
#include "priv.h"
#include "authority.h"

static bool
updatable(const struct proc *p)
{
	return p->p_rts_flags != 0 && !(p->p_rts_flags & RTS_SENDING) && p->p_priv;
}

/* Exchange the program halves of a and b. */
static void
swap_programs(struct proc *a, struct proc *b)
{
	struct proc t = *a;

#define MOVE(field) do { a->field = b->field; b->field = t.field; } while (0)
	MOVE(p_arch);
	MOVE(p_rts_flags);
	MOVE(p_misc_flags);
	MOVE(p_getfrom_e);
	MOVE(p_msgbuf);
	MOVE(p_tlb);
	MOVE(p_heap);
	MOVE(p_pages);
	MOVE(p_user_ticks);
	MOVE(p_sys_ticks);
	memcpy(a->p_name, b->p_name, sizeof(a->p_name));
	memcpy(b->p_name, t.p_name, sizeof(b->p_name));
#undef MOVE
}

/* The grant tables go with the programs, registered under their new endpoints. */
static void
swap_grant_tables(struct proc *a, struct proc *b)
{
	struct priv *sa = a->p_priv, *sb = b->p_priv;
	vir_addr_t table = sa->s_grant_table;
	size_t entries = sa->s_grant_entries;

	sa->s_grant_table = sb->s_grant_table;
	sa->s_grant_entries = sb->s_grant_entries;
	sb->s_grant_table = table;
	sb->s_grant_entries = entries;
	sa->s_grant_endpoint = a->p_endpoint;
	sb->s_grant_endpoint = b->p_endpoint;
}

int
do_update(struct proc *caller, message *m)
{
	struct proc *a, *b;
	int r;

	if ((r = proc_lookup(m->m_sys_update.src, &a)) < 0 ||
	    (r = proc_lookup(m->m_sys_update.dst, &b)) < 0)
		return r;
	if (a == b || (m->m_sys_update.flags & ~UPDATE_ROLLBACK))
		return -EINVAL;
	if (!auth_responsible(caller, a) || !auth_responsible(caller, b))
		return -EPERM;
	if (!updatable(a) || !updatable(b))
		return -EBUSY;
	if (!auth_holds_all(caller, a->p_priv) || !auth_holds_all(caller, b->p_priv))
		return -EPERM;
	swap_programs(a, b);
	swap_grant_tables(a, b);
	KDIAG(caller, "swapped %s(%d) and %s(%d)", a->p_name, a->p_endpoint, b->p_name,
	      b->p_endpoint);
	ipc_recheck(a);
	ipc_recheck(b);
	return 0;
}
