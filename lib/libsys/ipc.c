/*
 * The IPC primitives as C functions: the call number in rax, the endpoint
 * (or SENDA table) in rdi, the message (or SENDA count) in rsi; the result
 * comes back in rax and the receive status in rdx.  rcx and r11 are
 * clobbered by the syscall instruction itself.
 */
#include "libsys.h"

static inline long
ipc_trap(long nr, long a0, long a1, uint64_t *status)
{
	long r;
	uint64_t st;

	__asm__ volatile("syscall"
			 : "=a"(r), "=d"(st)
			 : "a"(nr), "D"(a0), "S"(a1)
			 : "rcx", "r11", "memory");
	if (status)
		*status = st;
	return r;
}

long
ax_syscall(long nr, long a0, long a1)
{
	return ipc_trap(nr, a0, a1, NULL);
}

int
ipc_send(endpoint_t dst, message *m)
{
	return (int)ipc_trap(IPC_SEND, dst, (long)m, NULL);
}

int
ipc_receive(endpoint_t src, message *m, uint64_t *status)
{
	return (int)ipc_trap(IPC_RECEIVE, src, (long)m, status);
}

int
ipc_sendrec(endpoint_t dst, message *m)
{
	return (int)ipc_trap(IPC_SENDREC, dst, (long)m, NULL);
}

int
ipc_notify(endpoint_t dst)
{
	return (int)ipc_trap(IPC_NOTIFY, dst, 0, NULL);
}

int
ipc_sendnb(endpoint_t dst, message *m)
{
	return (int)ipc_trap(IPC_SENDNB, dst, (long)m, NULL);
}

int
ipc_senda(asynmsg_t *table, size_t count)
{
	return (int)ipc_trap(IPC_SENDA, (long)table, (long)count, NULL);
}
