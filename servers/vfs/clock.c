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

/*
 * Asking the kernel's uptime is a kernel call per request that changes a
 * file; the date changes once a second.  So the last answer is kept with
 * the time-stamp counter up to which it is surely still the date: the
 * counter the kernel gave with the uptime, plus the ticks left to the next
 * second less one (the uptime may tick just after it was read), times a
 * lower bound on the counter's steps per tick (the counter's steps since
 * the first answer over its ticks plus one: fewer than that many ticks
 * cannot have passed; the bound grows closer as time goes by), less an
 * eighth in case the clock lost ticks while it was measured (a busy host
 * under QEMU), which makes it too high.
 * The uptime never runs ahead of the counter, so the kept date is what the
 * kernel's uptime would give: never a second late or early.  Until the
 * bound is known (clock_start takes the first answer at VFS's start), or
 * when the counter went back, the kernel is asked.
 */
static uint32_t kept;            /* the date last computed */
static uint64_t kept_tsc;        /* counter at that answer */
static uint64_t kept_until;      /* below this counter, kept is the date */
static uint64_t cal_tsc, cal_up; /* the first answer, for the bound */
static bool cal_known;
static uint64_t tsc_per_tick; /* lower bound, 0: not known */

/* VFS's start: the first answer of the bound, so that it is known by the first requests. */
void
clock_start(void)
{
	struct msg_sys_times_reply t;

	if (sys_times(SELF, &t) == 0) {
		cal_up = t.uptime;
		cal_tsc = t.tsc;
		cal_known = true;
	}
}

uint32_t
vfs_now(void)
{
	struct msg_sys_times_reply t;
	size_t len = sizeof(clk);
	uint64_t tsc, left;

	if (clk.c_hz == 0 && (ds_retrieve_mem(PM_CLOCK_KEY, &clk, &len) < 0 || len != sizeof(clk) ||
			      clk.c_hz == 0)) {
		clk.c_hz = 0;
		return 0;
	}
	tsc = read_tsc();
	if (tsc >= kept_tsc && tsc < kept_until)
		return kept;
	if (sys_times(SELF, &t) < 0 || t.uptime < clk.c_tick)
		return (uint32_t)clk.c_sec;
	kept = (uint32_t)(clk.c_sec + (t.uptime - clk.c_tick) / clk.c_hz);
	kept_tsc = t.tsc;
	kept_until = 0;
	if (!cal_known || t.uptime < cal_up || t.tsc < cal_tsc) {
		cal_up = t.uptime;
		cal_tsc = t.tsc;
		cal_known = true;
		tsc_per_tick = 0;
	} else if (t.uptime > cal_up) {
		tsc_per_tick = (t.tsc - cal_tsc) / (t.uptime - cal_up + 1) / 8 * 7;
	}
	left = clk.c_hz - (t.uptime - clk.c_tick) % clk.c_hz; /* ticks to the next second */
	if (tsc_per_tick && left > 1)
		kept_until = t.tsc + (left - 1) * tsc_per_tick;
	return kept;
}
