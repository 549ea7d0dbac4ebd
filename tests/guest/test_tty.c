/*
 * The tty driver (drivers/tty) end to end: it runs under RS on COM2, whose
 * far end is the harness's typist (tools/axrun.py, class Typist).  A test
 * asks for input by writing "AXTTY-TYPE <hex>" through the tty, and for
 * proof that output arrived by writing "AXTTY-ECHO <token>", which the
 * typist answers with the token reversed.  So every byte read here crossed
 * the serial line twice: out through the transmit path, back in through
 * the receive interrupt.
 *
 * The tests share one tty: each starts with TCSETSF (settle the output,
 * drop stale input) in the mode it needs, and input comes only when asked
 * for, so the mode is always set before the bytes arrive.
 */
#include "guest.h"
#include <cdev_client.h>
#include <ax/rs.h>
#include <ax/signal.h>
#include <ax/termios.h>
#include <ax/tty.h>

#define TOKEN_LEN 600 /* longer than the FIFO, so the transmit interrupt refills it */

static endpoint_t
tty_driver(void)
{
	endpoint_t e = NONE;

	return ds_retrieve_label("tty", &e) < 0 ? NONE : e;
}

/* Open the tty and put it in the default (canonical) mode; its endpoint or NONE. */
static endpoint_t
tty_start(struct termios *t)
{
	endpoint_t d = tty_driver();

	if (d == NONE || cdev_open(d, 0, CDEV_R_BIT | CDEV_W_BIT) < 0 ||
	    cdev_ioctl(d, 0, TCGETS, t) < 0)
		return NONE;
	t->c_lflag |= ICANON | ECHO | ISIG;
	t->c_iflag |= ICRNL;
	t->c_oflag |= OPOST | ONLCR;
	return cdev_ioctl(d, 0, TCSETSF, t) < 0 ? NONE : d;
}

/* Ask the typist to type n bytes; the write's result. */
static int64_t
type(endpoint_t d, const char *bytes, size_t n)
{
	char req[160];
	int len = snprintf(req, sizeof(req), "AXTTY-TYPE ");

	for (size_t i = 0; i < n && len + 3 < (int)sizeof(req); i++)
		len += snprintf(req + len, sizeof(req) - (size_t)len, "%02x", (uint8_t)bytes[i]);
	req[len++] = '\n';
	return cdev_write(d, 0, 0, req, (size_t)len, 0);
}

#define TYPE(d, s) type((d), (s), sizeof(s) - 1)

/* One read of at most max bytes, NUL-terminated in buf; the read's result. */
static int64_t
read_some(endpoint_t d, char *buf, size_t max)
{
	int64_t n = cdev_read(d, 0, 0, buf, max, 0);

	buf[n > 0 ? n : 0] = '\0';
	return n;
}

static int32_t
rx_count(endpoint_t d)
{
	struct serial_icounter_struct c = { .rx = -1 };

	cdev_ioctl(d, 0, TIOCGICOUNT, &c);
	return c.rx;
}

/* Write "AXTTY-ECHO token" and read the typist's answer into buf. */
static int64_t
echo_round_trip(endpoint_t d, const char *token, char *buf, size_t max)
{
	static char req[TOKEN_LEN + 32];
	int len = snprintf(req, sizeof(req), "AXTTY-ECHO %s\n", token);
	int64_t r = cdev_write(d, 0, 0, req, (size_t)len, 0);

	return r != len ? (r < 0 ? r : -EIO) : read_some(d, buf, max);
}

/* What the typist must answer to `token`: "ECHO <token reversed> <ending>\n". */
static void
expected_echo(char *out, size_t max, const char *token, const char *ending)
{
	size_t n = strlen(token), len = (size_t)snprintf(out, max, "ECHO ");

	for (size_t i = 0; i < n && len + 1 < max; i++)
		out[len++] = token[n - 1 - i];
	snprintf(out + len, max - len, " %s\n", ending);
}

TEST(tty, output,
     "bytes written through the tty reach the serial line, with ONLCR's CR LF and without it")
{
	static char token[TOKEN_LEN + 1], got[TOKEN_LEN + 32], want[TOKEN_LEN + 32];
	static const char alphabet[] =
		"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
	uint64_t seed = uptime() * 2654435761u + 1;
	struct termios t;
	endpoint_t d = tty_start(&t);

	EXPECT(d != NONE, "no tty driver to open");
	/* A token the typist cannot know unless it read it off the line. */
	for (int i = 0; i < TOKEN_LEN; i++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		token[i] = alphabet[(seed >> 33) % (sizeof(alphabet) - 1)];
	}
	token[TOKEN_LEN] = '\0';
	expected_echo(want, sizeof(want), token, "crlf");
	EXPECT_EQ(echo_round_trip(d, token, got, sizeof(got) - 1), (int64_t)strlen(want));
	EXPECT(strcmp(got, want) == 0, "the typist answered %.40s...", got);

	/* Without ONLCR the line ends in a bare LF. */
	t.c_oflag &= ~(uint32_t)ONLCR;
	EXPECT_EQ(cdev_ioctl(d, 0, TCSETSW, &t), 0);
	expected_echo(want, sizeof(want), "short", "lf");
	EXPECT_EQ(echo_round_trip(d, "short", got, sizeof(got) - 1), (int64_t)strlen(want));
	EXPECT(strcmp(got, want) == 0, "the typist answered %s", got);
	t.c_oflag |= ONLCR;
	EXPECT_EQ(cdev_ioctl(d, 0, TCSETSW, &t), 0);
}

TEST(tty, input_irq,
     "bytes typed on the serial line reach a waiting reader through the receive interrupt")
{
	struct termios t;
	endpoint_t d = tty_start(&t);
	char buf[32];
	int32_t before;

	EXPECT(d != NONE, "no tty driver to open");
	before = rx_count(d);
	EXPECT(before >= 0, "TIOCGICOUNT failed");
	EXPECT_EQ(TYPE(d, "irq works\n"), 32); /* the request: 11 + 2 * 10 + 1 */
	EXPECT_EQ(read_some(d, buf, sizeof(buf) - 1), 10);
	EXPECT(strcmp(buf, "irq works\n") == 0, "read \"%s\"", buf);
	/* The interrupt handler is the one place that counts received bytes. */
	EXPECT_EQ(rx_count(d) - before, 10);
}

TEST(tty, canonical,
     "a canonical read returns one whole edited line (erase, kill, CR to NL); raw mode returns "
     "bytes as they come")
{
	struct termios t;
	endpoint_t d = tty_start(&t);
	char buf[32];

	EXPECT(d != NONE, "no tty driver to open");
	/* DEL erases the x; ICRNL turns the CR into the line's end. */
	EXPECT(TYPE(d, "abx\177c\r") > 0, "cannot ask for input");
	EXPECT_EQ(read_some(d, buf, sizeof(buf) - 1), 4);
	EXPECT(strcmp(buf, "abc\n") == 0, "read \"%s\"", buf);
	/* ^U kills the whole line typed so far. */
	EXPECT(TYPE(d, "junk\025ok\n") > 0, "cannot ask for input");
	EXPECT_EQ(read_some(d, buf, sizeof(buf) - 1), 3);
	EXPECT(strcmp(buf, "ok\n") == 0, "read \"%s\"", buf);
	/*
	 * The bytes arrive one interrupt at a time, yet the read waits for the
	 * newline, and takes no more than one line.
	 */
	EXPECT(TYPE(d, "partial\nnext\n") > 0, "cannot ask for input");
	EXPECT_EQ(read_some(d, buf, sizeof(buf) - 1), 8);
	EXPECT(strcmp(buf, "partial\n") == 0, "read \"%s\"", buf);
	/* A read smaller than the line takes part of it; the next the rest. */
	EXPECT_EQ(read_some(d, buf, 2), 2);
	EXPECT(strcmp(buf, "ne") == 0, "read \"%s\"", buf);
	EXPECT_EQ(read_some(d, buf, sizeof(buf) - 1), 3);
	EXPECT(strcmp(buf, "xt\n") == 0, "read \"%s\"", buf);
	EXPECT_EQ(cdev_read(d, 0, 0, buf, sizeof(buf), CDEV_NONBLOCK), -EAGAIN);

	/* Raw: no editing, and a read returns without waiting for a line's end. */
	t.c_lflag &= ~(uint32_t)(ICANON | ECHO);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	EXPECT_EQ(cdev_ioctl(d, 0, TCSETSF, &t), 0);
	EXPECT(TYPE(d, "r\177s") > 0, "cannot ask for input");
	for (int64_t got = 0, n; got < 3; got += n) {
		n = cdev_read(d, 0, 0, buf + got, (size_t)(3 - got), 0);
		EXPECT(n > 0, "raw read: %lld", (long long)n);
	}
	EXPECT(memcmp(buf, "r\177s", 3) == 0, "read %02x %02x %02x", buf[0], buf[1], buf[2]);
	t.c_lflag |= ICANON | ECHO;
	EXPECT_EQ(cdev_ioctl(d, 0, TCSETSF, &t), 0);
}

/* The next TTY_SIGNAL from the tty: its signal, or -E. */
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

TEST(tty, isig,
     "^C and ^Z typed are reported to the registered endpoint with the foreground group; ^C drops "
     "the line")
{
	struct termios t;
	endpoint_t d = tty_start(&t), me = self_endpoint, nobody = NONE;
	int32_t pgrp = 0, bad = 0;
	char buf[32];

	EXPECT(d != NONE, "no tty driver to open");
	EXPECT_EQ(cdev_ioctl(d, 0, TIOCSPGRP, &bad), -EINVAL);
	pgrp = 42;
	EXPECT_EQ(cdev_ioctl(d, 0, TIOCSPGRP, &pgrp), 0);
	EXPECT_EQ(cdev_ioctl(d, 0, TTY_IOC_SIGTARGET, &me), 0);
	EXPECT(TYPE(d, "lost\003kept\n") > 0, "cannot ask for input");
	EXPECT_EQ(next_signal(d, &pgrp), SIGINT);
	EXPECT_EQ(pgrp, 42);
	EXPECT_EQ(read_some(d, buf, sizeof(buf) - 1), 5);
	EXPECT(strcmp(buf, "kept\n") == 0, "read \"%s\"", buf);
	EXPECT(TYPE(d, "\032") > 0, "cannot ask for input");
	EXPECT_EQ(next_signal(d, &pgrp), SIGTSTP);
	/* Without ISIG, ^C is a byte like any other. */
	t.c_lflag &= ~(uint32_t)ISIG;
	EXPECT_EQ(cdev_ioctl(d, 0, TCSETSF, &t), 0);
	EXPECT(TYPE(d, "\003\n") > 0, "cannot ask for input");
	EXPECT_EQ(read_some(d, buf, sizeof(buf) - 1), 2);
	EXPECT_EQ(buf[0], 3);
	EXPECT_EQ(cdev_ioctl(d, 0, TTY_IOC_SIGTARGET, &nobody), 0);
	t.c_lflag |= ISIG;
	EXPECT_EQ(cdev_ioctl(d, 0, TCSETSF, &t), 0);
}

TEST(tty, termios,
     "TCGETS gives Linux's defaults; TCSETS, TIOCSWINSZ stick; bad speeds, grants, codes and "
     "minors are refused")
{
	struct termios t, got;
	struct winsize ws = { .ws_row = 50, .ws_col = 132 }, ws_got = { 0 };
	endpoint_t d = tty_start(&t);
	message m;

	EXPECT(d != NONE, "no tty driver to open");
	EXPECT_EQ(t.c_cflag & CBAUD, B115200);
	EXPECT_EQ(t.c_cflag & (CSIZE | CREAD), CS8 | CREAD);
	EXPECT_EQ(t.c_cc[VERASE], 0177);
	EXPECT_EQ(t.c_cc[VINTR], 3);
	/* A change sticks... */
	t.c_cc[VERASE] = 8;
	EXPECT_EQ(cdev_ioctl(d, 0, TCSETS, &t), 0);
	EXPECT_EQ(cdev_ioctl(d, 0, TCGETS, &got), 0);
	EXPECT_EQ(got.c_cc[VERASE], 8);
	/* ...a speed the UART cannot do changes nothing. */
	got.c_cflag = (got.c_cflag & ~(uint32_t)CBAUD) | B0;
	got.c_cc[VERASE] = 0177;
	EXPECT_EQ(cdev_ioctl(d, 0, TCSETS, &got), -EINVAL);
	EXPECT_EQ(cdev_ioctl(d, 0, TCGETS, &got), 0);
	EXPECT_EQ(got.c_cc[VERASE], 8);
	EXPECT_EQ(got.c_cflag & CBAUD, B115200);
	t.c_cc[VERASE] = 0177;
	EXPECT_EQ(cdev_ioctl(d, 0, TCSETS, &t), 0);

	EXPECT_EQ(cdev_ioctl(d, 0, TIOCSWINSZ, &ws), 0);
	EXPECT_EQ(cdev_ioctl(d, 0, TIOCGWINSZ, &ws_got), 0);
	EXPECT(ws_got.ws_row == 50 && ws_got.ws_col == 132, "winsize %ux%u", ws_got.ws_row,
	       ws_got.ws_col);

	/* TCGETS with no grant to write to. */
	memset(&m, 0, sizeof(m));
	m.m_type = CDEV_IOCTL;
	m.m_cdev.id = 9;
	m.m_cdev.user = self_endpoint;
	m.m_cdev.request = TCGETS;
	m.m_cdev.grant = GRANT_INVALID;
	EXPECT(cdev_call(d, &m) < 0, "TCGETS without a grant succeeded");
	EXPECT_EQ(cdev_ioctl(d, 0, 0x5409 /* TCSBRK: takes a value */, NULL), -ENOTTY);
	EXPECT_EQ(cdev_open(d, 1, CDEV_R_BIT), -ENXIO);
}

TEST(tty, restart,
     "after RS restarts the tty, a reopened client finds its settings and reads and writes again")
{
	struct termios t, raw, now;
	struct winsize ws_before, ws = { .ws_row = 40, .ws_col = 100 }, ws_now;
	endpoint_t d = tty_start(&t), d2 = NONE;
	char got[64], want[64];

	EXPECT(d != NONE, "no tty driver to open");
	/* Settings a program made, which a crash of the driver must not undo. */
	raw = t;
	raw.c_lflag &= ~(uint32_t)(ICANON | ECHO);
	EXPECT_EQ(cdev_ioctl(d, 0, TCSETS, &raw), 0);
	EXPECT_EQ(cdev_ioctl(d, 0, TIOCGWINSZ, &ws_before), 0);
	EXPECT_EQ(cdev_ioctl(d, 0, TIOCSWINSZ, &ws), 0);
	EXPECT_EQ(rs_request(RS_RESTART, "tty", NULL), 0);
	for (int i = 0; i < 200 && (d2 == NONE || d2 == d); i++) {
		tickdelay(1);
		d2 = tty_driver();
	}
	EXPECT(d2 != NONE && d2 != d, "tty did not come back under a new endpoint");
	EXPECT_EQ(cdev_write(d2, 0, 0, "x", 1, 0), -ERESTART); /* not opened here */
	EXPECT_EQ(cdev_open(d2, 0, CDEV_R_BIT | CDEV_W_BIT), 0);
	EXPECT_EQ(cdev_ioctl(d2, 0, TCGETS, &now), 0);
	EXPECT(!(now.c_lflag & (ICANON | ECHO)), "the restarted tty is cooked again (lflag %#x)",
	       (unsigned)now.c_lflag);
	EXPECT_EQ(cdev_ioctl(d2, 0, TIOCGWINSZ, &ws_now), 0);
	EXPECT(ws_now.ws_row == 40 && ws_now.ws_col == 100, "window %ux%u", ws_now.ws_row,
	       ws_now.ws_col);
	EXPECT_EQ(cdev_ioctl(d2, 0, TIOCSWINSZ, &ws_before), 0); /* as we found it */
	EXPECT(tty_start(&t) == d2, "cannot reopen the new tty");
	/* It attached to the interrupt line again: input still arrives. */
	expected_echo(want, sizeof(want), "again", "crlf");
	EXPECT_EQ(echo_round_trip(d2, "again", got, sizeof(got) - 1), (int64_t)strlen(want));
	EXPECT(strcmp(got, want) == 0, "the typist answered %s", got);
}

/* A read sent without waiting for its answer, as VFS will send it. */
static int
send_read(endpoint_t d, cdev_id_t id, grant_id_t g, size_t size)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_type = CDEV_READ;
	m.m_cdev.id = id;
	m.m_cdev.user = self_endpoint;
	m.m_cdev.grant = g;
	m.m_cdev.count = size;
	return ipc_send(d, &m);
}

static int64_t
cancel(endpoint_t d, cdev_id_t id)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_type = CDEV_CANCEL;
	m.m_cdev.id = id;
	m.m_cdev.user = self_endpoint;
	m.m_cdev.grant = GRANT_INVALID;
	return cdev_call(d, &m);
}

TEST(tty, cancel,
     "waiting reads are cancelled with EINTR; one read more than the queue holds gets EBUSY")
{
	struct termios t;
	endpoint_t d = tty_start(&t);
	char buf[8];
	grant_id_t g;
	uint64_t status;
	message m;

	EXPECT(d != NONE, "no tty driver to open");
	g = cpf_grant_direct(d, buf, sizeof(buf), GRANT_WRITE);
	EXPECT(g >= 0, "grant: %d", g);
	for (cdev_id_t id = 1; id <= 8; id++)
		EXPECT_EQ(send_read(d, id, g, sizeof(buf)), 0);
	/* The ninth finds the queue full and is answered at once. */
	EXPECT_EQ(send_read(d, 9, g, sizeof(buf)), 0);
	EXPECT_EQ(ipc_receive(d, &m, &status), 0);
	EXPECT_EQ(m.m_type, CDEV_REPLY);
	EXPECT_EQ(m.m_cdev_reply.id, 9);
	EXPECT_EQ(m.m_cdev_reply.status, -EBUSY);
	/* Cancel them out of order: each answer names its read. */
	EXPECT_EQ(cancel(d, 5), -EINTR);
	for (cdev_id_t id = 1; id <= 8; id++)
		if (id != 5)
			EXPECT_EQ(cancel(d, id), -EINTR);
	/* None of them took input: a new read gets the next line whole. */
	EXPECT(TYPE(d, "after\n") > 0, "cannot ask for input");
	EXPECT_EQ(read_some(d, buf, sizeof(buf) - 1), 6);
	EXPECT(strcmp(buf, "after\n") == 0, "read \"%s\"", buf);
	cpf_revoke(g);
}

TEST(tty, raw_timeout,
     "raw mode with VMIN 0: VTIME 0 returns at once, VTIME 3 after 0.3 s with nothing typed")
{
	struct termios t;
	endpoint_t d = tty_start(&t);
	char buf[8];
	uint64_t start;

	EXPECT(d != NONE, "no tty driver to open");
	t.c_lflag &= ~(uint32_t)(ICANON | ECHO);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	EXPECT_EQ(cdev_ioctl(d, 0, TCSETSF, &t), 0);
	EXPECT_EQ(cdev_read(d, 0, 0, buf, sizeof(buf), 0), 0);
	t.c_cc[VTIME] = 3; /* tenths of a second */
	EXPECT_EQ(cdev_ioctl(d, 0, TCSETSF, &t), 0);
	start = uptime();
	EXPECT_EQ(cdev_read(d, 0, 0, buf, sizeof(buf), 0), 0);
	EXPECT(uptime() - start >= 30, "returned after %llu ticks",
	       (unsigned long long)(uptime() - start));
	EXPECT(uptime() - start < 60, "returned after %llu ticks",
	       (unsigned long long)(uptime() - start));
	t.c_lflag |= ICANON | ECHO;
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	EXPECT_EQ(cdev_ioctl(d, 0, TCSETSF, &t), 0);
}

TEST(tty, select, "select reports the tty writable at once and readable once a whole line is typed")
{
	struct termios t;
	endpoint_t d = tty_start(&t);
	char buf[16];
	uint64_t status;
	message m;

	EXPECT(d != NONE, "no tty driver to open");
	EXPECT_EQ(cdev_select(d, 0, CDEV_OP_RD | CDEV_OP_WR), CDEV_OP_WR);
	EXPECT_EQ(cdev_select(d, 0, CDEV_OP_RD | CDEV_NOTIFY), 0);
	EXPECT(TYPE(d, "sel\n") > 0, "cannot ask for input");
	EXPECT_EQ(ipc_receive(d, &m, &status), 0);
	EXPECT_EQ(m.m_type, CDEV_SEL2_REPLY);
	EXPECT_EQ(m.m_cdev_select_reply.status, CDEV_OP_RD);
	EXPECT_EQ(cdev_select(d, 0, CDEV_OP_RD), CDEV_OP_RD);
	EXPECT_EQ(read_some(d, buf, sizeof(buf) - 1), 4);
	EXPECT(strcmp(buf, "sel\n") == 0, "read \"%s\"", buf);
}

TEST(tty, bad_config,
     "a tty with no UART at its port, or with bad arguments, fails its init and RS keeps it down")
{
	static const char *const labels[] = { "ttynone", "ttybadarg" };
	struct msg_rs_reply reply;
	endpoint_t e;

	for (unsigned i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		/* RS started them at boot: once their inits are over, they are down. */
		EXPECT(await_service_down(labels[i], AWAIT_TICKS), "%s is still running",
		       labels[i]);
		EXPECT_EQ(rs_request(RS_LOOKUP, labels[i], &reply), 0);
		EXPECT(reply.endpt == NONE, "%s runs as %d", labels[i], reply.endpt);
		EXPECT(reply.first_up == 0, "%s finished an init", labels[i]);
		EXPECT(reply.restarts == 0, "%s was restarted %u times", labels[i], reply.restarts);
		EXPECT(ds_retrieve_label(labels[i], &e) < 0, "%s is published", labels[i]);
	}
	EXPECT(tty_driver() != NONE, "the good tty is not running");
}
