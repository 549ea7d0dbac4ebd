/*
 * GETKSIG: a signal manager collects the signals of one process it manages.
 * Writes: m_sys_signal.endpt (NONE when nothing is pending) and .sigs.  The
 * process stays frozen until the manager calls endksig or clear.
 */
#include "system.h"

int
do_getksig(struct proc *caller, message *m)
{
	struct proc *p = sig_next_pending(caller);

	memset(&m->m_sys_signal, 0, sizeof(m->m_sys_signal));
	m->m_sys_signal.endpt = p ? p->p_endpoint : NONE;
	if (p) {
		m->m_sys_signal.sigs = p->p_pending_sigs;
		p->p_pending_sigs = 0;
		p->p_misc_flags |= MF_SIG_FETCHED;
	}
	return 0;
}
