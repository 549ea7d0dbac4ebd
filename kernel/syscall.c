/*
 * What happens after the arch layer has saved a process's registers: system
 * calls and user-mode faults.
 *
 * A system call goes straight to its handler: a kernel call (SENDREC to
 * SYSTEM) to kernel_call_enter() (system.c), everything else to the IPC
 * fast path (ipc_fast_call, ipc_fast.c), which comes here, to
 * syscall_dispatch(), when the call is not one it takes: every IPC call to
 * ipc_call(), a user process's call to the Linux ABI.  The exit is
 * sched_resume(): the caller runs on without a scheduler pass unless it
 * blocked or a process of higher priority became ready.  The quickest exit
 * is a return: a kernel call made in place and a fast SEND or RECEIVE that
 * leave the caller running at once, having changed nothing of it but rax,
 * rdx and its memory, return it to syscall_entry, which reloads only the
 * registers C may have clobbered and leaves by sysretq (for SEND and
 * RECEIVE, sched_runs_on says when).
 *
 * Native IPC numbers are for system processes; a user process (the shared
 * user slot) speaks the Linux ABI (linux.c).  Anything else returns -ENOSYS,
 * logged once per number.
 */
#include "ipc.h"
#include "priv.h"
#include "linux.h"
#include <ax/ipc.h>

void
syscall_dispatch(struct proc *p)
{
	const struct arch_proc *a = &p->p_arch;
	uint64_t nr = arch_syscall_nr(a);
	struct proc *handoff = NULL;
	int r;

	bool sys_proc = p->p_priv && (p->p_priv->s_flags & PRIV_SYS_PROC);

	if (nr < IPC_BASE || nr >= IPC_BASE + IPC_NR_CALLS || !sys_proc)
		r = linux_is_user(p) ? linux_syscall(p, &handoff) : linux_unknown(p, nr);
	else
		r = ipc_call(p, nr, arch_syscall_arg(a, 0), arch_syscall_arg(a, 1), &handoff);
	if (r != IPC_SUSPEND && !proc_is_free(p))
		arch_set_result(&p->p_arch, r);
	if (handoff)
		sched_handoff(handoff);
	sched_resume(p);
}

/*
 * A process caused an exception it cannot handle: a signal for its signal
 * manager (or, without one, the end of it).  Only this process is affected.
 */
void
user_fault(struct proc *p, int sig, const char *what)
{
	KDIAG(p, "%s", what);
	arch_dump_frame(&p->p_arch);
	sig_raise(p, sig, what);
	switch_to_user();
}
