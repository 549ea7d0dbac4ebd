/* Wrappers for KCALL_DIAGCTL: console text and the dumps of the kernel's tables. */
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

/* Every kernel table as text into buf (cut at len); the whole text's length, or -E. */
int
sys_diag_dump_tables(void *buf, size_t len)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_sys_diagctl.code = DIAG_DUMP_TABLES;
	m.m_sys_diagctl.addr = (uint64_t)buf;
	m.m_sys_diagctl.len = len;
	return kernel_call(KCALL_DIAGCTL, &m);
}
