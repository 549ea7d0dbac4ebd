/*
 * printf and its family, the same in the kernel and in every system
 * process: the shared formatter (vformat, vsnprintf.c) over console_sink,
 * which each environment provides (kernel/console.c: the serial console;
 * lib/libsys/printf.c: the DIAG_PRINT kernel call).
 */
#include <stdarg.h>
#include <stdio.h>

static void
to_console(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	console_sink(s, len);
}

int
vprintf(const char *fmt, va_list ap)
{
	return vformat(to_console, NULL, fmt, ap);
}

int
printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vformat(to_console, NULL, fmt, ap);
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

	console_sink(&ch, 1);
	return (unsigned char)ch;
}
