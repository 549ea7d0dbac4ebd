/* Wrapper for KCALL_FORK: a copy of the user process `parent` (docs/processes.md section 4). */
#include "libsys.h"
#include <string.h>

int
sys_fork(endpoint_t parent, unsigned flags, endpoint_t *child)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_sys_fork.parent = parent;
	m.m_sys_fork.flags = flags;
	if ((r = kernel_call(KCALL_FORK, &m)) == 0)
		*child = m.m_sys_fork_reply.endpt;
	return r;
}
