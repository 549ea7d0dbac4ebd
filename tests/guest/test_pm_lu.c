/*
 * pm.lu_under_load (issue 14): live updates of PM under processes that
 * fork, exec, signal and sleep all the while (servers/pm/lu.c).  Two
 * proctest processes in mode lu (user/proctest/lu.c) keep children in
 * every state PM knows (a zombie, a stopped one, one in rt_sigsuspend, one
 * in nanosleep), a periodic timer, a blocked and pending signal and a
 * limit, and run rounds of fork, exec of busybox, wait and kill, checking
 * each time that their ids, masks, limits and clocks are what they were.
 * Meanwhile PM is updated again and again, and programs are started
 * (PM_START) and end while each update is under way.  Then an update whose
 * new version fails its init rolls back, so does one to another build of
 * PM (/sbin/pm_b, through `service update`), and one more succeeds.  Every
 * process ends as it should (exit 0), PM keeps its endpoint, and the
 * harness's own children are still known by their pids (PM_WAIT).
 */
#include "guest.h"
#include <ax/pm.h>
#include <ax/rs.h>
#include <ax/linux.h>

#define LU_ROUNDS  4
#define SIGUSR1_LX 10 /* Linux's number: proctest lu's stop */
#define EINVAL_LX  22 /* service's exit status for RS's EINVAL */

TEST(pm, lu_under_load,
     "PM live-updated again and again under processes that fork, exec, signal and sleep: its "
     "table, signal state, timers and clock carry over; a failing new version and another "
     "build of PM roll back")
{
	struct msg_pm_reply a, b;
	endpoint_t pm0, pm1;
	int ran;

	EXPECT_EQ(sys_lookup("pm", &pm0), 0);
	EXPECT_EQ(proc_start("proctest", "lu", &a), 0);
	EXPECT_EQ(proc_start("proctest", "lu", &b), 0);
	tickdelay(20); /* both in their rounds, their children made */
	for (int i = 0; i < LU_ROUNDS; i++) {
		EXPECT_EQ(update_under_load("pm", 0, &ran), 0);
		EXPECT_EQ(ran, 0);
		EXPECT_EQ(sys_lookup("pm", &pm1), 0);
		EXPECT_EQ(pm1, pm0); /* an update keeps the endpoint */
	}
	EXPECT(update_under_load("pm", SEF_INIT_FAIL, &ran) < 0, "a failing new version was kept");
	EXPECT_EQ(ran, 0);
	/* Another build: its init refuses the tables (lu.c), RS rolls back. */
	EXPECT_EQ(proc_run_uid("service", "update pm -program /sbin/pm_b", 0, 1000),
		  LX_W_EXITCODE(EINVAL_LX));
	EXPECT_EQ(update_under_load("pm", 0, &ran), 0);
	EXPECT_EQ(ran, 0);
	EXPECT_EQ(sys_lookup("pm", &pm1), 0);
	EXPECT_EQ(pm1, pm0);
	tickdelay(10);
	/* Still running (a failed check ends proctest early, with its number): stop them. */
	(void)sys_kill(a.endpt, SIGUSR1_LX);
	(void)sys_kill(b.endpt, SIGUSR1_LX);
	EXPECT_EQ(proc_wait(a.pid), 0);
	EXPECT_EQ(proc_wait(b.pid), 0);
}

TEST(pm, crash_restart,
     "PM killed: RS starts a fresh PM, which serves new processes; the dead PM's processes, "
     "unknown to it, end at their next call instead of failing for ever")
{
	struct msg_pm_reply a;
	endpoint_t pm0, pm1 = NONE;

	EXPECT_EQ(sys_lookup("pm", &pm0), 0);
	EXPECT_EQ(proc_start("proctest", "lu", &a), 0);
	tickdelay(10); /* in its rounds: forks, execs, calls */
	EXPECT_EQ(rs_request(RS_RESTART, "pm", NULL), 0);
	for (int i = 0; i < AWAIT_TICKS && (pm1 == NONE || pm1 == pm0); i++) {
		tickdelay(1);
		if (sys_lookup("pm", &pm1) < 0)
			pm1 = NONE;
	}
	EXPECT(pm1 != NONE && pm1 != pm0, "PM was not restarted (%d, then %d)", pm0, pm1);
	EXPECT_EQ(await_gone(a.endpt), 0);    /* ended at its next call */
	EXPECT_EQ(proc_wait(a.pid), -ECHILD); /* the table died with the old PM */
	EXPECT_EQ(lxvm_run("brk"), 0);        /* new processes are served */
	EXPECT_EQ(proc_run_uid("exectest", "bb 2", 0, 1000), LX_W_EXITCODE(42));
}
