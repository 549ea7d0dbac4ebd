/*
 * SETGRANT: register the caller's grant table, `entries` grant_entry_t at
 * `addr` in its own memory (include/ax/grant.h).  0 entries unregisters it:
 * every grant the caller made stops working.  Reads: m_sys_setgrant.addr,
 * .entries.
 *
 * The table must be 8-aligned, at most GRANT_MAX_ENTRIES long and mapped
 * now (EINVAL, EFAULT); the kernel reads it again on every safecopy, so a
 * table that later goes away only makes the owner's grants fail.
 */
#include "system.h"
#include "priv.h"
#include "vm.h"
#include <ax/grant.h>

int
do_setgrant(struct proc *caller, message *m)
{
	vir_addr_t addr = m->m_sys_setgrant.addr;
	uint64_t entries = m->m_sys_setgrant.entries;
	size_t bytes = entries * sizeof(grant_entry_t);
	int r;

	if (entries > GRANT_MAX_ENTRIES || (entries && (addr & 7)))
		return -EINVAL;
	if (entries && (r = vm_check_user(caller, addr, bytes, false)) < 0)
		return r;
	caller->p_grant_table = entries ? addr : 0;
	caller->p_grant_entries = entries;
	return 0;
}
