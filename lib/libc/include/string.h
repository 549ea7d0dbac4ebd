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

#endif
