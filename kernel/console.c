/*
 * The kernel's console, COM1: console_write() puts text on it (a newline
 * becomes CR LF), and console_sink is that for printf, which is the shared
 * one (lib/libc/printf.c).  System processes print through the DIAG_PRINT
 * kernel call, so their lines come out here too, whole.
 */
#include "kernel.h"
#include "arch.h"

void
console_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			arch_console_putc('\r');
		arch_console_putc(s[i]);
	}
}

void
console_sink(const char *s, size_t len)
{
	console_write(s, len);
}
