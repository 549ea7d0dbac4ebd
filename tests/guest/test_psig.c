/*
 * Signals, clocks and timers of user processes (issue 14; docs/processes.md
 * section 6): each test starts the static musl program sigtest
 * (user/sigtest/sigtest.c) through PM, which checks from inside and
 * reports in its exit status, and compares the wait status PM gives.
 * proc.eintr_restart also serves a Linux call itself, as the VM class,
 * to hold it while a signal interrupts it (the LX_CANCEL protocol of
 * include/ax/linux.h).
 */
#include "guest.h"
#include <ax/linux.h>
#include <ax/signal.h>


/* PM's endpoint. */
static endpoint_t
pm(void)
{
	endpoint_t e = NONE;

	sys_lookup("pm", &e);
	return e;
}

/* Run sigtest with args to its end: its wait status, or -E. */
static int
sigtest(const char *args, struct msg_pm_reply *reply)
{
	struct msg_pm_reply rp;
	int r;

	if (!reply)
		reply = &rp;
	if ((r = proc_start("sigtest", args, reply)) < 0)
		return r;
	return proc_wait(reply->pid);
}

TEST(proc, signal_handler,
     "handlers run with Linux's siginfo and masks (SA_SIGINFO, NODEFER, RESETHAND, ONSTACK); "
     "default actions end, ignore, stop and continue as Linux's")
{
	struct msg_pm_reply a, b;
	char args[32];

	EXPECT_EQ(sigtest("handler", NULL), 0);
	EXPECT_EQ(sigtest("forkframe", NULL), 0); /* frames on stack pages shared since fork */
	/* Defaults: end (status = the signal), core (the core bit only with RLIMIT_CORE > 0), ignore. */
	EXPECT_EQ(sigtest("die 15", NULL), LX_W_TERMSIG(15));
	EXPECT_EQ(sigtest("die 10", NULL), LX_W_TERMSIG(10));
	EXPECT_EQ(sigtest("die 3", NULL), LX_W_TERMSIG(3));
	EXPECT_EQ(sigtest("core 3", NULL), LX_W_TERMSIG(3) | LX_W_COREFLAG);
	EXPECT_EQ(sigtest("die 9", NULL), LX_W_TERMSIG(9));
	EXPECT_EQ(sigtest("die 17", NULL), LX_W_EXITCODE(2)); /* SIGCHLD: ignored, it goes on */
	EXPECT_EQ(sigtest("die 28", NULL), LX_W_EXITCODE(2)); /* SIGWINCH */
	/* Stop, then another process's SIGCONT lets it finish. */
	EXPECT_EQ(proc_start("sigtest", "stop", &a), 0);
	snprintf(args, sizeof(args), "cont %d", a.pid);
	EXPECT_EQ(proc_start("sigtest", args, &b), 0);
	EXPECT_EQ(proc_wait(a.pid), LX_W_EXITCODE(7));
	EXPECT_EQ(proc_wait(b.pid), 0);
	/* A terminal's ^C (TTY_SIGNAL) for the process group of a program waiting in pause. */
	EXPECT_EQ(proc_start("sigtest", "pause", &a), 0);
	{
		message m;

		memset(&m, 0, sizeof(m));
		m.m_type = TTY_SIGNAL;
		m.m_tty_signal.sig = SIGINT;
		m.m_tty_signal.pgrp = a.ppid; /* PM_START: the group of its native parent */
		EXPECT_EQ(asynsend3(pm(), &m, AMF_NOREPLY), 0);
	}
	EXPECT_EQ(proc_wait(a.pid), LX_W_TERMSIG(SIGINT));
}

TEST(proc, sigreturn_restores,
     "after a handler that clobbers every register, rt_sigreturn gives back all of them, xmm0, "
     "DF and the mask; a bad frame or stack is SIGSEGV")
{
	EXPECT_EQ(sigtest("regs", NULL), 0);
	EXPECT_EQ(sigtest("spin", NULL), 0); /* interrupted user code: rcx and r11 too */
	/* rax values PM could take for "no answer" (203 is EDONTREPLY, a pid too). */
	EXPECT_EQ(sigtest("spin 1", NULL), 0);
	EXPECT_EQ(sigtest("spin 2", NULL), 0);
	EXPECT_EQ(sigtest("badframe", NULL), LX_W_TERMSIG(SIGSEGV));
	EXPECT_EQ(sigtest("badstack", NULL), LX_W_TERMSIG(SIGSEGV));
	EXPECT_EQ(sigtest("regs", NULL), 0); /* PM and the kernel are fine */
}

/*
 * Receive a message from src (another is a failure), within ticks: 0, or
 * -ETIMEDOUT.
 */
static int
receive_from(endpoint_t src, message *m, uint64_t ticks)
{
	uint64_t st;

	sys_setalarm(ticks, false, NULL);
	for (;;) {
		if (ipc_receive(ANY, m, &st) < 0)
			return -EIO;
		if (m->m_source == CLOCK && ipc_status_is_notify(st))
			return -ETIMEDOUT;
		if (m->m_source == src) {
			sys_setalarm(0, false, NULL);
			return 0;
		}
	}
}

static void
reply_to(endpoint_t e, int64_t result)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_type = LX_REPLY;
	m.m_lx_reply.result = result;
	ipc_sendnb(e, &m);
}

/* As the owner of brk: PM's LX_CANCEL for e comes, the call ends -ERESTARTSYS (the kernel tells PM). */
static int
cancel_call(endpoint_t e)
{
	message m;
	int r;

	if ((r = receive_from(pm(), &m, 500)) < 0)
		return r;
	if (m.m_type != LX_CANCEL || m.m_lx_cancel.endpt != e)
		return -EINVAL;
	memset(&m, 0, sizeof(m));
	m.m_type = -LX_ERESTARTSYS;
	return ipc_sendnb(e, &m);
}

TEST(proc, eintr_restart,
     "a call held by a server and interrupted by a handler: -EINTR without SA_RESTART, run again "
     "with it; PM's pause, nanosleep (rem written) and rt_sigsuspend end -EINTR")
{
	struct msg_pm_reply r;
	message m;

	/* VFS runs; VM does not yet: the test holds brk (as proc.reply_protocol does). */
	EXPECT_EQ(sys_linuxctl(LINUXCTL_SERVE, LX_OWNER_VM), 0);
	EXPECT_EQ(proc_start("sigtest", "eintr", &r), 0);

	/* 1: no SA_RESTART.  The call is held here until PM cancels it. */
	EXPECT_EQ(receive_from(r.endpt, &m, 500), 0);
	EXPECT_EQ(m.m_type, LX_CALL_BASE + LX_NR_brk);
	EXPECT_EQ(m.m_lx_call.arg[0], 0x1234);
	EXPECT_EQ(cancel_call(r.endpt), 0);

	/* 2: SA_RESTART.  Cancelled, then the same call comes again; its answer is 5. */
	EXPECT_EQ(receive_from(r.endpt, &m, 500), 0);
	EXPECT_EQ(m.m_type, LX_CALL_BASE + LX_NR_brk);
	EXPECT_EQ(m.m_lx_call.arg[0], 0x2345);
	EXPECT_EQ(cancel_call(r.endpt), 0);
	EXPECT_EQ(receive_from(r.endpt, &m, 500), 0);
	EXPECT_EQ(m.m_type, LX_CALL_BASE + LX_NR_brk); /* restarted: the same call */
	EXPECT_EQ(m.m_lx_call.arg[0], 0x2345);
	reply_to(r.endpt, 5);

	EXPECT_EQ(proc_wait(r.pid), 0);
}

TEST(proc, alarm, "alarm and setitimer(ITIMER_REAL) raise SIGALRM when due; their old values")
{
	EXPECT_EQ(sigtest("alarm", NULL), 0);
}

TEST(proc, nanosleep,
     "nanosleep and clock_nanosleep last at least what was asked, by the clocks; the wall clock "
     "is the host's date; times, getrusage and rlimits as Linux's")
{
	EXPECT_EQ(sigtest("nanosleep", NULL), 0);
}

TEST(proc, signal_bad_pointers,
     "every signal and time call given bad pointers answers -EFAULT, bad sizes -EINVAL")
{
	EXPECT_EQ(sigtest("badptr", NULL), 0);
	EXPECT_EQ(sigtest("handler", NULL), 0); /* PM is fine */
}
