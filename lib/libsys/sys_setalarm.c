/*
 * The wrapper for KCALL_SETALARM: the alarm is a NOTIFY from CLOCK.  (A
 * SENDREC's bound is not an alarm: ipc_sendrec_bounded, ipc.c.)
 */
#include "libsys.h"
#include <string.h>

int
sys_setalarm(uint64_t ticks, bool absolute, uint64_t *prev_left)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_sys_setalarm.ticks = ticks;
	m.m_sys_setalarm.absolute = absolute;
	r = kernel_call(KCALL_SETALARM, &m);
	if (r == 0 && prev_left)
		*prev_left = m.m_sys_setalarm_reply.prev_left;
	return r;
}
