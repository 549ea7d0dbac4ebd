/*
 * EXEC: a new program starts in a user process (docs/processes.md section
 * 4, include/ax/vm.h).  Reads: m_sys_exec (endpt, name, ip, sp).
 *
 * The caller must be the process's signal manager (PM, for user
 * processes: EPERM otherwise) and the process a user process, or a service
 * RS holds (RTS_NO_PRIV: not run yet) whose space VM made (MF_VM_SPACE,
 * docs/processes.md section 5): EPERM otherwise.  For such a service,
 * m_sys_exec.brk is where its heap (the kernel's brk, do_brk.c) begins.  Its
 * memory was made by VM beforehand; here only the CPU state changes: every
 * register cleared, rip = ip and rsp = sp (user addresses: EFAULT), FS and
 * GS base 0, the FPU in the state of a new program, and the process's
 * name (what its log lines show) the new program's.  A Linux call it waits
 * in (execve) ends without a result: the new program starts instead.
 * Whether it may run is the caller's (privctl ALLOW for a new slot).
 */
#include "system.h"
#include "linux.h"

int
do_exec(struct proc *caller, message *m)
{
	struct msg_sys_exec rq = m->m_sys_exec;
	struct proc *p;
	bool service;
	int r;

	if ((r = proc_lookup(rq.endpt, &p)) < 0)
		return r;
	if (proc_is_kernel(p) || p == caller || !p->p_priv ||
	    p->p_priv->s_sig_mgr != caller->p_endpoint)
		return -EPERM;
	service = !linux_is_user(p);
	if (service && (!(p->p_misc_flags & MF_VM_SPACE) || !(p->p_rts_flags & RTS_NO_PRIV)))
		return -EPERM;
	if (!arch_user_range_ok(rq.ip, 1) || !arch_user_range_ok(rq.sp - 1, 1) ||
	    (service && rq.brk && !arch_user_range_ok(rq.brk, 1)))
		return -EFAULT;
	if (service)
		p->p_heap = (struct proc_heap){ .h_start = rq.brk, .h_end = rq.brk };
	if ((p->p_misc_flags & MF_LINUX_CALL) && (p->p_rts_flags & RTS_RECEIVING)) {
		p->p_misc_flags &= ~(MF_LINUX_CALL | MF_REPLY_PEND);
		p->p_getfrom_e = NONE;
		proc_unblock(p, RTS_RECEIVING);
	}
	arch_proc_init(&p->p_arch, rq.ip, rq.sp, 0);
	arch_fpu_forget(p);
	memcpy(p->p_name, rq.name, sizeof(p->p_name));
	p->p_name[sizeof(p->p_name) - 1] = '\0';
	return 0;
}
