/*
 * tty: the terminal driver of one 16550 serial port, a character device
 * (ax/cdev.h) with one minor, 0, on libchardriver.  Arguments: the port's
 * base and IRQ (default 0x3f8 4, COM1; "0x2f8 3" drives COM2).  Its
 * system.conf line must grant both: io=0x2f8-0x2ff irq=3.
 *
 * Input is interrupt-driven: each received byte goes through the line
 * discipline (ldisc.c), which edits, echoes and records signals.  Output
 * goes through the line discipline into its output ring, which the
 * transmit interrupt empties into the UART.  After every event (an
 * interrupt, a request, an alarm) tty_events() finishes whatever has become
 * possible: signals are reported, waiting reads, writes and draining ioctls
 * are answered, select clients are told.
 *
 * Requests that cannot finish at once wait in order in small queues (reads,
 * writes, TCSETSW/TCSETSF) and are answered with chardriver_reply_task; a
 * cancel takes them out.  A raw-mode read with VTIME uses the one alarm
 * (sys_setalarm): from the read's start if VMIN is 0, else from each byte.
 *
 * Restart: RS starts a new instance, which programs the UART again and
 * begins with the default settings; clients reopen (ERESTART).
 */
#include "tty.h"
#include <sef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ax/signal.h>
#include <ax/tty.h>

#define MIN(a, b) ((a) < (b) ? (a) : (b))

struct tty tty;

static uint32_t uart_port = 0x3f8;
static int uart_irq = 4;
static int arg_count; /* main's arguments, for tty_init */
static char **arg_values;
static uint32_t clock_hz = 100;

static uint8_t xfer[LDISC_IN_SIZE]; /* bytes between a grant and a ring */

/* ---- request queues --------------------------------------------------- */

static struct tty_request *
queue_head(struct tty_queue *q)
{
	return q->q_len > 0 ? &q->q_req[0] : NULL;
}

/* -EBUSY if TTY_QUEUE requests of this kind wait already. */
int
tty_queue_add(struct tty_queue *q, const struct tty_request *r)
{
	if (q->q_len == TTY_QUEUE)
		return -EBUSY;
	q->q_req[q->q_len++] = *r;
	return 0;
}

void
tty_queue_remove(struct tty_queue *q, int i)
{
	memmove(&q->q_req[i], &q->q_req[i + 1], (size_t)(q->q_len - i - 1) * sizeof(q->q_req[0]));
	q->q_len--;
}

static int
queue_find(const struct tty_queue *q, endpoint_t endpt, cdev_id_t id)
{
	for (int i = 0; i < q->q_len; i++)
		if (q->q_req[i].tr_endpt == endpt && q->q_req[i].tr_id == id)
			return i;
	return -1;
}

/* ---- the UART's side --------------------------------------------------- */

static void
rx_byte(uint8_t c, uint8_t errors)
{
	tty.t_count.rx++;
	tty.t_count.parity += (errors & UART_LSR_PE) != 0;
	tty.t_count.frame += (errors & UART_LSR_FE) != 0;
	tty.t_count.brk += (errors & UART_LSR_BI) != 0;
	ldisc_input(&tty.t_ld, c);
}

static void
line_status(uint8_t lsr)
{
	tty.t_count.overrun += (lsr & UART_LSR_OE) != 0;
}

static size_t
tx_bytes(uint8_t *buf, size_t max)
{
	size_t n = ldisc_out_take(&tty.t_ld, buf, max);

	tty.t_count.tx += (int32_t)n;
	return n;
}

static const struct uart_client uart_client = {
	.rx = rx_byte,
	.tx = tx_bytes,
	.line_status = line_status,
};

/* The receive interrupts are on exactly while CREAD is. */
static int
update_receiver(void)
{
	uint8_t ier = tty.t_uart.u_ier & UART_IER_THRI;

	if (tty.t_ld.ld_termios.c_cflag & CREAD)
		ier |= UART_IER_RDI | UART_IER_RLSI;
	return uart_set_ier(&tty.t_uart, ier);
}

static void
kick_output(void)
{
	int r = uart_kick(&tty.t_uart, &uart_client);

	if (r < 0)
		printf("%s: transmit: %d\n", self_name, r);
}

void
tty_input(uint8_t c)
{
	ldisc_input(&tty.t_ld, c);
}

/* ---- signals ----------------------------------------------------------- */

/*
 * Tell the signal target that group pgrp is to get sig: the one registered
 * (TTY_IOC_SIGTARGET, a test), else PM, looked up in DS each time, so that
 * a PM restarted under a new endpoint gets the next ^C.
 */
void
tty_report_signal(int sig, int32_t pgrp)
{
	message m = { .m_type = TTY_SIGNAL };
	endpoint_t target = tty.t_sig_target;
	int r;

	if (target == NONE && ds_retrieve_label("pm", &target) < 0) {
		printf("%s: signal %d for group %d, nobody registered for it\n", self_name, sig,
		       pgrp);
		return;
	}
	m.m_tty_signal = (struct msg_tty_signal){ .sig = sig, .pgrp = pgrp, .minor = 0 };
	/* NOREPLY: it must not end a SENDREC the target has outstanding to us. */
	if ((r = asynsend3(target, &m, AMF_NOREPLY)) < 0)
		printf("%s: cannot report signal %d to %d: %d\n", self_name, sig, target, r);
}

static void
report_signals(void)
{
	uint64_t sigs = ldisc_take_signals(&tty.t_ld);

	for (int sig = 1; sig <= NSIG_AX && sigs; sig++) {
		if (sigs & sig_bit(sig)) {
			sigs &= ~sig_bit(sig);
			tty_report_signal(sig, tty.t_pgrp);
		}
	}
}

/* ---- reading ----------------------------------------------------------- */

static uint64_t
now(void)
{
	struct msg_sys_kinfo ki;

	return sys_getkinfo(&ki) < 0 ? 0 : ki.uptime;
}

/*
 * (Re)start the head reader's VTIME timer where raw mode asks for one: at
 * the read's start with VMIN 0, else whenever a byte came (`byte_came`).
 */
static void
arm_read_timer(bool byte_came)
{
	const struct termios *t = &tty.t_ld.ld_termios;
	int r;

	if (!queue_head(&tty.t_readers) || (t->c_lflag & ICANON) || t->c_cc[VTIME] == 0) {
		tty.t_deadline = 0;
		return;
	}
	if (t->c_cc[VMIN] > 0 ? !byte_came || ldisc_input_avail(&tty.t_ld) == 0
			      : tty.t_deadline != 0)
		return;
	tty.t_timed_out = false;
	tty.t_deadline = now() + (t->c_cc[VTIME] * clock_hz + 9) / 10;
	if ((r = sys_setalarm(tty.t_deadline, true, NULL)) < 0)
		printf("%s: setalarm: %d\n", self_name, r);
}

/* Give reader r what the line discipline has for it: bytes, or -E with nothing taken. */
static int64_t
read_out(const struct tty_request *r)
{
	size_t consumed, n = ldisc_peek(&tty.t_ld, xfer, MIN(r->tr_size, sizeof(xfer)), &consumed);
	int e;

	if (n > 0 && (e = sys_safecopyto(r->tr_endpt, r->tr_grant, 0, xfer, n)) < 0)
		return e;
	ldisc_consume(&tty.t_ld, consumed);
	return (int64_t)n;
}

static void
finish_reads(void)
{
	struct tty_request *r;

	while ((r = queue_head(&tty.t_readers)) &&
	       ldisc_read_ready(&tty.t_ld, r->tr_size, tty.t_timed_out)) {
		chardriver_reply_task(r->tr_endpt, r->tr_id, read_out(r));
		tty_queue_remove(&tty.t_readers, 0);
		tty.t_deadline = 0;
		tty.t_timed_out = false;
		arm_read_timer(false);
	}
}

static int64_t
tty_read(devminor_t minor, uint64_t pos, endpoint_t endpt, grant_id_t grant, size_t size, int flags,
	 cdev_id_t id, const struct cdev_user *user)
{
	struct tty_request r = {
		.tr_endpt = endpt, .tr_id = id, .tr_grant = grant, .tr_size = size
	};
	int e;

	(void)pos;
	if (minor != 0)
		return -ENXIO;
	if ((e = tty_job_check(user, SIGTTIN)) != 0)
		return tty_job_hold(e, CDEV_READ, endpt, id, grant, size, flags, 0, user);
	if (size == 0)
		return 0;
	if (tty.t_readers.q_len == 0 && ldisc_read_ready(&tty.t_ld, size, false))
		return read_out(&r);
	if (flags & CDEV_NONBLOCK)
		return -EAGAIN;
	if ((e = tty_queue_add(&tty.t_readers, &r)) < 0)
		return e;
	arm_read_timer(false);
	return -EDONTREPLY;
}

/* ---- writing ----------------------------------------------------------- */

/* Move what fits of write r into the output ring: 0 all of it, 1 it must wait, or -E. */
static int
write_in(struct tty_request *r)
{
	while (r->tr_done < r->tr_size) {
		size_t len =
			MIN(MIN(r->tr_size - r->tr_done, ldisc_out_room(&tty.t_ld)), sizeof(xfer));
		size_t n;
		int e;

		if (len == 0)
			return 1;
		if ((e = sys_safecopyfrom(r->tr_endpt, r->tr_grant, r->tr_done, xfer, len)) < 0)
			return e;
		n = ldisc_write(&tty.t_ld, xfer, len);
		r->tr_done += n;
		if (n < len)
			return 1; /* a CR LF did not fit */
	}
	return 0;
}

/* A write's answer: the bytes taken, or the error if there were none. */
static int64_t
write_result(const struct tty_request *r, int e)
{
	return e < 0 && r->tr_done == 0 ? e : (int64_t)r->tr_done;
}

static void
finish_writes(void)
{
	struct tty_request *r;
	int e;

	while ((r = queue_head(&tty.t_writers)) && (e = write_in(r)) != 1) {
		chardriver_reply_task(r->tr_endpt, r->tr_id, write_result(r, e));
		tty_queue_remove(&tty.t_writers, 0);
	}
}

static int64_t
tty_write(devminor_t minor, uint64_t pos, endpoint_t endpt, grant_id_t grant, size_t size,
	  int flags, cdev_id_t id, const struct cdev_user *user)
{
	struct tty_request r = {
		.tr_endpt = endpt, .tr_id = id, .tr_grant = grant, .tr_size = size
	};
	int e;

	(void)pos;
	if (minor != 0)
		return -ENXIO;
	if ((tty.t_ld.ld_termios.c_lflag & TOSTOP) && (e = tty_job_check(user, SIGTTOU)) != 0)
		return tty_job_hold(e, CDEV_WRITE, endpt, id, grant, size, flags, 0, user);
	if (size == 0)
		return 0;
	if (tty.t_writers.q_len == 0) { /* else it must wait its turn */
		e = write_in(&r);
		kick_output();
		if (e != 1)
			return write_result(&r, e);
	}
	if (flags & CDEV_NONBLOCK)
		return r.tr_done > 0 ? (int64_t)r.tr_done : -EAGAIN;
	if ((e = tty_queue_add(&tty.t_writers, &r)) < 0)
		return write_result(&r, e);
	return -EDONTREPLY;
}

/* ---- select ------------------------------------------------------------ */

static unsigned
ready_ops(void)
{
	unsigned ops = 0;

	if (ldisc_poll_in(&tty.t_ld))
		ops |= CDEV_OP_RD;
	if (tty.t_writers.q_len == 0 && ldisc_out_room(&tty.t_ld) > 0)
		ops |= CDEV_OP_WR;
	return ops;
}

static void
remember_select(endpoint_t endpt, unsigned ops)
{
	int free_slot = -1;

	for (int i = 0; i < TTY_SELECTS; i++) {
		if (tty.t_selects[i].ops && tty.t_selects[i].endpt == endpt) {
			tty.t_selects[i].ops |= ops;
			return;
		}
		if (!tty.t_selects[i].ops && free_slot < 0)
			free_slot = i;
	}
	if (free_slot < 0) {
		printf("%s: more than %d select clients\n", self_name, TTY_SELECTS);
		return;
	}
	tty.t_selects[free_slot].endpt = endpt;
	tty.t_selects[free_slot].ops = ops;
}

static void
notify_selects(void)
{
	unsigned ready = ready_ops();

	for (int i = 0; i < TTY_SELECTS; i++) {
		unsigned ops = tty.t_selects[i].ops & ready;

		if (ops) {
			chardriver_reply_select(tty.t_selects[i].endpt, 0, ops);
			tty.t_selects[i].ops = 0; /* reported once */
		}
	}
}

static int
tty_select(devminor_t minor, unsigned ops, endpoint_t endpt)
{
	unsigned want = ops & CDEV_OP_MASK, ready = ready_ops() & want;

	if (minor != 0)
		return -ENXIO;
	if ((ops & CDEV_NOTIFY) && (want & ~ready & (CDEV_OP_RD | CDEV_OP_WR)))
		remember_select(endpt, want & ~ready);
	return (int)ready;
}

/* ---- the rest of the protocol ------------------------------------------ */

void
tty_events(void)
{
	tty_job_retry();
	report_signals();
	finish_reads();
	finish_writes();
	kick_output();
	tty_finish_drains();
	notify_selects();
}

int
tty_apply_termios(const struct termios *t, bool flush_input)
{
	const uint32_t line = CBAUD | CSIZE | CSTOPB | PARENB | PARODD;
	int r;

	/* The UART is the one part that can refuse: ask it first. */
	if ((t->c_cflag & line) != (tty.t_ld.ld_termios.c_cflag & line) &&
	    (r = uart_set_line(&tty.t_uart, t->c_cflag)) < 0)
		return r;
	ldisc_set_termios(&tty.t_ld, t);
	tty_keep_settings();
	if (flush_input)
		ldisc_flush_input(&tty.t_ld);
	tty.t_deadline = 0;
	tty.t_timed_out = false;
	arm_read_timer(false);
	r = update_receiver();
	tty_events();
	return r;
}

static int
tty_open(devminor_t minor, int access, const struct cdev_user *user)
{
	return minor == 0 ? tty_job_open(access, user) : -ENXIO;
}

static int
tty_close(devminor_t minor)
{
	return minor == 0 ? 0 : -ENXIO;
}

/* A cancelled read gets EINTR; a cancelled write what it wrote so far. */
static int
tty_cancel(devminor_t minor, endpoint_t endpt, cdev_id_t id)
{
	struct tty_queue *queues[] = { &tty.t_readers, &tty.t_writers, &tty.t_drainers };

	(void)minor;
	if (tty_job_cancel(endpt, id) != -EDONTREPLY)
		return -EINTR;
	for (size_t k = 0; k < ARRAY_SIZE(queues); k++) {
		int i = queue_find(queues[k], endpt, id);
		int result;

		if (i < 0)
			continue;
		result =
			queues[k]->q_req[i].tr_done > 0 ? (int)queues[k]->q_req[i].tr_done : -EINTR;
		tty_queue_remove(queues[k], i);
		if (queues[k] == &tty.t_readers && i == 0) {
			tty.t_deadline = 0;
			arm_read_timer(false);
		}
		return result;
	}
	return -EDONTREPLY; /* answered already */
}

static void
tty_intr(uint64_t irq_set)
{
	int32_t rx_before = tty.t_count.rx;
	int r;

	(void)irq_set;
	if ((r = uart_service(&tty.t_uart, &uart_client)) < 0)
		printf("%s: uart: %d\n", self_name, r);
	arm_read_timer(tty.t_count.rx != rx_before); /* VTIME runs from the last byte */
	tty_events();
}

static void
tty_alarm(uint64_t stamp)
{
	if (tty.t_deadline == 0 || stamp < tty.t_deadline)
		return; /* an alarm of a timer since replaced */
	tty.t_deadline = 0;
	tty.t_timed_out = true;
	finish_reads();
	tty.t_timed_out = false;
}

/* DEBUG_DUMP: the UART, the counters and every waiting request. */
static void
tty_dump(struct dump *d)
{
	const struct tty_queue *queues[] = { &tty.t_readers, &tty.t_writers, &tty.t_drainers };
	static const char *const kinds[] = { "read", "write", "drain" };

	dump_printf(d, "tty: port %#x irq %d rx %d tx %d session %d pgrp %d sigtarget %d\n",
		    tty.t_uart.u_port, tty.t_uart.u_irq, tty.t_count.rx, tty.t_count.tx,
		    tty.t_session, tty.t_pgrp, tty.t_sig_target);
	for (size_t k = 0; k < ARRAY_SIZE(queues); k++)
		for (int i = 0; i < queues[k]->q_len; i++)
			dump_printf(d, "tty:   %s from %d id %llu size %zu done %zu\n", kinds[k],
				    queues[k]->q_req[i].tr_endpt,
				    (unsigned long long)queues[k]->q_req[i].tr_id,
				    queues[k]->q_req[i].tr_size, queues[k]->q_req[i].tr_done);
	for (int i = 0; i < TTY_SELECTS; i++)
		if (tty.t_selects[i].ops)
			dump_printf(d, "tty:   select from %d ops %#x\n", tty.t_selects[i].endpt,
				    tty.t_selects[i].ops);
}

int64_t
tty_resubmit(int type, endpoint_t endpt, cdev_id_t id, grant_id_t grant, size_t size, int flags,
	     unsigned long request, const struct cdev_user *u)
{
	switch (type) {
	case CDEV_READ:
		return tty_read(0, 0, endpt, grant, size, flags, id, u);
	case CDEV_WRITE:
		return tty_write(0, 0, endpt, grant, size, flags, id, u);
	default:
		return tty_ioctl(0, request, endpt, grant, flags, u, id);
	}
}

static const struct chardriver tty_tab = {
	.cdr_open = tty_open,
	.cdr_close = tty_close,
	.cdr_read = tty_read,
	.cdr_write = tty_write,
	.cdr_ioctl = tty_ioctl,
	.cdr_cancel = tty_cancel,
	.cdr_select = tty_select,
	.cdr_intr = tty_intr,
	.cdr_alarm = tty_alarm,
	.cdr_dump = tty_dump,
};

/* [PORT [IRQ]]; false if they make no sense. */
static bool
parse_args(int argc, char **argv)
{
	char *end;

	if (argc > 1) {
		uart_port = (uint32_t)strtoul(argv[1], &end, 0);
		if (*end || uart_port == 0 || uart_port > 0xfff8)
			return false;
	}
	if (argc > 2) {
		uart_irq = (int)strtoul(argv[2], &end, 0);
		if (*end || uart_irq < 1 || uart_irq > 15)
			return false;
	}
	return argc <= 3;
}

/*
 * Every start (fresh, restart, live update) programs the UART from scratch:
 * what the hardware holds is not to be trusted after a crash.  The settings
 * are the ones an earlier instance kept in DS (tty_keep.c), or the defaults.  Bad arguments or no UART fail the init: RS reports it
 * and keeps the service down instead of restarting it for ever.
 */
static int
tty_init(int type, const struct msg_rs_init *info)
{
	struct msg_sys_kinfo ki;
	int r;

	(void)info;
	if (!parse_args(arg_count, arg_values)) {
		printf("%s: bad arguments; expected [PORT [IRQ]], such as 0x2f8 3\n", self_name);
		return -EINVAL;
	}
	memset(&tty, 0, sizeof(tty));
	ldisc_init(&tty.t_ld);
	tty.t_winsize = (struct winsize){ .ws_row = 25, .ws_col = 80 };
	if (!tty_kept_settings())
		tty.t_sig_target = NONE; /* PM signals the groups; a test may register instead */
	if (sys_getkinfo(&ki) == 0 && ki.hz > 0)
		clock_hz = ki.hz;
	if ((r = uart_init(&tty.t_uart, uart_port, uart_irq)) < 0 ||
	    (r = uart_set_line(&tty.t_uart, tty.t_ld.ld_termios.c_cflag)) < 0 ||
	    (r = update_receiver()) < 0) {
		printf("%s: cannot drive a UART at %#x, irq %d: %d\n", self_name, uart_port,
		       uart_irq, r);
		return r;
	}
	chardriver_announce(type);
	return 0;
}

int
main(int argc, char **argv)
{
	arg_count = argc;
	arg_values = argv;
	sef_setcb_init_fresh(tty_init);
	sef_startup();
	chardriver_task(&tty_tab);
}
