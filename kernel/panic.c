/*
 * Kernel panic: a broken invariant inside the kernel.  Prints the message and
 * a stack trace (tools/symbolize.py turns the addresses into function names),
 * dumps the process table, and stops the machine with the panic status, which
 * the test harness reports as a failure.  A panic during a panic stops at once.
 */
#include "kernel.h"
#include "arch.h"
#include "proc.h"
#include "dump.h"
#include <stdarg.h>

void
panic(const char *fmt, ...)
{
	static bool panicking;
	va_list ap;

	if (panicking)
		arch_shutdown(ABORT_POWEROFF, SHUTDOWN_PANIC);
	panicking = true;
	printf("kernel panic: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	arch_stacktrace("kernel", arch_frame_pointer());
	proc_dump(&kdump_console);
	arch_shutdown(ABORT_POWEROFF, SHUTDOWN_PANIC);
}
