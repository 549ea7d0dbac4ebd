/* Wrapper for KCALL_PRIVCTL: set or extend another process's privileges. */
#include "libsys.h"
#include <string.h>

int
sys_privctl(endpoint_t e, int request, const void *addr, uint64_t base, uint64_t limit)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_sys_privctl.endpt = e;
	m.m_sys_privctl.request = request;
	m.m_sys_privctl.addr = (uint64_t)addr;
	m.m_sys_privctl.base = base;
	m.m_sys_privctl.limit = limit;
	return kernel_call(KCALL_PRIVCTL, &m);
}
