/*
 * The IPC fast path: the calls that carry almost every request and reply,
 * done in one pass when nothing unusual is going on.
 *
 *   SENDREC to a process that already waits in RECEIVE for the caller (or
 *   for ANY), and is not itself waiting for a reply;
 *   REPLYRECV whose reply goes to a process waiting for it and whose
 *   RECEIVE (from ANY) would block: nothing queued, pending or notified;
 *   and the others docs/kernel.md lists (SEND, RECEIVE, Linux calls).
 *
 * syscall_entry calls ipc_fast_call() for every system call but a kernel
 * call.  Each case checks, cheapest first, that the general path (ipc.c)
 * would do exactly the same thing, and returns without having changed
 * anything when one check fails: the general path (syscall_dispatch) then
 * runs the call from the start.  When all pass, the message goes once from
 * the sender's buffer to the receiver's (both reached through translations
 * the kernel already holds: the sender's through its message cache, or
 * the buffer it received into last; the receiver's as translated when its
 * receive began, p_msgbuf_k; an untranslated buffer means the general
 * path; two processes never share a page, so the buffers cannot overlap),
 * and the receiver runs at once in the sender's place, without a scheduler
 * pass and without touching a ready queue (sched.c).
 *
 * The checks the general path makes and where they are here: call number
 * and PRIV_SYS_PROC (ipc_fast_call); endpoint valid, alive, not a kernel
 * identity (fast_lookup); buffer 16-byte aligned, mapped and writable
 * (fast_msgbuf, or p_msgbuf_k, made only for such a buffer); SENDREC's
 * bound at most REPLY_BOUND_MAX; the IPC mask (priv_may_send) and, for
 * REPLYRECV only, its reply exception (ipc_is_reply: a reply delivered at
 * once, which this is), both shared with the general path; the receiver's
 * state and whom it accepts (a SENDREC's receiver must not itself wait for
 * a reply, so the exception never applies there); for REPLYRECV the
 * receive's pending notifications, SENDA messages and queued senders.
 * Deadlock detection has nothing to find: the process that blocks leaves
 * the other one running.
 *
 * ipc_fastpath_on can be turned off at run time (DIAGCTL DIAG_FASTPATH),
 * so that ipc.fastpath_equivalence can run the same calls both ways.
 */
#include "ipc.h"
#include "priv.h"
#include "vm.h"
#include "linux.h"
#include <ax/ipc.h>
#include <ax/kcall.h>

bool ipc_fastpath_on = true;
uint64_t ipc_fastpath_taken;

/* The live, non-kernel process e names, or NULL (the general path says why). */
static inline struct proc *
fast_lookup(endpoint_t e)
{
	int slot = endpoint_slot(e);
	struct proc *p;

	if (e < 0 || slot == 0 || slot >= NR_SLOTS)
		return NULL;
	p = proc_addr(slot);
	/*
	 * Keep p itself in a register: without this barrier GCC addresses p's
	 * fields from the slot times the size of a process, and computes it
	 * again (a multiply and an add) each time p is needed as a pointer.
	 */
	__asm__("" : "+r"(p));
	if (p->p_endpoint != e || (p->p_rts_flags & (RTS_SLOT_FREE | RTS_DYING | RTS_KERNEL)))
		return NULL;
	return p;
}

/* p's message buffer at va, if translated already (vm_msgbuf); else NULL. */
#define fast_msgbuf vm_msgbuf

/* A receive that takes no message: a Linux call's reply (rax), VM's answer. */
#define MF_NO_MESSAGE (MF_LINUX_CALL | MF_PAGEFAULT | MF_VMREQ)

/*
 * Is dst, exactly RECEIVING (nothing else holding it), waiting for a
 * message from src?  A user process waiting in a Linux call takes its
 * reply in rax, not as a message, and a page fault or a kernel call
 * waiting for VM takes none: the general path (linux_reply,
 * linux_vm_answer).  `also` are misc flags dst must not have either.
 */
static inline bool
fast_waits_for(const struct proc *dst, const struct proc *src, uint32_t also)
{
	return dst->p_rts_flags == RTS_RECEIVING && !(dst->p_misc_flags & (MF_NO_MESSAGE | also)) &&
	       (dst->p_getfrom_e == ANY || dst->p_getfrom_e == src->p_endpoint);
}

/*
 * May caller's message reach dst, which fast_waits_for found waiting for
 * it: the IPC mask, or the reply exception (ipc_is_reply: dst waits in
 * SENDREC for caller, and gets the message at once)?  Here the exception
 * is one flag test, so it goes first.
 */
static inline bool
fast_may_answer(const struct proc *caller, const struct proc *dst)
{
	return (dst->p_misc_flags & MF_REPLY_PEND) || priv_may_send(caller, dst);
}

/* Has p a pending notification or SENDA message (which a RECEIVE(ANY) takes first)? */
static inline bool
fast_has_bits(const struct proc *p)
{
	const struct priv *s = p->p_priv;
	uint64_t any = 0;

	for (int w = 0; w < BITMAP_WORDS(NR_PRIVS); w++)
		any |= s->s_notify_pending[w] | s->s_asyn_pending[w];
	return any;
}

/* Would RECEIVE(ANY) find something for p at once? */
static inline bool
fast_has_pending(const struct proc *p)
{
	return fast_has_bits(p) || p->p_caller_q;
}

/*
 * src blocks receiving from getfrom into buf (k: buf in the kernel's map,
 * or NULL), adding src_flags, and dst, released already, runs now.  A
 * src that waits for a reply (MF_REPLY_PEND) has begun a call bounded by
 * `bound` ticks (ipc_call_begins, as ipc_sendrec_msg): last, so that only
 * src and dst are live across the arming of a timer, and the compiler
 * keeps the rest of the fast path in registers it need not save.
 */
static inline __attribute__((always_inline, noreturn)) void
fast_switch(struct proc *src, struct proc *dst, endpoint_t getfrom, vir_addr_t buf, message *k,
	    uint32_t src_flags, uint64_t bound)
{
	ipc_wait_into(src, buf, k);
	src->p_getfrom_e = getfrom;
	src->p_misc_flags |= src_flags;
	src->p_rts_flags = RTS_RECEIVING;
	ipc_fastpath_taken++;
	if (src_flags & MF_REPLY_PEND)
		ipc_call_begins(src, bound);
	sched_fast_handoff(src, dst);
}

/* dst, exactly RECEIVING, is released with result 0 and status `call`. */
static inline __attribute__((always_inline)) void
fast_release(struct proc *dst, uint32_t call)
{
	arch_set_result(&dst->p_arch, 0);
	arch_set_status(&dst->p_arch, call);
	dst->p_misc_flags &= ~MF_REPLY_PEND;
	dst->p_getfrom_e = NONE;
	dst->p_rts_flags = 0;
}

/*
 * The message at from (src's buffer buf, in the kernel's map) goes to dst,
 * released from RECEIVE with status `call`; src blocks receiving from
 * getfrom into that same buffer, and dst runs now.
 */
static inline __attribute__((always_inline, noreturn)) void
fast_handoff(struct proc *src, struct proc *dst, message *from, message *to, uint32_t call,
	     endpoint_t getfrom, vir_addr_t buf, uint32_t src_flags, uint64_t bound)
{
	arch_copy_message(to, from);
	to->m_source = src->p_endpoint;
	fast_release(dst, call);
	fast_switch(src, dst, getfrom, buf, from, src_flags, bound);
}

/*
 * SENDREC to a process that is runnable, waiting for nobody (a server the
 * caller preempted before it got back to its RECEIVE): the caller waits on
 * its caller queue, empty till now, with the message in p_sendmsg, exactly
 * as ipc_send_msg and ipc_sendrec_msg leave it, and the scheduler picks
 * who runs.  A runnable dst makes the deadlock check find nothing; a
 * runnable dst cannot take the reply exception (it receives nothing), so
 * the mask alone decides; dst == caller is ELOCKED (general path).
 */
static inline void
fast_sendrec_queue(struct proc *caller, struct proc *dst, const message *from, vir_addr_t buf,
		   uint64_t bound)
{
	if (dst == caller || dst->p_caller_q || !priv_may_send(caller, dst))
		return;
	arch_copy_message(&caller->p_sendmsg, from);
	caller->p_sendmsg.m_source = caller->p_endpoint;
	caller->p_send_call = CALL_NR(SENDREC);
	caller->p_sendto_e = dst->p_endpoint;
	caller->p_q_link = NULL;
	dst->p_caller_q = caller;
	caller->p_misc_flags |= MF_REPLY_PEND;
	ipc_wait_into(caller, buf, (message *)from);
	caller->p_getfrom_e = dst->p_endpoint;
	caller->p_rts_flags = RTS_SENDING | RTS_RECEIVING; /* running: in no ready queue */
	ipc_fastpath_taken++;
	ipc_call_begins(caller, bound);
	switch_to_user();
}

/* SENDREC (see the top); returns only if not taken. */
static inline void
fast_sendrec(struct proc *caller)
{
	const struct arch_proc *a = &caller->p_arch;
	struct proc *dst = fast_lookup((endpoint_t)arch_syscall_arg(a, 0));
	vir_addr_t buf = arch_syscall_arg(a, 1);
	uint64_t bound = arch_syscall_arg(a, 2);
	message *from, *to;

	if (!dst || bound > REPLY_BOUND_MAX || !(from = fast_msgbuf(caller, buf)))
		return;
	if (dst->p_rts_flags == 0) {
		fast_sendrec_queue(caller, dst, from, buf, bound); /* returns only if not taken */
		return;
	}
	if (!fast_waits_for(dst, caller, MF_REPLY_PEND) || !(to = dst->p_msgbuf_k) ||
	    !priv_may_send(caller, dst))
		return;
	fast_handoff(caller, dst, from, to, CALL_NR(SENDREC), dst->p_endpoint, buf, MF_REPLY_PEND,
		     bound);
}

/*
 * REPLYRECV's reply to a user process waiting in a Linux call: the reply
 * becomes its rax (linux_reply's rules; a message of the wrong form takes
 * the general path, which refuses it, and so does a process PM stopped:
 * linux_reply tells PM its call ended), it runs, the server receives.
 */
static inline void
fast_linux_reply(struct proc *caller, struct proc *dst, const message *from, vir_addr_t buf)
{
	int64_t result;

	if (dst->p_rts_flags != RTS_RECEIVING || !ipc_is_reply(caller, dst) ||
	    !linux_reply_result(from, &result))
		return;
	arch_set_result(&dst->p_arch, linux_call_result(dst, result)); /* no restart code */
	dst->p_misc_flags &= ~(MF_LINUX_CALL | MF_REPLY_PEND);
	dst->p_getfrom_e = NONE;
	dst->p_rts_flags = 0;
	fast_switch(caller, dst, ANY, buf, (message *)from, 0, 0);
}

/* REPLYRECV (see the top); returns only if not taken. */
static inline void
fast_replyrecv(struct proc *caller)
{
	const struct arch_proc *a = &caller->p_arch;
	struct proc *dst = fast_lookup((endpoint_t)arch_syscall_arg(a, 0));
	vir_addr_t buf = arch_syscall_arg(a, 1);
	message *from, *to;

	if (!dst || (endpoint_t)arch_syscall_arg(a, 2) != ANY || fast_has_pending(caller) ||
	    !(from = fast_msgbuf(caller, buf)))
		return;
	if (dst->p_misc_flags & MF_LINUX_CALL) {
		fast_linux_reply(caller, dst, from, buf); /* returns only if not taken */
		return;
	}
	if (!fast_waits_for(dst, caller, 0) || !(to = dst->p_msgbuf_k) ||
	    !fast_may_answer(caller, dst))
		return;
	/* The reply goes as the general path sends it: SENDNB. */
	fast_handoff(caller, dst, from, to, CALL_NR(SENDNB), ANY, buf, 0, 0);
}

/*
 * SEND to a process waiting for the caller (most often the reply to its
 * SENDREC, from a server that replies with SEND): the message goes once
 * into its buffer and it is released as ipc_deliver releases it (result 0,
 * status SEND).  A receiver of higher priority than the caller (a client
 * above its server) runs at once, the caller keeping its turn
 * (sched_preempt_by); otherwise the receiver joins its ready queue and the
 * caller runs on unless another has a higher priority: then true (the
 * quick exit), else a scheduler pass.  Masks as the general path:
 * priv_may_send, or the reply exception.  false: not taken, nothing
 * changed.
 */
static inline bool
fast_send(struct proc *caller)
{
	const struct arch_proc *a = &caller->p_arch;
	struct proc *dst = fast_lookup((endpoint_t)arch_syscall_arg(a, 0));
	message *from, *to;

	if (!dst || !fast_waits_for(dst, caller, 0) ||
	    !(from = fast_msgbuf(caller, arch_syscall_arg(a, 1))) || !(to = dst->p_msgbuf_k) ||
	    !fast_may_answer(caller, dst))
		return false;
	arch_copy_message(to, from);
	to->m_source = caller->p_endpoint;
	fast_release(dst, CALL_NR(SEND));
	arch_set_result(&caller->p_arch, 0);
	ipc_fastpath_taken++;
	if (dst->p_priority < caller->p_priority)
		sched_preempt_by(dst); /* the usual reply: to a client above its server */
	sched_enqueue(dst);
	if (!sched_runs_on(caller))
		sched_resume(caller);
	return true;
}

/*
 * RECEIVE(ANY) that finds a sender queued and no notification or SENDA
 * message before it (ipc_receive_msg's order): the first sender's message
 * goes from p_sendmsg into the caller's buffer, the sender leaves the queue
 * as ipc_take_queued lets it go (a SENDREC's sender now waits for the
 * reply), and the caller runs on: true, as ipc_fast_send.
 */
static inline bool
fast_receive(struct proc *caller)
{
	const struct arch_proc *a = &caller->p_arch;
	vir_addr_t buf = arch_syscall_arg(a, 1);
	struct proc *sender = caller->p_caller_q;
	message *to;

	if ((endpoint_t)arch_syscall_arg(a, 0) != ANY || !sender || fast_has_bits(caller) ||
	    !(to = fast_msgbuf(caller, buf)))
		return false;
	arch_copy_message(to, &sender->p_sendmsg);
	caller->p_caller_q = sender->p_q_link;
	sender->p_q_link = NULL;
	arch_set_status(&caller->p_arch, sender->p_send_call);
	if (sender->p_send_call != CALL_NR(SENDREC))
		arch_set_result(&sender->p_arch, 0);
	sender->p_sendto_e = NONE;
	proc_unblock(sender, RTS_SENDING);
	arch_set_result(&caller->p_arch, 0);
	ipc_fastpath_taken++;
	if (!sched_runs_on(caller))
		sched_resume(caller);
	return true;
}

/*
 * A user process's Linux call to its owner `server` (linux_syscall), when
 * the server waits in RECEIVE for anybody: the request (type, the six
 * arguments) is written straight into the server's buffer, the caller
 * waits for the reply (MF_LINUX_CALL), and the server runs.  The checks
 * are ipc_send_msg's for a receiver that is waiting; the kernel sends on
 * the caller's behalf, so no mask applies (as in the general path).
 */
void
ipc_fast_linux_call(struct proc *caller, struct proc *server, int32_t type)
{
	const struct arch_proc *a = &caller->p_arch;
	message *to;

	if (!fast_waits_for(server, caller, MF_REPLY_PEND) || !(to = server->p_msgbuf_k))
		return;
	*to = (message){ .m_source = caller->p_endpoint, .m_type = type };
	for (int i = 0; i < 6; i++)
		to->m_lx_call.arg[i] = arch_syscall_arg(a, i);
	to->m_lx_call.sp = arch_user_sp(a);
	fast_release(server, CALL_NR(SENDREC));
	fast_switch(caller, server, server->p_endpoint, 0, NULL, MF_LINUX_CALL | MF_REPLY_PEND, 0);
}

/*
 * Every system call but a kernel call, straight from syscall_entry: the
 * fast path for the four calls it knows, from a system process (native
 * IPC is theirs alone), when it is on; the general path (syscall_dispatch)
 * for everything else and whenever the fast path declines.  Returns the
 * caller only when it runs on at once (syscall_entry's quick exit).
 */
struct proc *
ipc_fast_call(struct proc *caller)
{
	const struct priv *s = caller->p_priv;

	/* A live process always has privileges (only a cleared slot has none). */
	if (ipc_fastpath_on && (s->s_flags & PRIV_SYS_PROC)) {
		uint64_t nr = arch_syscall_nr(&caller->p_arch);

		/* The two of a round trip first, one compare each (not a switch's tree). */
		if (nr == IPC_SENDREC)
			fast_sendrec(caller);
		else if (nr == IPC_REPLYRECV)
			fast_replyrecv(caller);
		else if (nr == IPC_SEND && fast_send(caller))
			return caller;
		else if (nr == IPC_RECEIVE && fast_receive(caller))
			return caller;
	}
	syscall_dispatch(caller);
}
