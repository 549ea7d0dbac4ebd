/*
 * strtol, strtoul, atoi and abs for the kernel and the system processes
 * (declared in include/stdlib.h).
 *
 * Both conversions share parse_magnitude(), which reads the digits after
 * the sign and the base prefix and saturates at ULONG_MAX.  There is no
 * errno in this library: overflow shows only as a saturated result.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>

#define LONG_MAX_  __LONG_MAX__
#define ULONG_MAX_ (__LONG_MAX__ * 2UL + 1UL)

/* The value of c as a digit in any base up to 36, or 36 if it is none. */
static unsigned
digit_value(char c)
{
	if (isdigit(c))
		return (unsigned)(c - '0');
	if (isalpha(c))
		return (unsigned)(tolower(c) - 'a' + 10);
	return 36;
}

/*
 * Settles the base for the digits at *s: base 0 becomes 16 after "0x",
 * 8 after a leading "0", else 10; base 16 may also start with "0x".  The
 * "0x" is skipped only when a hex digit follows it, so "0x" alone reads as
 * the number 0 followed by "x".
 */
static int
parse_base(const char **s, int base)
{
	const char *p = *s;
	bool hex_prefix = p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && isxdigit(p[2]);

	if ((base == 0 || base == 16) && hex_prefix) {
		*s = p + 2;
		return 16;
	}
	if (base == 0)
		return p[0] == '0' ? 8 : 10;
	return base;
}

/*
 * Reads digits of the base at s into *value, saturating at ULONG_MAX and
 * setting *overflow.  Returns the first character that is not a digit
 * (s itself when there are none).
 */
static const char *
parse_magnitude(const char *s, unsigned base, unsigned long *value, bool *overflow)
{
	unsigned long v = 0;
	unsigned d;

	*overflow = false;
	for (; (d = digit_value(*s)) < base; s++) {
		if (v > (ULONG_MAX_ - d) / base) {
			*overflow = true;
			v = ULONG_MAX_;
		} else {
			v = v * base + d;
		}
	}
	*value = v;
	return s;
}

/* What strtol and strtoul both read: a sign and a saturated magnitude. */
struct parsed {
	unsigned long p_value;
	bool p_negative;
	bool p_overflow;
};

/*
 * The common front of strtol and strtoul: space, sign, base, digits.
 * Returns false (and leaves *endptr at nptr) when no digits were read or
 * the base is not 0 or 2..36.
 */
static bool
parse_number(const char *nptr, char **endptr, int base, struct parsed *p)
{
	const char *s = nptr;

	*p = (struct parsed){ 0 };
	if (endptr != NULL)
		*endptr = (char *)nptr;
	if (base < 0 || base == 1 || base > 36)
		return false;
	while (isspace(*s))
		s++;
	if (*s == '+' || *s == '-')
		p->p_negative = *s++ == '-';
	base = parse_base(&s, base);
	const char *end = parse_magnitude(s, (unsigned)base, &p->p_value, &p->p_overflow);
	if (end == s)
		return false;
	if (endptr != NULL)
		*endptr = (char *)end;
	return true;
}

/* Overflow gives LONG_MAX or LONG_MIN. */
long
strtol(const char *nptr, char **endptr, int base)
{
	struct parsed p;

	if (!parse_number(nptr, endptr, base, &p))
		return 0;
	if (p.p_negative) {
		if (p.p_overflow || p.p_value > (unsigned long)LONG_MAX_ + 1)
			return -LONG_MAX_ - 1;
		return (long)(0 - p.p_value);
	}
	if (p.p_overflow || p.p_value > (unsigned long)LONG_MAX_)
		return LONG_MAX_;
	return (long)p.p_value;
}

/* As in C, a '-' negates the result in unsigned arithmetic: "-1" is ULONG_MAX. */
unsigned long
strtoul(const char *nptr, char **endptr, int base)
{
	struct parsed p;

	if (!parse_number(nptr, endptr, base, &p))
		return 0;
	if (p.p_overflow)
		return ULONG_MAX_;
	return p.p_negative ? 0 - p.p_value : p.p_value;
}

int
atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

int
abs(int x)
{
	return x < 0 ? -x : x;
}
