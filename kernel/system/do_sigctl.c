/*
 * SIGCTL: the signal manager of user processes (PM) stops one, builds its
 * signal frame, or lets it run on (kernel/linux_signal.c).  Reads:
 * m_sys_sigctl.  Writes: m_sys_sigctl_reply (STOP).  Only the target's
 * signal manager may, and only for a user process (EPERM).
 */
#include "system.h"
#include "linux.h"

int
do_sigctl(struct proc *caller, message *m)
{
	return linux_sigctl(caller, m);
}
