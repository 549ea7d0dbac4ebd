/*
 * Memory and string functions shared by the kernel and the system
 * processes (declared in include/string.h).
 *
 * Byte at a time and plainly written; the two that the compiler also
 * calls on its own for structure copies and clears, memcpy and memset, use
 * x86-64's string instructions, which fast-string CPUs run at cache speed.
 * They move 8 bytes per step when everything is 8-byte aligned (messages
 * always are): under QEMU's instruction counting every step of a "rep"
 * counts, so a 64-byte message costs 8 steps instead of 64.  Nothing here may touch SSE
 * registers: the kernel is built with -mgeneral-regs-only so that user FPU
 * state survives a kernel entry.  The compiler must not turn these loops
 * back into calls to themselves; -ffreestanding -fno-builtin sees to that.
 */
#define AX_LIBC_STRING_IMPL /* the functions themselves, not string.h's expansions */
#include <stdint.h>
#include <string.h>

void *
memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;

	if ((((uintptr_t)dst | (uintptr_t)src | n) & 7) == 0) {
		n /= 8;
		__asm__ volatile("rep movsq" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	} else {
		__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	}
	return dst;
}

void *
memset(void *dst, int c, size_t n)
{
	void *d = dst;

	if ((((uintptr_t)dst | n) & 7) == 0) {
		uint64_t pattern = 0x0101010101010101ull * (uint8_t)c;

		n /= 8;
		__asm__ volatile("rep stosq" : "+D"(d), "+c"(n) : "a"(pattern) : "memory");
	} else {
		__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	}
	return dst;
}

/*
 * A forward copy is right unless dst starts inside src; then copy from the
 * end so that each byte is read before it is overwritten.
 */
void *
memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n > 0) {
		n--;
		d[n] = s[n];
	}
	return dst;
}

int
memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (size_t i = 0; i < n; i++) {
		if (p[i] != q[i])
			return p[i] - q[i];
	}
	return 0;
}

size_t
strlen(const char *s)
{
	size_t n = 0;

	while (s[n] != '\0')
		n++;
	return n;
}

void *
memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (size_t i = 0; i < n; i++)
		if (p[i] == (unsigned char)c)
			return (void *)(p + i);
	return NULL;
}

size_t
strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0')
		n++;
	return n;
}

/* Bytes compare as unsigned char, as C requires. */
int
strcmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	while (*p != '\0' && *p == *q) {
		p++;
		q++;
	}
	return *p - *q;
}

int
strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	for (size_t i = 0; i < n; i++) {
		if (p[i] != q[i] || p[i] == '\0')
			return p[i] - q[i];
	}
	return 0;
}

/*
 * Copy src into dst[size], truncating if needed; dst is terminated
 * whenever size > 0.  Returns strlen(src): a result >= size means the
 * copy was truncated.
 */
size_t
strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

/* As in C, the terminating NUL is part of the string: strchr(s, 0) finds it. */
char *
strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (*s == '\0')
			return NULL;
	}
}

char *
strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (*s == '\0')
			return (char *)last;
	}
}

/* The first occurrence of needle; an empty needle is found at haystack. */
char *
strstr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	for (; *haystack != '\0'; haystack++) {
		if (strncmp(haystack, needle, n) == 0)
			return (char *)haystack;
	}
	return n == 0 ? (char *)haystack : NULL;
}
