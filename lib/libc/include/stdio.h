/*
 * Formatted output for the kernel and the system processes.
 *
 * One formatter (lib/libc/vsnprintf.c): C99 semantics, no floating point,
 * no %n.  vsnprintf and snprintf write into a buffer; vformat gives the
 * text to a sink (with its context, ctx), in pieces of at most
 * FORMAT_CHUNK characters.  printf, vprintf, puts and putchar
 * (lib/libc/printf.c) are vformat over console_sink, the only part each
 * environment provides: the kernel
 * writes to its serial console, a system process sends DIAG_PRINT (one
 * piece is one kernel call, so lines of different processes do not mix).
 * All of them return the number of characters written (or that would
 * have been written, for a truncated snprintf).
 */
#ifndef AX_LIBC_STDIO_H
#define AX_LIBC_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define EOF (-1)

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(__printf__, 3, 0)));
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(__printf__, 3, 4)));

#define FORMAT_CHUNK 512 /* the longest piece a sink is given */

typedef void format_sink(void *ctx, const char *s, size_t len);

int vformat(format_sink *sink, void *ctx, const char *fmt, va_list ap)
	__attribute__((format(__printf__, 3, 0)));

/* The console: provided by each environment, not by lib/libc. */
void console_sink(const char *s, size_t len);

int printf(const char *fmt, ...) __attribute__((format(__printf__, 1, 2)));
int vprintf(const char *fmt, va_list ap) __attribute__((format(__printf__, 1, 0)));
int putchar(int c);
int puts(const char *s);

#endif
