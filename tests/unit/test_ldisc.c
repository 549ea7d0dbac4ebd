/*
 * Unit tests of drivers/tty/ldisc.c, the line discipline, built for the
 * host: bytes typed go in with ldisc_input, and the tests check what a
 * reader gets (ldisc_peek/ldisc_consume), what is echoed or written to the
 * port (ldisc_out_take) and which signals were raised.
 */
#include "host_prefix.h"

#include <ax/types.h>
#include <ax/signal.h>
#include <string.h>

#include "ldisc.h"
#include "unit.h"

static struct ldisc ld;

static void
setup(void)
{
	ldisc_init(&ld);
}

static void
type(const char *s)
{
	while (*s)
		ldisc_input(&ld, (uint8_t)*s++);
}

/* What a read of at most max bytes returns now, NUL-terminated. */
static const char *
read_max(size_t max)
{
	static char buf[LDISC_IN_SIZE + 1];
	size_t consumed, n = ldisc_peek(&ld, (uint8_t *)buf, max, &consumed);

	ldisc_consume(&ld, consumed);
	buf[n] = '\0';
	return buf;
}

static const char *
read_all(void)
{
	return read_max(LDISC_IN_SIZE);
}

/* Everything queued for the port (echo and written output), taken. */
static const char *
port(void)
{
	static char buf[LDISC_OUT_SIZE + 1];
	size_t n = ldisc_out_take(&ld, (uint8_t *)buf, LDISC_OUT_SIZE);

	buf[n] = '\0';
	return buf;
}

static void
set_lflag(uint32_t on, uint32_t off)
{
	struct termios t = ld.ld_termios;

	t.c_lflag = (t.c_lflag | on) & ~off;
	ldisc_set_termios(&ld, &t);
}

static void
set_raw(uint8_t vmin, uint8_t vtime)
{
	struct termios t = ld.ld_termios;

	t.c_lflag &= ~(uint32_t)(ICANON | ECHO | ISIG);
	t.c_cc[VMIN] = vmin;
	t.c_cc[VTIME] = vtime;
	ldisc_set_termios(&ld, &t);
}

TEST(ldisc_canonical_line, "in canonical mode a read waits for a whole line and returns one line")
{
	setup();
	type("ab");
	CHECK(!ldisc_read_ready(&ld, 100, false));
	CHECK_EQ_INT(ldisc_input_avail(&ld), 0);
	type("c\rde\n"); /* ICRNL: Enter is a newline */
	CHECK(ldisc_read_ready(&ld, 100, false));
	CHECK_EQ_STR(read_all(), "abc\n");
	CHECK_EQ_STR(read_all(), "de\n");
	CHECK(!ldisc_read_ready(&ld, 100, false));
}

TEST(ldisc_short_read, "a read smaller than the line takes part of it; the rest is still there")
{
	setup();
	type("hello\n");
	CHECK_EQ_STR(read_max(3), "hel");
	CHECK(ldisc_read_ready(&ld, 100, false));
	CHECK_EQ_STR(read_all(), "lo\n");
}

TEST(ldisc_erase_kill, "erase removes one byte, kill the whole line, word-erase one word")
{
	setup();
	type("helo\x7f\x7flo wrld\x15hello, worx\x08ld tea\x17world\n");
	CHECK_EQ_STR(read_all(), "hello, world world\n");
	type("\x7f\x15x\n"); /* erase and kill on an empty line do nothing */
	CHECK_EQ_STR(read_all(), "x\n");
}

TEST(ldisc_echo, "typed bytes are echoed; newline as CR LF, control bytes as ^X")
{
	setup();
	type("ab\x01\r");
	CHECK_EQ_STR(port(), "ab^A\r\n");
	CHECK_EQ_STR(read_all(), "ab\x01\n");
}

TEST(ldisc_echo_erase, "ECHOE erases with backspace-space-backspace; ^X takes two")
{
	setup();
	type("ab\x7f");
	CHECK_EQ_STR(port(), "ab\b \b");
	type("\x02\x7f");
	CHECK_EQ_STR(port(), "^B\b \b\b \b");
	type("cd\x15"); /* ECHOKE: the line is erased on screen */
	CHECK_EQ_STR(port(), "cd\b \b\b \b\b \b");
}

TEST(ldisc_echo_tab_erase, "erasing a tab backs up to where it began")
{
	setup();
	ldisc_write(&ld, (const uint8_t *)"$ ", 2); /* a prompt: column 2 */
	type("ab\t");
	CHECK_EQ_STR(port(), "$ ab\t");
	type("\x7f"); /* from column 8 back to column 4 */
	CHECK_EQ_STR(port(), "\b\b\b\b");
}

TEST(ldisc_echo_off, "with ECHO off nothing is echoed, ECHONL still echoes newlines")
{
	setup();
	set_lflag(0, ECHO);
	type("secret\x7f\n");
	CHECK_EQ_STR(port(), "");
	CHECK_EQ_STR(read_all(), "secre\n");
	set_lflag(ECHONL, 0);
	type("x\n");
	CHECK_EQ_STR(port(), "\r\n");
}

TEST(ldisc_kill_echok, "without ECHOKE, kill echoes the kill character and a newline")
{
	setup();
	set_lflag(0, ECHOKE);
	type("abc\x15");
	CHECK_EQ_STR(port(), "abc^U\r\n");
	type("d\n");
	CHECK_EQ_STR(read_all(), "d\n");
}

TEST(ldisc_eof, "VEOF ends a line without being read; at the start of a line it reads as 0 bytes")
{
	setup();
	type("ab\x04");
	CHECK(ldisc_read_ready(&ld, 100, false));
	CHECK_EQ_STR(read_all(), "ab");
	type("\x04");
	CHECK(ldisc_read_ready(&ld, 100, false));
	CHECK_EQ_STR(read_all(), "");
	CHECK(!ldisc_read_ready(&ld, 100, false));
}

TEST(ldisc_lnext, "after VLNEXT an erase character is taken literally")
{
	setup();
	type("a\x16\x7f\n");
	CHECK_EQ_STR(read_all(), "a\x7f\n");
}

TEST(ldisc_signals, "^C, ^\\ and ^Z are reported, flush the line and are not input")
{
	setup();
	type("abc\x03");
	CHECK_EQ_INT(ldisc_take_signals(&ld), sig_bit(SIGINT));
	CHECK_EQ_INT(ldisc_take_signals(&ld), 0);
	CHECK_EQ_STR(port(), "^C"); /* "abc" was flushed with the output */
	type("d\x1a\x1c\n");
	CHECK_EQ_INT(ldisc_take_signals(&ld), sig_bit(SIGTSTP) | sig_bit(SIGQUIT));
	CHECK_EQ_STR(read_all(), "\n");
}

TEST(ldisc_signals_off, "without ISIG, ^C is an ordinary byte; NOFLSH keeps the line")
{
	setup();
	set_lflag(NOFLSH, 0);
	type("ab\x03");
	CHECK_EQ_INT(ldisc_take_signals(&ld), sig_bit(SIGINT));
	type("\n");
	CHECK_EQ_STR(read_all(), "ab\n");
	set_lflag(0, ISIG);
	type("\x03\n");
	CHECK_EQ_INT(ldisc_take_signals(&ld), 0);
	CHECK_EQ_STR(read_all(), "\x03\n");
}

TEST(ldisc_raw_vmin, "raw mode: a read is ready with VMIN bytes, and takes all there are")
{
	setup();
	set_raw(3, 0);
	type("a\x7f"); /* no editing: DEL is data */
	CHECK(!ldisc_read_ready(&ld, 100, false));
	CHECK(ldisc_read_ready(&ld, 2, false)); /* a read of 2 needs only 2 */
	type("\n");
	CHECK(ldisc_read_ready(&ld, 100, false));
	CHECK_EQ_STR(read_all(), "a\x7f\n");
	CHECK_EQ_STR(port(), ""); /* ECHO is off too */
}

TEST(ldisc_raw_vtime,
     "raw mode: VMIN 0 returns at once, or after VTIME; VMIN>0 with VTIME after a byte")
{
	setup();
	set_raw(0, 0);
	CHECK(ldisc_read_ready(&ld, 10, false)); /* returns 0 bytes */
	set_raw(0, 5);
	CHECK(!ldisc_read_ready(&ld, 10, false));
	CHECK(ldisc_read_ready(&ld, 10, true));
	type("x");
	CHECK(ldisc_read_ready(&ld, 10, false));
	CHECK_EQ_STR(read_all(), "x");
	set_raw(4, 5);
	CHECK(!ldisc_read_ready(&ld, 10, true)); /* no byte yet: no timer */
	type("y");
	CHECK(!ldisc_read_ready(&ld, 10, false));
	CHECK(ldisc_read_ready(&ld, 10, true));
}

TEST(ldisc_mode_switch,
     "switching to raw makes the edited line readable; back to canonical pushes raw bytes")
{
	setup();
	type("part");
	set_raw(1, 0);
	CHECK_EQ_STR(read_all(), "part");
	type("raw");
	set_lflag(ICANON, 0);
	CHECK(ldisc_read_ready(&ld, 100, false));
	CHECK_EQ_STR(read_all(), "raw");
}

TEST(ldisc_output, "OPOST with ONLCR turns newlines into CR LF; without OPOST bytes pass unchanged")
{
	struct termios t;

	setup();
	CHECK_EQ_INT(ldisc_write(&ld, (const uint8_t *)"a\nb", 3), 3);
	CHECK_EQ_STR(port(), "a\r\nb");
	t = ld.ld_termios;
	t.c_oflag &= ~(uint32_t)OPOST;
	ldisc_set_termios(&ld, &t);
	CHECK_EQ_INT(ldisc_write(&ld, (const uint8_t *)"a\nb", 3), 3);
	CHECK_EQ_STR(port(), "a\nb");
}

TEST(ldisc_output_full, "a write takes only what fits, never half of a CR LF")
{
	static uint8_t big[LDISC_OUT_SIZE];

	setup();
	memset(big, 'x', sizeof(big));
	CHECK_EQ_INT(ldisc_write(&ld, big, LDISC_OUT_SIZE - 1), LDISC_OUT_SIZE - 1);
	CHECK_EQ_INT(ldisc_write(&ld, (const uint8_t *)"\n", 1), 0);
	CHECK_EQ_INT(ldisc_out_room(&ld), 1);
	CHECK_EQ_INT(ldisc_write(&ld, (const uint8_t *)"yz", 2), 1);
	CHECK_EQ_INT(ldisc_out_pending(&ld), LDISC_OUT_SIZE);
}

TEST(ldisc_input_full, "input beyond the ring is dropped and counted; a line end still fits")
{
	setup();
	for (int i = 0; i < LDISC_IN_SIZE + 10; i++)
		ldisc_input(&ld, 'q');
	CHECK_EQ_INT(ld.ld_dropped, 11);
	ldisc_input(&ld, '\n');
	CHECK_EQ_INT(strlen(read_all()), LDISC_IN_SIZE);
}

TEST(ldisc_flow, "VSTOP pauses output until VSTART; neither is input")
{
	setup();
	type("\x13");
	ldisc_write(&ld, (const uint8_t *)"out", 3);
	CHECK_EQ_STR(port(), "");
	type("\x11");
	CHECK_EQ_STR(port(), "out");
	type("\n");
	CHECK_EQ_STR(read_all(), "\n");
}

TEST(ldisc_crnl, "IGNCR drops CR; INLCR maps NL to CR; without ICRNL a CR is an ordinary byte")
{
	struct termios t;

	setup();
	t = ld.ld_termios;
	t.c_iflag = IGNCR;
	ldisc_set_termios(&ld, &t);
	type("a\rb\n");
	CHECK_EQ_STR(read_all(), "ab\n");
	t.c_iflag = 0;
	ldisc_set_termios(&ld, &t);
	type("a\r\n");
	CHECK_EQ_STR(read_all(), "a\r\n");
}

TEST(ldisc_poll_in, "select calls the terminal readable with a whole line, or in raw mode with "
		    "VMIN bytes (1 with VTIME)")
{
	setup();
	type("ab");
	CHECK(!ldisc_poll_in(&ld)); /* half a line */
	type("\n");
	CHECK(ldisc_poll_in(&ld));
	setup();
	type("\x04"); /* VEOF alone: a read returns 0 */
	CHECK(ldisc_poll_in(&ld));
	setup();
	set_raw(2, 0);
	type("x");
	CHECK(!ldisc_poll_in(&ld)); /* a read would still wait */
	type("y");
	CHECK(ldisc_poll_in(&ld));
	setup();
	set_raw(2, 5);
	type("x");
	CHECK(ldisc_poll_in(&ld)); /* VTIME: any byte will do */
	setup();
	set_raw(0, 0);
	CHECK(!ldisc_poll_in(&ld)); /* nothing to read, though a read returns at once */
}
