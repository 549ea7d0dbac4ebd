/* Wrappers for KCALL_EXIT and KCALL_ABORT. */
#include "libsys.h"
#include <string.h>

void
sys_exit(int status)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_sys_exit.status = status;
	kernel_call(KCALL_EXIT, &m);
	for (;;) /* not reached: the kernel does not reply */
		__asm__ volatile("ud2");
}

int
sys_abort(int how, int status)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_sys_abort.how = how;
	m.m_sys_abort.status = status;
	return kernel_call(KCALL_ABORT, &m);
}
