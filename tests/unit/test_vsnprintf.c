/*
 * Unit tests of lib/libc/vsnprintf.c (ax_snprintf, ax_vsnprintf).
 *
 * Two kinds of check: EXPECT compares with a string written out here, and
 * SAME compares with the host C library's snprintf, reached under the name
 * host_snprintf through an asm label (this file is built against our own
 * headers, where "snprintf" means ax_snprintf).  SAME is used only where C
 * defines the result; where we choose differently from glibc (%p of NULL,
 * "%.3s" of NULL) only EXPECT is used.
 */
#include "host_prefix.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"

/* lib/libc has no limits.h; the compiler knows the values. */
#define INT_MAX    __INT_MAX__
#define INT_MIN    (-__INT_MAX__ - 1)
#define LONG_MIN   (-__LONG_MAX__ - 1L)
#define LLONG_MAX  __LONG_LONG_MAX__
#define LLONG_MIN  (-__LONG_LONG_MAX__ - 1LL)
#define ULLONG_MAX (__LONG_LONG_MAX__ * 2ULL + 1ULL)

int host_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) __asm__("vsnprintf");

#define EXPECT(want, ...) expect_at(__FILE__, __LINE__, want, __VA_ARGS__)
#define SAME(...)         same_at(__FILE__, __LINE__, __VA_ARGS__)

/* Ours must produce want and return its length. */
static void
expect_at(const char *file, int line, const char *want, const char *fmt, ...)
{
	char got[512];
	va_list ap;

	va_start(ap, fmt);
	int n = ax_vsnprintf(got, sizeof got, fmt, ap);
	va_end(ap);
	unit_check_str(file, line, fmt, got, want);
	unit_check_int(file, line, "return value", n, (long long)ax_strlen(want));
}

/* Ours must agree with the host's, in text and in return value. */
static void
same_at(const char *file, int line, const char *fmt, ...)
{
	char got[512], want[512];
	va_list ap, ap2;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = ax_vsnprintf(got, sizeof got, fmt, ap);
	int m = host_vsnprintf(want, sizeof want, fmt, ap2);
	va_end(ap2);
	va_end(ap);
	unit_check_str(file, line, fmt, got, want);
	unit_check_int(file, line, "return value", n, m);
}

TEST(snprintf_basic_conversions, "each conversion prints a plain value")
{
	EXPECT("0 42 -42", "%d %i %d", 0, 42, -42);
	EXPECT("4294967295", "%u", 4294967295u);
	EXPECT("ff FF 17", "%x %X %o", 255, 255, 15);
	EXPECT("A hi %", "%c %s %%", 'A', "hi");
	EXPECT("plain text", "plain text");
	EXPECT("", "");
}

TEST(snprintf_extreme_integers,
     "INT_MIN, LONG_MIN, LLONG_MIN and the unsigned maxima print exactly")
{
	EXPECT("-2147483648", "%d", INT_MIN);
	EXPECT("2147483647", "%d", INT_MAX);
	EXPECT("-9223372036854775808", "%ld", LONG_MIN);
	EXPECT("-9223372036854775808", "%lld", LLONG_MIN);
	EXPECT("-9223372036854775808", "%jd", INTMAX_MIN);
	EXPECT("9223372036854775807", "%lld", LLONG_MAX);
	EXPECT("18446744073709551615", "%llu", ULLONG_MAX);
	EXPECT("ffffffffffffffff", "%llx", ULLONG_MAX);
	EXPECT("1777777777777777777777", "%llo", ULLONG_MAX);
	SAME("%d %ld %lld %llu %llo", INT_MIN, LONG_MIN, LLONG_MIN, ULLONG_MAX, ULLONG_MAX);
}

TEST(snprintf_length_modifiers, "hh h l ll z t j fetch and truncate the right type")
{
	EXPECT("-1 1", "%hhd %hhu", 255, 257);
	EXPECT("-1 1", "%hd %hu", 65535, 65537);
	EXPECT("-128 80", "%hhd %hhx", 128, 128);
	EXPECT("18446744073709551615", "%zu", (size_t)-1);
	EXPECT("-5", "%zd", (ptrdiff_t)-5);
	EXPECT("-7 fffffffffffffff9", "%td %tx", (ptrdiff_t)-7, (ptrdiff_t)-7);
	EXPECT("123456789abcdef0", "%jx", (uintmax_t)0x123456789abcdef0ull);
	EXPECT("4294967296 -4294967296", "%lu %ld", 4294967296ul, -4294967296l);
	SAME("%hhd|%hhu|%hd|%hu|%zu|%td|%jd", 300, 300, 70000, 70000, (size_t)12345, (ptrdiff_t)-9,
	     (intmax_t)-11);
}

TEST(snprintf_flags, "the - 0 # space + flags, alone and together")
{
	EXPECT("ab   |", "%-5s|", "ab");
	EXPECT("   ab|", "%5s|", "ab");
	EXPECT("     042", "%08.3d", 42);
	EXPECT("-0000042", "%08d", -42);
	EXPECT("+5| 5|+5", "%+d|% d|%+ d", 5, 5, 5);
	EXPECT("+5    |", "%-+6d|", 5);
	EXPECT("5       |", "%-08d|", 5);
	EXPECT("0xff 0XFF 0", "%#x %#X %#x", 255, 255, 0);
	EXPECT("010 0 010 0", "%#o %#o %#.3o %#.0o", 8, 0, 8, 0);
	EXPECT("0x0000ff", "%#08x", 255);
	EXPECT("-42", "%+d", -42);
}

TEST(snprintf_precision,
     "precision pads numbers with zeros, .0 of zero prints nothing, cuts strings")
{
	EXPECT("", "%.0d", 0);
	EXPECT("     |", "%5.0d|", 0);
	EXPECT("", "%.0x", 0);
	EXPECT("-00042", "%.5d", -42);
	EXPECT("abc", "%.3s", "abcdef");
	EXPECT("abc", "%.10s", "abc");
	EXPECT("  ab", "%4.2s", "abc");
	EXPECT("", "%.d", 0);
}

TEST(snprintf_star_arguments,
     "* takes width and precision from the arguments, negative width means -")
{
	EXPECT("   42", "%*d", 5, 42);
	EXPECT("42   |", "%-*d|", 5, 42);
	EXPECT("42   |", "%*d|", -5, 42);
	EXPECT("ab", "%.*s", 2, "abc");
	EXPECT("42", "%.*d", -1, 42);
	EXPECT("   007", "%*.*d", 6, 3, 7);
	SAME("%*d|%-*d|%*.*x|%.*s", -4, 1, 3, 2, 8, 4, 255, 0, "gone");
}

TEST(snprintf_pointers, "%p prints 0x and hex, NULL as 0x0, with width")
{
	EXPECT("0x0", "%p", NULL);
	EXPECT("0x1234", "%p", (void *)0x1234);
	EXPECT("0xffffffff80100000", "%p", (void *)0xffffffff80100000ul);
	EXPECT("    0xbeef", "%10p", (void *)0xbeef);
	EXPECT("0xbeef    |", "%-10p|", (void *)0xbeef);
	SAME("%p %20p %-20p|", (void *)0xdeadbeef, (void *)0x1000, (void *)0x7fff0000);
}

TEST(snprintf_strings_and_chars, "%s of NULL is (null); %c pads and can print a NUL")
{
	char buf[8];

	EXPECT("(null)", "%s", (char *)NULL);
	EXPECT("(nu", "%.3s", (char *)NULL);
	EXPECT("  x|x  |", "%3c|%-3c|", 'x', 'x');
	CHECK_EQ_INT(ax_snprintf(buf, sizeof buf, "a%cb", 0), 3);
	CHECK(buf[0] == 'a' && buf[1] == '\0' && buf[2] == 'b' && buf[3] == '\0');
	SAME("[%10s][%-10s][%.2s][%c]", "right", "left", "cut", 'z');
}

TEST(snprintf_unknown_conversions, "an unknown or unfinished conversion is copied as written")
{
	EXPECT("%y", "%y");
	EXPECT("a%5yb", "a%5yb");
	EXPECT("abc%", "abc%");
	EXPECT("1 %-y 2", "%d %-y %d", 1, 2);
	EXPECT("%", "%5%");
}

TEST(snprintf_truncates_and_counts,
     "the output is cut to size-1 and terminated; the full length is returned")
{
	char buf[16];

	ax_memset(buf, 'Z', sizeof buf);
	CHECK_EQ_INT(ax_snprintf(buf, 5, "hello world"), 11);
	CHECK_EQ_STR(buf, "hell");
	CHECK_EQ_INT(buf[5], 'Z');
	CHECK_EQ_INT(ax_snprintf(buf, 4, "%d", 123456), 6);
	CHECK_EQ_STR(buf, "123");
	CHECK_EQ_INT(ax_snprintf(buf, 1, "abc"), 3);
	CHECK_EQ_STR(buf, "");
	CHECK_EQ_INT(ax_snprintf(buf, sizeof buf, "%1000d", 7), 1000);
	CHECK_EQ_INT(ax_strlen(buf), sizeof buf - 1);
	CHECK_EQ_INT(ax_snprintf(buf, 6, "%s", "12345"), 5);
	CHECK_EQ_STR(buf, "12345");
}

TEST(snprintf_size_zero, "size 0 writes nothing, not even the NUL, and still counts")
{
	char buf[4] = "QQQ";

	CHECK_EQ_INT(ax_snprintf(buf, 0, "%s-%d", "abc", 12), 6);
	CHECK_EQ_STR(buf, "QQQ");
	CHECK_EQ_INT(ax_snprintf(NULL, 0, "%08x", 1), 8);
}

/*
 * Writes one format for the matrix tests into fmt[64]: "%", the flags, the
 * width and precision (-1: none), the length modifier, the conversion, "|".
 */
static void
make_format(char *fmt, const char *flags, int width, int prec, const char *len, char conv)
{
	ax_snprintf(fmt, 32, "%%%s", flags);
	if (width >= 0)
		ax_snprintf(fmt + ax_strlen(fmt), 16, "%d", width);
	if (prec >= 0)
		ax_snprintf(fmt + ax_strlen(fmt), 16, ".%d", prec);
	ax_snprintf(fmt + ax_strlen(fmt), 16, "%s%c|", len, conv);
}

static const char *const flag_sets[] = {
	"", "-", "0", "#", " ", "+", "-0", "-#", "0#", "+ ", "-+", "0+", "0 ", "-0#+ ", "#0",
};
static const int widths[] = { -1, 0, 1, 5, 12, 25 };
static const int precisions[] = { -1, 0, 1, 3, 12 };
static const long long values[] = { 0,    1,       -1,      42,        -42,      255,
				    4096, INT_MAX, INT_MIN, LLONG_MAX, LLONG_MIN };

/* C leaves '#' undefined for d, i and u; everything else here is defined. */
static bool
combination_defined(const char *flags, char conv)
{
	return !(ax_strchr(flags, '#') != NULL && (conv == 'd' || conv == 'u'));
}

/* Every value, as long long and as int, in one format of the matrix. */
static void
check_integer_format(const char *flags, int width, int prec, char conv)
{
	char fmt[64];

	make_format(fmt, flags, width, prec, "ll", conv);
	for (size_t v = 0; v < sizeof values / sizeof values[0]; v++)
		SAME(fmt, values[v]);
	make_format(fmt, flags, width, prec, "", conv);
	for (size_t v = 0; v < sizeof values / sizeof values[0]; v++)
		SAME(fmt, (int)values[v]);
}

TEST(snprintf_matches_host_matrix,
     "every flag, width, precision and value agrees with the host libc")
{
	static const char convs[] = "duxXo";

	for (size_t f = 0; f < sizeof flag_sets / sizeof flag_sets[0]; f++) {
		for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
			for (size_t p = 0; p < sizeof precisions / sizeof precisions[0]; p++) {
				for (const char *c = convs; *c != '\0'; c++) {
					if (combination_defined(flag_sets[f], *c))
						check_integer_format(flag_sets[f], widths[w],
								     precisions[p], *c);
				}
			}
		}
	}
}

TEST(snprintf_matches_host_strings,
     "strings with widths, precisions and - agree with the host libc")
{
	static const char *const strs[] = { "", "a", "hello", "a longer string of text" };
	static const char *const flags[] = { "", "-" };
	char fmt[64];

	for (size_t f = 0; f < 2; f++) {
		for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
			for (size_t p = 0; p < sizeof precisions / sizeof precisions[0]; p++) {
				make_format(fmt, flags[f], widths[w], precisions[p], "", 's');
				for (size_t s = 0; s < sizeof strs / sizeof strs[0]; s++)
					SAME(fmt, strs[s]);
			}
			make_format(fmt, flags[f], widths[w], -1, "", 'c');
			SAME(fmt, 'q');
		}
	}
}

static int
format_with(format_sink *sink, void *ctx, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = ax_vformat(sink, ctx, fmt, ap);
	va_end(ap);
	return n;
}

/*
 * The sink side: printf (lib/libc/printf.c) over vformat, with this file's
 * console_sink recording each piece it is given.
 */
static char sunk[4 * FORMAT_CHUNK];
static size_t sunk_len, sunk_pieces, sunk_longest;

void
console_sink(const char *s, size_t len)
{
	if (sunk_len + len <= sizeof sunk)
		ax_memcpy(sunk + sunk_len, s, len);
	sunk_len += len;
	sunk_pieces++;
	if (len > sunk_longest)
		sunk_longest = len;
}

static void
sink_reset(void)
{
	sunk_len = sunk_pieces = sunk_longest = 0;
}

TEST(printf_short_is_one_piece, "printf of a short line gives the sink one piece, the whole line")
{
	sink_reset();
	CHECK_EQ_INT(ax_printf("%s(%d): %#x\n", "ds", 7, 255), 12);
	CHECK_EQ_INT(sunk_pieces, 1);
	CHECK_EQ_INT(sunk_len, 12);
	CHECK(ax_memcmp(sunk, "ds(7): 0xff\n", 12) == 0);
}

TEST(printf_long_is_cut_into_pieces,
     "output longer than FORMAT_CHUNK reaches the sink whole, in pieces of at most FORMAT_CHUNK")
{
	char want[3 * FORMAT_CHUNK + 20];
	int n;

	sink_reset();
	n = ax_printf("<%*d>%s", 3 * FORMAT_CHUNK, 42, "tail");
	CHECK_EQ_INT(n, 3 * FORMAT_CHUNK + 6);
	CHECK_EQ_INT(sunk_len, (size_t)n);
	CHECK_EQ_INT(sunk_pieces, 4);
	CHECK_EQ_INT(sunk_longest, FORMAT_CHUNK);
	ax_snprintf(want, sizeof want, "<%*d>%s", 3 * FORMAT_CHUNK, 42, "tail");
	CHECK(ax_memcmp(sunk, want, (size_t)n) == 0);
}

TEST(printf_exact_chunk,
     "output of exactly FORMAT_CHUNK characters is one piece; puts and putchar too")
{
	sink_reset();
	CHECK_EQ_INT(ax_printf("%*s", FORMAT_CHUNK, "x"), FORMAT_CHUNK);
	CHECK_EQ_INT(sunk_pieces, 1);
	sink_reset();
	CHECK_EQ_INT(ax_puts("line"), 5);
	CHECK_EQ_INT(ax_putchar('!'), '!');
	CHECK_EQ_INT(sunk_pieces, 2);
	CHECK(ax_memcmp(sunk, "line\n!", 6) == 0);
}

/* vformat's sink gets the context it was given, and every piece in order. */
static void
into_context(void *ctx, const char *s, size_t len)
{
	char **at = ctx;

	ax_memcpy(*at, s, len);
	*at += len;
}

TEST(vformat_passes_context, "vformat hands its context to the sink with every piece")
{
	static char text[3 * FORMAT_CHUNK];
	char *at = text;

	CHECK_EQ_INT(format_with(into_context, &at, "[%*d]", 2 * FORMAT_CHUNK, 7),
		     2 * FORMAT_CHUNK + 2);
	CHECK_EQ_INT(at - text, 2 * FORMAT_CHUNK + 2);
	CHECK(text[0] == '[' && text[2 * FORMAT_CHUNK] == '7' && text[2 * FORMAT_CHUNK + 1] == ']');
}
