/* Wrapper for KCALL_UPDATE: swap the slots of src and dst. */
#include "libsys.h"
#include <string.h>

int
sys_update(endpoint_t src, endpoint_t dst, int flags)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_sys_update.src = src;
	m.m_sys_update.dst = dst;
	m.m_sys_update.flags = flags;
	return kernel_call(KCALL_UPDATE, &m);
}
