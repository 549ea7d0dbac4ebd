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
 *
 * Nobody may be left frozen for ever: a process whose managers, all the
 * way round, are frozen themselves waiting for it (RS and its replica dying
 * together) is cleared like one without a manager, and so is a frozen
 * process whose manager has gone since (sig_clear_orphans).  Their callers
 * then get EDEADSRCDST instead of waiting for a repair that cannot come.
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

/*
 * Is mgr, p's manager, frozen waiting for a chain of frozen managers that
 * comes back to p?  Then nobody in the ring can ever act.
 */
static bool
sig_deadlocked(const struct proc *p, const struct proc *mgr)
{
	for (int n = 0; n < NR_SLOTS && mgr; n++) {
		if (!(mgr->p_rts_flags & RTS_SIG_PENDING))
			return false;
		if ((mgr = sig_manager(mgr)) == p)
			return true;
	}
	return false;
}

/*
 * Clear every frozen process that no manager can thaw any more (its manager
 * was cleared), until none is left: each clear may orphan more.
 */
void
sig_clear_orphans(void)
{
	static bool busy; /* proc_clear calls back here: one sweep at a time */
	bool again = true;

	if (busy)
		return;
	busy = true;
	while (again) {
		again = false;
		for (int i = FIRST_FREE_SLOT; i < NR_SLOTS; i++) {
			struct proc *q = proc_addr(i);

			if (proc_is_free(q) || !(q->p_rts_flags & RTS_SIG_PENDING) ||
			    sig_manager(q))
				continue;
			proc_clear(q, "its signal manager is gone");
			again = true;
		}
	}
	busy = false;
}

void
sig_raise(struct proc *p, int sig, const char *why)
{
	struct proc *mgr = sig_manager(p);

	if (!mgr || sig_deadlocked(p, mgr)) {
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
