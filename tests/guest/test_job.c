/*
 * Job control end to end (docs/files.md "Terminals", docs/processes.md
 * section 6): the test asks PM to start the static musl program jobtest
 * (user/jobtest) in one of its modes; it checks from inside with Linux's
 * own calls and exits 0, or with the line of the check that failed (mod
 * 256; the check is also printed on its standard error, the tty).  In
 * test mode the console is the tty on COM2, whose far end, the harness's
 * typist, types what the program asks for.
 */
#include "guest.h"

/* jobtest in mode, bounded: its wait status. */
static int
jobtest(const char *mode)
{
	return proc_run_uid("jobtest", mode, 0, 3000);
}

#define JOBTEST(mode)                                                                           \
	do {                                                                                    \
		int st_ = jobtest(mode);                                                        \
		EXPECT(st_ == 0,                                                                \
		       "jobtest %s: status %#x (exit code: the line of jobtest.c that failed, " \
		       "mod 256)",                                                              \
		       mode, st_);                                                              \
	} while (0)

TEST(proc, stop_continue,
     "SIGSTOP/SIGTSTP stop and SIGCONT continues, also in a call VFS or PM holds; wait4's "
     "WUNTRACED/WCONTINUED and waitid's statuses, SIGCHLD (none under SA_NOCLDSTOP); "
     "an orphaned group with a stopped member gets SIGHUP+SIGCONT, SIGTSTP there is discarded")
{
	JOBTEST("stop_continue");
}

TEST(vfs, tty_pgrp,
     "a leader's exit hangs up its foreground group; on the controlling terminal: /dev/tty, "
     "a foreground reader reads, a background one is "
     "stopped by SIGTTIN and reads once TIOCSPGRP gives it the terminal, SIGTTIN ignored is "
     "EIO, ^C ends the foreground group only")
{
	JOBTEST("tty_pgrp");
}
