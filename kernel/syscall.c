/*
 * What happens after the arch layer has saved a process's registers: system
 * calls and user-mode faults.  Both end in switch_to_user().
 *
 * Native IPC numbers are for system processes; everything else will be the
 * Linux ABI, forwarded to servers (a later issue).  Until then an unknown
 * number returns -ENOSYS and is logged once per number.
 */
#include "ipc.h"
#include "priv.h"
#include <ax/ipc.h>

#define LINUX_NR_MAX	512

static uint64_t unknown_logged[BITMAP_WORDS(LINUX_NR_MAX + 1)];

static int
syscall_unknown(struct proc *p, uint64_t nr)
{
	int bit = nr < LINUX_NR_MAX ? (int)nr : LINUX_NR_MAX;

	if (!bitmap_test(unknown_logged, bit)) {
		bitmap_set(unknown_logged, bit);
		KDIAG(p, "unknown system call %#llx (logged once)", (unsigned long long)nr);
	}
	return -ENOSYS;
}

void
syscall_dispatch(struct proc *p)
{
	const struct arch_proc *a = &p->p_arch;
	uint64_t nr = arch_syscall_nr(a);
	struct proc *handoff = NULL;
	int r;

	if (nr >= IPC_BASE && nr < IPC_BASE + IPC_NR_CALLS && p->p_priv &&
	    (p->p_priv->s_flags & PRIV_SYS_PROC))
		r = ipc_call(p, nr, arch_syscall_arg(a, 0), arch_syscall_arg(a, 1), &handoff);
	else
		r = syscall_unknown(p, nr);
	if (r != IPC_SUSPEND && !proc_is_free(p))
		arch_set_result(&p->p_arch, r);
	if (handoff)
		sched_handoff(handoff);
	switch_to_user();
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
