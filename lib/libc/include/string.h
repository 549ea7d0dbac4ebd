/*
 * Memory and string functions for the kernel and the system processes.
 *
 * The usual C names and meanings, implemented in lib/libc/string.c without
 * SSE (the kernel is built -mgeneral-regs-only).  strlcpy is the BSD one:
 * it always terminates the destination and returns strlen(src), so a
 * result >= size means the copy was truncated.
 */
#ifndef AX_LIBC_STRING_H
#define AX_LIBC_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
size_t strlcpy(char *dst, const char *src, size_t size);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);

/*
 * With a constant length, a copy or a clear is the compiler's to expand: a
 * message cleared or a structure copied becomes a few moves instead of a
 * call (-fno-builtin would keep every one a call).  Other lengths still
 * call the functions above.  string.c, which defines them, does not take
 * these, nor do the host unit tests (tests/unit/host_prefix.h renames them).
 */
#if !defined(AX_LIBC_STRING_IMPL) && !defined(AX_HOST_PREFIX_H)
#define memcpy(dst, src, n) __builtin_memcpy((dst), (src), (n))
#define memset(dst, c, n)   __builtin_memset((dst), (c), (n))
#endif

#endif
