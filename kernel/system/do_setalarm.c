/*
 * SETALARM: one alarm per process; when it expires the process gets a
 * NOTIFY from CLOCK.  Reads: m_sys_setalarm.ticks, .absolute (relative 0
 * cancels).  Writes: m_sys_setalarm_reply.prev_left (ticks that were left on
 * the alarm it replaced, 0 if none) and .now.
 *
 * A SENDREC's bound is not an alarm: the call carries it (ipc_bound.c).
 */
#include "system.h"
#include "ipc.h"
#include "priv.h"

static void
alarm_expired(struct timer *t)
{
	struct proc *p = proc_addr(t->t_owner);

	if (!proc_is_free(p) && p->p_priv)
		ipc_notify_from(proc_addr(CLOCK), p);
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
	if (!absolute && ticks == 0)
		timer_cancel(t);
	else
		timer_set(t, absolute ? ticks : clock_uptime + ticks, alarm_expired,
			  caller->p_slot);
	memset(&m->m_sys_setalarm_reply, 0, sizeof(m->m_sys_setalarm_reply));
	m->m_sys_setalarm_reply.prev_left = prev_left;
	m->m_sys_setalarm_reply.now = clock_uptime;
	return 0;
}
