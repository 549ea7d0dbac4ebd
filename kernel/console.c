/*
 * Kernel console output: printf() formats with the shared vsnprintf and
 * writes to the serial console.  System processes print through the
 * DIAG_PRINT kernel call until a tty driver exists, so their lines come
 * out here too, whole.
 */
#include "kernel.h"
#include "arch.h"
#include <stdarg.h>

void
console_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			arch_console_putc('\r');
		arch_console_putc(s[i]);
	}
}

int
vprintf(const char *fmt, va_list ap)
{
	char buf[512];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	console_write(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
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
