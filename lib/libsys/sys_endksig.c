/* Wrapper for KCALL_ENDKSIG: a signal manager is done with e's signals. */
#include "libsys.h"
#include <string.h>

int
sys_endksig(endpoint_t e)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_sys_signal.endpt = e;
	return kernel_call(KCALL_ENDKSIG, &m);
}
