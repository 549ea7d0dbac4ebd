/*
 * The kernel's console, COM1: console_write() puts the kernel's own text on
 * it (a newline becomes CR LF), and console_sink is that for printf, which
 * is the shared one (lib/libc/printf.c).
 *
 * System processes print through DIAG_PRINT (console_write_from), and their
 * text is attributable: the kernel starts every line a process writes with
 * "name(endpoint)| ", starts a new line when another writer takes over in
 * the middle of one, and writes only printable ASCII, tab and newline as
 * they are, every other byte as \xNN.  So no process can write a line that
 * looks like the kernel's or another process's (a test verdict, a panic),
 * nor move the cursor back over its prefix.  The kernel's own lines carry
 * no prefix; they are the only ones that do not.
 *
 * In normal mode the tty driver writes COM1 too, for the shell, through
 * DEVIO (console_driver_byte): the kernel sees each of those bytes before
 * it goes out, so it knows the screen's column whoever wrote last.  A log
 * line that comes while the shell's line is open (a prompt, a half-typed
 * command) starts on a new line, and a driver byte that comes in the
 * middle of a log line starts a new one too: the two never share a line.
 */
#include "kernel.h"
#include "arch.h"
#include "proc.h"

static endpoint_t line_owner = NONE; /* who wrote the open line; NONE: the kernel */
#define RAW_OWNER ANY                /* ...a driver's bytes through DEVIO: the shell's */
static bool line_open;               /* the console is in the middle of a line */

static void
put_raw(char c)
{
	if (c == '\n')
		arch_console_putc('\r');
	arch_console_putc(c);
	line_open = c != '\n';
}

static void
put_str(const char *s)
{
	while (*s)
		put_raw(*s++);
}

/* Start a line of `owner`'s (NONE: the kernel's) unless one is open already. */
static void
claim_line(endpoint_t owner)
{
	if (line_open && line_owner == owner)
		return;
	if (line_open)
		put_raw('\n');
	line_owner = owner;
}

void
console_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		claim_line(NONE);
		put_raw(s[i]);
	}
}

/* Text from process p (DIAG_PRINT): prefixed per line, control bytes escaped. */
void
console_write_from(const struct proc *p, const char *s, size_t len)
{
	char prefix[PROC_NAME_LEN + 16], esc[5];

	snprintf(prefix, sizeof(prefix), "%s(%d)| ", p->p_name, p->p_endpoint);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		claim_line(p->p_endpoint);
		if (!line_open)
			put_str(prefix);
		if (c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f)) {
			put_raw((char)c);
		} else {
			snprintf(esc, sizeof(esc), "\\x%02x", c);
			put_str(esc);
		}
	}
}

/* A byte a driver sends to the console's port itself (do_devio), just before it goes. */
void
console_driver_byte(char c)
{
	claim_line(RAW_OWNER);
	line_open = c != '\n';
}

void
console_sink(const char *s, size_t len)
{
	console_write(s, len);
}
