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
 *               changes the settings gets SIGTTOU, sent to its group;
 *               the request fails with EINTR
 *
 * Signals go out as TTY_SIGNAL messages (ax/tty.h) to the signal target,
 * which is PM: PM signals the group.  What PM knows and the driver does
 * not (a group that ignores or blocks SIGTTIN/SIGTTOU, an orphaned group)
 * is PM's to apply; see docs/files.md.
 */
#include "tty.h"
#include <ax/signal.h>
#include <ax/tty.h>

/* Is this terminal the controlling terminal of the user's session? */
bool
tty_is_ctty_of(const struct cdev_user *u)
{
	return u->sid > 0 && tty.t_session == u->sid;
}

/*
 * A read (SIGTTIN) or an output-side request (SIGTTOU) by u: 0 if it may
 * go on; -EINTR once the user's group has been sent sig, because it is in
 * the background of the session this terminal controls.
 */
int
tty_job_check(const struct cdev_user *u, int sig)
{
	if (!tty_is_ctty_of(u) || u->pgid <= 0 || tty.t_pgrp <= 0 || u->pgid == tty.t_pgrp)
		return 0;
	tty_report_signal(sig, u->pgid);
	return -EINTR;
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
	return 0;
}
