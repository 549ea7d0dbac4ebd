/*
 * printf for system processes: formats with the shared vsnprintf and hands
 * the text to the kernel console (DIAG_PRINT), so lines from different
 * processes do not interleave mid-line.  Longer output is sent in pieces.
 */
#include "libsys.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int
vprintf(const char *fmt, va_list ap)
{
	char buf[DIAG_PRINT_MAX];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	sys_diag_print(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
	return n;
}

int
printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int
puts(const char *s)
{
	return printf("%s\n", s);
}

int
putchar(int c)
{
	char ch = (char)c;

	sys_diag_print(&ch, 1);
	return c;
}
