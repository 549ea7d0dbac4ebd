/* Wrapper for KCALL_KILL: raise a signal in e (its signal manager gets it). */
#include "libsys.h"
#include <string.h>

int
sys_kill(endpoint_t e, int sig)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_sys_signal.endpt = e;
	m.m_sys_signal.sig = sig;
	return kernel_call(KCALL_KILL, &m);
}
