/*
 * Wrappers for KCALL_SETALARM: the alarm is a NOTIFY from CLOCK; or, as a
 * call bound (ALARM_CALL), it makes a SENDREC that gets no answer in time
 * the kernel's report of a hang of the callee (ipc_sendrec_bounded).
 */
#include "libsys.h"
#include <string.h>

static int
setalarm(uint64_t ticks, bool absolute, uint32_t mode, uint64_t *prev_left, uint64_t *now)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_sys_setalarm.ticks = ticks;
	m.m_sys_setalarm.absolute = absolute;
	m.m_sys_setalarm.mode = mode;
	r = kernel_call(KCALL_SETALARM, &m);
	if (r == 0 && prev_left)
		*prev_left = m.m_sys_setalarm_reply.prev_left;
	if (r == 0 && now)
		*now = m.m_sys_setalarm_reply.now;
	return r;
}

int
sys_setalarm(uint64_t ticks, bool absolute, uint64_t *prev_left)
{
	return setalarm(ticks, absolute, ALARM_NOTIFY, prev_left, NULL);
}

/*
 * SENDREC to dst, bounded: if no answer has come `ticks` clock ticks later
 * (at least CALL_BOUND_MIN), the kernel signals dst SIGHUNG; its signal
 * manager (RS) restarts it, and this call then returns EDEADSRCDST, as for
 * any driver that died under a request.  ticks 0: not bounded.  The
 * bound borrows the caller's one alarm; an alarm the caller had set is set
 * again afterwards, for the same moment.
 */
int
ipc_sendrec_bounded(endpoint_t dst, message *m, uint64_t ticks)
{
	uint64_t left = 0, now = 0;
	int r;

	if (ticks == 0)
		return ipc_sendrec(dst, m);
	if ((r = setalarm(ticks, false, ALARM_CALL, &left, &now)) < 0)
		return r;
	r = ipc_sendrec(dst, m);
	if (left)
		setalarm(now + left, true, ALARM_NOTIFY, NULL, NULL);
	else
		setalarm(0, false, ALARM_NOTIFY, NULL, NULL);
	return r;
}
