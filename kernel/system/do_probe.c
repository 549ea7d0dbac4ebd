/*
 * PROBE (debug, tests only): make the kernel attempt an access that its
 * memory protections must refuse, and report whether the hardware faulted
 * (include/ax/kcall.h, enum probe_kind).  Reads: m_sys_probe.kind, .addr.
 * It exists so that authority.smep_smap_nx can show SMEP, SMAP, NX and
 * read-only kernel text at work; no service's configuration lists it.
 *
 * The caller names only addresses of its own (user half, checked); the
 * kernel addresses are the kernel's choice, and the text write puts back
 * the byte it read, so even a kernel without the protections is unharmed.
 * The fault, when it comes, is caught by arch_probe's fixup (trap.c), not
 * treated as a kernel bug.
 */
#include "system.h"

int
do_probe(struct proc *caller, message *m)
{
	int kind = m->m_sys_probe.kind;
	vir_addr_t addr = m->m_sys_probe.addr;

	(void)caller;
	if (kind == PROBE_READ_USER || kind == PROBE_EXEC_USER) {
		if (!arch_user_range_ok(addr, 1))
			return -EINVAL;
	} else if (kind != PROBE_WRITE_TEXT && kind != PROBE_EXEC_DATA) {
		return -EINVAL;
	}
	return arch_probe(kind, addr);
}
