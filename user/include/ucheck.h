/*
 * The checks of the static musl programs the guest tests start in a mode
 * (vfstest, vfslinux): a failed check prints the program, its mode, the
 * line, what was got and errno on stderr, and exits with the line (mod
 * 256, never 0), which the guest test reports.  A program defines
 * UCHECK_PROGRAM (its name) before including this, and sets `mode`.
 */
#ifndef UCHECK_H
#define UCHECK_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const char *mode; /* argv[1]: what a failure names */

/* printf to stderr, in one write, without stdio's buffer. */
static void __attribute__((format(printf, 1, 2))) say(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	if (write(2, buf, (size_t)n) < 0)
		return;
}

static void __attribute__((noreturn)) fail(int line, const char *what, long got)
{
	say(UCHECK_PROGRAM " %s: line %d: %s (got %ld, errno %d)\n", mode, line, what, got, errno);
	exit(line % 256 ? line % 256 : 1);
}

/* cond holds; else the failure names got. */
#define CHECK(cond, got)                                    \
	do {                                                \
		if (!(cond))                                \
			fail(__LINE__, #cond, (long)(got)); \
	} while (0)
/* The call fails with errno e. */
#define FAILS(call, e)                                               \
	do {                                                         \
		errno = 0;                                           \
		long r_ = (long)(call);                              \
		if (r_ != -1 || errno != (e))                        \
			fail(__LINE__, #call " fails with " #e, r_); \
	} while (0)
/* The call succeeds (a result of 0 or more). */
#define OK(call)                                               \
	do {                                                   \
		errno = 0;                                     \
		long r_ = (long)(call);                        \
		if (r_ < 0)                                    \
			fail(__LINE__, #call " succeeds", r_); \
	} while (0)

#endif
