/*
 * Formatted output for the kernel and the system processes.
 *
 * vsnprintf and snprintf are shared (lib/libc/vsnprintf.c): C99 semantics,
 * no floating point, no %n.  The console functions below them are declared
 * here but implemented by each environment: the kernel writes to its
 * console, a system process sends to the log server.  All of them return
 * the number of characters written (or that would have been written, for
 * a truncated snprintf).
 */
#ifndef AX_LIBC_STDIO_H
#define AX_LIBC_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define EOF	(-1)

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(__printf__, 3, 0)));
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(__printf__, 3, 4)));

/* Provided by each environment, not by lib/libc. */
int printf(const char *fmt, ...) __attribute__((format(__printf__, 1, 2)));
int vprintf(const char *fmt, va_list ap) __attribute__((format(__printf__, 1, 0)));
int putchar(int c);
int puts(const char *s);

#endif
