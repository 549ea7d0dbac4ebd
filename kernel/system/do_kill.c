/*
 * KILL: raise a signal in a process; its signal manager gets it.  Reads:
 * m_sys_signal.endpt, .sig (1..64).  The caller may signal itself and the
 * processes it is responsible for (authority.h); anyone else, and kernel
 * identities, are EPERM.
 */
#include "system.h"
#include <ax/signal.h>
#include "authority.h"

int
do_kill(struct proc *caller, message *m)
{
	int sig = m->m_sys_signal.sig;
	struct proc *p;
	int r;

	if ((r = proc_lookup(m->m_sys_signal.endpt, &p)) < 0)
		return r;
	if (sig < 1 || sig > NSIG_AX)
		return -EINVAL;
	if (p != caller && !auth_responsible(caller, p))
		return -EPERM;
	sig_raise(p, sig, "sys_kill");
	return 0;
}
