/*
 * EXIT: a system process ends itself.  Reads: m_sys_exit.status.  No reply:
 * the process is frozen and its signal manager gets SIGABRT, decides, and
 * releases the slot with sys_clear (without a manager the kernel clears it).
 */
#include "system.h"
#include <ax/signal.h>

int
do_exit(struct proc *caller, message *m)
{
	char why[32];

	snprintf(why, sizeof(why), "exit(%d)", m->m_sys_exit.status);
	sig_raise(caller, SIGABRT, why);
	return EDONTREPLY;
}
