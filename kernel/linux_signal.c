/*
 * Signals of user processes, the kernel's share (docs/processes.md
 * section 6).  PM decides everything (handlers, masks, pending sets,
 * default actions); the kernel only does what needs a process's
 * registers:
 *
 * - sigctl STOP freezes a user process (RTS_MGR_STOP) and says which
 *   server holds its Linux call, so that PM can have that server cancel
 *   it (LX_CANCEL, include/ax/linux.h).  A call still queued (its server
 *   has not received it) is simply taken back: it runs again later.
 * - When the call of a stopped process ends (its server answered
 *   LX_CANCEL, or died), PM is told by the kernel signal SIGLXDONE.
 * - A cancelled call answers with a restart code; linux_reply keeps the
 *   code in p_lx_restart and puts -EINTR in rax, and FRAME or RESUME
 *   decide: the call runs again (rip back over `syscall`, rax its number)
 *   or returns -EINTR, as Linux's -ERESTART* rules and SA_RESTART say.
 * - sigctl FRAME builds the rt_sigframe (arch_sigframe_build) and lets
 *   the process run its handler; RESUME lets it run without one.
 * - rt_sigreturn (a KERNEL call in include/ax/linux_calls.def) restores
 *   the frame (arch_sigreturn) and then tells PM the restored mask: the
 *   process is sent on to PM as a PM request of the same number, {mask,
 *   the restored rax}, and PM's reply (the restored rax) resumes it.  So
 *   PM learns the mask in order with everything else the process does,
 *   and can deliver a signal the restored mask unblocks before the
 *   process runs on.
 *
 * Only the process's signal manager (PM, linux_set_owner) may use sigctl.
 */
#include "linux.h"
#include "ipc.h"
#include "vm.h"
#include <ax/linux.h>
#include <ax/signal.h>

/* Make p's interrupted Linux call run again when it resumes. */
static void
restart_call(struct proc *p)
{
	arch_syscall_restart(&p->p_arch);
	arch_set_result(&p->p_arch, (int64_t)p->p_lx_nr);
}

/*
 * p's call ended with a restart code (p_lx_restart): run it again or let
 * it fail with -EINTR (already in rax), as Linux does.  `handler`: a
 * handler runs now; `sa_restart`: its action has SA_RESTART.
 */
static void
resolve_restart(struct proc *p, bool handler, bool sa_restart)
{
	int code = p->p_lx_restart;

	p->p_lx_restart = 0;
	if (!code)
		return;
	if (code == LX_ERESTARTNOINTR || !handler || (code == LX_ERESTARTSYS && sa_restart))
		restart_call(p);
}

/*
 * The result of p's Linux call, as linux_reply is about to write it: a
 * restart code is kept for FRAME or RESUME when PM stopped p (it is
 * cancelling the call) and becomes -EINTR in rax; nobody else may make a
 * call restart, so from anyone else it is just -EINTR.
 */
int64_t
linux_call_result(struct proc *p, int64_t result)
{
	if (!LX_IS_RESTART(result))
		return result;
	p->p_lx_restart = (p->p_rts_flags & RTS_MGR_STOP) ? (int32_t)-result : 0;
	return -EINTR;
}

/*
 * p's Linux call has ended (answered, or its server died): if PM stopped p
 * (it is cancelling the call), it hears of it as the kernel signal
 * SIGLXDONE, which does not freeze p.
 */
void
linux_call_ended(struct proc *p)
{
	struct proc *mgr;

	if (!(p->p_rts_flags & RTS_MGR_STOP) || !p->p_priv ||
	    proc_lookup(p->p_priv->s_sig_mgr, &mgr) < 0)
		return;
	p->p_pending_sigs |= sig_bit(SIGLXDONE);
	p->p_misc_flags &= ~MF_SIG_FETCHED;
	ipc_notify_from(proc_addr(SYSTEM), mgr);
}

/* Is p waiting for the answer to a Linux call held by the server `by`? */
static bool
call_held_by(const struct proc *p, const struct proc *by)
{
	return (p->p_misc_flags & MF_LINUX_CALL) && (p->p_rts_flags & RTS_RECEIVING) &&
	       p->p_getfrom_e == by->p_endpoint;
}

/*
 * STOP: freeze p; *held_by: the server holding its Linux call, or NONE.
 * A call queued for the caller itself stays queued (the caller will serve
 * it, and rt_sigreturn's message to PM must never run twice): held_by is
 * the caller then.
 */
static int
sigctl_stop(struct proc *caller, struct proc *p, endpoint_t *held_by)
{
	*held_by = NONE;
	if (!(p->p_rts_flags & RTS_MGR_STOP))
		proc_block(p, RTS_MGR_STOP);
	if ((p->p_misc_flags & MF_LINUX_CALL) && (p->p_rts_flags & RTS_SENDING) &&
	    p->p_sendto_e == caller->p_endpoint) {
		*held_by = caller->p_endpoint;
	} else if ((p->p_misc_flags & MF_LINUX_CALL) && (p->p_rts_flags & RTS_SENDING)) {
		/* Not received yet: take the call back, it runs again later. */
		ipc_unqueue_send(p);
		p->p_misc_flags &= ~(MF_LINUX_CALL | MF_REPLY_PEND);
		p->p_sendto_e = p->p_getfrom_e = NONE;
		proc_unblock(p, RTS_SENDING);
		restart_call(p);
	} else if ((p->p_misc_flags & MF_LINUX_CALL) && (p->p_rts_flags & RTS_RECEIVING)) {
		*held_by = p->p_getfrom_e;
	}
	return 0;
}

/*
 * FRAME: run a handler.  p is stopped and not in a call, or (complete) in
 * a call the caller holds, which ends with `result` first.
 */
static int
sigctl_frame(struct proc *caller, struct proc *p, const struct msg_sys_sigctl *rq)
{
	struct lx_sigframe_req fr;
	struct trapframe saved = p->p_arch.reg;
	int32_t saved_restart = p->p_lx_restart;
	bool held = call_held_by(p, caller);
	int r;

	if (rq->sig < 1 || rq->sig > NSIG_AX)
		return -EINVAL;
	if (rq->complete ? !held
			 : (!(p->p_rts_flags & RTS_MGR_STOP) || (p->p_misc_flags & MF_LINUX_CALL)))
		return -EBUSY;
	if (vm_copy_from_user(caller, &fr, rq->req, sizeof(fr)) < 0)
		return -EFAULT;
	if (rq->complete) {
		p->p_lx_restart = LX_IS_RESTART(rq->result) ? (int32_t)-rq->result : 0;
		arch_set_result(&p->p_arch, p->p_lx_restart ? -EINTR : rq->result);
	}
	resolve_restart(p, true, fr.flags & LX_SA_RESTART);
	if ((r = arch_sigframe_build(p, rq->sig, &fr)) < 0) {
		p->p_arch.reg = saved; /* nothing changed: PM ends the process */
		p->p_lx_restart = saved_restart;
		return r;
	}
	if (rq->complete) {
		p->p_misc_flags &= ~(MF_LINUX_CALL | MF_REPLY_PEND);
		p->p_getfrom_e = NONE;
		proc_unblock(p, RTS_RECEIVING);
	}
	if (p->p_rts_flags & RTS_MGR_STOP)
		proc_unblock(p, RTS_MGR_STOP);
	return 0;
}

/* RESUME: p runs on without a handler; a cancelled call runs again. */
static int
sigctl_resume(struct proc *p)
{
	if (!(p->p_rts_flags & RTS_MGR_STOP))
		return -EINVAL;
	if (!(p->p_misc_flags & MF_LINUX_CALL))
		resolve_restart(p, false, false);
	proc_unblock(p, RTS_MGR_STOP);
	return 0;
}

int
linux_sigctl(struct proc *caller, message *m)
{
	struct msg_sys_sigctl rq = m->m_sys_sigctl;
	endpoint_t held_by;
	struct proc *p;
	int r;

	if ((r = proc_lookup(rq.endpt, &p)) < 0)
		return r;
	if (!linux_is_user(p) || p->p_priv->s_sig_mgr != caller->p_endpoint)
		return -EPERM;
	switch (rq.op) {
	case SIGCTL_STOP:
		r = sigctl_stop(caller, p, &held_by);
		memset(&m->m_sys_sigctl_reply, 0, sizeof(m->m_sys_sigctl_reply));
		m->m_sys_sigctl_reply.held_by = held_by;
		return r;
	case SIGCTL_FRAME:
		return sigctl_frame(caller, p, &rq);
	case SIGCTL_RESUME:
		return sigctl_resume(p);
	default:
		return -EINVAL;
	}
}

/*
 * rt_sigreturn: restore the frame, then hand the restored mask to PM (a
 * request of the same number: arg[0] the mask, arg[1] the restored rax,
 * which PM's reply puts back).  A bad frame is SIGSEGV, as in Linux.
 * IPC_SUSPEND, or what linux_syscall returns for the request.
 */
int
linux_sigreturn(struct proc *p, struct proc *pm, struct proc **handoff)
{
	uint64_t mask;
	message m;
	int r;

	if (arch_sigreturn(p, &mask) < 0) {
		sig_raise(p, SIGSEGV, "bad signal frame at rt_sigreturn");
		return IPC_SUSPEND;
	}
	if (!pm)
		return IPC_SUSPEND; /* no PM: nobody keeps masks; the registers are back */
	memset(&m, 0, sizeof(m));
	m.m_type = LX_CALL_BASE + LX_NR_rt_sigreturn;
	m.m_lx_call.arg[0] = mask;
	m.m_lx_call.arg[1] = arch_syscall_nr(&p->p_arch); /* rax, as restored */
	m.m_lx_call.sp = arch_user_sp(&p->p_arch);
	p->p_misc_flags |= MF_LINUX_CALL;
	if ((r = ipc_sendrec_msg(p, pm, &m, 0, 0, handoff)) < 0) {
		p->p_misc_flags &= ~MF_LINUX_CALL;
		return IPC_SUSPEND;
	}
	return r;
}
