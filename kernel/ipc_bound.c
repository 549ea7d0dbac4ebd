/*
 * A SENDREC's own bound (its third argument, ax/ipc.h): if the call still
 * waits (to send, or for the answer) that many clock ticks later, and the
 * process it waits for declared a reply bound (s_reply_bound, replybound=
 * in its configuration) that the wait has reached, counted from the
 * SENDREC's start, that process is signalled SIGHUNG: the kernel's word
 * that a request went unanswered past its bound.  Its signal manager
 * decides (RS restarts it, which releases the caller with EDEADSRCDST).  A
 * process that declared no bound is never called hung; the bound is the
 * larger of the client's and the service's, and never below
 * CALL_BOUND_MIN.  The caller cannot make the claim itself (it is
 * blocked), nor falsely (the kernel checks it still waits for that very
 * process).
 *
 * The bound costs a bounded call one timer operation at most, and usually
 * none: each privilege structure has one call timer, armed lazily.  A call
 * whose deadline lies at or after the armed expiry leaves the timer alone;
 * when it expires it looks at the call under way then (if any), and is set
 * again for that call's moment, or not at all.  So a client that makes
 * bounded calls back to back takes one timer expiry per bound, not two
 * timer operations per call.  The timer can outlive the call that armed it
 * by up to its bound; that is why it is not counted among the timers in
 * use (getinfo(RESOURCES): alarms), and priv_free cancels it with the
 * structure.
 */
#include "ipc.h"
#include "priv.h"
#include "timer.h"
#include <ax/kcall.h>
#include <ax/signal.h>

static void
call_bound_expired(struct timer *t)
{
	struct proc *p = proc_addr(t->t_owner), *q;
	uint64_t due;

	if (proc_is_free(p) || !p->p_priv || !p->p_call_deadline || !(q = ipc_awaited(p)) ||
	    proc_is_kernel(q) || !q->p_priv || !q->p_priv->s_reply_bound ||
	    (q->p_rts_flags & RTS_SIG_PENDING))
		return; /* answered, unbounded, or no promise to hold the callee to */
	due = p->p_call_start + q->p_priv->s_reply_bound;
	if (due < p->p_call_deadline)
		due = p->p_call_deadline;
	if (clock_uptime < due)
		timer_set(t, due, call_bound_expired, p->p_slot);
	else
		sig_raise(q, SIGHUNG, "a caller's bound and its own passed");
}

void
ipc_bound_arm(struct proc *caller, uint64_t ticks)
{
	struct timer *t = &caller->p_priv->s_call_timer;
	uint64_t deadline = clock_uptime + (ticks < CALL_BOUND_MIN ? CALL_BOUND_MIN : ticks);

	caller->p_call_deadline = deadline;
	if (t->t_armed && t->t_expiry <= deadline)
		return; /* it will look at this call when it expires */
	t->t_uncounted = true;
	timer_set(t, deadline, call_bound_expired, caller->p_slot);
}
