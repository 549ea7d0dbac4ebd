/*
 * VFS's clock: the date, in seconds since 1970, that VFS stamps on the
 * requests that change a file (docs/files.md, "Times").  The date is PM's
 * CLOCK_REALTIME: PM reads the CMOS clock at its start and publishes it in
 * DS with the tick it was read at (include/ax/pm.h, PM_CLOCK_KEY); VFS
 * reads that once and adds the kernel's ticks since, so a file's mtime is
 * what `date` said when it was written, and VFS never asks PM (it never
 * waits for PM).  Until PM has published, the date is 0: "no time", and
 * the FS leaves the times alone.  Entry point: vfs_now.
 */
#include "vfs_int.h"
#include <ax/pm.h>

static struct pm_clock clk; /* c_hz 0: not read yet */

uint32_t
vfs_now(void)
{
	struct msg_sys_times_reply t;
	size_t len = sizeof(clk);

	if (clk.c_hz == 0 && (ds_retrieve_mem(PM_CLOCK_KEY, &clk, &len) < 0 || len != sizeof(clk) ||
			      clk.c_hz == 0)) {
		clk.c_hz = 0;
		return 0;
	}
	if (sys_times(SELF, &t) < 0 || t.uptime < clk.c_tick)
		return (uint32_t)clk.c_sec;
	return (uint32_t)(clk.c_sec + (t.uptime - clk.c_tick) / clk.c_hz);
}
