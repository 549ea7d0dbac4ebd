/*
 * sys_probe(): the debug kernel call PROBE (include/ax/kcall.h), for the
 * test of the kernel's memory protections only.
 */
#include "libsys.h"
#include <string.h>

int
sys_probe(int kind, const void *addr)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_sys_probe.kind = kind;
	m.m_sys_probe.addr = (uint64_t)addr;
	return kernel_call(KCALL_PROBE, &m);
}
