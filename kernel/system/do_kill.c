/*
 * KILL: raise a signal in a process; its signal manager gets it.  Reads:
 * m_sys_signal.endpt, .sig (1..64).  Kernel identities cannot be signalled.
 */
#include "system.h"
#include <ax/signal.h>

int
do_kill(struct proc *caller, message *m)
{
	int sig = m->m_sys_signal.sig;
	struct proc *p;
	int r;

	if ((r = proc_lookup(m->m_sys_signal.endpt, &p)) < 0)
		return r;
	if (proc_is_kernel(p))
		return -EPERM;
	if (sig < 1 || sig > NSIG_AX)
		return -EINVAL;
	(void)caller;
	sig_raise(p, sig, "sys_kill");
	return 0;
}
