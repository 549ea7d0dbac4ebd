/*
 * Number conversion for the kernel and the system processes, and the heap
 * for the system processes only.
 *
 * strtol and strtoul follow C (leading space, optional sign, base 0 meaning
 * "0x" hex / "0" octal / decimal, bases 2 to 36), except that there is no
 * errno here: on overflow they return LONG_MAX, LONG_MIN or ULONG_MAX and
 * the caller checks for those values.  When nothing is converted they
 * return 0 and set *endptr to nptr.  atoi is strtol in base 10.
 */
#ifndef AX_LIBC_STDLIB_H
#define AX_LIBC_STDLIB_H

#include <stddef.h>

long strtol(const char *nptr, char **endptr, int base);
unsigned long strtoul(const char *nptr, char **endptr, int base);
int atoi(const char *s);
int abs(int x);

/*
 * The heap (malloc.c; system processes only, not the kernel): C's four
 * functions, 16-byte aligned, over sbrk.  free() and realloc() panic on a
 * pointer that malloc did not return or that was already freed.
 * malloc_check() verifies the whole heap (panics on damage) and returns
 * the number of free blocks; for tests.
 */
void *malloc(size_t n);
void free(void *p);
void *calloc(size_t nmemb, size_t size);
void *realloc(void *p, size_t n);
size_t malloc_check(void);

#endif
