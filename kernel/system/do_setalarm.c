/*
 * SETALARM: one alarm per process; when it expires the process gets a
 * NOTIFY from CLOCK.  Reads: m_sys_setalarm.ticks, .absolute (relative 0
 * cancels).  Writes: m_sys_setalarm_reply.prev_left (ticks that were left on
 * the alarm it replaced, 0 if none) and .now.
 *
 * With .mode ALARM_CALL the alarm bounds the caller's SENDREC instead
 * (kcall.h): at expiry, a caller still waiting for its callee has the
 * callee signalled SIGHUNG, the kernel's word that a request went
 * unanswered past its bound.  The caller cannot make that claim itself (it
 * is blocked), nor make it falsely (the kernel checks it still waits), nor
 * sooner than CALL_BOUND_MIN ticks.  Nor can it choose the bound: that is
 * the callee's, from its configuration (s_reply_bound).  A callee that
 * declares none is never called hung, whatever the caller asked; one that
 * declares N only once the caller has waited N ticks since its SENDREC
 * began (p_call_start), so the bound is the larger of the two.
 */
#include "system.h"
#include "ipc.h"
#include "priv.h"
#include <ax/signal.h>

static void
alarm_expired(struct timer *t)
{
	struct proc *p = proc_addr(t->t_owner), *q;

	if (proc_is_free(p) || !p->p_priv)
		return;
	if (p->p_priv->s_alarm_mode == ALARM_NOTIFY) {
		ipc_notify_from(proc_addr(CLOCK), p);
		return;
	}
	if (!(q = ipc_awaited(p)) || proc_is_kernel(q) || !q->p_priv || !q->p_priv->s_reply_bound ||
	    (q->p_rts_flags & RTS_SIG_PENDING))
		return; /* answered, or no promise to hold the callee to */
	if (clock_uptime < p->p_call_start + q->p_priv->s_reply_bound)
		timer_set(t, p->p_call_start + q->p_priv->s_reply_bound, alarm_expired, p->p_slot);
	else
		sig_raise(q, SIGHUNG, "a caller's bound and its own passed");
}

int
do_setalarm(struct proc *caller, message *m)
{
	struct timer *t = &caller->p_priv->s_alarm;
	uint64_t ticks = m->m_sys_setalarm.ticks;
	bool absolute = m->m_sys_setalarm.absolute != 0;
	uint64_t prev_left = 0;

	if (t->t_armed && t->t_expiry > clock_uptime)
		prev_left = t->t_expiry - clock_uptime;
	uint64_t expiry = absolute ? ticks : clock_uptime + ticks;

	if (m->m_sys_setalarm.mode > ALARM_CALL)
		return -EINVAL;
	if (m->m_sys_setalarm.mode == ALARM_CALL && expiry < clock_uptime + CALL_BOUND_MIN)
		expiry = clock_uptime + CALL_BOUND_MIN;
	caller->p_priv->s_alarm_mode = m->m_sys_setalarm.mode;
	if (!absolute && ticks == 0)
		timer_cancel(t);
	else
		timer_set(t, expiry, alarm_expired, caller->p_slot);
	memset(&m->m_sys_setalarm_reply, 0, sizeof(m->m_sys_setalarm_reply));
	m->m_sys_setalarm_reply.prev_left = prev_left;
	m->m_sys_setalarm_reply.now = clock_uptime;
	return 0;
}
