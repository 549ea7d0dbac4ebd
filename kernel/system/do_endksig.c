/*
 * ENDKSIG: the signal manager has handled a process's signals; it runs on
 * (or, if new signals arrived meanwhile, the manager is notified again).
 * Reads: m_sys_signal.endpt.  Only the process's manager may (EPERM), and
 * only after getksig (EINVAL).
 */
#include "system.h"
#include "priv.h"

int
do_endksig(struct proc *caller, message *m)
{
	struct proc *p;
	int r;

	if ((r = proc_lookup(m->m_sys_signal.endpt, &p)) < 0)
		return r;
	if (!p->p_priv || p->p_priv->s_sig_mgr != caller->p_endpoint)
		return -EPERM;
	if (!(p->p_misc_flags & MF_SIG_FETCHED))
		return -EINVAL;
	sig_end(p, caller);
	return 0;
}
