/* Wrapper for KCALL_SIGCTL (PM only): stop, frame or resume a user process. */
#include "libsys.h"
#include <string.h>

int
sys_sigctl(int op, endpoint_t e, const struct lx_sigframe_req *req, int sig, int complete,
	   int64_t result, endpoint_t *held_by)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_sys_sigctl.op = op;
	m.m_sys_sigctl.endpt = e;
	m.m_sys_sigctl.req = (uint64_t)(uintptr_t)req;
	m.m_sys_sigctl.sig = sig;
	m.m_sys_sigctl.complete = complete;
	m.m_sys_sigctl.result = result;
	r = kernel_call(KCALL_SIGCTL, &m);
	if (r == 0 && held_by)
		*held_by = m.m_sys_sigctl_reply.held_by;
	return r;
}
