/*
 * DIAGCTL: kernel-console output for system processes (their printf; the
 * tty driver has a serial line of its own) and table dumps.  Reads: m_sys_diagctl (code, addr,
 * len).  DIAG_PRINT copies at most DIAG_PRINT_MAX bytes (E2BIG beyond);
 * DIAG_DUMP_PROCS prints the process table; DIAG_DUMP_TABLES writes every
 * kernel table (dump.c) into the caller's buffer, cut at len, and returns
 * the length of the whole text.  DIAG_FASTPATH turns the IPC fast path on
 * or off (kernel/ipc_fast.c) and reports how often it was taken: results
 * never depend on it, only speed.
 */
#include "system.h"
#include "dump.h"
#include "ipc.h"
#include "vm.h"

static int
dump_tables(struct proc *caller, vir_addr_t addr, size_t len)
{
	struct kdump d = { .k_to = caller, .k_addr = addr, .k_size = len };

	if (len > INT32_MAX)
		return -EINVAL;
	kernel_dump(&d);
	if (d.k_error < 0)
		return d.k_error;
	return d.k_len > INT32_MAX ? INT32_MAX : (int)d.k_len;
}

int
do_diagctl(struct proc *caller, message *m)
{
	char buf[DIAG_PRINT_MAX];
	size_t len = m->m_sys_diagctl.len;
	int r;

	switch (m->m_sys_diagctl.code) {
	case DIAG_PRINT:
		if (len > sizeof(buf))
			return -E2BIG;
		if ((r = vm_copy_from_user(caller, buf, m->m_sys_diagctl.addr, len)) < 0)
			return r;
		console_write_from(caller, buf, len); /* prefixed and escaped */
		return 0;
	case DIAG_DUMP_PROCS:
		proc_dump(&kdump_console);
		return 0;
	case DIAG_DUMP_TABLES:
		return dump_tables(caller, m->m_sys_diagctl.addr, len);
	case DIAG_FASTPATH: /* for ipc.fastpath_equivalence; speed only, no authority */
		if (len <= 1)
			ipc_fastpath_on = len;
		m->m_sys_diagctl.addr = ipc_fastpath_taken;
		m->m_sys_diagctl.len = ipc_fastpath_on;
		return 0;
	default:
		return -EINVAL;
	}
}
