/* Wrapper for KCALL_TIMES. */
#include "libsys.h"
#include <string.h>

int
sys_times(endpoint_t e, struct msg_sys_times_reply *out)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_sys_times.endpt = e;
	r = kernel_call(KCALL_TIMES, &m);
	if (r == 0 && out)
		*out = m.m_sys_times_reply;
	return r;
}
