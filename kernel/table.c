/*
 * The boot image table: which programs may be boot modules, and the
 * privileges each gets.  A module is matched by its program name (the file
 * name without ".elf"); several modules may run the same program under
 * different process names.  A module that is not listed here is refused.
 *
 * This is the kernel's only policy, and it covers only the processes the
 * kernel starts: RS runs with this table's privileges and gives every
 * service it starts its privileges from the service's configuration
 * (system.conf).
 *
 * PRIV_ROOT marks the root of authority (authority.h): RS, which is
 * responsible for the system, and the harnesses that inject faults into RS
 * itself (the test runner, the benchmarks, the demo).  Every other boot
 * process was created by the kernel and has no manager: only a root may
 * manage it, until a root names a signal manager for it.
 */
#include "table.h"

#define C(name)		KCALL_BIT(name)
/* What every system process may do (MINIX's SYS_BASIC_CALLS). */
#define BASIC_CALLS	KCALL_BASIC_CALLS
#define ALL_CALLS	(~(uint64_t)0)

const struct boot_entry boot_table[] = {
	/* program	priority	calls		IPC targets	I/O ports, IRQs, flags */
	{ "rs",		USER_Q - 4,	ALL_CALLS,	"ALL",		{ { 0 } }, 0, PRIV_ROOT | PRIV_ADMIN },
	{ "ds",		USER_Q,		BASIC_CALLS,	"ALL",		{ { 0 } }, 0, 0 },
	{ "testrun",	USER_Q - 2,	ALL_CALLS,	"ALL",
	  { { 0x70, 0x71 } }, 1 << 8, PRIV_ROOT | PRIV_ADMIN },	/* CMOS RTC, for irq.notify */
	{ "peer",	USER_Q,		BASIC_CALLS,	"ALL",		{ { 0 } }, 0, 0 },
	{ "dsclient",	USER_Q,		BASIC_CALLS,	"ALL",		{ { 0 } }, 0, 0 },
	{ "restricted",	USER_Q,		C(GETINFO) | C(DIAGCTL) | C(EXIT), "testrun", { { 0 } }, 0, 0 },
	{ "bench",	USER_Q - 2,	ALL_CALLS,	"ALL",		{ { 0 } }, 0, PRIV_ROOT | PRIV_ADMIN },
	{ "bench_srv",	USER_Q,		BASIC_CALLS | C(SETGRANT), "ALL",	{ { 0 } }, 0, 0 },
	{ "driver",	USER_Q,		BASIC_CALLS | C(SAFECOPYFROM) | C(SAFECOPYTO) | C(VSAFECOPY) |
					C(SETGRANT), "ALL",	{ { 0 } }, 0, 0 },
	{ "demo",	USER_Q,		ALL_CALLS,	"ALL",		{ { 0 } }, 0, PRIV_ROOT | PRIV_ADMIN },
};

const size_t boot_table_len = ARRAY_SIZE(boot_table);

const struct boot_entry *
boot_table_find(const char *program)
{
	for (size_t i = 0; i < boot_table_len; i++)
		if (strcmp(boot_table[i].program, program) == 0)
			return &boot_table[i];
	return NULL;
}
