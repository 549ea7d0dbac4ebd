/*
 * fork, exit and wait in PM, and kill with the default actions
 * (docs/processes.md section 4; the Linux calls' handlers, from linux.c's
 * table).
 *
 * fork, vfork and clone with fork semantics: PM takes a table entry, the
 * kernel makes the child's slot as a copy of the parent (sys_fork: its
 * registers with rax = 0, FPU and FS state, a copy of its memory; held
 * until PM lets it run), PM gives the child the parent's ids, group and
 * session, writes the clone tid words, lets it run and answers the
 * parent with its pid.  vfork is fork: the parent does not wait for the
 * child's exec or exit.  Next: VM_FORK makes the slot with copy-on-write
 * memory, and VFS is told before the child runs.
 *
 * exit (pm_exit): the status is recorded, the kernel slot released
 * (sys_clear), the children go to init (pid 1; while there is none, PM
 * reaps their zombies itself), the parent is told: a parent waiting in
 * wait4/waitid for this child is answered, and it gets the child's exit
 * signal (SIGCHLD for fork), also when it waited, as Linux does.  The
 * entry stays a zombie until the parent collects the status.  Next: VFS
 * and VM are told before the slot goes.
 *
 * wait4 and waitid select children by pid, group or all, with Linux's
 * __WCLONE/__WALL rule for children whose exit signal is not SIGCHLD; a
 * caller with nothing to collect yet waits in PM (MP_WAITING) until a
 * child ends, stops or continues (WUNTRACED, WCONTINUED: signal.c stops
 * and continues, pm_child_changed reports).
 */
#include <ax/vfs.h>
#include "pm.h"
#include <sef.h>
#include <string.h>
#include <stdio.h>
#include <ax/signal.h>

/* clone flags served: fork's, the tid words, the exit signal. */
#define CLONE_SERVED                                                              \
	(LX_CSIGNAL | LX_CLONE_VFORK | LX_CLONE_PARENT | LX_CLONE_PARENT_SETTID | \
	 LX_CLONE_CHILD_CLEARTID | LX_CLONE_CHILD_SETTID | LX_CLONE_DETACHED | LX_CLONE_UNTRACED)
#define WAIT4_OPTIONS \
	(LX_WNOHANG | LX_WUNTRACED | LX_WCONTINUED | LX_WNOTHREAD | LX_WCLONE | LX_WALL)
#define WAITID_OPTIONS (WAIT4_OPTIONS | LX_WEXITED | LX_WNOWAIT)
#define NSIG_LINUX     64

static bool
is_child(const struct mproc *c, const struct mproc *parent)
{
	return (c->mp_flags & MP_IN_USE) && !(c->mp_flags & MP_NATIVE) &&
	       c->mp_ppid == parent->mp_pid;
}

/* The child's entry: the parent's ids, group and session; its own pid. */
static void
inherit(struct mproc *child, const struct mproc *parent, int32_t ppid, int exit_signal)
{
	int32_t pid = child->mp_pid;

	*child = *parent;
	child->mp_flags = MP_IN_USE;
	child->mp_pid = pid;
	child->mp_ppid = ppid;
	child->mp_exit_signal = exit_signal;
	child->mp_waiter = NONE;
	child->mp_tid_address = 0;
	child->mp_robust_list = 0;
	child->mp_pdeath_sig = 0;
	child->mp_utime = child->mp_stime = child->mp_cutime = child->mp_cstime = 0;
	memset(&child->mp_wait, 0, sizeof(child->mp_wait));
	child->mp_cancel = NULL;
	sig_fork(child);
	time_fork(child);
	exec_fork(child, parent);
}

/* PM_START: a program started by a system process gets root's ids and its parent's group. */
void
pm_native_child(struct mproc *child, const struct mproc *parent)
{
	child->mp_ppid = parent->mp_pid;
	child->mp_pgid = parent->mp_pgid;
	child->mp_sid = parent->mp_sid;
	child->mp_exit_signal = LX_SIGCHLD;
}

/* A child that will not run after all: its memory, then its slot. */
static void
drop_child(endpoint_t e)
{
	(void)pm_vm_call(VM_EXIT, e, 0, 0, 0, 0);
	sys_clear(e);
}

/*
 * A child of mp (or of mp's parent, CLONE_PARENT): its pid, or -EAGAIN (no
 * entry or slot), -ENOMEM (no memory for the copy).
 */
static int64_t
fork_proc(struct mproc *mp, uint64_t flags, uint64_t ptid, uint64_t ctid)
{
	int32_t ppid = (flags & LX_CLONE_PARENT) ? mp->mp_ppid : mp->mp_pid;
	struct msg_vfs_pm vrq;
	struct mproc *child;
	endpoint_t e;
	int r;

	if (!(child = pm_alloc()))
		return -EAGAIN;
	/* The slot (empty), then VM's copy-on-write copy of the memory. */
	if ((r = sys_fork(mp->mp_endpt, FORK_EMPTY_MEM, &e)) == 0 &&
	    (r = pm_vm_fork(mp->mp_endpt, e)) < 0)
		sys_clear(e);
	if (r < 0) {
		pm_reap(child);
		if (r != -EAGAIN && r != -ENOMEM)
			printf("pm: fork of %s (pid %d) failed: %d\n", mp->mp_name, mp->mp_pid, r);
		return r == -ENOMEM ? -ENOMEM : -EAGAIN;
	}
	inherit(child, mp, ppid, (int)(flags & LX_CSIGNAL));
	pm_bind(child, e);
	if (flags & LX_CLONE_CHILD_SETTID)
		pm_copy_to_user(child, ctid, &child->mp_pid, sizeof(child->mp_pid)); /* as Linux: */
	if (flags & LX_CLONE_PARENT_SETTID)                                          /* a bad */
		pm_copy_to_user(mp, ptid, &child->mp_pid, sizeof(child->mp_pid));    /* word is */
	if (flags & LX_CLONE_CHILD_CLEARTID)                                         /* not an */
		child->mp_tid_address = ctid;                                        /* error */
	/* VFS: the child's descriptor table, a copy sharing the open files. */
	vrq = (struct msg_vfs_pm){ .v_endpt = mp->mp_endpt, .v_child = e, .v_pid = child->mp_pid };
	if ((r = pm_tell_vfs(VFS_PM_FORK, &vrq, NULL)) < 0 && r != -ENOSYS) {
		drop_child(e);
		pm_unbind(child);
		pm_reap(child);
		return -EAGAIN;
	}
	if ((r = sys_privctl(e, PRIVCTL_ALLOW, NULL, 0, 0)) < 0) {
		printf("pm: letting the child of pid %d run failed: %d\n", mp->mp_pid, r);
		vrq = (struct msg_vfs_pm){ .v_endpt = e };
		pm_tell_vfs(VFS_PM_EXIT, &vrq, NULL);
		drop_child(e);
		pm_unbind(child);
		pm_reap(child);
		return -EAGAIN;
	}
	return child->mp_pid;
}

int64_t
lx_fork(struct mproc *mp, const uint64_t *arg)
{
	(void)arg;
	return fork_proc(mp, LX_SIGCHLD, 0, 0);
}

/* vfork is fork: the copy makes the parent's waiting unnecessary (README). */
int64_t
lx_vfork(struct mproc *mp, const uint64_t *arg)
{
	(void)arg;
	return fork_proc(mp, LX_SIGCHLD, 0, 0);
}

/*
 * clone(flags, newsp, parent_tid, child_tid, tls) with fork semantics.
 * Linux's invalid combinations are EINVAL; what would share state with
 * the child (threads: CLONE_VM, CLONE_THREAD, CLONE_FILES...), a new stack
 * or TLS, and namespaces are not built: ENOSYS.
 */
int64_t
lx_clone(struct mproc *mp, const uint64_t *arg)
{
	uint64_t flags = arg[0];

	if ((flags & LX_CLONE_THREAD) && !(flags & LX_CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & LX_CLONE_SIGHAND) && !(flags & LX_CLONE_VM))
		return -EINVAL;
	if ((flags & LX_CSIGNAL) > NSIG_LINUX || flags >> 32)
		return -EINVAL;
	if ((flags & ~(uint64_t)CLONE_SERVED) || arg[1])
		return -ENOSYS;
	return fork_proc(mp, flags, arg[2], arg[3]);
}

/* ----- exit ----- */

/* Parent `init` (pid 1) if it exists; else NULL, and PM reaps for it. */
static struct mproc *
init_proc(void)
{
	struct mproc *init = pm_find_pid(INIT_PID);

	return init && !(init->mp_flags & (MP_NATIVE | MP_ZOMBIE)) ? init : NULL;
}

static void tell_parent(struct mproc *child);

/* The exit signal to parent at child's end, with SIGCHLD's siginfo (CLD_EXITED...). */
static void
exit_signal(struct mproc *parent, int sig, const struct mproc *child)
{
	int st = child->mp_status;

	if ((st & 0x7f) == 0)
		sig_send_status(parent, sig, LX_CLD_EXITED, child->mp_pid, (st >> 8) & 0xff);
	else
		sig_send_status(parent, sig, (st & 0x80) ? LX_CLD_DUMPED : LX_CLD_KILLED,
				child->mp_pid, st & 0x7f);
}

/*
 * mp's children go to init; a zombie among them is init's to collect, a
 * live one that asked for it (PR_SET_PDEATHSIG) gets its signal.
 */
static void
reparent_children(struct mproc *mp)
{
	for (int i = 0; i < NR_MPROCS; i++) {
		struct mproc *c = &mproc[i];

		if (!is_child(c, mp))
			continue;
		c->mp_ppid = INIT_PID;
		if (c->mp_flags & MP_ZOMBIE)
			tell_parent(c);
		else if (c->mp_pdeath_sig)
			pm_raise(c, c->mp_pdeath_sig);
	}
}

/*
 * The groups mp's end may orphan: its own and its children's, each only
 * if it has a stopped member and is not orphaned yet (at most NR_MPROCS).
 */
static int
orphan_candidates(const struct mproc *mp, int32_t *groups)
{
	int n = 0;

	for (int i = -1; i < NR_MPROCS; i++) {
		const struct mproc *c = i < 0 ? mp : &mproc[i];
		bool seen = false;

		if (i >= 0 && !is_child(c, mp))
			continue;
		for (int k = 0; k < n && !seen; k++)
			seen = groups[k] == c->mp_pgid;
		if (!seen && sig_has_stopped(c->mp_pgid) && !pm_pgrp_orphaned(c->mp_pgid))
			groups[n++] = c->mp_pgid;
	}
	return n;
}

void
pm_exit(struct mproc *mp, int status)
{
	struct msg_sys_times_reply t;
	struct msg_vfs_pm vrq = { .v_endpt = mp->mp_endpt };
	int32_t groups[NR_MPROCS + 1];
	bool was_init = mp->mp_pid == INIT_PID;
	int r, ngroups;

	/* VFS first: it closes the files and cancels what a driver still does for it. */
	pm_tell_vfs(VFS_PM_EXIT, &vrq, NULL);
	/* Its CPU time for the parent's rusage, before the slot goes. */
	if (sys_times(mp->mp_endpt, &t) == 0) {
		mp->mp_utime = t.user_ticks;
		mp->mp_stime = t.sys_ticks;
	}
	time_exit(mp);
	mp->mp_cancel = NULL;
	/* VM next: the memory (docs/processes.md section 4); then the slot. */
	if ((r = pm_vm_call(VM_EXIT, mp->mp_endpt, 0, 0, 0, 0)) < 0 && r != -ESRCH)
		printf("pm: freeing the memory of %s (pid %d) failed: %d\n", mp->mp_name,
		       mp->mp_pid, r);
	if ((r = sys_clear(mp->mp_endpt)) < 0 && r != -EDEADSRCDST)
		printf("pm: releasing %s (pid %d) failed: %d\n", mp->mp_name, mp->mp_pid, r);
	pm_unbind(mp);
	ngroups = orphan_candidates(mp, groups);
	mp->mp_flags =
		(mp->mp_flags & ~(MP_WAITING | MP_STOPPED | MP_REPORT_STOP | MP_REPORT_CONT)) |
		MP_ZOMBIE;
	mp->mp_status = status;
	reparent_children(mp);
	tell_parent(mp);
	for (int i = 0; i < ngroups; i++)
		if (pm_pgrp_orphaned(groups[i]))
			sig_orphaned(groups[i]);
	if (was_init)
		init_died(status); /* init.c: a new one */
}

/* ----- wait ----- */

/* Is c one of the children w selects (pid, group, all; the __WCLONE rule)? */
static bool
selects(const struct mproc *parent, const struct pm_wait *w, const struct mproc *c)
{
	bool clone_child = c->mp_exit_signal != LX_SIGCHLD;

	if (!is_child(c, parent))
		return false;
	if ((w->w_idtype == LX_P_PID && c->mp_pid != w->w_id) ||
	    (w->w_idtype == LX_P_PGID && c->mp_pgid != w->w_id))
		return false;
	return (w->w_options & LX_WALL) || clone_child == !!(w->w_options & LX_WCLONE);
}

/* The kernel's clock ticks per second (HZ), asked once. */
static uint64_t
clock_hz(void)
{
	static uint64_t hz;
	struct msg_sys_kinfo ki;

	if (!hz)
		hz = sys_getkinfo(&ki) == 0 && ki.hz ? ki.hz : 100;
	return hz;
}

/* A timeval {seconds, microseconds} of `ticks`. */
static void
ticks_timeval(uint64_t ticks, int64_t *tv)
{
	tv[0] = (int64_t)(ticks / clock_hz());
	tv[1] = (int64_t)(ticks % clock_hz() * 1000000 / clock_hz());
}

/*
 * What wait4 reports of zombie c's use: its own CPU time and that of the
 * children it collected, as Linux's (user and system; the rest of struct
 * rusage PM does not keep: 0).
 */
static void
usage_of(const struct mproc *c, struct lx_rusage *ru)
{
	memset(ru, 0, sizeof(*ru));
	ticks_timeval(c->mp_utime + c->mp_cutime, ru->ru_utime);
	ticks_timeval(c->mp_stime + c->mp_cstime, ru->ru_stime);
}

/* What waitid reports about a zombie: si_code, si_status, and its times in Linux's 1/100 s. */
static void
exit_info(const struct mproc *c, struct lx_siginfo *si)
{
	int64_t times[2] = { (int64_t)((c->mp_utime + c->mp_cutime) * 100 / clock_hz()),
			     (int64_t)((c->mp_stime + c->mp_cstime) * 100 / clock_hz()) };
	int st = c->mp_status;

	memset(si, 0, sizeof(*si));
	memcpy(si->u.bytes + 16, times, sizeof(times)); /* si_utime, si_stime */
	si->si_signo = LX_SIGCHLD;
	si->u.kill.pid = c->mp_pid;
	si->u.kill.uid = c->mp_ruid;
	if ((st & 0x7f) == 0) {
		si->si_code = LX_CLD_EXITED;
		si->u.kill.status = (st >> 8) & 0xff;
	} else {
		si->si_code = (st & 0x80) ? LX_CLD_DUMPED : LX_CLD_KILLED;
		si->u.kill.status = st & 0x7f;
	}
}

/*
 * Give the waiting parent what w asks about zombie c: the status word
 * (wait4) or siginfo (waitid), and the rusage.  Only when every copy
 * succeeded is c collected (unless WNOWAIT), so a bad pointer costs an
 * EFAULT, not the status; the parent then counts c's times among its
 * children's.  wait4's result is c's pid, waitid's 0.
 */
static int64_t
collect(struct mproc *parent, const struct pm_wait *w, struct mproc *c)
{
	struct lx_rusage ru;
	struct lx_siginfo si;
	int64_t pid = c->mp_pid;
	int r = 0;

	if (w->w_waitid) {
		exit_info(c, &si);
		if (w->w_status)
			r = (int)pm_copy_to_user(parent, w->w_status, &si, sizeof(si));
	} else if (w->w_status) {
		r = (int)pm_copy_to_user(parent, w->w_status, &c->mp_status, sizeof(c->mp_status));
	}
	if (r == 0 && w->w_rusage) {
		usage_of(c, &ru);
		r = (int)pm_copy_to_user(parent, w->w_rusage, &ru, sizeof(ru));
	}
	if (r < 0)
		return r;
	if (!(w->w_options & LX_WNOWAIT)) {
		parent->mp_cutime += c->mp_utime + c->mp_cutime;
		parent->mp_cstime += c->mp_stime + c->mp_cstime;
		pm_reap(c);
	}
	return w->w_waitid ? 0 : pid;
}

/* A stop or continue report's wait status and waitid's si_code and si_status. */
static void
change_report(const struct mproc *c, int32_t *status, int *code, int *si_status)
{
	if (c->mp_flags & MP_REPORT_STOP) {
		*status = LX_W_STOPCODE(c->mp_stop_sig);
		*code = LX_CLD_STOPPED;
		*si_status = c->mp_stop_sig;
	} else {
		*status = LX_W_CONTINUED;
		*code = LX_CLD_CONTINUED;
		*si_status = SIGCONT;
	}
}

/*
 * Give the waiting parent what w asks about a live child that stopped or
 * continued (MP_REPORT_STOP or MP_REPORT_CONT): the status word (wait4:
 * 0x7f with the signal above it, or 0xffff) or siginfo (waitid:
 * CLD_STOPPED with the signal, CLD_CONTINUED with SIGCONT), and the
 * rusage so far.  The report is taken (unless WNOWAIT) once every copy
 * succeeded.
 */
static int64_t
collect_change(struct mproc *parent, const struct pm_wait *w, struct mproc *c)
{
	struct msg_sys_times_reply t;
	struct lx_siginfo si;
	struct lx_rusage ru;
	int32_t status;
	int code, si_status, r = 0;

	change_report(c, &status, &code, &si_status);
	if (w->w_waitid) {
		memset(&si, 0, sizeof(si));
		si.si_signo = LX_SIGCHLD;
		si.si_code = code;
		si.u.kill.pid = c->mp_pid;
		si.u.kill.uid = c->mp_ruid;
		si.u.kill.status = si_status;
		if (w->w_status)
			r = pm_copy_to_user(parent, w->w_status, &si, sizeof(si));
	} else if (w->w_status) {
		r = pm_copy_to_user(parent, w->w_status, &status, sizeof(status));
	}
	if (r == 0 && w->w_rusage) {
		memset(&ru, 0, sizeof(ru));
		if (sys_times(c->mp_endpt, &t) == 0) {
			ticks_timeval(t.user_ticks + c->mp_cutime, ru.ru_utime);
			ticks_timeval(t.sys_ticks + c->mp_cstime, ru.ru_stime);
		}
		r = pm_copy_to_user(parent, w->w_rusage, &ru, sizeof(ru));
	}
	if (r < 0)
		return r;
	if (!(w->w_options & LX_WNOWAIT))
		c->mp_flags &= ~(MP_REPORT_STOP | MP_REPORT_CONT);
	return w->w_waitid ? 0 : c->mp_pid;
}

/* Has live child c a report that w asks for (a stop with WUNTRACED, a continue with WCONTINUED)? */
static bool
change_wanted(const struct pm_wait *w, const struct mproc *c)
{
	if (c->mp_flags & MP_ZOMBIE)
		return false;
	return ((c->mp_flags & MP_REPORT_STOP) && (w->w_options & LX_WUNTRACED)) ||
	       ((c->mp_flags & MP_REPORT_CONT) && (w->w_options & LX_WCONTINUED));
}

/* A handler must run: the wait ends, and runs again under SA_RESTART (signal.c). */
static int64_t
cancel_wait(struct mproc *mp)
{
	mp->mp_flags &= ~MP_WAITING;
	return -LX_ERESTARTSYS;
}

/*
 * A wait: a selected zombie is collected; none selected at all is ECHILD;
 * WNOHANG answers 0 (waitid: with a zeroed siginfo); otherwise the caller
 * waits in PM (LX_NO_REPLY) until tell_parent answers it.
 */
static int64_t
do_wait(struct mproc *mp, const struct pm_wait *w)
{
	static const struct lx_siginfo none;
	bool any = false;

	for (int i = 0; i < NR_MPROCS; i++) {
		struct mproc *c = &mproc[i];

		if (!selects(mp, w, c))
			continue;
		if ((c->mp_flags & MP_ZOMBIE) && (w->w_options & LX_WEXITED))
			return collect(mp, w, c);
		if (change_wanted(w, c))
			return collect_change(mp, w, c);
		any = true;
	}
	if (!any)
		return -ECHILD;
	if (w->w_options & LX_WNOHANG)
		return w->w_waitid && w->w_status
			       ? pm_copy_to_user(mp, w->w_status, &none, sizeof(none))
			       : 0;
	mp->mp_wait = *w;
	mp->mp_flags |= MP_WAITING;
	mp->mp_cancel = cancel_wait;
	return LX_NO_REPLY;
}

/* wait4(pid, wstatus, options, rusage) */
int64_t
lx_wait4(struct mproc *mp, const uint64_t *arg)
{
	int32_t pid = (int32_t)arg[0];
	struct pm_wait w = { .w_options = (uint32_t)arg[2],
			     .w_status = arg[1],
			     .w_rusage = arg[3] };

	if (w.w_options & ~(uint32_t)WAIT4_OPTIONS)
		return -EINVAL;
	if (pid == INT32_MIN)
		return -ESRCH;     /* Linux: -pid does not exist */
	w.w_options |= LX_WEXITED; /* wait4 always reports ends */
	if (pid > 0)
		w.w_idtype = LX_P_PID, w.w_id = pid;
	else if (pid == -1)
		w.w_idtype = LX_P_ALL;
	else
		w.w_idtype = LX_P_PGID, w.w_id = pid == 0 ? mp->mp_pgid : -pid;
	return do_wait(mp, &w);
}

/* waitid(idtype, id, infop, options, rusage) */
int64_t
lx_waitid(struct mproc *mp, const uint64_t *arg)
{
	int32_t id = (int32_t)arg[1];
	struct pm_wait w = { .w_waitid = true,
			     .w_idtype = (int)arg[0],
			     .w_id = id,
			     .w_options = (uint32_t)arg[3],
			     .w_status = arg[2],
			     .w_rusage = arg[4] };

	if ((w.w_options & ~(uint32_t)WAITID_OPTIONS) ||
	    !(w.w_options & (LX_WEXITED | LX_WUNTRACED | LX_WCONTINUED)))
		return -EINVAL;
	switch (w.w_idtype) {
	case LX_P_ALL:
		break;
	case LX_P_PID:
		if (id <= 0)
			return -EINVAL;
		break;
	case LX_P_PGID:
		if (id < 0)
			return -EINVAL;
		if (id == 0)
			w.w_id = mp->mp_pgid;
		break;
	case LX_P_PIDFD:
		return -ENOSYS; /* no pidfds */
	default:
		return -EINVAL;
	}
	return do_wait(mp, &w);
}

/*
 * child has ended (or, a zombie, was given to a new parent): a parent
 * waiting for it is answered, and the parent gets the child's exit signal.
 * A native parent is answered through PM_WAIT; with no parent (init's
 * child while there is no init), PM collects the status itself.
 */
static void
tell_parent(struct mproc *child)
{
	struct mproc *parent = pm_find_pid(child->mp_ppid);
	int sig = child->mp_exit_signal;

	if (!parent || (child->mp_ppid == INIT_PID && !init_proc())) {
		pm_reap(child);
		return;
	}
	if (parent->mp_flags & MP_NATIVE) {
		if (child->mp_waiter != NONE)
			pm_reply_status(child->mp_waiter, child);
		return;
	}
	if ((parent->mp_flags & MP_WAITING) && selects(parent, &parent->mp_wait, child) &&
	    (parent->mp_wait.w_options & LX_WEXITED)) {
		parent->mp_flags &= ~MP_WAITING;
		pm_lx_reply(parent, collect(parent, &parent->mp_wait, child));
	}
	if (sig)
		exit_signal(parent, sig, child);
}

/*
 * child stopped or continued (signal.c): a parent waiting for such a
 * report of it is answered, and the parent gets SIGCHLD (CLD_STOPPED with
 * the signal, CLD_CONTINUED with SIGCONT) unless its SIGCHLD action has
 * SA_NOCLDSTOP, as Linux's do_notify_parent_cldstop.  A native parent
 * (PM_WAIT) waits only for ends.
 */
void
pm_child_changed(struct mproc *child, int code)
{
	struct mproc *parent = pm_find_pid(child->mp_ppid);

	if (!parent || (parent->mp_flags & (MP_NATIVE | MP_ZOMBIE)))
		return;
	if ((parent->mp_flags & MP_WAITING) && selects(parent, &parent->mp_wait, child) &&
	    change_wanted(&parent->mp_wait, child)) {
		parent->mp_flags &= ~MP_WAITING;
		pm_lx_reply(parent, collect_change(parent, &parent->mp_wait, child));
	}
	if (!(parent->mp_sig.act[LX_SIGCHLD].flags & LX_SA_NOCLDSTOP))
		sig_send_status(parent, LX_SIGCHLD, code, child->mp_pid,
				code == LX_CLD_STOPPED ? child->mp_stop_sig : SIGCONT);
}

/* ----- kill, with the default actions (signals with handlers: signal.c) ----- */

/* May mp signal t?  Linux's rule: root, or a real or effective uid matches t's real or saved. */
static bool
may_signal(const struct mproc *mp, const struct mproc *t)
{
	return mp->mp_euid == 0 || mp->mp_euid == t->mp_ruid || mp->mp_euid == t->mp_suid ||
	       mp->mp_ruid == t->mp_ruid || mp->mp_ruid == t->mp_suid;
}

/* sig (0: only the check) to t, from mp: 0, or -EPERM.  A zombie takes it and ignores it. */
int
pm_signal_one(struct mproc *mp, struct mproc *t, int sig, int code)
{
	if (!may_signal(mp, t))
		return -EPERM;
	if (sig && !(t->mp_flags & MP_ZOMBIE))
		sig_send(t, sig, code, mp->mp_pid);
	return 0;
}

/*
 * kill(pid, sig): pid > 0 one process; 0 the caller's group; -1 every
 * process the caller may signal but init and itself; < -1 the group -pid.
 * A group: 0 if any member took it, else the last error (ESRCH: none).
 * The caller is signalled last, so that its own end does not cut the
 * loop short; then it gets no answer.
 */
int64_t
lx_kill(struct mproc *mp, const uint64_t *arg)
{
	int32_t pid = (int32_t)arg[0];
	int sig = (int)arg[1], r = -ESRCH;
	bool self = false, sent = false;

	if (sig < 0 || sig > NSIG_LINUX || (uint64_t)(uint32_t)sig != (arg[1] & 0xffffffff))
		return -EINVAL;
	if (pid > 0) {
		struct mproc *t = pm_find_pid(pid);

		if (!t || (t->mp_flags & MP_NATIVE))
			return -ESRCH;
		return pm_signal_one(mp, t, sig, LX_SI_USER);
	}
	if (pid == INT32_MIN)
		return -ESRCH;
	for (int i = 0; i < NR_MPROCS; i++) {
		struct mproc *t = &mproc[i];

		if (!(t->mp_flags & MP_IN_USE) || (t->mp_flags & MP_NATIVE))
			continue;
		if (pid == -1 ? t->mp_pid == INIT_PID
			      : t->mp_pgid != (pid == 0 ? mp->mp_pgid : -pid))
			continue;
		if (t == mp) {
			self = pid != -1;
			continue;
		}
		if ((r = pm_signal_one(mp, t, sig, LX_SI_USER)) == 0)
			sent = true;
	}
	if (self && (r = pm_signal_one(mp, mp, sig, LX_SI_USER)) == 0)
		sent = true;
	return sent ? 0 : r;
}
