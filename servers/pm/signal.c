/*
 * POSIX signals of user processes (docs/processes.md section 6): PM keeps
 * every process's actions, mask, pending set and alternate stack, decides
 * what a signal does (Linux's default actions, handlers, SA_ flags) and
 * asks the kernel only for what needs the process's registers (sigctl:
 * STOP, FRAME, RESUME; kernel/linux_signal.c).
 *
 * How a handler is reached depends on where the process is:
 * - in the call PM serves now (kill of itself, sigprocmask that unblocks,
 *   rt_sigreturn): the frame is built and the call answered in one
 *   sigctl FRAME with `complete` (sig_call_done);
 * - in a call PM holds (pause, rt_sigsuspend, nanosleep, wait4: mp_cancel
 *   set): the call's cancel function gives its answer (-EINTR or a restart
 *   code), and the same FRAME with `complete` answers it;
 * - anywhere else: STOP freezes it; in a call another server holds, that
 *   server gets LX_CANCEL and answers the call (include/ax/linux.h), and
 *   the kernel's SIGLXDONE tells PM the call has ended, so the frame can
 *   be built; a call queued for PM itself is served first and then the
 *   signal goes as above.
 * A signal stays pending until its frame is built, so a SIGKILL that comes
 * meanwhile wins.
 */
#include "pm.h"
#include <sef.h>
#include <string.h>
#include <stdio.h>
#include <ax/signal.h>

#define SIG_CHLD    17
#define SIG_CONT    18
#define SIG_STOP    19
#define SIG_TSTP    20
#define SIG_TTIN    21
#define SIG_TTOU    22
#define RLIMIT_CORE 4

#define UNCATCHABLE (sig_bit(SIGKILL) | sig_bit(SIG_STOP))
#define STOP_SIGS   (sig_bit(SIG_STOP) | sig_bit(SIG_TSTP) | sig_bit(SIG_TTIN) | sig_bit(SIG_TTOU))
/* Faults the kernel raises: blocked or ignored, they still end the process (as Linux's force_sig). */
#define FAULT_SIGS \
	(sig_bit(SIGSEGV) | sig_bit(SIGBUS) | sig_bit(SIGILL) | sig_bit(SIGFPE) | sig_bit(SIGTRAP))

enum dfl { DFL_TERM, DFL_CORE, DFL_IGNORE, DFL_STOP, DFL_CONT };

/* Linux's default action of each signal (signal(7)); real-time signals end the process. */
static enum dfl
default_action(int sig)
{
	switch (sig) {
	case 3:
	case 4:
	case 5:
	case 6:
	case 7:
	case 8:
	case 11:
	case 24:
	case 25:
	case 31:
		return DFL_CORE;
	case SIG_CHLD:
	case 23:
	case 28:
		return DFL_IGNORE;
	case SIG_CONT:
		return DFL_CONT;
	case SIG_STOP:
	case SIG_TSTP:
	case SIG_TTIN:
	case SIG_TTOU:
		return DFL_STOP;
	default:
		return DFL_TERM;
	}
}

static bool
valid_sig(uint64_t sig)
{
	return sig >= 1 && sig <= LX_NSIG;
}

/* Would sig be thrown away on arrival?  (Ignored and not blocked: a blocked one may get a handler.) */
static bool
sig_ignored(const struct mproc *mp, int sig)
{
	uint64_t h = mp->mp_sig.act[sig].handler;

	if (mp->mp_sig.mask & sig_bit(sig))
		return false;
	return h == LX_SIG_IGN || (h == LX_SIG_DFL && (default_action(sig) == DFL_IGNORE ||
						       default_action(sig) == DFL_CONT));
}

/* The mask a process really has (in rt_sigsuspend, the one it goes back to). */
static uint64_t
real_mask(const struct mproc *mp)
{
	return mp->mp_sig.suspended ? mp->mp_sig.saved_mask : mp->mp_sig.mask;
}

static void
end_by_signal(struct mproc *mp, int sig)
{
	int status = LX_W_TERMSIG(sig);

	if (default_action(sig) == DFL_CORE && time_rlimit(mp, RLIMIT_CORE) > 0)
		status |= LX_W_COREFLAG; /* Linux reports a core it wrote; we write none (README) */
	pm_exit(mp, status);
}

/* The next signal to act on: pending and not blocked, SIGKILL first, then the lowest. */
static int
next_signal(const struct mproc *mp)
{
	uint64_t ready = mp->mp_sig.pending & ~(mp->mp_sig.mask & ~UNCATCHABLE);

	if (!ready)
		return 0;
	if (ready & sig_bit(SIGKILL))
		return SIGKILL;
	return __builtin_ctzll(ready) + 1;
}

/* The frame's siginfo for sig. */
static void
fill_info(const struct mproc *mp, int sig, struct lx_siginfo *si)
{
	memset(si, 0, sizeof(*si));
	si->si_signo = sig;
	si->si_code = mp->mp_sig.info[sig].code;
	si->u.kill.pid = mp->mp_sig.info[sig].pid;
	si->u.kill.uid = mp->mp_sig.info[sig].uid;
	si->u.kill.status = mp->mp_sig.info[sig].status;
}

/*
 * Build sig's frame and run its handler.  complete: the process's call,
 * held by PM, is answered with result at the same time.  A frame that
 * cannot be written (a bad stack) ends the process with SIGSEGV, as Linux
 * does.  True if the process runs the handler.
 */
static bool
run_handler(struct mproc *mp, int sig, bool complete, int64_t result)
{
	struct lx_sigaction *sa = &mp->mp_sig.act[sig];
	struct lx_sigframe_req rq;
	uint64_t old = real_mask(mp);
	int r;

	memset(&rq, 0, sizeof(rq));
	rq.handler = sa->handler;
	rq.restorer = sa->restorer;
	rq.flags = sa->flags;
	rq.mask = old;
	rq.altstack = mp->mp_sig.altstack;
	if (!rq.altstack.ss_size)
		rq.altstack.ss_flags = LX_SS_DISABLE;
	fill_info(mp, sig, &rq.info);
	r = sys_sigctl(SIGCTL_FRAME, mp->mp_endpt, &rq, sig, complete, result, NULL);
	if (r < 0) {
		if (r != -EFAULT)
			printf("pm: signal %d frame for %s (pid %d): %d\n", sig, mp->mp_name,
			       mp->mp_pid, r);
		end_by_signal(mp, SIGSEGV);
		return false;
	}
	mp->mp_sig.pending &= ~sig_bit(sig);
	mp->mp_sig.suspended = false;
	mp->mp_sig.mask = old | sa->mask;
	if (!(sa->flags & LX_SA_NODEFER))
		mp->mp_sig.mask |= sig_bit(sig);
	mp->mp_sig.mask &= ~UNCATCHABLE;
	if (sa->flags & LX_SA_RESETHAND) {
		sa->handler = LX_SIG_DFL;
		sa->flags &= ~LX_SA_SIGINFO;
	}
	return true;
}

/*
 * A stop signal's default: frozen until SIGCONT.  A call it waits in
 * stays where it is (held by PM or by another server, whose answer waits
 * in the kernel until the process runs again).  The parent hears of it:
 * its wait with WUNTRACED, and SIGCHLD (fork.c).
 */
static void
stop_process(struct mproc *mp, int sig)
{
	if ((mp->mp_flags & MP_STOPPED) ||
	    sys_sigctl(SIGCTL_STOP, mp->mp_endpt, NULL, 0, 0, 0, NULL) < 0)
		return;
	mp->mp_flags = (mp->mp_flags & ~MP_REPORT_CONT) | MP_STOPPED | MP_REPORT_STOP;
	mp->mp_stop_sig = sig;
	pm_child_changed(mp, LX_CLD_STOPPED);
}

/* SIGCONT: a stopped process runs on (its parent hears of it: WCONTINUED, SIGCHLD). */
static void
continue_process(struct mproc *mp)
{
	if (!(mp->mp_flags & MP_STOPPED))
		return;
	mp->mp_flags = (mp->mp_flags & ~(MP_STOPPED | MP_REPORT_STOP)) | MP_REPORT_CONT;
	if (!mp->mp_sig.cancel_from)
		sys_sigctl(SIGCTL_RESUME, mp->mp_endpt, NULL, 0, 0, 0, NULL);
	pm_child_changed(mp, LX_CLD_CONTINUED);
}

/*
 * SIGTSTP, SIGTTIN and SIGTTOU by default stop a process, except in an
 * orphaned group: no one is left in the session to continue it, so Linux
 * discards them there (SIGSTOP still stops).
 */
static bool
stop_discarded(const struct mproc *mp, int sig)
{
	return sig != SIG_STOP && pm_pgrp_orphaned(mp->mp_pgid);
}

static void call_ended(struct mproc *mp);

/* The process being served by pm_linux_call now (its call ends through sig_call_done). */
static struct mproc *serving;

/*
 * Act on mp's deliverable signals.  in_call: mp's call is the one PM
 * serves now, ending with *result.  True if that call was answered here
 * (a frame with complete) or the process ended.
 */
static bool
deliver(struct mproc *mp, bool in_call, int64_t result)
{
	int sig;

	while (mp->mp_endpt != NONE && (sig = next_signal(mp))) {
		uint64_t h = mp->mp_sig.act[sig].handler;
		endpoint_t held_by;

		if (sig == SIGKILL || (h == LX_SIG_DFL && (default_action(sig) == DFL_TERM ||
							   default_action(sig) == DFL_CORE))) {
			end_by_signal(mp, sig);
			return true;
		}
		if (mp->mp_flags & MP_STOPPED)
			return false; /* only SIGKILL and SIGCONT (sig_send) act on it */
		if (h == LX_SIG_IGN || (h == LX_SIG_DFL && default_action(sig) != DFL_STOP)) {
			mp->mp_sig.pending &= ~sig_bit(sig);
			continue;
		}
		if (h == LX_SIG_DFL) { /* a stop signal */
			mp->mp_sig.pending &= ~sig_bit(sig);
			if (!stop_discarded(mp, sig))
				stop_process(mp, sig);
			continue;
		}
		if (mp->mp_sig.cancel_from)
			return false; /* SIGLXDONE will bring us back */
		if (in_call) {
			run_handler(mp, sig, true, result);
			return true; /* answered with the frame, or ended (a bad stack) */
		}
		if (mp->mp_cancel) {
			int64_t r = mp->mp_cancel(mp);

			mp->mp_cancel = NULL;
			run_handler(mp, sig, true, r);
			return true;
		}
		sef_flush_reply(); /* an answer PM left for it goes first */
		if (sys_sigctl(SIGCTL_STOP, mp->mp_endpt, NULL, 0, 0, 0, &held_by) < 0)
			return false;
		if (held_by == self_endpoint)
			return false; /* queued for PM: served next, then sig_call_done */
		if (held_by != NONE) {
			message m;

			memset(&m, 0, sizeof(m));
			m.m_type = LX_CANCEL;
			m.m_lx_cancel.endpt = mp->mp_endpt;
			mp->mp_sig.cancel_from = held_by;
			if (asynsend(held_by, &m) < 0) {
				printf("pm: cannot cancel the call of %s (pid %d)\n", mp->mp_name,
				       mp->mp_pid);
				mp->mp_sig.cancel_from = 0;
			}
			return false;
		}
		run_handler(mp, sig, false, 0);
		return false;
	}
	return false;
}

/* Generate sig for mp (kill, alarm, the kernel...). */
void
sig_send(struct mproc *mp, int sig, int code, int32_t pid)
{
	sig_send_status(mp, sig, code, pid, 0);
}

/* The same with a siginfo's si_status (SIGCHLD: the child's exit code or signal). */
void
sig_send_status(struct mproc *mp, int sig, int code, int32_t pid, int32_t status)
{
	if (!valid_sig((uint64_t)sig) || (mp->mp_flags & MP_ZOMBIE))
		return;
	if (sig == SIG_CONT) {
		mp->mp_sig.pending &= ~STOP_SIGS;
		continue_process(mp); /* and what was held back while it was stopped goes now */
	} else if (sig_bit(sig) & STOP_SIGS) {
		mp->mp_sig.pending &= ~sig_bit(SIG_CONT);
	}
	if (!sig_ignored(mp, sig)) {
		mp->mp_sig.pending |= sig_bit(sig);
		mp->mp_sig.info[sig].code = code;
		mp->mp_sig.info[sig].pid = pid;
		mp->mp_sig.info[sig].uid = 0;
		mp->mp_sig.info[sig].status = status;
	}
	if (sigwait_wakes(mp, sig))
		return; /* taken by its rt_sigtimedwait, which it ended (sigwait.c) */
	if (mp != serving && mp->mp_endpt != NONE)
		deliver(mp, false, 0);
}

/*
 * A signal the kernel raised (a fault, or a server's sys_kill): a fault
 * that is blocked or ignored ends the process, as Linux's force_sig.
 * -EDEADEPT when the process is gone.
 */
int
sig_kernel(struct mproc *mp, int sig)
{
	if (sig == SIGLXDONE) {
		call_ended(mp);
		return 0;
	}
	if (sig_bit(sig) & FAULT_SIGS) {
		struct lx_sigaction *sa = &mp->mp_sig.act[sig];

		if ((mp->mp_sig.mask & sig_bit(sig)) || sa->handler == LX_SIG_IGN) {
			mp->mp_sig.mask &= ~sig_bit(sig);
			sa->handler = LX_SIG_DFL;
		}
	}
	sig_send(mp, sig, LX_SI_KERNEL, 0);
	return (mp->mp_flags & MP_ZOMBIE) ? -EDEADEPT : 0;
}

/*
 * The call PM served for mp ends with result: deliver what became
 * deliverable (with its frame the answer goes too).  True if mp was
 * answered or ended here; false: the caller sends the reply.
 */
bool
sig_call_done(struct mproc *mp, int64_t result)
{
	serving = NULL;
	if (mp->mp_flags & MP_ZOMBIE)
		return true;
	return next_signal(mp) ? deliver(mp, true, result) : false;
}

/* mp's call stays with PM (mp_cancel set): a pending signal interrupts it at once. */
void
sig_held(struct mproc *mp)
{
	serving = NULL;
	if (!(mp->mp_flags & MP_ZOMBIE) && mp->mp_endpt != NONE && next_signal(mp))
		deliver(mp, false, 0);
}

/* pm_linux_call: mp's call is being served; signals for it wait for its end. */
void
sig_serving(struct mproc *mp)
{
	serving = mp;
}

/*
 * The call PM had cancelled has ended (the kernel's SIGLXDONE): build the
 * frame now.  (Spurious, if the call still runs: deliver finds it held
 * and asks again.)
 */
static void
call_ended(struct mproc *mp)
{
	if (!mp->mp_sig.cancel_from)
		return;
	mp->mp_sig.cancel_from = 0;
	if (mp->mp_flags & MP_STOPPED)
		return;
	if (next_signal(mp))
		deliver(mp, false, 0);
	else
		sys_sigctl(SIGCTL_RESUME, mp->mp_endpt, NULL, 0, 0, 0, NULL);
}

/*
 * TTY_SIGNAL from a terminal (include/ax/tty.h): ^C, ^\, ^Z, SIGTTIN,
 * SIGTTOU, SIGHUP and SIGCONT for a process group.
 */
void
sig_tty(const message *m)
{
	int sig = m->m_tty_signal.sig;

	if (!valid_sig((uint64_t)sig) || m->m_tty_signal.pgrp <= 0)
		return;
	for (int i = 0; i < NR_MPROCS; i++) {
		struct mproc *t = &mproc[i];

		if ((t->mp_flags & MP_IN_USE) && !(t->mp_flags & (MP_NATIVE | MP_ZOMBIE)) &&
		    t->mp_pgid == m->m_tty_signal.pgrp)
			sig_send(t, sig, LX_SI_KERNEL, 0);
	}
}

/* ----- job control: process groups (docs/processes.md section 6) ----- */

static bool
live_user(const struct mproc *mp)
{
	return (mp->mp_flags & MP_IN_USE) && !(mp->mp_flags & (MP_NATIVE | MP_ZOMBIE));
}

/*
 * POSIX's orphaned process group: no member has a parent in a different
 * group of the same session, so nobody in the session could continue a
 * stopped member.  (An empty group counts as orphaned.)
 */
bool
pm_pgrp_orphaned(int32_t pgid)
{
	for (int i = 0; i < NR_MPROCS; i++) {
		const struct mproc *m = &mproc[i], *parent;

		if (!live_user(m) || m->mp_pgid != pgid)
			continue;
		parent = pm_find_pid(m->mp_ppid);
		if (parent && (parent->mp_flags & MP_IN_USE) && !(parent->mp_flags & MP_ZOMBIE) &&
		    parent->mp_pgid != pgid && parent->mp_sid == m->mp_sid)
			return false;
	}
	return true;
}

bool
sig_has_stopped(int32_t pgid)
{
	for (int i = 0; i < NR_MPROCS; i++)
		if (live_user(&mproc[i]) && mproc[i].mp_pgid == pgid &&
		    (mproc[i].mp_flags & MP_STOPPED))
			return true;
	return false;
}

/*
 * A group that has just become orphaned with a stopped member gets
 * SIGHUP, then SIGCONT, every member (POSIX, Linux's kill_orphaned_pgrp):
 * otherwise its stopped processes would wait for ever.
 */
void
sig_orphaned(int32_t pgid)
{
	if (!sig_has_stopped(pgid))
		return;
	for (int sig = SIGHUP; sig; sig = sig == SIGHUP ? SIG_CONT : 0)
		for (int i = 0; i < NR_MPROCS; i++)
			if (live_user(&mproc[i]) && mproc[i].mp_pgid == pgid)
				sig_send(&mproc[i], sig, LX_SI_KERNEL, 0);
}

/* Is sig's action SIG_IGN?  (VFS passes it on to a terminal: job control.) */
bool
sig_ignores(const struct mproc *mp, int sig)
{
	return mp->mp_sig.act[sig].handler == LX_SIG_IGN;
}

/* A fork's child: the parent's actions, mask and altstack; nothing pending. */
void
sig_fork(struct mproc *child)
{
	child->mp_sig.pending = 0;
	child->mp_sig.cancel_from = 0;
	child->mp_sig.suspended = false;
}

/* exec: caught signals go back to their default; ignored stay ignored; the altstack goes. */
void
sig_exec(struct mproc *mp)
{
	for (int sig = 1; sig <= LX_NSIG; sig++) {
		struct lx_sigaction *sa = &mp->mp_sig.act[sig];

		if (sa->handler != LX_SIG_IGN)
			memset(sa, 0, sizeof(*sa));
	}
	memset(&mp->mp_sig.altstack, 0, sizeof(mp->mp_sig.altstack));
}

/* The Linux calls. */

/* rt_sigaction(sig, act, oact, sigsetsize): the kernel's struct sigaction. */
int64_t
lx_rt_sigaction(struct mproc *mp, const uint64_t *arg)
{
	uint64_t sig = arg[0];
	struct lx_sigaction act, old;
	int64_t r;

	if (arg[3] != sizeof(uint64_t) || !valid_sig(sig))
		return -EINVAL;
	old = mp->mp_sig.act[sig];
	if (arg[1]) {
		if ((r = pm_copy_from_user(mp, arg[1], &act, sizeof(act))) < 0)
			return r;
		if (sig_bit((int)sig) & UNCATCHABLE)
			return -EINVAL;
	}
	if (arg[2] && (r = pm_copy_to_user(mp, arg[2], &old, sizeof(old))) < 0)
		return r;
	if (arg[1]) {
		act.mask &= ~UNCATCHABLE;
		mp->mp_sig.act[sig] = act;
		if (sig_ignored(mp, (int)sig) || (act.handler == LX_SIG_IGN))
			mp->mp_sig.pending &= ~sig_bit((int)sig); /* POSIX: discarded */
		if (sig == SIG_TTIN || sig == SIG_TTOU)
			pm_vfs_job(mp); /* a terminal answers differently (ctty.c in VFS) */
	}
	return 0;
}

/* rt_sigprocmask(how, set, oset, sigsetsize) */
int64_t
lx_rt_sigprocmask(struct mproc *mp, const uint64_t *arg)
{
	uint64_t set, old = mp->mp_sig.mask;
	int64_t r;

	if (arg[3] != sizeof(uint64_t))
		return -EINVAL;
	if (arg[1]) {
		if ((r = pm_copy_from_user(mp, arg[1], &set, sizeof(set))) < 0)
			return r;
		switch (arg[0]) {
		case LX_SIG_BLOCK:
			set |= old;
			break;
		case LX_SIG_UNBLOCK:
			set = old & ~set;
			break;
		case LX_SIG_SETMASK:
			break;
		default:
			return -EINVAL;
		}
	}
	if (arg[2] && (r = pm_copy_to_user(mp, arg[2], &old, sizeof(old))) < 0)
		return r;
	if (arg[1]) {
		mp->mp_sig.mask = set & ~UNCATCHABLE;
		pm_vfs_job(mp); /* SIGTTIN, SIGTTOU blocked: a terminal answers differently */
	}
	return 0;
}

/*
 * rt_sigreturn, sent on by the kernel after it restored the frame
 * (kernel/linux_signal.c): arg[0] the frame's mask, arg[1] the restored
 * rax, which is the answer.  A user process cannot send this request
 * itself: the number is the kernel's (KERNEL in linux_calls.def).
 */
int64_t
lx_rt_sigreturn(struct mproc *mp, const uint64_t *arg)
{
	mp->mp_sig.mask = arg[0] & ~UNCATCHABLE;
	pm_vfs_job(mp);
	return (int64_t)arg[1];
}

int64_t
lx_rt_sigpending(struct mproc *mp, const uint64_t *arg)
{
	uint64_t set = mp->mp_sig.pending & real_mask(mp);

	if (arg[1] > sizeof(uint64_t))
		return -EINVAL;
	return pm_copy_to_user(mp, arg[0], &set, arg[1]);
}

/* pause, rt_sigsuspend: held until a handler runs; then -EINTR (no restart with a handler). */
static int64_t
cancel_suspend(struct mproc *mp)
{
	(void)mp;
	return -LX_ERESTARTNOHAND;
}

int64_t
lx_pause(struct mproc *mp, const uint64_t *arg)
{
	(void)arg;
	mp->mp_cancel = cancel_suspend;
	return LX_NO_REPLY;
}

int64_t
lx_rt_sigsuspend(struct mproc *mp, const uint64_t *arg)
{
	uint64_t set;
	int64_t r;

	if (arg[1] != sizeof(uint64_t))
		return -EINVAL;
	if ((r = pm_copy_from_user(mp, arg[0], &set, sizeof(set))) < 0)
		return r;
	mp->mp_sig.saved_mask = mp->mp_sig.mask;
	mp->mp_sig.suspended = true;
	mp->mp_sig.mask = set & ~UNCATCHABLE;
	mp->mp_cancel = cancel_suspend;
	return LX_NO_REPLY;
}

/* One thread per process: a tid is a pid (kill's permission rule, fork.c). */
static int64_t
tkill(struct mproc *mp, int64_t tid, uint64_t sig)
{
	struct mproc *t = pm_find_pid((int32_t)tid);

	if (tid <= 0 || tid > INT32_MAX || sig > LX_NSIG)
		return -EINVAL;
	if (!t || (t->mp_flags & (MP_NATIVE | MP_ZOMBIE)))
		return -ESRCH;
	return pm_signal_one(mp, t, (int)sig, LX_SI_TKILL);
}

int64_t
lx_tkill(struct mproc *mp, const uint64_t *arg)
{
	return tkill(mp, (int64_t)arg[0], arg[1]);
}

/* tgkill(tgid, tid, sig): the thread group is the process. */
int64_t
lx_tgkill(struct mproc *mp, const uint64_t *arg)
{
	if ((int64_t)arg[0] <= 0)
		return -EINVAL;
	if (arg[0] != arg[1] && (int64_t)arg[1] > 0)
		return -ESRCH;
	return tkill(mp, (int64_t)arg[1], arg[2]);
}

static bool
on_altstack(const struct mproc *mp, uint64_t sp)
{
	const struct lx_stack *st = &mp->mp_sig.altstack;

	return st->ss_size && sp > st->ss_sp && sp - st->ss_sp <= st->ss_size;
}

/* sigaltstack(ss, oss) */
int64_t
lx_sigaltstack(struct mproc *mp, const uint64_t *arg)
{
	struct lx_stack ss, old = mp->mp_sig.altstack;
	bool on = on_altstack(mp, pm_call_sp);
	int64_t r;

	old.ss_flags = on ? LX_SS_ONSTACK : old.ss_size ? 0 : LX_SS_DISABLE;
	if (arg[0]) {
		if ((r = pm_copy_from_user(mp, arg[0], &ss, sizeof(ss))) < 0)
			return r;
		if (on)
			return -EPERM;
		if (ss.ss_flags & ~LX_SS_DISABLE)
			return -EINVAL;
		if (!(ss.ss_flags & LX_SS_DISABLE) && ss.ss_size < LX_MINSIGSTKSZ)
			return -ENOMEM;
	}
	if (arg[1] && (r = pm_copy_to_user(mp, arg[1], &old, sizeof(old))) < 0)
		return r;
	if (arg[0]) {
		if (ss.ss_flags & LX_SS_DISABLE)
			memset(&ss, 0, sizeof(ss));
		ss.ss_flags = 0;
		mp->mp_sig.altstack = ss;
	}
	return 0;
}
