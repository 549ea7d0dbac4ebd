/*
 * Unit tests of lib/libc/stdlib.c (strtol, strtoul, atoi, abs), and of the
 * two header-only parts of lib/libc: the ctype.h functions and assert.h's
 * macro, whose __assert_fail (ax_assert_fail here) this file provides.
 */
#include "host_prefix.h"

#include <assert.h>
#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#define LONG_MAX  __LONG_MAX__
#define LONG_MIN  (-__LONG_MAX__ - 1L)
#define ULONG_MAX (__LONG_MAX__ * 2UL + 1UL)

/* Converts s with strtol; checks the value and how many characters it used. */
#define CHECK_STRTOL(s, base, value, used)                      \
	do {                                                    \
		char *end_;                                     \
		CHECK_EQ_INT(ax_strtol(s, &end_, base), value); \
		CHECK_EQ_INT(end_ - (s), used);                 \
	} while (0)

#define CHECK_STRTOUL(s, base, value, used)                                  \
	do {                                                                 \
		char *end_;                                                  \
		CHECK(ax_strtoul(s, &end_, base) == (unsigned long)(value)); \
		CHECK_EQ_INT(end_ - (s), used);                              \
	} while (0)

TEST(strtol_decimal, "strtol reads space, sign and decimal digits and stops at the rest")
{
	CHECK_STRTOL("0", 10, 0, 1);
	CHECK_STRTOL("12345", 10, 12345, 5);
	CHECK_STRTOL("  \t\n-42xyz", 10, -42, 7);
	CHECK_STRTOL("+7", 10, 7, 2);
	CHECK_STRTOL("12 34", 10, 12, 2);
	CHECK_STRTOL("0099", 10, 99, 4);
	CHECK(ax_strtol("55", NULL, 10) == 55);
}

TEST(strtol_bases, "strtol in bases 0, 2, 8, 16 and 36, with and without 0x")
{
	CHECK_STRTOL("0x1f", 0, 31, 4);
	CHECK_STRTOL("0X1F", 0, 31, 4);
	CHECK_STRTOL("-0x10", 0, -16, 5);
	CHECK_STRTOL("017", 0, 15, 3);
	CHECK_STRTOL("019", 0, 1, 2);
	CHECK_STRTOL("0", 0, 0, 1);
	CHECK_STRTOL("123", 0, 123, 3);
	CHECK_STRTOL("777", 8, 511, 3);
	CHECK_STRTOL("ff", 16, 255, 2);
	CHECK_STRTOL("0xff", 16, 255, 4);
	CHECK_STRTOL("1011", 2, 11, 4);
	CHECK_STRTOL("zz", 36, 1295, 2);
}

TEST(strtol_limits, "strtol reaches LONG_MIN and LONG_MAX exactly and saturates beyond")
{
	CHECK_STRTOL("9223372036854775807", 10, LONG_MAX, 19);
	CHECK_STRTOL("-9223372036854775808", 10, LONG_MIN, 20);
	CHECK_STRTOL("9223372036854775808", 10, LONG_MAX, 19);
	CHECK_STRTOL("-9223372036854775809", 10, LONG_MIN, 20);
	CHECK_STRTOL("99999999999999999999999", 10, LONG_MAX, 23);
	CHECK_STRTOL("-0x8000000000000000", 0, LONG_MIN, 19);
	CHECK_STRTOL("0x7fffffffffffffff", 16, LONG_MAX, 18);
}

TEST(strtol_invalid_input, "with no digits strtol returns 0 and sets endptr to the start")
{
	CHECK_STRTOL("", 10, 0, 0);
	CHECK_STRTOL("   ", 10, 0, 0);
	CHECK_STRTOL("abc", 10, 0, 0);
	CHECK_STRTOL("  -", 10, 0, 0);
	CHECK_STRTOL("+-3", 10, 0, 0);
	CHECK_STRTOL("9", 8, 0, 0);
	CHECK_STRTOL("12", 1, 0, 0);
	CHECK_STRTOL("12", 37, 0, 0);
	CHECK_STRTOL("12", -1, 0, 0);
}

TEST(strtol_bare_0x, "\"0x\" without a hex digit reads as 0 and leaves endptr at the x")
{
	CHECK_STRTOL("0x", 0, 0, 1);
	CHECK_STRTOL("0xg", 16, 0, 1);
	CHECK_STRTOUL("0x", 0, 0, 1);
	CHECK_STRTOUL(" 0xz", 0, 0, 2);
}

TEST(strtoul_base_0_and_0x, "strtoul with base 0 picks hex after 0x, octal after 0, else decimal")
{
	CHECK_STRTOUL("0x10", 0, 16, 4);
	CHECK_STRTOUL("0xffffffffffffffff", 0, ULONG_MAX, 18);
	CHECK_STRTOUL("0xFFFFFFFF80100000", 0, 0xffffffff80100000ul, 18);
	CHECK_STRTOUL("010", 0, 8, 3);
	CHECK_STRTOUL("10", 0, 10, 2);
	CHECK_STRTOUL("0x10", 16, 16, 4);
	CHECK_STRTOUL("10", 16, 16, 2);
}

TEST(strtoul_limits_and_sign, "strtoul saturates at ULONG_MAX and negates a leading -")
{
	CHECK_STRTOUL("18446744073709551615", 10, ULONG_MAX, 20);
	CHECK_STRTOUL("18446744073709551616", 10, ULONG_MAX, 20);
	CHECK_STRTOUL("0x10000000000000000", 0, ULONG_MAX, 19);
	CHECK_STRTOUL("-1", 10, ULONG_MAX, 2);
	CHECK_STRTOUL("-2", 10, ULONG_MAX - 1, 2);
	CHECK_STRTOUL("", 0, 0, 0);
	CHECK_STRTOUL("x", 0, 0, 0);
}

TEST(atoi_and_abs, "atoi reads a decimal int; abs drops the sign")
{
	CHECK_EQ_INT(ax_atoi("123"), 123);
	CHECK_EQ_INT(ax_atoi("  -45 apples"), -45);
	CHECK_EQ_INT(ax_atoi("0x10"), 0);
	CHECK_EQ_INT(ax_atoi(""), 0);
	CHECK_EQ_INT(ax_atoi("-2147483648"), -__INT_MAX__ - 1);
	CHECK_EQ_INT(ax_abs(-5), 5);
	CHECK_EQ_INT(ax_abs(5), 5);
	CHECK_EQ_INT(ax_abs(0), 0);
	CHECK_EQ_INT(ax_abs(-__INT_MAX__), __INT_MAX__);
}

/*
 * The classes c should be in, one letter each: d digit, x hex digit, u upper,
 * l lower, a alphanumeric, s space, p printable.
 */
static const char *
classes_of(int c)
{
	if (c >= '0' && c <= '9')
		return "dxap";
	if (c >= 'a' && c <= 'f')
		return "lxap";
	if (c >= 'A' && c <= 'F')
		return "uxap";
	if (c >= 'a' && c <= 'z')
		return "lap";
	if (c >= 'A' && c <= 'Z')
		return "uap";
	if (c == ' ')
		return "sp";
	if (c >= '\t' && c <= '\r')
		return "s";
	if (c > ' ' && c < 0x7f)
		return "p";
	return "";
}

TEST(ctype_classes, "every byte value and EOF falls in exactly the expected ASCII classes")
{
	for (int c = -1; c < 256; c++) {
		const char *k = classes_of(c);
		CHECK(!ax_isdigit(c) == !ax_strchr(k, 'd'));
		CHECK(!ax_isxdigit(c) == !ax_strchr(k, 'x'));
		CHECK(!ax_isupper(c) == !ax_strchr(k, 'u'));
		CHECK(!ax_islower(c) == !ax_strchr(k, 'l'));
		CHECK(!ax_isalpha(c) == !(ax_strchr(k, 'u') || ax_strchr(k, 'l')));
		CHECK(!ax_isalnum(c) == !ax_strchr(k, 'a'));
		CHECK(!ax_isspace(c) == !ax_strchr(k, 's'));
		CHECK(!ax_isprint(c) == !ax_strchr(k, 'p'));
	}
}

TEST(ctype_case_mapping, "toupper and tolower map letters only")
{
	CHECK_EQ_INT(ax_toupper('a'), 'A');
	CHECK_EQ_INT(ax_toupper('z'), 'Z');
	CHECK_EQ_INT(ax_toupper('A'), 'A');
	CHECK_EQ_INT(ax_toupper('5'), '5');
	CHECK_EQ_INT(ax_tolower('Q'), 'q');
	CHECK_EQ_INT(ax_tolower('q'), 'q');
	CHECK_EQ_INT(ax_tolower('['), '[');
	CHECK_EQ_INT(ax_tolower(-1), -1);
	CHECK_EQ_INT(ax_toupper(0xe9), 0xe9);
}

static int assert_line;

void
ax_assert_fail(const char *expr, const char *file, int line, const char *func)
{
	CHECK_EQ_STR(expr, "x == 2");
	CHECK(ax_strstr(file, "test_stdlib.c") != NULL);
	CHECK_EQ_INT(line, assert_line);
	CHECK_EQ_STR(func, "test_assert_reports_where");
	unit_pass();
}

TEST(assert_reports_where, "a failed assert passes expression, file, line and function")
{
	int x = 1;

	assert(x == 1);
	assert_line = __LINE__ + 1;
	assert(x == 2);
	unit_fail(__FILE__, __LINE__, "assert(x == 2) returned");
}
