/*
 * kernel_call(): a SENDREC to SYSTEM.  The IPC result says whether the call
 * reached the kernel; the kernel's answer is the reply's m_type.
 */
#include "libsys.h"

int
kernel_call(int type, message *m)
{
	int r;

	m->m_type = type;
	if ((r = ipc_sendrec(SYSTEM, m)) < 0)
		return r;
	return m->m_type;
}
