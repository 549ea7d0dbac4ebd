/*
 * A failed assert() (assert.h), in the kernel and in every system process:
 * a panic naming the expression, file, line and function.  panic() is the
 * environment's: the kernel's stops the machine, a process's reports and
 * exits so that RS recovers it.
 */
#include <assert.h>

void panic(const char *fmt, ...) __attribute__((noreturn, format(__printf__, 1, 2)));

void
__assert_fail(const char *expr, const char *file, int line, const char *func)
{
	panic("assertion \"%s\" failed at %s:%d in %s()", expr, file, line, func);
}
