/*
 * fork, wait, exit signals, process groups, credentials and limits
 * (issue 14, docs/processes.md section 4): the test asks PM to start the
 * static musl program proctest (user/proctest/proctest.c) in one of its
 * modes, as its child, and compares the wait status PM reports.  Each mode
 * checks from inside, with raw Linux calls, and exits with 0 or the number
 * of the check that failed; a mode that must end by a signal is expected
 * to show that signal.  Around each run the kernel's resource counts are
 * compared: every process a mode made is gone at its end, none is left
 * behind in a slot.
 */
#include "guest.h"
#include <ax/pm.h>
#include <ax/linux.h>
#include <ax/signal.h>

#define SIGUSR1_LX 10

/*
 * proctest `args` as a child of ours, to its end: its wait status, or -E.
 * A mode that has not ended after RUN_BOUND ticks is stuck (a call never
 * answered): it is killed, and the answer is -ETIMEDOUT, so that such a
 * defect fails its test instead of stopping the run (each mode ends within
 * 20 ticks; fork_wait's child that computes takes most of them).
 */
#define RUN_BOUND 300 /* ticks of virtual time (-icount): 15 times the longest mode's */

static int
proctest(const char *args)
{
	return proc_run_uid("proctest", args, 0, RUN_BOUND);
}

/*
 * Run a mode expecting `status`, and check that the kernel's process slots
 * are as many as before: the mode's processes are gone.
 */
static void
expect_run(const char *args, int status)
{
	struct msg_sys_resources before, after;
	int st;

	EXPECT_EQ(sys_getresources(&before), 0);
	st = proctest(args);
	EXPECT(st == status, "proctest %s: status %#x, expected %#x (a failed check: %d)", args, st,
	       status, st >> 8);
	EXPECT_EQ(sys_getresources(&after), 0);
	EXPECT(after.used_slots == before.used_slots, "proctest %s: %u slots used, %u before", args,
	       after.used_slots, before.used_slots);
}

TEST(proc, fork_wait,
     "fork/vfork/clone make a copy; wait4/waitid report and collect it as Linux's; orphans go "
     "to init")
{
	expect_run("fork_wait", 0);
}

TEST(proc, cow, "parent, child and grandchild write the same pages: each keeps its own")
{
	expect_run("cow", 0);
}

TEST(proc, sigchld,
     "a child's end sends its exit signal to the parent: SIGCHLD is ignored, SIGUSR1 kills")
{
	expect_run("sigchld_ignore", 0);
	expect_run("exitsig_kills", LX_W_TERMSIG(SIGUSR1_LX));
	expect_run("exitsig_wait", LX_W_TERMSIG(SIGUSR1_LX));
}

TEST(proc, kill_pgrp,
     "setpgid/setsid follow POSIX's rules; kill of a group ends exactly its members")
{
	expect_run("kill_pgrp", LX_W_TERMSIG(SIGKILL)); /* its last act: kill(0, SIGKILL) */
}

TEST(proc, creds, "uid, gid and group calls answer as Linux's; a non-root caller gets EPERM")
{
	expect_run("creds", 0);
}

TEST(proc, result_203,
     "a call whose result is 203, the number of EDONTREPLY (getuid, read), is answered")
{
	expect_run("result_203", 0);
}

TEST(proc, fork_bomb, "a fork bomb ends in EAGAIN; PM answers throughout and forks again after")
{
	expect_run("fork_bomb", 0);
	expect_run("fork_wait", 0); /* the whole table is usable again */
}
