/*
 * Unit tests of lib/libc/string.c, built against lib/libc/include with the
 * ax_ names of host_prefix.h.  Expected results are written out or
 * computed with plain byte loops in this file.
 */
#include "host_prefix.h"

#include <stdint.h>
#include <string.h>

#include "unit.h"

#define GUARD 0xa5

/* Fills buf[n] with a pattern that differs at every index mod 251. */
static void
fill_pattern(unsigned char *buf, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (unsigned char)((i + seed) % 251);
}

TEST(memcpy_copies_every_length, "memcpy copies lengths 0..80 at every alignment and returns dst")
{
	unsigned char src[96], dst[96];

	fill_pattern(src, sizeof src, 7);
	for (size_t off = 0; off < 8; off++) {
		for (size_t n = 0; n <= 80; n++) {
			for (size_t i = 0; i < sizeof dst; i++)
				dst[i] = GUARD;
			CHECK(ax_memcpy(dst + off, src + 8 - off, n) == dst + off);
			for (size_t i = 0; i < sizeof dst; i++) {
				bool inside = i >= off && i < off + n;
				CHECK_EQ_INT(dst[i], inside ? src[8 - off + i - off] : GUARD);
			}
		}
	}
}

TEST(memset_fills_with_low_byte, "memset stores (unsigned char)c, only n bytes, returns dst")
{
	unsigned char buf[40];

	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = GUARD;
	CHECK(ax_memset(buf + 3, 0x1ff, 30) == buf + 3);
	for (size_t i = 0; i < sizeof buf; i++)
		CHECK_EQ_INT(buf[i], i >= 3 && i < 33 ? 0xff : GUARD);
	ax_memset(buf, 0, 0);
	CHECK_EQ_INT(buf[0], GUARD);
}

TEST(memmove_overlap_forward, "memmove to a lower address inside the source copies correctly")
{
	char buf[] = "0123456789";

	CHECK(ax_memmove(buf, buf + 2, 8) == buf);
	CHECK_EQ_STR(buf, "2345678989");
}

TEST(memmove_overlap_backward, "memmove to a higher address inside the source copies correctly")
{
	char buf[] = "0123456789";

	CHECK(ax_memmove(buf + 2, buf, 8) == buf + 2);
	CHECK_EQ_STR(buf, "0101234567");
}

/* What memmove(buf + d, buf + s, n) must leave in buf, computed via a copy. */
static void
reference_move(unsigned char *buf, size_t d, size_t s, size_t n)
{
	unsigned char tmp[64];

	for (size_t i = 0; i < n; i++)
		tmp[i] = buf[s + i];
	for (size_t i = 0; i < n; i++)
		buf[d + i] = tmp[i];
}

TEST(memmove_all_overlaps, "memmove matches a copy-through-temporary for every offset pair")
{
	unsigned char got[64], want[64];

	for (size_t n = 0; n <= 24; n++) {
		for (size_t s = 0; s + n <= 40; s++) {
			for (size_t d = 0; d + n <= 40; d++) {
				fill_pattern(got, sizeof got, 3);
				fill_pattern(want, sizeof want, 3);
				ax_memmove(got + d, got + s, n);
				reference_move(want, d, s, n);
				CHECK(ax_memcmp(got, want, sizeof got) == 0);
			}
		}
	}
}

TEST(memcmp_orders_unsigned_bytes, "memcmp compares bytes as unsigned and stops after n")
{
	CHECK(ax_memcmp("abc", "abc", 3) == 0);
	CHECK(ax_memcmp("abc", "abd", 3) < 0);
	CHECK(ax_memcmp("abd", "abc", 3) > 0);
	CHECK(ax_memcmp("\x80", "\x01", 1) > 0);
	CHECK(ax_memcmp("abX", "abY", 2) == 0);
	CHECK(ax_memcmp("x", "y", 0) == 0);
	CHECK(ax_memcmp("a\0b", "a\0c", 3) < 0);
}

TEST(strlen_and_strnlen, "strlen counts to the NUL; strnlen stops at max")
{
	CHECK_EQ_INT(ax_strlen(""), 0);
	CHECK_EQ_INT(ax_strlen("hello"), 5);
	CHECK_EQ_INT(ax_strlen("a\0b"), 1);
	CHECK_EQ_INT(ax_strnlen("hello", 3), 3);
	CHECK_EQ_INT(ax_strnlen("hello", 5), 5);
	CHECK_EQ_INT(ax_strnlen("hello", 99), 5);
	CHECK_EQ_INT(ax_strnlen("hello", 0), 0);
	char unterminated[4] = { 'a', 'b', 'c', 'd' };
	CHECK_EQ_INT(ax_strnlen(unterminated, sizeof unterminated), 4);
}

TEST(strcmp_orders_strings, "strcmp: equal, prefix shorter, unsigned bytes")
{
	CHECK(ax_strcmp("", "") == 0);
	CHECK(ax_strcmp("abc", "abc") == 0);
	CHECK(ax_strcmp("abc", "abd") < 0);
	CHECK(ax_strcmp("abd", "abc") > 0);
	CHECK(ax_strcmp("ab", "abc") < 0);
	CHECK(ax_strcmp("abc", "ab") > 0);
	CHECK(ax_strcmp("\xe9", "a") > 0);
}

TEST(strncmp_stops_at_n_or_nul, "strncmp compares at most n bytes and stops at a NUL")
{
	CHECK(ax_strncmp("abcX", "abcY", 3) == 0);
	CHECK(ax_strncmp("abcX", "abcY", 4) < 0);
	CHECK(ax_strncmp("ab", "abc", 5) < 0);
	CHECK(ax_strncmp("ab\0x", "ab\0y", 4) == 0);
	CHECK(ax_strncmp("a", "b", 0) == 0);
	CHECK(ax_strncmp("\x80", "\x7f", 1) > 0);
}

TEST(strlcpy_fits, "strlcpy copies a short string whole and returns its length")
{
	char buf[8] = "xxxxxxx";

	CHECK_EQ_INT(ax_strlcpy(buf, "abc", sizeof buf), 3);
	CHECK_EQ_STR(buf, "abc");
	CHECK_EQ_INT(ax_strlcpy(buf, "1234567", sizeof buf), 7);
	CHECK_EQ_STR(buf, "1234567");
}

TEST(strlcpy_truncates, "strlcpy truncates, terminates and returns strlen(src)")
{
	char buf[8];

	CHECK_EQ_INT(ax_strlcpy(buf, "hello, world", sizeof buf), 12);
	CHECK_EQ_STR(buf, "hello, ");
	CHECK_EQ_INT(ax_strlcpy(buf, "12345678", sizeof buf), 8);
	CHECK_EQ_STR(buf, "1234567");
	CHECK_EQ_INT(ax_strlcpy(buf, "abc", 1), 3);
	CHECK_EQ_STR(buf, "");
	buf[0] = 'Q';
	CHECK_EQ_INT(ax_strlcpy(buf, "abc", 0), 3);
	CHECK_EQ_INT(buf[0], 'Q');
}

TEST(strchr_finds_first, "strchr finds the first match, the terminator for 0, NULL if absent")
{
	const char *s = "hello";

	CHECK(ax_strchr(s, 'l') == s + 2);
	CHECK(ax_strchr(s, 'h') == s);
	CHECK(ax_strchr(s, 'z') == NULL);
	CHECK(ax_strchr(s, '\0') == s + 5);
	CHECK(ax_strchr("", 'a') == NULL);
	const char *hi = "a\xe9z";
	CHECK(ax_strchr(hi, 0xe9) == hi + 1);
	CHECK(ax_strchr(s, 'l' + 256) == s + 2);
}

TEST(strrchr_finds_last, "strrchr finds the last match, the terminator for 0, NULL if absent")
{
	const char *s = "hello";

	CHECK(ax_strrchr(s, 'l') == s + 3);
	CHECK(ax_strrchr(s, 'o') == s + 4);
	CHECK(ax_strrchr(s, 'h') == s);
	CHECK(ax_strrchr(s, 'z') == NULL);
	CHECK(ax_strrchr(s, '\0') == s + 5);
	CHECK(ax_strrchr("", 'a') == NULL);
}

TEST(strstr_finds_substrings, "strstr: first occurrence, empty needle, partial matches, absent")
{
	const char *s = "aaaabaab";

	CHECK(ax_strstr(s, "aaab") == s + 1);
	CHECK(ax_strstr(s, "aab") == s + 2);
	CHECK(ax_strstr(s, "b") == s + 4);
	CHECK(ax_strstr(s, "") == s);
	CHECK(ax_strstr("", "") != NULL);
	CHECK(ax_strstr("", "a") == NULL);
	CHECK(ax_strstr(s, "abb") == NULL);
	CHECK(ax_strstr("ab", "abc") == NULL);
	CHECK(ax_strstr(s, s) == s);
}
