/* Wrappers for KCALL_VMCTL (the VM server's mapping interface) and KCALL_EXEC. */
#include "libsys.h"
#include <string.h>

int
sys_vmctl(const struct msg_sys_vmctl *rq, struct msg_sys_vmctl_reply *out)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_sys_vmctl = *rq;
	r = kernel_call(KCALL_VMCTL, &m);
	if (r == 0 && out)
		*out = m.m_sys_vmctl_reply;
	return r;
}

int
sys_exec_brk(endpoint_t e, const char *name, uint64_t ip, uint64_t sp, uint64_t brk)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_sys_exec.endpt = e;
	strlcpy(m.m_sys_exec.name, name, sizeof(m.m_sys_exec.name));
	m.m_sys_exec.ip = ip;
	m.m_sys_exec.sp = sp;
	m.m_sys_exec.brk = brk;
	return kernel_call(KCALL_EXEC, &m);
}

int
sys_exec(endpoint_t e, const char *name, uint64_t ip, uint64_t sp)
{
	return sys_exec_brk(e, name, ip, sp, 0);
}
