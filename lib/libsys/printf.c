/*
 * The console of a system process, for the shared printf
 * (lib/libc/printf.c): each piece of formatted text, at most FORMAT_CHUNK
 * bytes, is one DIAG_PRINT, which the kernel writes to its console whole,
 * so lines from different processes do not interleave mid-line.
 */
#include "libsys.h"
#include <stdio.h>

_Static_assert(FORMAT_CHUNK <= DIAG_PRINT_MAX, "a piece of printf output is one DIAG_PRINT");

void
console_sink(const char *s, size_t len)
{
	sys_diag_print(s, len);
}
