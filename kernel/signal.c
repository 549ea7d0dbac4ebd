/*
 * Kernel signals and signal managers.
 *
 * A fault, sys_kill or sys_exit raises a signal in a process.  The kernel
 * does not decide what it means: it freezes the process (RTS_SIG_PENDING),
 * records the signal, and notifies the process's signal manager (named in
 * its privilege structure) from SYSTEM.  The manager collects the signals
 * with getksig, decides, and either lets the process go on (endksig) or
 * releases its slot (clear).  RS manages system processes, PM user
 * processes.  A process without a manager is cleared by the kernel at once.
 */
#include "proc.h"
#include "priv.h"
#include "ipc.h"
#include <ax/signal.h>

/*
 * Can mgr manage p's signals?  It must be a live system process with its
 * own privileges, other than p: a kernel identity or a process in the
 * shared user slot would get the notification and never collect, and p
 * would stay frozen for ever.  privctl refuses such a manager; a manager
 * that loses its privileges later is no manager from then on.
 */
bool
sig_mgr_able(const struct proc *mgr, const struct proc *p)
{
	return mgr != p && !proc_is_kernel(mgr) && mgr->p_priv && mgr->p_priv != priv_user() &&
	       (mgr->p_priv->s_flags & PRIV_SYS_PROC);
}

static struct proc *
sig_manager(const struct proc *p)
{
	struct proc *mgr;

	if (!p->p_priv || p->p_priv->s_sig_mgr == NONE)
		return NULL;
	if (proc_lookup(p->p_priv->s_sig_mgr, &mgr) < 0 || !sig_mgr_able(mgr, p))
		return NULL;
	return mgr;
}

void
sig_raise(struct proc *p, int sig, const char *why)
{
	struct proc *mgr = sig_manager(p);

	if (!mgr) {
		proc_clear(p, why);
		return;
	}
	TRACE(SIG, "kernel: %s(%d): signal %d (%s) for %s(%d)\n", p->p_name, p->p_endpoint, sig,
	      why, mgr->p_name, mgr->p_endpoint);
	p->p_pending_sigs |= sig_bit(sig);
	p->p_misc_flags &= ~MF_SIG_FETCHED;
	proc_block(p, RTS_SIG_PENDING);
	ipc_notify_from(proc_addr(SYSTEM), mgr);
}

/* The next process managed by mgr with signals not yet collected, or NULL. */
struct proc *
sig_next_pending(const struct proc *mgr)
{
	for (int i = NR_KERNEL_SLOTS; i < NR_SLOTS; i++) {
		struct proc *p = proc_addr(i);

		if (proc_is_free(p) || !p->p_pending_sigs || (p->p_misc_flags & MF_SIG_FETCHED))
			continue;
		if (p->p_priv && p->p_priv->s_sig_mgr == mgr->p_endpoint)
			return p;
	}
	return NULL;
}

/* The manager is done with p's signals: thaw it, unless new ones came. */
void
sig_end(struct proc *p, struct proc *mgr)
{
	p->p_misc_flags &= ~MF_SIG_FETCHED;
	if (p->p_pending_sigs)
		ipc_notify_from(proc_addr(SYSTEM), mgr);
	else
		proc_unblock(p, RTS_SIG_PENDING);
}
