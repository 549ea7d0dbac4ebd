/* Wrapper for KCALL_LINUXCTL: the caller serves a class of Linux calls. */
#include "libsys.h"
#include <string.h>

int
sys_linuxctl(int request, int owner)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_sys_linuxctl.request = request;
	m.m_sys_linuxctl.owner = owner;
	return kernel_call(KCALL_LINUXCTL, &m);
}
