/* Wrappers for KCALL_DIAGCTL: console text and the process-table dump. */
#include "libsys.h"
#include <string.h>

int
sys_diag_print(const char *s, size_t len)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_sys_diagctl.code = DIAG_PRINT;
	m.m_sys_diagctl.addr = (uint64_t)s;
	m.m_sys_diagctl.len = len;
	return kernel_call(KCALL_DIAGCTL, &m);
}

int
sys_diag_dump_procs(void)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_sys_diagctl.code = DIAG_DUMP_PROCS;
	return kernel_call(KCALL_DIAGCTL, &m);
}
