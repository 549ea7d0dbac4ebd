/*
 * DIAGCTL: kernel-console output for system processes (until a tty driver
 * takes the console) and table dumps.  Reads: m_sys_diagctl (code, addr,
 * len).  DIAG_PRINT copies at most DIAG_PRINT_MAX bytes (E2BIG beyond).
 */
#include "system.h"
#include "vm.h"



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
		console_write(buf, len);
		return 0;
	case DIAG_DUMP_PROCS:
		proc_dump();
		return 0;
	default:
		return -EINVAL;
	}
}
