/*
 * Wrapper for KCALL_GETKSIG: a signal manager collects one process's pending
 * signals; *e is NONE when there are none.
 */
#include "libsys.h"
#include <string.h>

int
sys_getksig(endpoint_t *e, uint64_t *sigs)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	r = kernel_call(KCALL_GETKSIG, &m);
	if (r == 0) {
		*e = m.m_sys_signal.endpt;
		*sigs = m.m_sys_signal.sigs;
	}
	return r;
}
