/*
 * The boot image table: the programs the kernel itself starts from the boot
 * modules, and the privileges each gets.  A module is matched by its
 * program name (the file name without ".elf").  Only RS and what RS needs
 * before it can start anything are here: RS, and DS, which RS publishes
 * every service's endpoint in (and which RS's replica restarts).  Every
 * other module is a program RS starts, or a test starts, with privileges
 * from configuration (system.conf, lib/libconf/conf.h); the kernel leaves
 * it alone.
 *
 * PRIV_ROOT marks the root of authority (authority.h): RS, which is
 * responsible for the system.  PRIV_ADMIN is RS's own right to command RS
 * (servers/rs/README.md), which RS passes on to the services configured
 * `admin`.  PRIV_MAGIC_GRANTS lets RS copy a service's image into the
 * space VM builds for it (servers/rs/vmspawn.c).
 */
#include "table.h"

/* What every system process may do (MINIX's SYS_BASIC_CALLS). */
#define BASIC_CALLS KCALL_BASIC_CALLS
#define ALL_CALLS   (~(uint64_t)0)

const struct boot_entry boot_table[] = {
	/* program	priority	calls		IPC targets	I/O ports, IRQs, flags */
	{ "rs",
	  USER_Q - 4,
	  ALL_CALLS,
	  "ALL",
	  { { 0 } },
	  0,
	  PRIV_ROOT | PRIV_ADMIN | PRIV_MAGIC_GRANTS },
	{ "ds", USER_Q, BASIC_CALLS, "ALL", { { 0 } }, 0, 0 },
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
