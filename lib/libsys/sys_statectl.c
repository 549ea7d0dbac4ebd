/* Wrapper for KCALL_STATECTL: the caller's own IPC state. */
#include "libsys.h"
#include <string.h>

int
sys_statectl(int request)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_sys_statectl.request = request;
	return kernel_call(KCALL_STATECTL, &m);
}
