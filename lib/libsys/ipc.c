/*
 * The IPC primitives as C functions: the call number in rax, the endpoint
 * (or SENDA table) in rdi, the message (or SENDA count) in rsi; the result
 * comes back in rax and the receive status in rdx (REPLYRECV's source and
 * SENDREC's bound go in in rdx).  rcx and r11 are clobbered by the syscall instruction itself.
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

/*
 * SENDREC with its bound in rdx: if no answer has come `ticks` clock ticks
 * later (at least CALL_BOUND_MIN), the kernel signals dst SIGHUNG, but
 * only if dst declared a reply bound and that has passed too (ax/kcall.h);
 * its signal manager (RS) restarts it, and this call then returns
 * EDEADSRCDST, as for any driver that died under a request.  ticks 0: not
 * bounded.  The kernel keeps the bound with the call: no alarm, no extra
 * kernel call.
 */
static inline int
sendrec_trap(endpoint_t dst, message *m, uint64_t ticks)
{
	long r;

	__asm__ volatile("syscall"
			 : "=a"(r), "+d"(ticks)
			 : "a"((long)IPC_SENDREC), "D"((long)dst), "S"(m)
			 : "rcx", "r11", "memory");
	return (int)r;
}

int
ipc_sendrec(endpoint_t dst, message *m)
{
	return sendrec_trap(dst, m, 0);
}

int
ipc_sendrec_bounded(endpoint_t dst, message *m, uint64_t ticks)
{
	return sendrec_trap(dst, m, ticks);
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

/*
 * The reply m to dst (waiting in SENDREC), then a receive from src into m:
 * a server's loop in one system call.  A reply that cannot be delivered is
 * an error at once, and nothing is received.
 */
int
ipc_replyrecv(endpoint_t dst, message *m, endpoint_t src, uint64_t *status)
{
	long r;
	uint64_t st = (uint64_t)src;

	__asm__ volatile("syscall"
			 : "=a"(r), "+d"(st)
			 : "a"((long)IPC_REPLYRECV), "D"((long)dst), "S"(m)
			 : "rcx", "r11", "memory");
	if (status)
		*status = st;
	return (int)r;
}
