/*
 * tickdelay(): wait `ticks` clock ticks on the process's alarm.  Anything
 * else that arrives meanwhile stays queued for the next receive.  Replaces
 * an alarm the caller had set.  No ticks returns at once and leaves the
 * alarm alone (an alarm of 0 would cancel it, and no CLOCK notification
 * would ever come).
 */
#include "libsys.h"

int
tickdelay(uint64_t ticks)
{
	message m;
	uint64_t status;
	int r;

	if (ticks == 0)
		return 0;
	if ((r = sys_setalarm(ticks, false, NULL)) < 0)
		return r;
	return ipc_receive(CLOCK, &m, &status);
}
