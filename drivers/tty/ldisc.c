/*
 * The line discipline (see ldisc.h): input editing, echo and output
 * processing over two rings, no I/O.  The order in which a received byte
 * is looked at follows Linux's n_tty: a byte after VLNEXT is stored as it
 * is; otherwise IXON's VSTOP/VSTART, then ISIG's signal characters, then
 * the CR/NL mappings, then canonical editing or raw storage.
 *
 * Echo goes through the same output processing as written data (so an
 * echoed newline becomes "\r\n" under ONLCR) and keeps ld_column, the
 * cursor's column, up to date; erasing a tab uses it to know how far to
 * back up, as Linux does.  Multi-byte (UTF-8) characters are erased a byte
 * at a time.  Unlike Linux, backspace (^H) erases too whatever VERASE is
 * (DEL by default): serial terminals send one or the other for that key.
 */
#include "ldisc.h"
#include <ax/signal.h>
#include <string.h>

#define IN_MASK  (LDISC_IN_SIZE - 1)
#define OUT_MASK (LDISC_OUT_SIZE - 1)

AX_STATIC_ASSERT((LDISC_IN_SIZE & IN_MASK) == 0, "the input ring is a power of two");
AX_STATIC_ASSERT((LDISC_OUT_SIZE & OUT_MASK) == 0, "the output ring is a power of two");

/* Linux's defaults (tty_std_termios, INIT_C_CC), at 115200 baud. */
static const struct termios default_termios = {
	.c_iflag = ICRNL | IXON,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = B115200 | CS8 | CREAD | HUPCL | CLOCAL,
	.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
	.c_cc = {
		[VINTR] = 003, [VQUIT] = 034, [VERASE] = 0177, [VKILL] = 025,
		[VEOF] = 004, [VTIME] = 0, [VMIN] = 1, [VSTART] = 021, [VSTOP] = 023,
		[VSUSP] = 032, [VREPRINT] = 022, [VDISCARD] = 017, [VWERASE] = 027,
		[VLNEXT] = 026,
	},
};

static bool
lflag(const struct ldisc *ld, uint32_t flag)
{
	return (ld->ld_termios.c_lflag & flag) != 0;
}

/* Is c the (enabled) special character cc[index]? */
static bool
is_cc(const struct ldisc *ld, uint8_t c, int index)
{
	return ld->ld_termios.c_cc[index] != 0 && ld->ld_termios.c_cc[index] == c;
}

static bool
is_ctrl(uint8_t c)
{
	return c < 0x20 || c == 0x7f;
}

void
ldisc_init(struct ldisc *ld)
{
	memset(ld, 0, sizeof(*ld));
	ld->ld_termios = default_termios;
}

/* ---- output ---------------------------------------------------------- */

size_t
ldisc_out_pending(const struct ldisc *ld)
{
	return ld->ld_out_head - ld->ld_out_tail;
}

size_t
ldisc_out_room(const struct ldisc *ld)
{
	return LDISC_OUT_SIZE - ldisc_out_pending(ld);
}

static void
out_put(struct ldisc *ld, uint8_t c)
{
	ld->ld_out[ld->ld_out_head++ & OUT_MASK] = c;
}

/* Where the cursor goes after printing c from column `col`. */
static unsigned
column_after(const struct ldisc *ld, uint8_t c, unsigned col)
{
	const uint32_t oflag = ld->ld_termios.c_oflag;

	switch (c) {
	case '\n':
		return (oflag & (ONLCR | ONLRET)) ? 0 : col;
	case '\r':
		return 0;
	case '\t':
		return (col | 7) + 1;
	case '\b':
		return col > 0 ? col - 1 : 0;
	}
	if (is_ctrl(c) || ((ld->ld_termios.c_iflag & IUTF8) && (c & 0xc0) == 0x80))
		return col;
	return col + 1;
}

/*
 * Queue one output byte through OPOST; false, with nothing queued, if its
 * expansion does not fit.
 */
static bool
opost_char(struct ldisc *ld, uint8_t c)
{
	const uint32_t oflag = ld->ld_termios.c_oflag;
	bool crlf = false;

	if (oflag & OPOST) {
		if (c == '\n' && (oflag & ONLCR))
			crlf = true;
		else if (c == '\r' && (oflag & ONOCR) && ld->ld_column == 0)
			return true; /* nothing to do at column 0 */
		else if (c == '\r' && (oflag & OCRNL))
			c = '\n';
		else if ((oflag & OLCUC) && c >= 'a' && c <= 'z')
			c = (uint8_t)(c - 'a' + 'A');
	}
	if (ldisc_out_room(ld) < (crlf ? 2u : 1u))
		return false;
	if (crlf)
		out_put(ld, '\r');
	out_put(ld, c);
	ld->ld_column = (oflag & OPOST) ? column_after(ld, c, ld->ld_column) : ld->ld_column;
	return true;
}

size_t
ldisc_write(struct ldisc *ld, const uint8_t *src, size_t len)
{
	size_t n = 0;

	while (n < len && opost_char(ld, src[n]))
		n++;
	return n;
}

size_t
ldisc_out_take(struct ldisc *ld, uint8_t *dst, size_t max)
{
	size_t n = 0;

	if (ld->ld_stopped)
		return 0;
	while (n < max && ld->ld_out_tail != ld->ld_out_head)
		dst[n++] = ld->ld_out[ld->ld_out_tail++ & OUT_MASK];
	return n;
}

void
ldisc_flush_output(struct ldisc *ld)
{
	ld->ld_out_tail = ld->ld_out_head;
}

/* ---- echo ------------------------------------------------------------ */

/* Echo does not wait for room: what does not fit is not echoed. */
static void
echo_raw(struct ldisc *ld, uint8_t c)
{
	(void)opost_char(ld, c);
}

/* Echo c as typed: control characters as ^X under ECHOCTL. */
static void
echo_char(struct ldisc *ld, uint8_t c)
{
	if (lflag(ld, ECHOCTL) && is_ctrl(c) && c != '\t' && c != '\n') {
		echo_raw(ld, '^');
		echo_raw(ld, c ^ 0x40);
	} else {
		echo_raw(ld, c);
	}
}

/* The column the edited line reaches at input position `end`. */
static unsigned
line_column(const struct ldisc *ld, size_t end)
{
	unsigned col = ld->ld_canon_column;

	for (size_t i = ld->ld_in_canon; i != end; i++) {
		uint8_t c = ld->ld_in[i & IN_MASK];

		if (c == '\t')
			col = (col | 7) + 1;
		else if (is_ctrl(c))
			col += lflag(ld, ECHOCTL) ? 2 : 0;
		else
			col = column_after(ld, c, col);
	}
	return col;
}

/* Take c, just removed from the end of the edited line, off the screen. */
static void
echo_erase(struct ldisc *ld, uint8_t c)
{
	unsigned n;

	if (c == '\t') {
		unsigned col = line_column(ld, ld->ld_in_head);

		for (n = ld->ld_column > col ? ld->ld_column - col : 0; n > 0; n--)
			echo_raw(ld, '\b');
		return;
	}
	if (is_ctrl(c))
		n = lflag(ld, ECHOCTL) ? 2 : 0;
	else
		n = column_after(ld, c, 0);
	for (; n > 0; n--) {
		echo_raw(ld, '\b');
		echo_raw(ld, ' ');
		echo_raw(ld, '\b');
	}
}

/* ---- input ----------------------------------------------------------- */

static size_t
in_used(const struct ldisc *ld)
{
	return ld->ld_in_head - ld->ld_in_tail;
}

size_t
ldisc_input_avail(const struct ldisc *ld)
{
	if (lflag(ld, ICANON))
		return ld->ld_in_canon - ld->ld_in_tail;
	return in_used(ld);
}

/* Store c with its LDF_ flags if it fits (keeping `reserve` places free). */
static bool
in_store(struct ldisc *ld, uint8_t c, uint8_t flags, size_t reserve)
{
	if (in_used(ld) + reserve >= LDISC_IN_SIZE) {
		ld->ld_dropped++;
		return false;
	}
	ld->ld_in[ld->ld_in_head & IN_MASK] = c;
	ld->ld_in_flags[ld->ld_in_head & IN_MASK] = flags;
	ld->ld_in_head++;
	return true;
}

void
ldisc_flush_input(struct ldisc *ld)
{
	ld->ld_in_tail = ld->ld_in_canon = ld->ld_in_head;
	ld->ld_lnext = false;
	ld->ld_canon_column = ld->ld_column;
}

/* VINTR, VQUIT, VSUSP under ISIG: record the signal; the byte is not input. */
static bool
input_signal(struct ldisc *ld, uint8_t c)
{
	int sig;

	if (is_cc(ld, c, VINTR))
		sig = SIGINT;
	else if (is_cc(ld, c, VQUIT))
		sig = SIGQUIT;
	else if (is_cc(ld, c, VSUSP))
		sig = SIGTSTP;
	else
		return false;
	if (!lflag(ld, NOFLSH)) {
		ldisc_flush_input(ld);
		ldisc_flush_output(ld);
	}
	if (lflag(ld, ECHO))
		echo_char(ld, c);
	ld->ld_signals |= sig_bit(sig);
	return true;
}

/* VSTOP and VSTART under IXON pause and resume output; they are not input. */
static bool
input_flow(struct ldisc *ld, uint8_t c)
{
	const uint32_t iflag = ld->ld_termios.c_iflag;

	if (!(iflag & IXON))
		return false;
	if (is_cc(ld, c, VSTOP)) {
		ld->ld_stopped = true;
		return true;
	}
	if (is_cc(ld, c, VSTART)) {
		ld->ld_stopped = false;
		return true;
	}
	if (iflag & IXANY)
		ld->ld_stopped = false;
	return false;
}

/* VERASE, VWERASE or VKILL (which), applied to the edited line. */
static void
input_erase(struct ldisc *ld, uint8_t c, int which)
{
	bool seen_word = false;

	if (ld->ld_in_head == ld->ld_in_canon)
		return;
	if (which == VKILL &&
	    (!lflag(ld, ECHO) || !lflag(ld, ECHOK) || !lflag(ld, ECHOKE) || !lflag(ld, ECHOE))) {
		/* Kill without visual erasing: drop the line, show the kill. */
		ld->ld_in_head = ld->ld_in_canon;
		if (lflag(ld, ECHO)) {
			echo_char(ld, c);
			if (lflag(ld, ECHOK))
				echo_raw(ld, '\n');
		}
		return;
	}
	while (ld->ld_in_head != ld->ld_in_canon) {
		uint8_t last = ld->ld_in[(ld->ld_in_head - 1) & IN_MASK];

		if (which == VWERASE) {
			bool blank = last == ' ' || last == '\t';

			if (blank && seen_word)
				break;
			seen_word |= !blank;
		}
		ld->ld_in_head--;
		if (lflag(ld, ECHO) && lflag(ld, ECHOE))
			echo_erase(ld, last);
		else if (lflag(ld, ECHO))
			echo_char(ld, c);
		if (which == VERASE)
			break;
	}
}

/* '\n', VEOL, VEOL2 or VEOF: the edited line becomes readable. */
static void
input_end_line(struct ldisc *ld, uint8_t c, bool eof)
{
	if (!in_store(ld, c, LDF_EOL | (eof ? LDF_EOF : 0), 0))
		return;
	if (c == '\n' && lflag(ld, ECHO | ECHONL))
		echo_raw(ld, '\n');
	else if (!eof && lflag(ld, ECHO))
		echo_char(ld, c);
	ld->ld_in_canon = ld->ld_in_head;
	ld->ld_canon_column = ld->ld_column;
}

/* ^R: show the line being edited again, on a line of its own. */
static void
input_reprint(struct ldisc *ld, uint8_t c)
{
	if (!lflag(ld, ECHO))
		return;
	echo_char(ld, c);
	echo_raw(ld, '\n');
	ld->ld_canon_column = ld->ld_column;
	for (size_t i = ld->ld_in_canon; i != ld->ld_in_head; i++)
		echo_char(ld, ld->ld_in[i & IN_MASK]);
}

/* An ordinary byte of the edited line (one place stays free for its end). */
static void
input_canon_char(struct ldisc *ld, uint8_t c)
{
	if (ld->ld_in_head == ld->ld_in_canon)
		ld->ld_canon_column = ld->ld_column;
	if (in_store(ld, c, 0, 1) && lflag(ld, ECHO))
		echo_char(ld, c);
}

static void
input_canon(struct ldisc *ld, uint8_t c)
{
	bool ext = lflag(ld, IEXTEN);

	if (is_cc(ld, c, VERASE) || c == '\b')
		input_erase(ld, c, VERASE);
	else if (is_cc(ld, c, VKILL))
		input_erase(ld, c, VKILL);
	else if (ext && is_cc(ld, c, VWERASE))
		input_erase(ld, c, VWERASE);
	else if (ext && is_cc(ld, c, VLNEXT))
		ld->ld_lnext = true;
	else if (ext && is_cc(ld, c, VREPRINT))
		input_reprint(ld, c);
	else if (c == '\n' || is_cc(ld, c, VEOL) || (ext && is_cc(ld, c, VEOL2)))
		input_end_line(ld, c, false);
	else if (is_cc(ld, c, VEOF))
		input_end_line(ld, c, true);
	else
		input_canon_char(ld, c);
}

static void
input_raw(struct ldisc *ld, uint8_t c)
{
	if (in_store(ld, c, 0, 0) && lflag(ld, ECHO))
		echo_char(ld, c);
	ld->ld_in_canon = ld->ld_in_head;
}

void
ldisc_input(struct ldisc *ld, uint8_t c)
{
	const uint32_t iflag = ld->ld_termios.c_iflag;

	if (iflag & ISTRIP)
		c &= 0x7f;
	if (ld->ld_lnext) {
		ld->ld_lnext = false;
		input_canon_char(ld, c);
		return;
	}
	if (input_flow(ld, c))
		return;
	if (lflag(ld, ISIG) && input_signal(ld, c))
		return;
	if (c == '\r') {
		if (iflag & IGNCR)
			return;
		if (iflag & ICRNL)
			c = '\n';
	} else if (c == '\n' && (iflag & INLCR)) {
		c = '\r';
	}
	if (lflag(ld, ICANON))
		input_canon(ld, c);
	else
		input_raw(ld, c);
}

/* ---- reading --------------------------------------------------------- */

bool
ldisc_read_ready(const struct ldisc *ld, size_t count, bool timed_out)
{
	size_t avail = in_used(ld), vmin = ld->ld_termios.c_cc[VMIN];
	size_t need = vmin < count ? vmin : count;

	if (lflag(ld, ICANON))
		return ld->ld_in_canon != ld->ld_in_tail;
	/* VMIN bytes; with VMIN 0, anything, or nothing if VTIME is 0 too. */
	if (avail >= need && (need > 0 || avail > 0 || ld->ld_termios.c_cc[VTIME] == 0))
		return true;
	/* VTIME ran out: with VMIN 0 regardless, else once a byte came. */
	return timed_out && (vmin == 0 || avail > 0);
}

bool
ldisc_poll_in(const struct ldisc *ld)
{
	const uint8_t *cc = ld->ld_termios.c_cc;

	if (lflag(ld, ICANON))
		return ld->ld_in_canon != ld->ld_in_tail;
	return in_used(ld) >= (cc[VTIME] == 0 && cc[VMIN] > 0 ? cc[VMIN] : 1u);
}

size_t
ldisc_peek(const struct ldisc *ld, uint8_t *dst, size_t max, size_t *consumed)
{
	bool canon = lflag(ld, ICANON);
	size_t end = canon ? ld->ld_in_canon : ld->ld_in_head;
	size_t i = ld->ld_in_tail, n = 0;

	while (i != end && n < max) {
		uint8_t c = ld->ld_in[i & IN_MASK], flags = ld->ld_in_flags[i & IN_MASK];

		i++;
		if (canon && (flags & LDF_EOF))
			break;
		dst[n++] = c;
		if (canon && (flags & LDF_EOL))
			break;
	}
	*consumed = i - ld->ld_in_tail;
	return n;
}

void
ldisc_consume(struct ldisc *ld, size_t consumed)
{
	if (consumed > in_used(ld))
		consumed = in_used(ld);
	ld->ld_in_tail += consumed;
	if (ld->ld_in_canon - ld->ld_in_tail > in_used(ld))
		ld->ld_in_canon = ld->ld_in_tail; /* was behind the tail */
}

/* ---- settings -------------------------------------------------------- */

void
ldisc_set_termios(struct ldisc *ld, const struct termios *t)
{
	bool was_canon = lflag(ld, ICANON);

	ld->ld_termios = *t;
	if (was_canon == lflag(ld, ICANON))
		return;
	ld->ld_lnext = false;
	if (!lflag(ld, ICANON)) {
		ld->ld_in_canon = ld->ld_in_head; /* everything is readable now */
	} else if (in_used(ld) > 0) {
		/* Raw bytes left over are pushed out as one line, as Linux does. */
		ld->ld_in_flags[(ld->ld_in_head - 1) & IN_MASK] |= LDF_EOL;
		ld->ld_in_canon = ld->ld_in_head;
	}
	ld->ld_canon_column = ld->ld_column;
}

uint64_t
ldisc_take_signals(struct ldisc *ld)
{
	uint64_t sigs = ld->ld_signals;

	ld->ld_signals = 0;
	return sigs;
}
