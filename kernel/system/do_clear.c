/*
 * CLEAR: a signal manager releases the slot of a process it manages (after
 * deciding that a signal ends it).  Reads: m_sys_signal.endpt.  Only the
 * process's manager may (EPERM); a slot already released is EDEADSRCDST.
 */
#include "system.h"
#include "priv.h"

int
do_clear(struct proc *caller, message *m)
{
	struct proc *p;
	int r;

	if ((r = proc_lookup(m->m_sys_signal.endpt, &p)) < 0)
		return r;
	if (proc_is_kernel(p) || p == caller)
		return -EPERM;
	if (!p->p_priv || p->p_priv->s_sig_mgr != caller->p_endpoint)
		return -EPERM;
	proc_clear(p, "sys_clear");
	return 0;
}
