/*
 * Synchronous IPC: SEND, RECEIVE, SENDREC, NOTIFY and SENDNB, deadlock
 * detection, and the cleanup when a process dies.  SENDA is in ipc_async.c.
 *
 * ipc_call() validates everything first (call number, endpoint, buffer,
 * masks) and only then changes state.  A call that cannot finish blocks its
 * caller: RTS_SENDING with the message held in p_sendmsg on the
 * destination's caller queue, or RTS_RECEIVING with p_msgbuf recorded.  The
 * caller's result (rax) and status (rdx) are written when it is released.
 *
 * A RECEIVE looks, in this order, at pending notifications (not while
 * waiting for a SENDREC reply), pending SENDA messages, and the caller queue.
 */
#include "ipc.h"
#include "priv.h"
#include "vm.h"
#include "timer.h"
#include "linux.h"
#include <ax/ipc.h>
#include <ax/kcall.h>

/*
 * A message buffer must be 16-byte aligned and mapped; a buffer that will
 * receive (RECEIVE, SENDREC's reply) must be writable, checked now so that a
 * bad one fails at once instead of after blocking.
 */
static int
msgbuf_check(struct proc *caller, vir_addr_t va, bool receives)
{
	if (va & (sizeof(uint64_t) * 2 - 1))
		return -EINVAL;
	return vm_check_user(caller, va, sizeof(message), receives);
}

/* buf, checked by msgbuf_check for receiving, in the kernel's map if cached. */
static inline message *
msgbuf_cached(const struct proc *caller, vir_addr_t buf)
{
	return vm_user_ptr_cached(caller, TLB_MSG, buf, sizeof(message), true);
}

/* Release dst from RECEIVE with message m; its result is 0 or -EFAULT. */
int
ipc_deliver(struct proc *dst, const message *m, uint64_t status)
{
	int r = vm_copy_to_user(dst, dst->p_msgbuf, m, sizeof(*m));

	arch_set_result(&dst->p_arch, r);
	arch_set_status(&dst->p_arch, status);
	dst->p_misc_flags &= ~MF_REPLY_PEND;
	dst->p_getfrom_e = NONE;
	proc_unblock(dst, RTS_RECEIVING);
	return r;
}

/* Is dst blocked in a receive that a message from src would satisfy? */
bool
ipc_can_receive(const struct proc *dst, const struct proc *src)
{
	if ((dst->p_rts_flags & (RTS_RECEIVING | RTS_SENDING)) != RTS_RECEIVING)
		return false;
	return dst->p_getfrom_e == ANY || dst->p_getfrom_e == src->p_endpoint;
}

/*
 * The reply exception to the IPC masks: `to` waits in SENDREC for `from`,
 * so it started the conversation and passed its own mask check.  A message
 * from `from` that is delivered now ends that wait and is the reply; it may
 * pass whatever from's mask says.  Nothing else passes this way: not a
 * notification, not a SENDA entry that stays pending (AMF_NOREPLY), since
 * those would reach `to` after the call and give `from` a channel its mask
 * does not allow.
 */
bool
ipc_is_reply(const struct proc *from, const struct proc *to)
{
	return (to->p_misc_flags & MF_REPLY_PEND) && ipc_can_receive(to, from);
}

/*
 * Would caller blocking on target close a cycle of blocked processes?  Follow
 * who each one waits for.  A cycle of two where one side sends and the other
 * receives is the ordinary request/reply pattern, not a deadlock.
 */
static bool
ipc_deadlock(const struct proc *caller, const struct proc *target, bool sending)
{
	int group = 1;
	const struct proc *xp = target;

	/* Bounded: the chain visits each slot at most once unless it cycles. */
	while ((xp->p_rts_flags & (RTS_SENDING | RTS_RECEIVING)) && group <= NR_SLOTS) {
		bool xp_sends = xp->p_rts_flags & RTS_SENDING;
		endpoint_t next = xp_sends ? xp->p_sendto_e : xp->p_getfrom_e;

		group++;
		if (next == caller->p_endpoint)
			return !(group == 2 && xp_sends != sending);
		if (next == ANY || proc_lookup(next, (struct proc **)&xp) < 0)
			return false;
	}
	return false;
}

/* Append p to dst's caller queue (FIFO). */
static void
caller_queue_append(struct proc *dst, struct proc *p)
{
	struct proc **xpp;

	assert(p != dst);
	for (xpp = &dst->p_caller_q; *xpp; xpp = &(*xpp)->p_q_link)
		assert(*xpp != p); /* a sender waits on one queue, once */
	*xpp = p;
	p->p_q_link = NULL;
}

/*
 * A user process takes no message but the reply to its Linux call, which
 * becomes its rax (linux_reply); everything else is refused there.
 */
static int
ipc_send_msg(struct proc *caller, struct proc *dst, message *m, uint32_t call, bool nonblock)
{
	m->m_source = caller->p_endpoint;
	if (linux_is_user(dst))
		return linux_reply(caller, dst, m);
	if ((dst->p_misc_flags & MF_VMREQ) && ipc_is_reply(caller, dst))
		return linux_vm_answer(caller, dst); /* no message: its kernel call runs again */
	if (ipc_can_receive(dst, caller)) {
		ipc_deliver(dst, m, call);
		return 0;
	}
	if (nonblock)
		return -ENOTREADY;
	if (dst == caller || ipc_deadlock(caller, dst, true))
		return -ELOCKED;
	caller->p_sendmsg = *m;
	caller->p_send_call = call;
	caller->p_sendto_e = dst->p_endpoint;
	caller_queue_append(dst, caller);
	proc_block(caller, RTS_SENDING);
	return IPC_SUSPEND;
}

static void
build_notify(message *m, struct proc *src, struct proc *dst)
{
	memset(m, 0, sizeof(*m));
	m->m_source = src->p_endpoint;
	m->m_type = NOTIFY_MESSAGE;
	m->m_notify.timestamp = clock_uptime;
	if (src->p_endpoint == HARDWARE) {
		m->m_notify.interrupts = dst->p_priv->s_int_pending;
		dst->p_priv->s_int_pending = 0;
	}
}

/* A pending notification that a receive from src_e accepts, if any. */
static bool
ipc_take_notify(struct proc *caller, endpoint_t src_e, message *m)
{
	uint64_t *pending = caller->p_priv->s_notify_pending;

	for (int w = 0; w < BITMAP_WORDS(NR_PRIVS); w++) {
		uint64_t bits = pending[w];

		while (bits) {
			int id = w * 64 + __builtin_ctzll(bits);
			struct proc *src = proc_addr(priv_table[id].s_proc_slot);

			bits &= bits - 1;
			if (src_e != ANY && src_e != src->p_endpoint)
				continue;
			bitmap_clear(pending, id);
			build_notify(m, src, caller);
			return true;
		}
	}
	return false;
}

/* Take the first queued sender that src_e accepts; the message goes to buf. */
static int
ipc_take_queued(struct proc *caller, endpoint_t src_e, vir_addr_t buf)
{
	for (struct proc **xpp = &caller->p_caller_q; *xpp; xpp = &(*xpp)->p_q_link) {
		struct proc *sender = *xpp;

		if (src_e != ANY && src_e != sender->p_endpoint)
			continue;
		if (vm_copy_to_user(caller, buf, &sender->p_sendmsg, sizeof(message)) < 0)
			return -EFAULT;
		*xpp = sender->p_q_link;
		sender->p_q_link = NULL;
		arch_set_status(&caller->p_arch, sender->p_send_call);
		if (sender->p_send_call != CALL_NR(SENDREC))
			arch_set_result(&sender->p_arch, 0);
		sender->p_sendto_e = NONE;
		proc_unblock(sender, RTS_SENDING);
		return 0;
	}
	return -ENOENT;
}

/* Inline: RECEIVE's own path and REPLYRECV's second half, both hot. */
static inline __attribute__((always_inline)) int
ipc_receive_msg(struct proc *caller, struct proc *src, endpoint_t src_e, vir_addr_t buf)
{
	message m;
	int r;

	ipc_wait_into(caller, buf, msgbuf_cached(caller, buf));
	if (!(caller->p_misc_flags & MF_REPLY_PEND) && ipc_take_notify(caller, src_e, &m)) {
		if ((r = vm_copy_to_user(caller, buf, &m, sizeof(m))) < 0)
			return r;
		arch_set_status(&caller->p_arch, CALL_NR(NOTIFY));
		return 0;
	}
	if ((r = ipc_async_receive(caller, src_e)) != 0)
		return r < 0 ? r : 0;
	if ((r = ipc_take_queued(caller, src_e, buf)) != -ENOENT)
		return r;
	if (src && (src == caller || ipc_deadlock(caller, src, false)))
		return -ELOCKED;
	caller->p_getfrom_e = src_e;
	proc_block(caller, RTS_RECEIVING);
	return IPC_SUSPEND;
}

/* A notification from src (a process or a kernel identity) to dst. */
int
ipc_notify_from(struct proc *src, struct proc *dst)
{
	message m;

	if (!dst->p_priv || linux_is_user(dst))
		return -EPERM; /* the user slot is shared: no bits may be set in it */
	if (ipc_can_receive(dst, src) && !(dst->p_misc_flags & MF_REPLY_PEND)) {
		build_notify(&m, src, dst);
		ipc_deliver(dst, &m, CALL_NR(NOTIFY));
		return 0;
	}
	bitmap_set(dst->p_priv->s_notify_pending, src->p_priv->s_id);
	return 0;
}

/*
 * SENDREC: send, then wait for the reply only, bounded by `bound` ticks
 * (0: not bounded; ipc_bound.c).  When the receiver was already waiting it
 * has the message now, and *handoff asks the caller's exit to run it
 * directly (no scheduler pass).  The Linux ABI sends a user process's
 * request this way too (linux.c, buf 0, no bound).
 */
int
ipc_sendrec_msg(struct proc *caller, struct proc *dst, message *m, vir_addr_t buf, uint64_t bound,
		struct proc **handoff)
{
	int r = ipc_send_msg(caller, dst, m, CALL_NR(SENDREC), false);

	if (r < 0)
		return r;
	if (r == 0)
		*handoff = dst;
	caller->p_misc_flags |= MF_REPLY_PEND;
	ipc_wait_into(caller, buf, buf ? msgbuf_cached(caller, buf) : NULL); /* 0: a Linux call */
	caller->p_getfrom_e = dst->p_endpoint;
	ipc_call_begins(caller, bound);
	proc_block(caller, RTS_RECEIVING);
	return IPC_SUSPEND;
}

/*
 * REPLYRECV: the reply m to dst, non-blocking (dst waits for it in SENDREC,
 * or it fails at once and nothing else happens), then a receive from src_e
 * into buf.  When the receive blocks, the client just answered runs next.
 */
static int
ipc_replyrecv_msg(struct proc *caller, struct proc *dst, message *m, vir_addr_t buf,
		  endpoint_t src_e, struct proc **handoff)
{
	struct proc *src = NULL;
	int r;

	if (src_e != ANY && (r = proc_lookup(src_e, &src)) < 0)
		return r;
	if ((r = ipc_send_msg(caller, dst, m, CALL_NR(SENDNB), true)) < 0)
		return r;
	r = ipc_receive_msg(caller, src, src_e, buf);
	if (r == IPC_SUSPEND)
		*handoff = dst;
	return r;
}

/*
 * The IPC system call: call is IPC_BASE + n; arg0 the endpoint (SENDA: the
 * table), arg1 the message (SENDA: the count); the third argument is
 * REPLYRECV's source and SENDREC's bound, read only there.  Returns the caller's result,
 * or IPC_SUSPEND when the caller blocked.  *handoff may name the process to
 * run next (see ipc_sendrec_msg).
 */
int
ipc_call(struct proc *caller, uint64_t call, uint64_t arg0, uint64_t arg1, struct proc **handoff)
{
	uint32_t nr = (uint32_t)(call - IPC_BASE);
	endpoint_t e = (endpoint_t)arg0;
	struct proc *peer = NULL;
	message m;
	int r;

	if (call < IPC_BASE || nr == 0 || nr >= IPC_NR_CALLS)
		return -ENOSYS;
	if (nr == CALL_NR(SENDA))
		return ipc_senda(caller, arg0, arg1);
	if (nr == CALL_NR(NOTIFY)) {
		if ((r = proc_lookup(e, &peer)) < 0)
			return r;
	} else if ((r = msgbuf_check(caller, arg1, nr != CALL_NR(SEND) && nr != CALL_NR(SENDNB))) <
		   0) {
		return r;
	} else if (!(nr == CALL_NR(RECEIVE) && e == ANY) && (r = proc_lookup(e, &peer)) < 0) {
		return r;
	}
	if (peer && proc_is_kernel(peer) && nr != CALL_NR(RECEIVE))
		return -EINVAL;
	if (nr == CALL_NR(RECEIVE))
		return ipc_receive_msg(caller, peer, e, arg1);
	if (!priv_may_send(caller, peer) && (nr == CALL_NR(NOTIFY) || !ipc_is_reply(caller, peer)))
		return -EPERM;
	if (nr == CALL_NR(NOTIFY))
		return ipc_notify_from(caller, peer);
	if (nr == CALL_NR(SENDREC) && arch_syscall_arg(&caller->p_arch, 2) > REPLY_BOUND_MAX)
		return -EINVAL;
	if ((r = vm_copy_from_user(caller, &m, arg1, sizeof(m))) < 0)
		return r;
	switch (nr) {
	case CALL_NR(SEND):
		return ipc_send_msg(caller, peer, &m, nr, false);
	case CALL_NR(SENDNB):
		return ipc_send_msg(caller, peer, &m, nr, true);
	case CALL_NR(SENDREC):
		return ipc_sendrec_msg(caller, peer, &m, arg1, arch_syscall_arg(&caller->p_arch, 2),
				       handoff);
	default: /* REPLYRECV, the only one left */
		return ipc_replyrecv_msg(caller, peer, &m, arg1,
					 (endpoint_t)arch_syscall_arg(&caller->p_arch, 2), handoff);
	}
}

/* Release a blocked process with err as the result of its IPC call. */
static void
ipc_release(struct proc *q, int err)
{
	bool linux_call = q->p_misc_flags & MF_LINUX_CALL;

	if (linux_call)
		err = -EIO; /* its server is gone: no native error for a Linux program */
	/*
	 * A page fault's or a VM request's wait leaves the registers alone: the
	 * instruction (the kernel call) runs again.
	 */
	if (!(q->p_misc_flags & (MF_PAGEFAULT | MF_VMREQ)))
		arch_set_result(&q->p_arch, err);
	q->p_misc_flags &= ~(MF_REPLY_PEND | MF_LINUX_CALL | MF_PAGEFAULT | MF_VMREQ);
	q->p_sendto_e = q->p_getfrom_e = NONE;
	proc_unblock(q, RTS_SENDING | RTS_RECEIVING);
	if (linux_call)
		linux_call_ended(q); /* PM may be waiting for it (signals) */
}

/* Release everyone blocked sending to p, or receiving from p alone, with err. */
static void
ipc_release_waiters(struct proc *p, int err)
{
	struct proc *q = p->p_caller_q, *next;

	p->p_caller_q = NULL;
	for (; q; q = next) {
		next = q->p_q_link;
		q->p_q_link = NULL;
		ipc_release(q, err);
	}
	for (int i = NR_KERNEL_SLOTS; i < NR_SLOTS; i++) {
		q = proc_addr(i);
		if (!proc_is_free(q) && q != p && (q->p_rts_flags & RTS_RECEIVING) &&
		    q->p_getfrom_e == p->p_endpoint)
			ipc_release(q, err);
	}
}

/* Forget p's pending notifications and SENDA bits everywhere. */
void
ipc_forget_pending_from(struct proc *p)
{
	int id = p->p_priv ? p->p_priv->s_id : -1;

	for (int i = NR_KERNEL_SLOTS; id >= 0 && i < NR_SLOTS; i++) {
		struct proc *q = proc_addr(i);

		if (!proc_is_free(q) && q != p && q->p_priv) {
			bitmap_clear(q->p_priv->s_notify_pending, id);
			bitmap_clear(q->p_priv->s_asyn_pending, id);
		}
	}
}

/* The process p waits for in a SENDREC (to send, or for the answer), or NULL. */
struct proc *
ipc_awaited(const struct proc *p)
{
	struct proc *q;
	endpoint_t e;

	if ((p->p_rts_flags & RTS_SENDING) && p->p_send_call == CALL_NR(SENDREC))
		e = p->p_sendto_e;
	else if ((p->p_rts_flags & RTS_RECEIVING) && (p->p_misc_flags & MF_REPLY_PEND))
		e = p->p_getfrom_e;
	else
		return NULL;
	return proc_lookup(e, &q) == 0 ? q : NULL;
}

/* p's send will never complete: take it off the caller queue it sits on. */
void
ipc_unqueue_send(struct proc *p)
{
	struct proc *dst;

	if (!(p->p_rts_flags & RTS_SENDING))
		return;
	dst = proc_addr(endpoint_slot(p->p_sendto_e));
	for (struct proc **xpp = &dst->p_caller_q; *xpp; xpp = &(*xpp)->p_q_link) {
		if (*xpp == p) {
			*xpp = p->p_q_link;
			break;
		}
	}
}

/*
 * dead is going away: take it off the caller queue it sits on, release
 * everyone blocked on it with EDEADSRCDST, and forget its pending
 * notifications and SENDA messages everywhere; SENDA entries sent to it fail.
 */
void
ipc_clear_refs(struct proc *dead)
{
	ipc_unqueue_send(dead);
	ipc_release_waiters(dead, -EDEADSRCDST);
	ipc_forget_pending_from(dead);
	ipc_async_cancel(dead);
}

/*
 * statectl(CLEAR_IPC_REFS): the live process p starts afresh.  Whoever was
 * blocked on it is released with EDEADSRCDST (and may retry), its own
 * notifications to others are dropped, and SENDA entries to it fail.
 */
void
ipc_clear_own_refs(struct proc *p)
{
	ipc_release_waiters(p, -EDEADSRCDST);
	ipc_forget_pending_from(p);
	ipc_async_cancel(p);
	if (p->p_priv)
		memset(p->p_priv->s_asyn_pending, 0, sizeof(p->p_priv->s_asyn_pending));
}

/*
 * p is blocked in RECEIVE, and what may satisfy it changed under it (its
 * slot was swapped): deliver a pending notification or a queued message now.
 */
void
ipc_recheck(struct proc *p)
{
	message m;

	if ((p->p_rts_flags & (RTS_RECEIVING | RTS_SENDING)) != RTS_RECEIVING)
		return;
	if (!(p->p_misc_flags & MF_REPLY_PEND) && p->p_priv &&
	    ipc_take_notify(p, p->p_getfrom_e, &m)) {
		ipc_deliver(p, &m, CALL_NR(NOTIFY));
		return;
	}
	if (ipc_take_queued(p, p->p_getfrom_e, p->p_msgbuf) == 0) {
		arch_set_result(&p->p_arch, 0);
		p->p_misc_flags &= ~MF_REPLY_PEND;
		p->p_getfrom_e = NONE;
		proc_unblock(p, RTS_RECEIVING);
	}
}
