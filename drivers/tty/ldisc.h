/*
 * The line discipline: what a terminal does to the bytes between the
 * serial port and its readers and writers, with no I/O of its own, so that
 * tests/unit/test_ldisc.c runs it on the host.
 *
 * Input (ldisc_input, one received byte at a time) goes through the input
 * flags (ISTRIP, IGNCR, ICRNL, INLCR), then the signal characters (ISIG:
 * VINTR, VQUIT, VSUSP are recorded in ld_signals and not stored), then
 * either canonical editing (ICANON: VERASE, VWERASE, VKILL, VLNEXT edit the
 * current line; '\n', VEOL, VEOL2 and VEOF end it) or raw storage, and is
 * echoed (ECHO, ECHOE, ECHOK, ECHOKE, ECHOCTL, ECHONL) into the output
 * queue.  Readers take whole lines in canonical mode, and in raw mode bytes
 * as VMIN and VTIME allow (ldisc_read_ready).
 *
 * Output (ldisc_write) goes through the output flags (OPOST: ONLCR, OCRNL,
 * ONOCR, ONLRET, OLCUC) into the output queue, which the driver empties
 * into the UART (ldisc_out_take); IXON's VSTOP and VSTART pause and resume
 * that.  Both queues are rings of fixed size; input that does not fit is
 * dropped and counted, output that does not fit is refused (the writer
 * waits), and echo that does not fit is dropped.
 */
#ifndef TTY_LDISC_H
#define TTY_LDISC_H

#include <ax/types.h>
#include <ax/termios.h>

#define LDISC_IN_SIZE  4096 /* powers of two: the rings index by mask */
#define LDISC_OUT_SIZE 4096

struct ldisc {
	struct termios ld_termios;

	/* Input: tail <= canon <= head, counters running free (index & mask). */
	uint8_t ld_in[LDISC_IN_SIZE];
	uint8_t ld_in_flags[LDISC_IN_SIZE]; /* LDF_* per stored byte */
	size_t ld_in_tail;                  /* the next byte a reader takes */
	size_t ld_in_canon;                 /* end of what readers may take (complete lines) */
	size_t ld_in_head;        /* the next free place; canon..head: the line being edited */
	bool ld_lnext;            /* the next byte is taken literally (VLNEXT) */
	unsigned ld_canon_column; /* output column where the edited line began */
	uint32_t ld_dropped;      /* input bytes dropped for lack of room */

	/* Output. */
	uint8_t ld_out[LDISC_OUT_SIZE];
	size_t ld_out_tail, ld_out_head;
	unsigned ld_column; /* the cursor's column, as far as output tells */
	bool ld_stopped;    /* VSTOP seen: output paused until VSTART */

	uint64_t ld_signals; /* sig_bit() of each signal raised, until taken */
};

#define LDF_EOL 0x01 /* this byte ends a line */
#define LDF_EOF 0x02 /* ... and is VEOF: it ends it without being read */

void ldisc_init(struct ldisc *ld);
void ldisc_set_termios(struct ldisc *ld, const struct termios *t);
void ldisc_flush_input(struct ldisc *ld);
void ldisc_flush_output(struct ldisc *ld);

/* One byte received (or inserted by TIOCSTI). */
void ldisc_input(struct ldisc *ld, uint8_t c);
/* Bytes a read could take now (FIONREAD). */
size_t ldisc_input_avail(const struct ldisc *ld);
/*
 * Should a read of `count` bytes finish now?  `timed_out`: its VTIME timer
 * (run by the driver) has expired.  A read that is ready may return 0 bytes
 * (raw mode with VMIN 0, or VEOF at the start of a line).
 */
bool ldisc_read_ready(const struct ldisc *ld, size_t count, bool timed_out);
/* Would select/poll call the terminal readable (Linux's rule)? */
bool ldisc_poll_in(const struct ldisc *ld);
/*
 * Copy what a read of at most `max` bytes returns into dst, without taking
 * it; *consumed is what ldisc_consume() must then take (a VEOF counts
 * there but is not copied).  Returns the bytes copied.
 */
size_t ldisc_peek(const struct ldisc *ld, uint8_t *dst, size_t max, size_t *consumed);
void ldisc_consume(struct ldisc *ld, size_t consumed);

/* Process up to len bytes of output; returns how many fitted. */
size_t ldisc_write(struct ldisc *ld, const uint8_t *src, size_t len);
size_t ldisc_out_pending(const struct ldisc *ld); /* queued, stopped or not */
size_t ldisc_out_room(const struct ldisc *ld);
/* Take up to max queued output bytes for the port (none while stopped). */
size_t ldisc_out_take(struct ldisc *ld, uint8_t *dst, size_t max);

/* The signals raised since the last call (sig_bit() set), now cleared. */
uint64_t ldisc_take_signals(struct ldisc *ld);

#endif
