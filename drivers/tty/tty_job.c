/*
 * Job control: the terminal as the controlling terminal of one session,
 * with one foreground process group (docs/files.md, "Terminals").
 *
 * The driver keeps the session (t_session) and the foreground group
 * (t_pgrp); who the caller is comes with each request from VFS (struct
 * cdev_user: its process group, its session, whether it leads it).  A
 * request whose user has no session (0: a system client such as a test
 * or a benchmark) is outside job control: nothing is checked for it.
 *
 *   open        a session leader with no controlling terminal that opens
 *               a terminal nobody controls without O_NOCTTY (VFS clears
 *               CDEV_NOCTTY only then) makes it its session's, with its
 *               group in the foreground; the reply carries CDEV_CTTY
 *   TIOCSCTTY   the same for a leader, asked for; EPERM for anyone else
 *               or for a terminal of another session
 *   TIOCNOTTY   the caller's session lets go of it; if the leader asks,
 *               the foreground group gets SIGHUP and SIGCONT (Linux)
 *   background  a member of the session outside the foreground group
 *               that reads gets SIGTTIN, that writes with TOSTOP or
 *               changes the settings gets SIGTTOU, sent to its group,
 *               which PM stops; the request is held here (tty_job_hold)
 *               and goes on once its group is in the foreground or the
 *               terminal is no longer its session's, so the process
 *               finds its call where it stopped (as Linux's restart of
 *               it); a request that may not wait (CDEV_NONBLOCK) fails
 *               with EINTR instead.  Linux's exceptions come from VFS
 *               with the request: SIGTTOU ignored or blocked lets the
 *               write or TCSETS/TIOCSPGRP through (a shell taking the
 *               terminal back); SIGTTIN ignored or blocked makes the read
 *               EIO; in an orphaned group either is EIO.
 *
 * Signals go out as TTY_SIGNAL messages (ax/tty.h) to the signal target,
 * which is PM: PM signals the group.
 */
#include "tty.h"
#include <string.h>
#include <ax/signal.h>
#include <ax/tty.h>

/* A request held while its user's group is stopped in the background. */
struct tty_held {
	int h_type; /* CDEV_READ, CDEV_WRITE, CDEV_IOCTL */
	endpoint_t h_endpt;
	cdev_id_t h_id;
	grant_id_t h_grant;
	size_t h_size;
	int h_flags;
	unsigned long h_request;
	struct cdev_user h_user;
};

static struct tty_held held[TTY_QUEUE];
static int nheld;

/* Is this terminal the controlling terminal of the user's session? */
bool
tty_is_ctty_of(const struct cdev_user *u)
{
	return u->sid > 0 && tty.t_session == u->sid;
}

/* Is u in the background of the session this terminal controls (and would sig apply)? */
static bool
in_background(const struct cdev_user *u, int sig)
{
	if (!tty_is_ctty_of(u) || u->pgid <= 0 || tty.t_pgrp <= 0 || u->pgid == tty.t_pgrp)
		return false;
	return !(sig == SIGTTOU && u->ttou_ignored);
}

/*
 * A read (SIGTTIN) or an output-side request (SIGTTOU) by u: 0 if it may
 * go on; -EIO for a read whose user ignores or blocks SIGTTIN, and for
 * any of them from an orphaned group (nobody could continue it: Linux's
 * __tty_check_change); TTY_JOB_STOP once the user's group has been sent
 * sig, because it is in the background of the session this terminal
 * controls (the caller holds the request: tty_job_hold).
 */
int
tty_job_check(const struct cdev_user *u, int sig)
{
	if (!in_background(u, sig))
		return 0;
	if ((sig == SIGTTIN && u->ttin_ignored) || u->orphaned)
		return -EIO;
	tty_report_signal(sig, u->pgid);
	return TTY_JOB_STOP;
}

/*
 * check's verdict on a request: -E, or -EDONTREPLY once the request is
 * held until its group may go on (EINTR if it may not wait, or if too
 * many are held).
 */
int64_t
tty_job_hold(int check, int type, endpoint_t endpt, cdev_id_t id, grant_id_t grant, size_t size,
	     int flags, unsigned long request, const struct cdev_user *u)
{
	if (check < 0)
		return check;
	if ((flags & CDEV_NONBLOCK) || nheld == TTY_QUEUE)
		return -EINTR;
	held[nheld++] = (struct tty_held){ .h_type = type,
					   .h_endpt = endpt,
					   .h_id = id,
					   .h_grant = grant,
					   .h_size = size,
					   .h_flags = flags,
					   .h_request = request,
					   .h_user = *u };
	return -EDONTREPLY;
}

static void
held_remove(int i)
{
	memmove(&held[i], &held[i + 1], (size_t)(nheld - i - 1) * sizeof(held[0]));
	nheld--;
}

/* A cancel: the held request's answer (EINTR), or -EDONTREPLY if none is held. */
int64_t
tty_job_cancel(endpoint_t endpt, cdev_id_t id)
{
	for (int i = 0; i < nheld; i++) {
		if (held[i].h_endpt == endpt && held[i].h_id == id) {
			held_remove(i);
			return -EINTR;
		}
	}
	return -EDONTREPLY;
}

/*
 * After any change (the foreground group, the session, TOSTOP): held
 * requests whose group may now go on are served again from the start,
 * and answered unless they wait on (in a queue of tty.c, or held again).
 */
void
tty_job_retry(void)
{
	static bool busy; /* a retried TCSETS comes back here through tty_events */

	if (busy)
		return;
	busy = true;
	for (int i = 0; i < nheld;) {
		struct tty_held h = held[i];
		int sig = h.h_type == CDEV_READ ? SIGTTIN : SIGTTOU;
		int64_t r;

		if (in_background(&h.h_user, sig) &&
		    (h.h_type != CDEV_WRITE || (tty.t_ld.ld_termios.c_lflag & TOSTOP))) {
			i++;
			continue;
		}
		held_remove(i);
		r = tty_resubmit(h.h_type, h.h_endpt, h.h_id, h.h_grant, h.h_size, h.h_flags,
				 h.h_request, &h.h_user);
		if (r != -EDONTREPLY)
			chardriver_reply_task(h.h_endpt, h.h_id, r);
	}
	busy = false;
}

/* The terminal becomes the controlling terminal of u's session. */
static void
acquire(const struct cdev_user *u)
{
	tty.t_session = u->sid;
	tty.t_pgrp = u->pgid;
	tty_keep_settings();
}

/* Open: a leader without a terminal takes this one (CDEV_CTTY), if it is free. */
int
tty_job_open(int access, const struct cdev_user *u)
{
	if ((access & CDEV_NOCTTY) || !u->leader || u->sid <= 0 || tty.t_session != 0)
		return 0;
	acquire(u);
	return CDEV_CTTY;
}

/* TIOCSCTTY: 0, or EPERM (not a leader, or the terminal is another session's). */
int
tty_job_set_ctty(const struct cdev_user *u)
{
	if (tty_is_ctty_of(u))
		return 0;
	if (!u->leader || u->sid <= 0 || tty.t_session != 0)
		return -EPERM;
	acquire(u);
	return 0;
}

/*
 * TIOCNOTTY: ENOTTY unless this is the caller's controlling terminal.  The
 * leader's letting go ends the session's hold: the foreground group is
 * hung up (SIGHUP, then SIGCONT for a stopped one).  Another member only
 * stops using it (VFS forgets it for that process); the driver keeps it.
 */
int
tty_job_release(const struct cdev_user *u)
{
	if (!tty_is_ctty_of(u))
		return -ENOTTY;
	if (!u->leader)
		return 0;
	if (tty.t_pgrp > 0) {
		tty_report_signal(SIGHUP, tty.t_pgrp);
		tty_report_signal(SIGCONT, tty.t_pgrp);
	}
	tty.t_session = 0;
	tty.t_pgrp = 0;
	tty_keep_settings();
	tty_events(); /* requests held for the session's groups go on */
	return 0;
}
