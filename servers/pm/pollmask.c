/*
 * ppoll (271) and pselect6 (270): poll and select with a signal mask set
 * for the wait only, atomically, as Linux does.  The descriptors are
 * VFS's, the mask is PM's, so the calls are PM's (linux_calls.def) and
 * PM hands the descriptor part to VFS (VFS_PM_POLL, include/ax/vfs.h;
 * servers/vfs/select.c):
 *
 * - VFS looks at the descriptors once and answers at once: something is
 *   ready, the timeout is zero, or an error: that is the answer, and the
 *   mask was never changed.  (Nothing ready, a zero timeout and a signal
 *   pending that the mask lets through: EINTR and the handler, as in
 *   Linux, which checks for signals whenever it finds nothing.)
 * - Otherwise the call waits in VFS and PM holds the process's call
 *   (mp_cancel = cancel_poll) with the mask of the call in place and the
 *   process's own saved, as rt_sigsuspend does (mp_sig.suspended).  A
 *   signal the mask lets through, pending already or coming later, has
 *   its handler run at once: PM drops the wait in VFS (VFS_PM_POLL_CANCEL,
 *   a SENDREC: PM may wait for VFS) and the call answers EINTR; the frame
 *   holds the process's own mask, which rt_sigreturn gives back.
 * - When VFS's wait ends it sends PM_POLL_DONE (asynchronously: VFS never
 *   waits for PM); PM gives the process its own mask back and answers it.
 *   A signal that was held back by the call's mask and is not by the
 *   process's own runs its handler then, after the call, as in Linux.
 *
 * Each call of a process has a number (mp_poll_seq), so a PM_POLL_DONE
 * that crossed PM's cancel is recognised and dropped.
 */
#include "pm.h"
#include <string.h>
#include <ax/pm.h>
#include <ax/signal.h>
#include <ax/vfs.h>

#define UNCATCHABLE (sig_bit(SIGKILL) | sig_bit(19))

static int64_t
cancel_poll(struct mproc *mp)
{
	struct msg_vfs_poll rq = { .endpt = mp->mp_endpt, .seq = mp->mp_poll_seq };

	pm_vfs_poll(VFS_PM_POLL_CANCEL, &rq, NULL);
	return -LX_ERESTARTNOHAND; /* a handler runs: EINTR (Linux: never restarted then) */
}

/* Nothing was ready at once: the call's answer is EINTR with the handler. */
static int64_t
cancel_now(struct mproc *mp)
{
	(void)mp;
	return -LX_ERESTARTNOHAND;
}

/* The mask of the call for the wait; the process's own kept (signal.c's real_mask). */
static void
mask_set(struct mproc *mp, uint64_t mask)
{
	mp->mp_sig.saved_mask = mp->mp_sig.mask;
	mp->mp_sig.suspended = true;
	mp->mp_sig.mask = mask & ~UNCATCHABLE;
}

static void
mask_restore(struct mproc *mp)
{
	if (!mp->mp_sig.suspended)
		return;
	mp->mp_sig.mask = mp->mp_sig.saved_mask;
	mp->mp_sig.suspended = false;
}

/*
 * The call nr with its arguments; the mask at user address `set`, of
 * `size` bytes (no mask: set 0).
 */
static int64_t
poll_call(struct mproc *mp, int nr, const uint64_t *arg, uint64_t set, uint64_t size)
{
	struct msg_vfs_poll rq;
	struct msg_vfs_pm_reply out;
	uint64_t mask = 0;
	int64_t r;

	if (set) {
		if (size != sizeof(uint64_t))
			return -EINVAL;
		if ((r = pm_copy_from_user(mp, set, &mask, sizeof(mask))) < 0)
			return r;
	}
	memset(&rq, 0, sizeof(rq));
	rq.endpt = mp->mp_endpt;
	rq.call = nr;
	rq.seq = ++mp->mp_poll_seq;
	memcpy(rq.arg, arg, sizeof(rq.arg));
	memset(&out, 0, sizeof(out));
	if ((r = pm_vfs_poll(VFS_PM_POLL, &rq, &out)) < 0)
		return r;
	if (!out.r_blocked) {
		r = (int64_t)out.r_bytes;
		if (r != 0 || !set || !(mp->mp_sig.pending & ~(mask & ~UNCATCHABLE)))
			return r;
		/*
		 * Nothing ready, and a signal the mask lets through is
		 * pending: EINTR if its handler runs (or the process ends);
		 * one that only needs discarding (or stops it) leaves the
		 * answer 0, as Linux's restart of the call would give.
		 */
		mask_set(mp, mask);
		mp->mp_cancel = cancel_now;
		sig_held(mp);
		if (mp->mp_cancel != cancel_now)
			return LX_NO_REPLY; /* answered with a frame, or ended */
		mp->mp_cancel = NULL;
		mask_restore(mp);
		sig_serving(mp);
		return 0;
	}
	if (set)
		mask_set(mp, mask);
	mp->mp_cancel = cancel_poll;
	return LX_NO_REPLY; /* sig_held: a signal already pending interrupts it now */
}

/* ppoll(fds, nfds, tsp, sigmask, sigsetsize) */
int64_t
lx_ppoll(struct mproc *mp, const uint64_t *arg)
{
	return poll_call(mp, LX_NR_ppoll, arg, arg[3], arg[4]);
}

/* pselect6(n, in, out, ex, tsp, {sigmask, sigsetsize}) */
int64_t
lx_pselect6(struct mproc *mp, const uint64_t *arg)
{
	uint64_t sig[2] = { 0, 0 };
	int64_t r;

	if (arg[5] && (r = pm_copy_from_user(mp, arg[5], sig, sizeof(sig))) < 0)
		return r;
	return poll_call(mp, LX_NR_pselect6, arg, sig[0], sig[1]);
}

/* PM_POLL_DONE from VFS: the call that waited there ends with arg[0]. */
int
do_poll_done(endpoint_t caller, message *m)
{
	struct mproc *mp = pm_user(m->m_vfs_poll.endpt);
	int64_t result = (int64_t)m->m_vfs_poll.arg[0];
	endpoint_t vfs = NONE;

	if (sys_lookup("vfs", &vfs) < 0 || caller != vfs)
		return -EPERM;
	if (!mp || mp->mp_cancel != cancel_poll || mp->mp_poll_seq != m->m_vfs_poll.seq)
		return EDONTREPLY; /* it ended otherwise meanwhile (a signal, its exit) */
	mp->mp_cancel = NULL;
	mask_restore(mp);
	if (!sig_call_done(mp, result))
		pm_lx_reply(mp, result);
	return EDONTREPLY;
}
