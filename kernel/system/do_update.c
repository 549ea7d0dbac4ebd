/*
 * UPDATE: swap two processes' slots, so that a new version takes over the
 * old one's endpoint (live update, stateful restart).  Reads:
 * m_sys_update.src, .dst, .flags.
 *
 * What belongs to the program moves, as one structure (struct
 * proc_program in proc.h, so a new field cannot be forgotten): registers,
 * FPU state, address space (heap bounds and page count included), its
 * blocked state, name, accounting, kernel signals not yet collected, and
 * the addresses of its grant and SENDA tables (which live in its memory).
 * What belongs to the endpoint stays: endpoint and slot, privileges (masks,
 * I/O, IRQs, signal manager), pending notifications and SENDA bits, alarm,
 * interrupt hooks, scheduling, and the queue of senders waiting for it.  So
 * messages sent to the endpoint, before or after the swap, reach whichever
 * program is there.  SENDA entries already pending name the old endpoint:
 * a program re-registers its table after an update (as MINIX's
 * senda_reload), and the kernel never reads the other program's memory at
 * the old table's address.
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

/* Exchange the program halves of a and b (proc.h: struct proc_program). */
static void
swap_programs(struct proc *a, struct proc *b)
{
	struct proc_program t = a->p_program;

	a->p_program = b->p_program;
	b->p_program = t;
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
	KDIAG(caller, "swapped %s(%d) and %s(%d)", a->p_name, a->p_endpoint, b->p_name,
	      b->p_endpoint);
	ipc_recheck(a);
	ipc_recheck(b);
	return 0;
}
