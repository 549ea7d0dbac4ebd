/*
 * poll, ppoll, select and pselect6 (docs/files.md, "poll and select"):
 * one mechanism for the four calls.  Each asks every descriptor once:
 *
 *   a pipe or FIFO       its ring's events (pipe.c: pipe_poll)
 *   a character device   CDEV_SELECT to its driver (device.c: dev_select);
 *                        a driver without select is always ready, as
 *                        Linux's default for a file with no poll
 *   anything else        ready to read and write (a regular file, a
 *                        directory, a block device never wait)
 *   no descriptor        POLLNVAL (poll), EBADF (select)
 *
 * If something is ready, or the timeout is zero, the call is answered at
 * once.  Otherwise the caller is suspended (BLK_SELECT, the call kept in
 * fp_sel) and asked again when something it watches may have changed: a
 * pipe it watches moved or closed an end (select_wake), a driver reported
 * ops ready (CDEV_SEL2_REPLY: select_driver_event), a driver came back
 * (dev_up), or its deadline passed (one alarm for VFS's earliest,
 * select_alarm).  Asking again re-reads the caller's arrays, which a
 * suspended caller cannot have changed.  PM's LX_CANCEL (or UNPAUSE) ends
 * the wait with EINTR.
 *
 * ppoll and pselect6 carry a signal mask, which is PM's: they are PM's
 * calls (linux_calls.def), and PM hands them to VFS with VFS_PM_POLL
 * (servers/pm/pollmask.c).  VFS looks once and answers PM at once, and PM
 * sets the mask for a call that waits; that one is answered later by an
 * asynchronous PM_POLL_DONE to PM (sw_pm), which gives the process its
 * mask back and answers it; a signal the mask lets through makes PM drop
 * the wait here (VFS_PM_POLL_CANCEL) and answer the process itself.
 */
#include "vfs_int.h"
#include <string.h>
#include <stdio.h>
#include <ax/pm.h>

#define POLL_MAX 64 /* pollfd entries of one call (Linux allows RLIMIT_NOFILE) */

struct lx_pollfd {
	int32_t fd;
	int16_t events;
	int16_t revents;
};
AX_STATIC_ASSERT(sizeof(struct lx_pollfd) == 8, "Linux's pollfd is 8 bytes");

#define LX_POLLIN     0x001
#define LX_POLLPRI    0x002
#define LX_POLLOUT    0x004
#define LX_POLLERR    0x008
#define LX_POLLHUP    0x010
#define LX_POLLNVAL   0x020
#define LX_POLLRDNORM 0x040
#define LX_POLLWRNORM 0x100
#define POLL_ALWAYS   (LX_POLLERR | LX_POLLHUP | LX_POLLNVAL) /* reported unasked */

#define FDSET_WORDS (OPEN_MAX / 64)
AX_STATIC_ASSERT(OPEN_MAX % 64 == 0, "select's sets are whole words");

static uint64_t clock_hz = 100;
static uint64_t alarm_at; /* the deadline the alarm is set for; 0: none */

static uint64_t
now_ticks(void)
{
	struct msg_sys_kinfo ki;

	if (sys_getkinfo(&ki) < 0)
		return 0;
	if (ki.hz > 0)
		clock_hz = ki.hz;
	return ki.uptime;
}

/* ---- what one descriptor is ready for ------------------------------------ */

/* The poll events of description f that are ready now (events: what is asked). */
static unsigned
filp_events(struct fproc *fp, struct filp *f, unsigned events, bool notify)
{
	uint32_t mode = f->f_vno->v_mode;
	unsigned ready;

	if ((mode & LX_S_IFMT) == LX_S_IFIFO || (mode & LX_S_IFMT) == 0)
		ready = pipe_poll(f);
	else if (LX_ISCHR(mode))
		ready = dev_select(fp, f, events, notify);
	else
		ready = LX_POLLIN | LX_POLLOUT;
	if (ready & LX_POLLIN)
		ready |= LX_POLLRDNORM;
	if (ready & LX_POLLOUT)
		ready |= LX_POLLWRNORM;
	return ready & (events | POLL_ALWAYS);
}

/* ---- poll and ppoll ------------------------------------------------------ */

/*
 * Ask every entry of the caller's pollfd array (addr, n) and write the
 * revents back: the number of entries with events, or -E.  notify: ask
 * drivers to report later what is not ready now (the caller will wait).
 */
static int64_t
poll_scan(struct fproc *fp, uint64_t addr, uint32_t n, bool notify)
{
	struct lx_pollfd pfd[POLL_MAX];
	int64_t count = 0;
	int r;

	if (n > POLL_MAX)
		return -EINVAL;
	if (n > 0 && (r = copy_from_user(fp, addr, pfd, n * sizeof(pfd[0]))) < 0)
		return r;
	for (uint32_t i = 0; i < n; i++) {
		struct filp *f = pfd[i].fd < 0 ? NULL : fd_filp(fp, pfd[i].fd);

		if (pfd[i].fd < 0)
			pfd[i].revents = 0; /* ignored, as Linux does */
		else if (!f)
			pfd[i].revents = LX_POLLNVAL;
		else
			pfd[i].revents =
				(int16_t)filp_events(fp, f, (uint16_t)pfd[i].events, notify);
		count += pfd[i].revents != 0;
	}
	if (n > 0 && (r = copy_to_user(fp, addr, pfd, n * sizeof(pfd[0]))) < 0)
		return r;
	return count;
}

/* ---- select and pselect6 ------------------------------------------------- */

struct fdsets {
	uint64_t in[FDSET_WORDS], out[FDSET_WORDS], ex[FDSET_WORDS];
};

static bool
fd_isset(const uint64_t *set, int fd)
{
	return (set[fd / 64] >> (fd % 64)) & 1;
}

static int
sets_copy(struct fproc *fp, const uint64_t *uaddr, struct fdsets *s, size_t bytes, bool in)
{
	uint64_t *sets[3] = { s->in, s->out, s->ex };
	int r;

	for (int k = 0; k < 3; k++) {
		if (!uaddr[k])
			continue;
		r = in ? copy_from_user(fp, uaddr[k], sets[k], bytes)
		       : copy_to_user(fp, uaddr[k], sets[k], bytes);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * Ask descriptors 0..nfds-1 named in the caller's sets (uaddr: in, out,
 * except; 0 for none) and write back the ready ones: their number, or -E
 * (EBADF for a named descriptor that is not open).
 */
static int64_t
select_scan(struct fproc *fp, uint32_t nfds, const uint64_t *uaddr, bool notify)
{
	size_t bytes;
	struct fdsets want, got;
	int64_t count = 0;
	int r;

	if (nfds > OPEN_MAX)
		nfds = OPEN_MAX; /* descriptors past the table cannot be open */
	bytes = (nfds + 7) / 8;
	memset(&want, 0, sizeof(want));
	memset(&got, 0, sizeof(got));
	if ((r = sets_copy(fp, uaddr, &want, bytes, true)) < 0)
		return r;
	for (uint32_t fd = 0; fd < nfds; fd++) {
		unsigned ask = (fd_isset(want.in, (int)fd) ? LX_POLLIN : 0) |
			       (fd_isset(want.out, (int)fd) ? LX_POLLOUT : 0) |
			       (fd_isset(want.ex, (int)fd) ? LX_POLLPRI : 0);
		struct filp *f;
		unsigned ev;

		if (!ask)
			continue;
		if (!(f = fd_filp(fp, (int)fd)))
			return -EBADF;
		ev = filp_events(fp, f, ask, notify);
		if ((ask & LX_POLLIN) && (ev & (LX_POLLIN | LX_POLLHUP | LX_POLLERR)))
			got.in[fd / 64] |= 1ULL << (fd % 64), count++;
		if ((ask & LX_POLLOUT) && (ev & (LX_POLLOUT | LX_POLLERR)))
			got.out[fd / 64] |= 1ULL << (fd % 64), count++;
		if ((ask & LX_POLLPRI) && (ev & LX_POLLPRI))
			got.ex[fd / 64] |= 1ULL << (fd % 64), count++;
	}
	if (count == 0 && notify)
		return 0; /* it waits: the sets are written when it is answered */
	if ((r = sets_copy(fp, uaddr, &got, bytes, false)) < 0)
		return r;
	return count;
}

/* ---- waiting ------------------------------------------------------------- */

/*
 * One look at fp's call: its result (the ready count, 0 when the deadline
 * passed, -E), or LX_NO_REPLY if it is to wait (it may, and nothing is
 * ready: drivers were asked to report).
 */
static int64_t
sel_try(struct fproc *fp, bool timed_out)
{
	struct select_wait *s = &fp->fp_sel;
	bool may_wait = !timed_out && s->sw_deadline != 0;
	int64_t r;

	if (s->sw_poll)
		r = poll_scan(fp, s->sw_addr[0], s->sw_n, may_wait);
	else
		r = select_scan(fp, s->sw_n, s->sw_addr, may_wait);
	return r == 0 && may_wait ? LX_NO_REPLY : r;
}

/*
 * A call that waited ends with r: the process is answered, or for PM's
 * ppoll and pselect6 (sw_pm) PM, asynchronously (VFS never waits for PM).
 */
static void
sel_answer(struct fproc *fp, int64_t r)
{
	message m;

	fp->fp_blocked = BLK_NONE;
	if (!fp->fp_sel.sw_pm) {
		reply_user(fp->fp_endpt, r);
		return;
	}
	memset(&m, 0, sizeof(m));
	m.m_type = PM_POLL_DONE;
	m.m_vfs_poll.endpt = fp->fp_endpt;
	m.m_vfs_poll.seq = fp->fp_sel.sw_seq;
	m.m_vfs_poll.arg[0] = (uint64_t)r;
	if (pm_endpt == NONE || asynsend3(pm_endpt, &m, AMF_NOREPLY) < 0)
		printf("vfs: the poll of %d ends unanswered: PM unreachable\n", fp->fp_endpt);
}

/* Set the alarm for the earliest deadline of the callers that wait. */
static void
rearm(void)
{
	uint64_t first = 0;

	for (int i = 0; i < NR_FPROCS; i++) {
		struct fproc *fp = &fprocs[i];

		if (fp->fp_used && fp->fp_blocked == BLK_SELECT &&
		    fp->fp_sel.sw_deadline != ~0ULL &&
		    (first == 0 || fp->fp_sel.sw_deadline < first))
			first = fp->fp_sel.sw_deadline;
	}
	if (first && first != alarm_at && sys_setalarm(first, true, NULL) == 0)
		alarm_at = first;
}

/*
 * Start a call: answered now (its result) or suspended (LX_NO_REPLY).
 * timeout_ticks: 0 never waits, ~0 waits without end.
 */
static int64_t
sel_start(struct fproc *fp, bool poll, uint32_t n, const uint64_t *addr, uint64_t timeout_ticks)
{
	struct select_wait *s = &fp->fp_sel;
	int64_t r;

	memset(s, 0, sizeof(*s));
	s->sw_poll = poll;
	s->sw_n = n;
	memcpy(s->sw_addr, addr, sizeof(s->sw_addr));
	if (timeout_ticks == 0)
		s->sw_deadline = 0;
	else if (timeout_ticks == ~0ULL)
		s->sw_deadline = ~0ULL;
	else
		s->sw_deadline = now_ticks() + timeout_ticks;
	if ((r = sel_try(fp, false)) == LX_NO_REPLY) {
		fp->fp_blocked = BLK_SELECT;
		rearm();
	}
	return r;
}

/* Ask again every suspended call for which has_cause holds; answer those that are done. */
static void
sel_retry(bool (*has_cause)(struct fproc *fp, const void *arg), const void *arg)
{
	for (int i = 0; i < NR_FPROCS; i++) {
		struct fproc *fp = &fprocs[i];
		int64_t r;

		if (!fp->fp_used || fp->fp_blocked != BLK_SELECT || !has_cause(fp, arg))
			continue;
		if ((r = sel_try(fp, false)) != LX_NO_REPLY)
			sel_answer(fp, r);
	}
}

static bool
any_cause(struct fproc *fp, const void *arg)
{
	(void)fp;
	(void)arg;
	return true;
}

/* A pipe (its vnode) changed; callers watching anything are asked again. */
void
select_wake(struct vnode *v)
{
	(void)v; /* cheap enough to ask all: NR_FPROCS callers at most */
	sel_retry(any_cause, NULL);
}

/* A driver's CDEV_SEL2_REPLY, or a driver came back. */
void
select_driver_event(void)
{
	sel_retry(any_cause, NULL);
}

/* The alarm: callers past their deadline are answered (0: nothing became ready). */
void
select_alarm(void)
{
	uint64_t t = now_ticks();

	alarm_at = 0;
	for (int i = 0; i < NR_FPROCS; i++) {
		struct fproc *fp = &fprocs[i];

		if (!fp->fp_used || fp->fp_blocked != BLK_SELECT || fp->fp_sel.sw_deadline > t)
			continue;
		sel_answer(fp, sel_try(fp, true));
	}
	rearm();
}

/* PM's LX_CANCEL or UNPAUSE (answer: EINTR) or the process's exit (no answer). */
void
select_cancel(struct fproc *fp, bool answer)
{
	if (fp->fp_blocked != BLK_SELECT)
		return;
	if (answer)
		sel_answer(fp, -EINTR);
	fp->fp_blocked = BLK_NONE;
}

/*
 * VFS_PM_POLL (include/ax/vfs.h): PM's ppoll or pselect6 for a process,
 * looked at once.  A call of the process that still waits here is one PM
 * gave up on (its VFS_PM_POLL_CANCEL cannot be behind this: PM waits for
 * each answer), so it goes.
 */
int
select_pm_poll(endpoint_t caller, message *m)
{
	struct msg_vfs_poll rq = m->m_vfs_poll;
	struct fproc *fp = fproc_of(rq.endpt);
	int64_t r;

	(void)caller;
	if (!fp)
		return -ESRCH;
	select_cancel(fp, false);
	if (fp->fp_blocked != BLK_NONE)
		return -EBUSY; /* in another call: it cannot be */
	if (rq.call == LX_NR_ppoll)
		r = lx_ppoll(fp, rq.arg);
	else if (rq.call == LX_NR_pselect6)
		r = lx_pselect6(fp, rq.arg);
	else
		return -EINVAL;
	memset(&m->m_vfs_pm_reply, 0, sizeof(m->m_vfs_pm_reply));
	if (r == LX_NO_REPLY) {
		fp->fp_sel.sw_pm = true;
		fp->fp_sel.sw_seq = rq.seq;
		m->m_vfs_pm_reply.r_blocked = 1;
	} else {
		m->m_vfs_pm_reply.r_bytes = (uint64_t)r;
	}
	return 0;
}

/* VFS_PM_POLL_CANCEL: PM answered the process itself (a signal); the wait goes unanswered. */
int
select_pm_cancel(endpoint_t caller, message *m)
{
	struct fproc *fp = fproc_of(m->m_vfs_poll.endpt);

	(void)caller;
	if (fp && fp->fp_blocked == BLK_SELECT && fp->fp_sel.sw_pm &&
	    fp->fp_sel.sw_seq == m->m_vfs_poll.seq)
		fp->fp_blocked = BLK_NONE;
	memset(&m->m_vfs_pm_reply, 0, sizeof(m->m_vfs_pm_reply));
	return 0;
}

/* ---- the calls ----------------------------------------------------------- */

/* A timespec in the caller's memory to ticks (0 addr: ~0, no end); -E. */
static int
timespec_ticks(struct fproc *fp, uint64_t addr, uint64_t *ticks)
{
	struct lx_timespec ts;
	int r;

	if (!addr) {
		*ticks = ~0ULL;
		return 0;
	}
	if ((r = copy_from_user(fp, addr, &ts, sizeof(ts))) < 0)
		return r;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return -EINVAL;
	now_ticks();
	/* Rounded up: a timeout never ends early. */
	*ticks = (uint64_t)ts.tv_sec * clock_hz +
		 ((uint64_t)ts.tv_nsec * clock_hz + 999999999) / 1000000000;
	return 0;
}

int64_t
lx_poll(struct fproc *fp, const uint64_t *arg)
{
	int64_t ms = (int32_t)arg[2];
	uint64_t addr[3] = { arg[0], 0, 0 }, ticks;

	now_ticks();
	ticks = ms < 0 ? ~0ULL : ((uint64_t)ms * clock_hz + 999) / 1000;
	return sel_start(fp, true, (uint32_t)arg[1], addr, ticks);
}

int64_t
lx_ppoll(struct fproc *fp, const uint64_t *arg)
{
	uint64_t addr[3] = { arg[0], 0, 0 }, ticks;
	int r;

	if ((r = timespec_ticks(fp, arg[2], &ticks)) < 0)
		return r;
	return sel_start(fp, true, (uint32_t)arg[1], addr, ticks);
}

int64_t
lx_select(struct fproc *fp, const uint64_t *arg)
{
	struct {
		int64_t tv_sec, tv_usec;
	} tv;
	uint64_t addr[3] = { arg[1], arg[2], arg[3] }, ticks = ~0ULL;
	int r;

	if ((int32_t)arg[0] < 0)
		return -EINVAL;
	if (arg[4]) {
		if ((r = copy_from_user(fp, arg[4], &tv, sizeof(tv))) < 0)
			return r;
		if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
			return -EINVAL;
		now_ticks();
		ticks = (uint64_t)tv.tv_sec * clock_hz +
			((uint64_t)tv.tv_usec * clock_hz + 999999) / 1000000;
	}
	return sel_start(fp, false, (uint32_t)arg[0], addr, ticks);
}

int64_t
lx_pselect6(struct fproc *fp, const uint64_t *arg)
{
	uint64_t addr[3] = { arg[1], arg[2], arg[3] }, ticks;
	int r;

	if ((int32_t)arg[0] < 0)
		return -EINVAL;
	if ((r = timespec_ticks(fp, arg[4], &ticks)) < 0)
		return r;
	return sel_start(fp, false, (uint32_t)arg[0], addr, ticks);
}
