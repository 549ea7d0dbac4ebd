/* Wrapper for KCALL_BRK: set the caller's heap end (NULL: only ask). */
#include "libsys.h"
#include <string.h>

int
sys_brk(void *end, struct msg_sys_brk_reply *out)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_sys_brk.addr = (uint64_t)end;
	r = kernel_call(KCALL_BRK, &m);
	if (r == 0 && out)
		*out = m.m_sys_brk_reply;
	return r;
}
