/*
 * A tiny unit-test framework for host tests of code shared with the kernel.
 *
 *	TEST(strlcpy_truncates, "strlcpy cuts a long source and still terminates")
 *	{
 *		char buf[4];
 *		CHECK_EQ_INT(ax_strlcpy(buf, "hello", sizeof buf), 5);
 *		CHECK_EQ_STR(buf, "hel");
 *	}
 *
 * TEST defines the function and puts a pointer to its description in the
 * "unit_tests" linker section, where unit.c's main finds every test of the
 * binary without a hand-kept list.  Each test runs in its own child process
 * (unit.c), so a crash or a hang fails that test only.  The first failing
 * CHECK ends the test with its file:line and the values compared.
 *
 * This header needs only the compiler's own headers, so test files can be
 * built against lib/libc/include instead of the host's C library.
 * Test names must be unique over all test binaries: they are reported as
 * "unit.<name>".
 */
#ifndef AX_UNIT_H
#define AX_UNIT_H

#include <stdbool.h>

struct unit_test {
	const char *t_name;
	const char *t_sentence; /* what the test shows */
	void (*t_fn)(void);
	int t_line; /* tests run in the order of their lines */
};

#define TEST(name, sentence)                                                                    \
	static void test_##name(void);                                                          \
	static const struct unit_test unit_##name = { #name, sentence, test_##name, __LINE__ }; \
	static const struct unit_test *const unit_ptr_##name                                    \
		__attribute__((section("unit_tests"), used)) = &unit_##name;                    \
	static void test_##name(void)

#define CHECK(cond)                                                               \
	do {                                                                      \
		if (!(cond))                                                      \
			unit_fail(__FILE__, __LINE__, "CHECK(%s) failed", #cond); \
	} while (0)

#define CHECK_EQ_INT(a, b) unit_check_int(__FILE__, __LINE__, #a, (long long)(a), (long long)(b))

#define CHECK_EQ_STR(a, b) unit_check_str(__FILE__, __LINE__, #a, (a), (b))

/* Ends the running test as failed; the reason is printf-formatted. */
void unit_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((noreturn, format(__printf__, 3, 4)));

/* Ends the running test as passed, from wherever it is (say, a callback). */
void unit_pass(void) __attribute__((noreturn));

void unit_check_int(const char *file, int line, const char *expr, long long got, long long want);
void unit_check_str(const char *file, int line, const char *expr, const char *got,
		    const char *want);

#endif
