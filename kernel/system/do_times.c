/*
 * TIMES: a process's CPU time and the system uptime.  Reads:
 * m_sys_times.endpt (SELF allowed).  Writes: m_sys_times_reply, with
 * whether the process sleeps as ps means it: it waits in a receive, any
 * request of its taken by the server, which holds it (a reply to come, an
 * event), not in a send still queued.  ps's own call is held so as well
 * while procfs answers it: procfs knows its reader (docs/files.md).
 * The kernel runs with interrupts off, so clock ticks never land in it:
 * sys_ticks stays 0 until kernel time is measured another way.
 */
#include "system.h"
#include "timer.h"

int
do_times(struct proc *caller, message *m)
{
	endpoint_t e = m->m_sys_times.endpt;
	struct proc *p = caller;
	int r;

	if (e != SELF && (r = proc_lookup(e, &p)) < 0)
		return r;
	memset(&m->m_sys_times_reply, 0, sizeof(m->m_sys_times_reply));
	m->m_sys_times_reply.user_ticks = p->p_user_ticks;
	m->m_sys_times_reply.sys_ticks = p->p_sys_ticks;
	m->m_sys_times_reply.uptime = clock_uptime;
	m->m_sys_times_reply.tsc = arch_read_tsc();
	m->m_sys_times_reply.sleeping =
		(p->p_rts_flags & (RTS_RECEIVING | RTS_SENDING)) == RTS_RECEIVING;
	return 0;
}
