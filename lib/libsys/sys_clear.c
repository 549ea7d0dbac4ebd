/* Wrapper for KCALL_CLEAR: a signal manager releases e's slot. */
#include "libsys.h"
#include <string.h>

int
sys_clear(endpoint_t e)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_sys_signal.endpt = e;
	return kernel_call(KCALL_CLEAR, &m);
}
