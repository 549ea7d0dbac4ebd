/*
 * assert(e): for states the code itself must never reach (see STYLE.md,
 * "only broken invariants panic").  A failed assertion calls
 * __assert_fail, which each environment provides: the kernel panics, a
 * system process reports and exits.  It must print the expression, file,
 * line and function it is given, and never returns.
 *
 * Defining NDEBUG before including this header turns assert() into
 * nothing, as in C; like the standard header it has no include guard for
 * that reason.  static_assert is C11's _Static_assert.
 */
#undef assert
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e) ((e) ? (void)0 : __assert_fail(#e, __FILE__, __LINE__, __func__))
#endif

#ifndef AX_LIBC_ASSERT_H
#define AX_LIBC_ASSERT_H

#define static_assert _Static_assert

void __assert_fail(const char *expr, const char *file, int line, const char *func)
	__attribute__((noreturn));

#endif
