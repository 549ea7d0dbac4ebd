/*
 * ABORT: shut the system down.  Reads: m_sys_abort.how (ABORT_HALT,
 * ABORT_POWEROFF or ABORT_RESTART) and .status (0 success).  Only for
 * processes whose call mask allows it (the test and benchmark runners, and
 * PM for reboot(2): servers/pm/reboot.c).
 */
#include "system.h"

int
do_abort(struct proc *caller, message *m)
{
	int how = m->m_sys_abort.how;

	if (how != ABORT_HALT && how != ABORT_POWEROFF && how != ABORT_RESTART)
		return -EINVAL;
	printf("kernel: shutdown requested by %s(%d), status %d\n", caller->p_name,
	       caller->p_endpoint, m->m_sys_abort.status);
	arch_shutdown(how, m->m_sys_abort.status);
}
