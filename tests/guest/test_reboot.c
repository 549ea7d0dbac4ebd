/*
 * reboot(2)'s refusals (servers/pm/reboot.c, docs/userland.md section 4):
 * proctest's reboot_checks mode (user/proctest/proctest.c) makes the calls
 * from inside, as uid 1000 (EPERM whatever it passes) and as root (EINVAL
 * for a bad magic number or command, 0 for CAD_ON/CAD_OFF, EPERM once its
 * effective uid is dropped), and exits with 0 or the number of the check
 * that failed.  A broken check would stop the machine: the run then ends
 * early and every later test says it did not run.  The stop itself is
 * tested from the console (init.poweroff_fsck), since it ends the boot.
 */
#include "guest.h"
#include <ax/linux.h>

#define RUN_BOUND 300 /* ticks: the mode takes a few */

TEST(proc, reboot_checks,
     "reboot(2): EPERM unless the effective uid is 0, EINVAL for bad magic numbers and "
     "commands, CAD_ON/CAD_OFF accepted")
{
	int st = proc_run_uid("proctest", "reboot_checks", 1000, RUN_BOUND);

	EXPECT(st == 0, "as uid 1000: status %#x (a failed check: %d)", st, st >> 8);
	st = proc_run_uid("proctest", "reboot_checks", 0, RUN_BOUND);
	EXPECT(st == 0, "as root: status %#x (a failed check: %d)", st, st >> 8);
}

/* Not reboot's, but the call busybox's init waits for poweroff's signal in (sigwait.c). */
TEST(proc, sigtimedwait,
     "rt_sigtimedwait takes a pending signal of its set, waits for one from a child, times "
     "out with EAGAIN, refuses bad arguments")
{
	int st = proc_run_uid("proctest", "sigtimedwait", 0, RUN_BOUND);

	EXPECT(st == 0, "status %#x (a failed check: %d)", st, st >> 8);
}
