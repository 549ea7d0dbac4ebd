/*
 * Kernel-internal IPC interface (the primitives are in ipc.c, SENDA in
 * ipc_async.c).  ipc_call() is what the syscall entry calls; the rest is for
 * the kernel's own notifications and for process teardown.
 */
#ifndef KERNEL_IPC_H
#define KERNEL_IPC_H

#include "proc.h"
#include "timer.h"
#include <ax/ipc.h>

/* An IPC call's index from its number (ax/ipc.h): the status word's form. */
#define CALL_NR(name) (IPC_##name - IPC_BASE)

/* A blocking call that blocked: its result is written when it completes. */
#define IPC_SUSPEND 1

int ipc_call(struct proc *caller, uint64_t call, uint64_t arg0, uint64_t arg1,
	     struct proc **handoff);
int ipc_notify_from(struct proc *src, struct proc *dst);
void ipc_clear_refs(struct proc *dead);
void ipc_unqueue_send(struct proc *p);
struct proc *ipc_awaited(const struct proc *p);
void ipc_clear_own_refs(struct proc *p);
void ipc_forget_pending_from(struct proc *p);
void ipc_recheck(struct proc *p);
int ipc_deliver(struct proc *dst, const message *m, uint64_t status);
bool ipc_can_receive(const struct proc *dst, const struct proc *src);
bool ipc_is_reply(const struct proc *from, const struct proc *to);
int ipc_sendrec_msg(struct proc *caller, struct proc *dst, message *m, vir_addr_t buf,
		    uint64_t bound, struct proc **handoff);

/* ipc_bound.c: a SENDREC's own bound in ticks (0: none; at most REPLY_BOUND_MAX). */
void ipc_bound_arm(struct proc *caller, uint64_t ticks);

/* caller's SENDREC begins now, bounded by `bound` ticks (0: not bounded). */
static inline void
ipc_call_begins(struct proc *caller, uint64_t bound)
{
	caller->p_call_start = clock_uptime; /* a callee's reply bound counts from here */
	if (bound)
		ipc_bound_arm(caller, bound);
	else
		caller->p_call_deadline = 0;
}

/*
 * p waits to receive into buf (p_msgbuf); k is buf in the kernel's map when
 * the caller has it at hand, else NULL (p_msgbuf_k, proc.h).  k must be
 * buf's translation for writing, a whole message in one page.
 */
static inline void
ipc_wait_into(struct proc *p, vir_addr_t buf, message *k)
{
	p->p_msgbuf = buf;
	p->p_msgbuf_k = k;
}

/* ipc_fast.c: each returns only when it did nothing (the general path's turn). */
extern bool ipc_fastpath_on;
extern uint64_t ipc_fastpath_taken;
struct proc *ipc_fast_call(struct proc *caller); /* from syscall_entry; the caller if it runs on */
void ipc_fast_linux_call(struct proc *caller, struct proc *server, int32_t type);

/* ipc_async.c */
int ipc_senda(struct proc *caller, vir_addr_t table, size_t count);
int ipc_async_receive(struct proc *caller, endpoint_t src_e); /* 1, 0 or -EFAULT */
void ipc_async_cancel(struct proc *dead);

/* system.c */
int kernel_call(struct proc *caller, vir_addr_t msgbuf);
void kernel_call_enter(struct proc *caller); /* returns only if the caller runs on at once */

#endif
