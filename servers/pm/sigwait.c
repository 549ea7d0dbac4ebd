/*
 * rt_sigtimedwait (Linux 128): wait for one of a set of signals and take
 * it without running its handler.  busybox's init lives in it: it blocks
 * SIGCHLD and the signals that ask for a shutdown (SIGUSR1 halt, SIGUSR2
 * poweroff, SIGTERM reboot, SIGINT, SIGHUP, SIGQUIT) and waits for them
 * here, so without this call `poweroff` could not reach it.
 *
 * A signal of the set already pending is taken at once: cleared from the
 * pending set, its siginfo written, its number answered.  Otherwise, with
 * a zero timeout, EAGAIN; else PM holds the call (time.c: time_hold) until
 * sig_send makes a signal of the set pending (sigwait_wakes, which answers
 * it the same way), the timeout passes (EAGAIN), or another signal's
 * handler must run (EINTR, as Linux: not restarted).  SIGKILL and SIGSTOP
 * cannot be waited for (left out of the set, as Linux does).  As in
 * Linux, the set is normally blocked by the caller; a signal of the set
 * that is not blocked is taken here too when it comes during the wait.
 */
#include "pm.h"
#include <string.h>
#include <ax/signal.h>

#define SIG_STOP 19

static int64_t
cancel_sigwait(struct mproc *mp)
{
	time_unhold(mp);
	return -EINTR;
}

static bool
waiting(const struct mproc *mp)
{
	return mp->mp_cancel == cancel_sigwait;
}

/* Take the lowest pending signal of set: its number (its siginfo to info), 0, or -EFAULT. */
static int64_t
take(struct mproc *mp, uint64_t set, uint64_t info)
{
	uint64_t ready = mp->mp_sig.pending & set;
	struct lx_siginfo si;
	int sig;

	if (!ready)
		return 0;
	sig = __builtin_ctzll(ready) + 1;
	mp->mp_sig.pending &= ~sig_bit(sig);
	if (!info)
		return sig;
	memset(&si, 0, sizeof(si));
	si.si_signo = sig;
	si.si_code = mp->mp_sig.info[sig].code;
	si.u.kill.pid = mp->mp_sig.info[sig].pid;
	si.u.kill.uid = mp->mp_sig.info[sig].uid;
	si.u.kill.status = mp->mp_sig.info[sig].status;
	return pm_copy_to_user(mp, info, &si, sizeof(si)) < 0 ? -EFAULT : sig;
}

/* rt_sigtimedwait(set, info, timeout, sigsetsize) */
int64_t
lx_rt_sigtimedwait(struct mproc *mp, const uint64_t *arg)
{
	uint64_t set;
	int64_t r;

	if (arg[3] != sizeof(uint64_t))
		return -EINVAL;
	if ((r = pm_copy_from_user(mp, arg[0], &set, sizeof(set))) < 0)
		return r;
	set &= ~(sig_bit(SIGKILL) | sig_bit(SIG_STOP));
	if ((r = take(mp, set, arg[1])) != 0)
		return r;
	mp->mp_sigwait_set = set;
	mp->mp_sigwait_info = arg[1];
	return time_hold(mp, arg[2], -EAGAIN, cancel_sigwait);
}

bool
sigwait_wakes(struct mproc *mp, int sig)
{
	if (!waiting(mp) || !(mp->mp_sigwait_set & sig_bit(sig)) ||
	    !(mp->mp_sig.pending & sig_bit(sig)))
		return false;
	time_unhold(mp);
	pm_lx_reply(mp, take(mp, mp->mp_sigwait_set, mp->mp_sigwait_info));
	return true;
}
