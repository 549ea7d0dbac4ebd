/*
 * Job control in the tty driver (drivers/tty/tty_job.c), spoken to in the
 * character protocol as VFS speaks it: each request names its end user's
 * process group and session (and whether it leads it), as VFS will from
 * what PM tells it.  The test plays the users of one session and of
 * another, and registers itself as the signal target, in PM's place, to
 * see which group each signal is for.
 */
#include "guest.h"
#include <cdev_client.h>
#include <ax/signal.h>
#include <ax/termios.h>
#include <ax/tty.h>

/* A user of the terminal: its process group, its session, whether it leads it. */
struct user {
	int32_t pgid, sid;
	bool leader;
};

static const struct user leader = { 500, 500, true }; /* session 500 */
static const struct user member = { 501, 500, false };
static const struct user stranger = { 600, 600, true }; /* session 600 */

/* Send a request of type for user u (open: access; ioctl: request and arg). */
static int64_t
user_call(endpoint_t d, int type, const struct user *u, unsigned request, void *arg, size_t len)
{
	grant_id_t g = GRANT_INVALID;
	message m;
	int64_t r;

	if (arg && (g = cpf_grant_direct(d, arg, len, GRANT_READ | GRANT_WRITE)) < 0)
		return g;
	memset(&m, 0, sizeof(m));
	m.m_type = type;
	m.m_cdev.id = 77;
	m.m_cdev.user = self_endpoint;
	m.m_cdev.pgid = u->pgid;
	m.m_cdev.sid = u->sid;
	m.m_cdev.flags = u->leader ? CDEV_LEADER : 0;
	m.m_cdev.flags |= CDEV_NONBLOCK; /* a read with nothing typed must not wait */
	if (type == CDEV_OPEN)
		m.m_cdev.access = request; /* access and request share a field */
	else if (type == CDEV_IOCTL)
		m.m_cdev.request = request;
	m.m_cdev.grant = g;
	m.m_cdev.count = type == CDEV_READ || type == CDEV_WRITE ? len : 0;
	r = cdev_call(d, &m);
	if (g != GRANT_INVALID)
		cpf_revoke(g);
	return r;
}

static int64_t
user_ioctl(endpoint_t d, const struct user *u, unsigned request, int32_t *arg)
{
	return user_call(d, CDEV_IOCTL, u, request, arg, arg ? sizeof(*arg) : 0);
}

/* The next TTY_SIGNAL from the tty: its signal and group, or -E. */
static int
next_signal(endpoint_t d, int32_t *pgrp)
{
	uint64_t status;
	message m;
	int r;

	if ((r = ipc_receive(d, &m, &status)) < 0)
		return r;
	if (m.m_type != TTY_SIGNAL)
		return -EIO;
	*pgrp = m.m_tty_signal.pgrp;
	return m.m_tty_signal.sig;
}

/* The part that needs the terminal in session 500, member's group in front. */
static void
background_checks(endpoint_t d, struct termios *t)
{
	int32_t v = 0, sig_pgrp = 0;
	char buf[8] = "x";
	uint8_t typed = 'k';

	/* The leader's group is in the background now: reading stops it. */
	EXPECT_EQ(user_call(d, CDEV_READ, &leader, 0, buf, 1), -EINTR);
	EXPECT_EQ(next_signal(d, &sig_pgrp), SIGTTIN);
	EXPECT_EQ(sig_pgrp, leader.pgid);
	/* Writing is allowed without TOSTOP, stopped with it; so is changing settings. */
	EXPECT_EQ(user_call(d, CDEV_WRITE, &leader, 0, buf, 1), 1);
	EXPECT_EQ(user_call(d, CDEV_IOCTL, &leader, TCSETS, t, sizeof(*t)), -EINTR);
	EXPECT_EQ(next_signal(d, &sig_pgrp), SIGTTOU);
	t->c_lflag |= TOSTOP;
	EXPECT_EQ(user_call(d, CDEV_IOCTL, &member, TCSETS, t, sizeof(*t)), 0);
	EXPECT_EQ(user_call(d, CDEV_WRITE, &leader, 0, buf, 1), -EINTR);
	EXPECT_EQ(next_signal(d, &sig_pgrp), SIGTTOU);
	EXPECT_EQ(sig_pgrp, leader.pgid);
	EXPECT_EQ(user_call(d, CDEV_WRITE, &member, 0, buf, 1), 1);
	t->c_lflag &= ~(uint32_t)TOSTOP;
	EXPECT_EQ(user_call(d, CDEV_IOCTL, &member, TCSETS, t, sizeof(*t)), 0);
	/* The foreground group reads what was typed. */
	EXPECT_EQ(cdev_ioctl(d, 0, TIOCSTI, &typed), 0);
	typed = '\n';
	EXPECT_EQ(cdev_ioctl(d, 0, TIOCSTI, &typed), 0);
	EXPECT_EQ(user_call(d, CDEV_READ, &member, 0, buf, sizeof(buf)), 2);
	EXPECT_EQ(buf[0], 'k');
	/* A stranger's group is not under this terminal's job control. */
	EXPECT_EQ(user_ioctl(d, &stranger, TIOCGPGRP, &v), -ENOTTY);
	EXPECT_EQ(user_ioctl(d, &stranger, TIOCSPGRP, &v), -ENOTTY);
	EXPECT_EQ(user_ioctl(d, &stranger, TIOCSCTTY, NULL), -EPERM);
	EXPECT_EQ(user_ioctl(d, &stranger, TIOCNOTTY, NULL), -ENOTTY);
}

TEST(tty, job_control,
     "a session leader's open makes the tty its controlling terminal; background groups get "
     "SIGTTIN and SIGTTOU; TIOCSPGRP, TIOCGSID, TIOCSCTTY and TIOCNOTTY follow the session")
{
	endpoint_t d = NONE, me = self_endpoint, pm = NONE;
	int32_t v = 0, sig_pgrp = 0;
	struct termios t;
	int64_t r;

	EXPECT(ds_retrieve_label("tty", &d) == 0, "no tty driver");
	EXPECT_EQ(cdev_open(d, 0, CDEV_R_BIT | CDEV_W_BIT), 0);
	EXPECT_EQ(cdev_ioctl(d, 0, TCGETS, &t), 0);
	EXPECT_EQ(cdev_ioctl(d, 0, TTY_IOC_SIGTARGET, &me), 0);
	/* A member that is not the leader, or an open with O_NOCTTY, takes nothing. */
	EXPECT_EQ(user_call(d, CDEV_OPEN, &member, CDEV_R_BIT, NULL, 0), 0);
	EXPECT_EQ(user_call(d, CDEV_OPEN, &leader, CDEV_R_BIT | CDEV_NOCTTY, NULL, 0), 0);
	EXPECT_EQ(user_ioctl(d, &leader, TIOCGSID, &v), -ENOTTY);
	r = user_call(d, CDEV_OPEN, &leader, CDEV_R_BIT | CDEV_W_BIT, NULL, 0);
	EXPECT_EQ(r, CDEV_CTTY);
	EXPECT_EQ(user_call(d, CDEV_OPEN, &stranger, CDEV_R_BIT, NULL, 0), 0); /* taken */
	EXPECT_EQ(user_ioctl(d, &member, TIOCGSID, &v), 0);
	EXPECT_EQ(v, leader.sid);
	EXPECT_EQ(user_ioctl(d, &member, TIOCGPGRP, &v), 0);
	EXPECT_EQ(v, leader.pgid);
	/* The foreground moves to the member's group. */
	v = member.pgid;
	EXPECT_EQ(user_ioctl(d, &leader, TIOCSPGRP, &v), 0);
	background_checks(d, &t);
	if (test_failure[0])
		return;
	/* Only the leader ends the session's hold; the foreground group is hung up. */
	EXPECT_EQ(user_ioctl(d, &member, TIOCNOTTY, NULL), 0);
	EXPECT_EQ(user_ioctl(d, &member, TIOCGSID, &v), 0);
	EXPECT_EQ(user_ioctl(d, &leader, TIOCNOTTY, NULL), 0);
	EXPECT_EQ(next_signal(d, &sig_pgrp), SIGHUP);
	EXPECT_EQ(sig_pgrp, member.pgid);
	EXPECT_EQ(next_signal(d, &sig_pgrp), SIGCONT);
	EXPECT_EQ(user_ioctl(d, &member, TIOCGSID, &v), -ENOTTY);
	/* Now free: another session's leader may take it by TIOCSCTTY, a member may not. */
	EXPECT_EQ(user_ioctl(d, &member, TIOCSCTTY, NULL), -EPERM);
	EXPECT_EQ(user_ioctl(d, &stranger, TIOCSCTTY, NULL), 0);
	EXPECT_EQ(user_ioctl(d, &stranger, TIOCGSID, &v), 0);
	EXPECT_EQ(v, stranger.sid);
	EXPECT_EQ(user_ioctl(d, &leader, TIOCSCTTY, NULL), -EPERM);
	EXPECT_EQ(user_ioctl(d, &stranger, TIOCNOTTY, NULL), 0);
	EXPECT_EQ(next_signal(d, &sig_pgrp), SIGHUP);
	EXPECT_EQ(next_signal(d, &sig_pgrp), SIGCONT);
	/* PM is the signal target again, as at start-up. */
	if (ds_retrieve_label("pm", &pm) == 0)
		EXPECT_EQ(cdev_ioctl(d, 0, TTY_IOC_SIGTARGET, &pm), 0);
}
