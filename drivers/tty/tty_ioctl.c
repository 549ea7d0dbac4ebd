/*
 * The terminal ioctls (ax/termios.h), one handler per request in a table;
 * an unknown request gets ENOTTY.  Arguments move only by safecopy
 * through the request's grant, owned by the requester (`endpt`, the
 * message's m_source); a bad grant makes the ioctl fail and change nothing.
 *
 * TCSETSW and TCSETSF wait until what was written has been handed to the
 * UART (the output ring is empty and no write waits), then apply the new
 * settings (TCSETSF also drops unread input); until then they wait in the
 * drainers' queue, answered later.
 *
 * The session ioctls (TIOCSCTTY, TIOCNOTTY, TIOCGSID) and the checks on
 * the foreground group are job control's (tty_job.c).
 */
#include "tty.h"
#include <ax/signal.h>

struct ioctl_call {
	unsigned long request;
	endpoint_t endpt; /* the requester: owner of the grant */
	grant_id_t grant;
	int flags;
	cdev_id_t id;
	const struct cdev_user *user; /* the end user: job control (tty_job.c) */
};

static int
copy_out(const struct ioctl_call *c, const void *v, size_t len)
{
	return sys_safecopyto(c->endpt, c->grant, 0, v, len);
}

static int
copy_in(const struct ioctl_call *c, void *v, size_t len)
{
	return sys_safecopyfrom(c->endpt, c->grant, 0, v, len);
}

static bool
output_drained(void)
{
	return ldisc_out_pending(&tty.t_ld) == 0 && tty.t_writers.q_len == 0;
}

static int
do_tcgets(const struct ioctl_call *c)
{
	return copy_out(c, &tty.t_ld.ld_termios, sizeof(struct termios));
}

static int
do_tcsets(const struct ioctl_call *c)
{
	struct termios t;
	int r;

	if ((r = copy_in(c, &t, sizeof(t))) < 0)
		return r;
	return tty_apply_termios(&t, false);
}

/* TCSETSW, TCSETSF: now if the output has drained, else once it has. */
static int
do_tcsets_drained(const struct ioctl_call *c)
{
	struct tty_request r = { .tr_endpt = c->endpt, .tr_id = c->id, .tr_ioctl = c->request };
	int e;

	if ((e = copy_in(c, &r.tr_termios, sizeof(r.tr_termios))) < 0)
		return e;
	if (output_drained() && tty.t_drainers.q_len == 0)
		return tty_apply_termios(&r.tr_termios, c->request == TCSETSF);
	if (c->flags & CDEV_NONBLOCK)
		return -EAGAIN;
	if ((e = tty_queue_add(&tty.t_drainers, &r)) < 0)
		return e;
	return -EDONTREPLY;
}

void
tty_finish_drains(void)
{
	while (tty.t_drainers.q_len > 0 && output_drained()) {
		struct tty_request r = tty.t_drainers.q_req[0];

		tty_queue_remove(&tty.t_drainers, 0);
		chardriver_reply_task(r.tr_endpt, r.tr_id,
				      tty_apply_termios(&r.tr_termios, r.tr_ioctl == TCSETSF));
	}
}

/*
 * A user under job control may ask about the foreground group and the
 * session only of its own controlling terminal (Linux: ENOTTY).
 */
static bool
foreign(const struct ioctl_call *c)
{
	return c->user->sid > 0 && !tty_is_ctty_of(c->user);
}

static int
do_tiocgpgrp(const struct ioctl_call *c)
{
	if (foreign(c))
		return -ENOTTY;
	return copy_out(c, &tty.t_pgrp, sizeof(tty.t_pgrp));
}

static int
do_tiocgsid(const struct ioctl_call *c)
{
	if (tty.t_session == 0 || foreign(c))
		return -ENOTTY;
	return copy_out(c, &tty.t_session, sizeof(tty.t_session));
}

static int
do_tiocsctty(const struct ioctl_call *c)
{
	return tty_job_set_ctty(c->user);
}

static int
do_tiocnotty(const struct ioctl_call *c)
{
	return tty_job_release(c->user);
}

static int
do_tiocspgrp(const struct ioctl_call *c)
{
	int32_t pgrp;
	int r;

	if (foreign(c))
		return -ENOTTY;
	if ((r = copy_in(c, &pgrp, sizeof(pgrp))) < 0)
		return r;
	if (pgrp <= 0)
		return -EINVAL;
	tty.t_pgrp = pgrp;
	tty_keep_settings();
	tty_events(); /* requests held for the new foreground group go on */
	return 0;
}

static int
do_tiocoutq(const struct ioctl_call *c)
{
	int32_t n = (int32_t)ldisc_out_pending(&tty.t_ld);

	return copy_out(c, &n, sizeof(n));
}

static int
do_fionread(const struct ioctl_call *c)
{
	int32_t n = (int32_t)ldisc_input_avail(&tty.t_ld);

	return copy_out(c, &n, sizeof(n));
}

/* TIOCSTI: the byte is taken as if typed (Linux asks for privilege here; VFS will). */
static int
do_tiocsti(const struct ioctl_call *c)
{
	uint8_t b;
	int r;

	if ((r = copy_in(c, &b, sizeof(b))) < 0)
		return r;
	tty_input(b);
	tty_events();
	return 0;
}

static int
do_tiocgwinsz(const struct ioctl_call *c)
{
	return copy_out(c, &tty.t_winsize, sizeof(tty.t_winsize));
}

static int
do_tiocswinsz(const struct ioctl_call *c)
{
	struct winsize ws;
	int r;

	if ((r = copy_in(c, &ws, sizeof(ws))) < 0)
		return r;
	tty.t_winsize = ws;
	tty_keep_settings();
	return 0;
}

static int
do_tiocgicount(const struct ioctl_call *c)
{
	struct serial_icounter_struct count = tty.t_count;

	count.buf_overrun = (int32_t)tty.t_ld.ld_dropped;
	return copy_out(c, &count, sizeof(count));
}

static int
do_sigtarget(const struct ioctl_call *c)
{
	endpoint_t e;
	int r;

	if ((r = copy_in(c, &e, sizeof(e))) < 0)
		return r;
	tty.t_sig_target = e;
	tty_keep_settings();
	return 0;
}

static const struct {
	unsigned long request;
	int (*handler)(const struct ioctl_call *c);
} ioctl_table[] = {
	{ TCGETS, do_tcgets },           { TCSETS, do_tcsets },
	{ TCSETSW, do_tcsets_drained },  { TCSETSF, do_tcsets_drained },
	{ TIOCSCTTY, do_tiocsctty },     { TIOCNOTTY, do_tiocnotty },
	{ TIOCGSID, do_tiocgsid },       { TIOCGPGRP, do_tiocgpgrp },
	{ TIOCSPGRP, do_tiocspgrp },     { TIOCOUTQ, do_tiocoutq },
	{ TIOCSTI, do_tiocsti },         { TIOCGWINSZ, do_tiocgwinsz },
	{ TIOCSWINSZ, do_tiocswinsz },   { FIONREAD, do_fionread },
	{ TIOCGICOUNT, do_tiocgicount }, { TTY_IOC_SIGTARGET, do_sigtarget },
};

int
tty_ioctl(devminor_t minor, unsigned long request, endpoint_t endpt, grant_id_t grant, int flags,
	  const struct cdev_user *user, cdev_id_t id)
{
	const struct ioctl_call c = { request, endpt, grant, flags, id, user };
	int r;

	if (minor != 0)
		return -ENXIO;
	/* Changing the settings from the background stops the group (Linux's rule). */
	if ((request == TCSETS || request == TCSETSW || request == TCSETSF ||
	     request == TIOCSPGRP) &&
	    (r = tty_job_check(user, SIGTTOU)) != 0)
		return tty_job_hold(r, CDEV_IOCTL, endpt, id, grant, 0, flags, request, user);
	for (size_t i = 0; i < ARRAY_SIZE(ioctl_table); i++)
		if (ioctl_table[i].request == request)
			return ioctl_table[i].handler(&c);
	return -ENOTTY;
}
