/*
 * panic() for system processes: one line naming the process, the message, a
 * stack trace (tools/symbolize.py resolves it against build/proc/<name>.elf),
 * then sys_exit, so that the process's manager can recover it.
 */
#include "libsys.h"
#include <stdarg.h>
#include <stdio.h>

void
print_stacktrace(void)
{
	uint64_t *rbp = __builtin_frame_address(0);
	char line[256];
	int n = snprintf(line, sizeof(line), "%s(%d): stacktrace:", self_name, self_endpoint);

	for (int depth = 0; depth < 16 && rbp && ((uint64_t)rbp & 7) == 0; depth++) {
		if (n < (int)sizeof(line))
			n += snprintf(line + n, sizeof(line) - n, " %#llx",
				      (unsigned long long)rbp[1]);
		if ((uint64_t *)rbp[0] <= rbp)
			break;
		rbp = (uint64_t *)rbp[0];
	}
	printf("%s\n", line);
}

void
panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("%s(%d): panic: %s\n", self_name, self_endpoint, msg);
	print_stacktrace();
	sys_exit(1);
}
