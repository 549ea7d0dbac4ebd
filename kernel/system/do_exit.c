/*
 * EXIT: a system process ends itself.  Reads: m_sys_exit.status.  No reply.
 * Issue 3 turns this into a signal to the process's signal manager (RS),
 * which decides what happens next and releases the slot with sys_clear.
 */
#include "system.h"

int
do_exit(struct proc *caller, message *m)
{
	char why[32];

	snprintf(why, sizeof(why), "exit(%d)", m->m_sys_exit.status);
	proc_kill(caller, why);
	return EDONTREPLY;
}
