/*
 * Processes through the Linux ABI (issue 14, docs/processes.md): the test
 * asks PM to start the static musl program lxtest (user/lxtest/lxtest.c)
 * from the boot image, as its child, and waits for its wait status; each
 * mode of lxtest checks its calls from inside and reports in its exit
 * status.  Everything goes through the kernel's Linux trap, PM's Linux
 * calls, PM's end of a process and the native PM_START / PM_WAIT requests.
 */
#include "guest.h"
#include <ax/pm.h>
#include <ax/linux.h>
#include <ax/signal.h>

/* PM's endpoint, once it answers (RS starts it at boot). */
static endpoint_t
pm(void)
{
	endpoint_t e = NONE;

	for (int i = 0; i < 500 && sys_lookup("pm", &e) < 0; i++)
		tickdelay(1);
	return e;
}

int
proc_pm_call(int type, message *m)
{
	int r;

	m->m_type = type;
	if ((r = ipc_sendrec(pm(), m)) < 0)
		return r;
	return m->m_type;
}

int
proc_start(const char *program, const char *args, struct msg_pm_reply *reply)
{
	return proc_start_uid(program, args, 0, reply);
}

int
proc_start_uid(const char *program, const char *args, uint32_t uid, struct msg_pm_reply *reply)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	strlcpy(m.m_pm_request.program, program, sizeof(m.m_pm_request.program));
	strlcpy(m.m_pm_request.args, args, sizeof(m.m_pm_request.args));
	m.m_pm_request.uid = uid;
	if ((r = proc_pm_call(PM_START, &m)) == 0)
		*reply = m.m_pm_reply;
	return r;
}

int
proc_wait(int pid)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_pm_request.pid = pid;
	if ((r = proc_pm_call(PM_WAIT, &m)) < 0)
		return r;
	return m.m_pm_reply.status;
}

/*
 * Start program as uid and wait for its end, at most bound ticks of
 * virtual time (then it is killed): its wait status, -ETIMEDOUT, or -E.
 */
int
proc_run_uid(const char *program, const char *args, uint32_t uid, int bound)
{
	struct msg_pm_reply started;
	int r, waited = 0;

	if ((r = proc_start_uid(program, args, uid, &started)) < 0)
		return r;
	while (proc_state(started.endpt) != -1 && waited++ < bound)
		tickdelay(1);
	if (proc_state(started.endpt) != -1)
		sys_kill(started.endpt, SIGKILL);
	r = proc_wait(started.pid);
	return waited > bound && r >= 0 ? -ETIMEDOUT : r;
}

/* Start lxtest with args; 0 and *reply (pid, ppid, endpt), or -E. */
static int
start(const char *args, struct msg_pm_reply *reply)
{
	return proc_start("lxtest", args, reply);
}

/* Wait for child pid: its wait status, or -E. */
static int
wait_pid(int pid)
{
	return proc_wait(pid);
}

/* Run lxtest with args to its end: its wait status, or -E. */
static int
run(const char *args, struct msg_pm_reply *reply)
{
	struct msg_pm_reply rp;
	int r;

	if (!reply)
		reply = &rp;
	if ((r = start(args, reply)) < 0)
		return r;
	return wait_pid(reply->pid);
}

TEST(proc, exit_status, "the status a parent sees is what the program passed to exit_group / exit")
{
	static const struct {
		const char *args;
		int code;
	} cases[] = {
		{ "exit 0", 0 },   { "exit 1", 1 },    { "exit 42", 42 },      { "exit 255", 255 },
		{ "exit 256", 0 }, { "exit 300", 44 }, { "thread_exit 7", 7 },
	};
	struct msg_pm_reply r1, r2;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int st = run(cases[i].args, NULL);

		EXPECT(st == LX_W_EXITCODE(cases[i].code), "lxtest %s: status %#x, expected %#x",
		       cases[i].args, st, LX_W_EXITCODE(cases[i].code));
	}

	/* Two children at once; collected in the other order; each once. */
	EXPECT_EQ(start("exit 11", &r1), 0);
	EXPECT_EQ(start("exit 22", &r2), 0);
	EXPECT(r1.pid != r2.pid, "two children with pid %d", r1.pid);
	EXPECT_EQ(wait_pid(r2.pid), LX_W_EXITCODE(22));
	EXPECT_EQ(wait_pid(r1.pid), LX_W_EXITCODE(11));
	EXPECT_EQ(wait_pid(r1.pid), -ECHILD); /* collected already */
	EXPECT_EQ(wait_pid(12345), -ECHILD);
	EXPECT_EQ(wait_pid(r1.ppid), -ECHILD); /* ourselves */

	/* Bad requests. */
	EXPECT_EQ(start("", &r1) == 0 ? wait_pid(r1.pid) : -1, 99 << 8); /* no mode: 99 */
	{
		message m;

		memset(&m, 0, sizeof(m));
		EXPECT_EQ(proc_pm_call(PM_START, &m), -EINVAL);
		strlcpy(m.m_pm_request.program, "nosuchprog", sizeof(m.m_pm_request.program));
		EXPECT_EQ(proc_pm_call(PM_START, &m), -ENOENT);
	}
}

TEST(proc, ids_uname,
     "getpid, gettid, set_tid_address, getppid and uname answer as Linux's, through PM")
{
	struct msg_pm_reply a, b;
	int st;

	st = run("pid", &a);
	EXPECT(st == LX_W_EXITCODE(a.pid & 0xff), "pid mode: status %#x, pid %d", st, a.pid);
	st = run("ppid", &b);
	EXPECT(st == LX_W_EXITCODE(b.ppid & 0xff), "ppid mode: status %#x, parent %d", st, b.ppid);
	EXPECT(a.pid > 1 && b.pid != a.pid && b.ppid != b.pid, "pids %d %d, parent %d", a.pid,
	       b.pid, b.ppid);
	EXPECT_EQ(run("uname", NULL), 0);
}

TEST(proc, enosys,
     "an unknown Linux call is -ENOSYS, logged once per number, one not served on purpose (rseq) "
     "without a line; the program goes on")
{
	struct msg_sys_resources before, after;

	EXPECT_EQ(sys_getresources(&before), 0);
	EXPECT_EQ(run("enosys", NULL), 0);
	EXPECT_EQ(sys_getresources(&after), 0);
	/* 500 (four times) and 501, which nothing else calls: two lines. */
	EXPECT_EQ(after.unknown_calls - before.unknown_calls, 2);
	before = after;
	EXPECT_EQ(run("enosys", NULL), 0);
	EXPECT_EQ(sys_getresources(&after), 0);
	EXPECT_EQ(after.unknown_calls - before.unknown_calls, 0); /* once per number */
}

TEST(proc, misc_calls,
     "getrandom (fresh bytes, EFAULT, EINVAL), prctl's name and parent-death signal, the robust "
     "list's place")
{
	EXPECT_EQ(run("misc", NULL), 0);
}

TEST(proc, bad_pointers,
     "bad pointers to uname and arch_prctl get EFAULT/EPERM/EINVAL; nothing else happens")
{
	EXPECT_EQ(run("badptr", NULL), 0);
	EXPECT_EQ(run("uname", NULL), 0); /* PM is fine */
}

TEST(proc, fs_base, "arch_prctl sets and reads the FS and GS bases per process, kept across calls")
{
	EXPECT_EQ(run("fsbase", NULL), 0);
	EXPECT_EQ(run("fsbase", NULL), 0); /* a new process starts with its own */
}

TEST(proc, segv_kills, "a fault ends a user process: its parent sees WTERMSIG == SIGSEGV")
{
	EXPECT_EQ(run("segv", NULL), LX_W_TERMSIG(SIGSEGV));
	EXPECT_EQ(run("exit 3", NULL), LX_W_EXITCODE(3)); /* PM goes on */
}

TEST(proc, native_refused,
     "native IPC is for system processes only: none reaches a user process, none comes from one")
{
	struct msg_pm_reply r;
	message m;

	EXPECT_EQ(start("spin", &r), 0);
	tickdelay(2); /* it runs, mostly waiting for PM's replies */
	memset(&m, 0, sizeof(m));
	m.m_type = PEER_ECHO;
	EXPECT_EQ(ipc_sendnb(r.endpt, &m), -EPERM);
	EXPECT_EQ(ipc_notify(r.endpt), -EPERM);
	EXPECT_EQ(sys_kill(r.endpt, SIGKILL), 0);
	EXPECT_EQ(wait_pid(r.pid), LX_W_TERMSIG(SIGKILL));
	EXPECT_EQ(ipc_sendnb(r.endpt, &m), -EDEADSRCDST);

	memset(&m, 0, sizeof(m));
	EXPECT_EQ(proc_pm_call(LX_CALL_BASE + LX_NR_getpid, &m), -ESRCH);
	EXPECT_EQ(run("native", NULL), 0); /* and a user process may not use native IPC */
}

/*
 * The reply protocol, with this test standing in for VM as the server of
 * the VM class (a root may take a class over; brk is VM's call): the
 * request arrives from the process with its arguments, a reply of the
 * wrong form is refused while the process keeps waiting, the right one
 * becomes its rax, and a second one finds nobody waiting.  Then the class
 * goes back to VM (RELEASE), which nobody else may ask for.
 */
TEST(proc, reply_protocol,
     "a Linux call reaches its registered server; only a well-formed reply from it resumes the "
     "caller")
{
	struct msg_pm_reply r;
	uint64_t st;
	message m;

	EXPECT_EQ(sys_linuxctl(LINUXCTL_SERVE, 99), -EINVAL);
	EXPECT_EQ(sys_linuxctl(3, LX_OWNER_VM), -EINVAL);
	EXPECT_EQ(sys_linuxctl(LINUXCTL_SERVE, LX_OWNER_VM), 0);
	EXPECT_EQ(start("brk", &r), 0);
	EXPECT_EQ(ipc_receive(r.endpt, &m, &st), 0);
	EXPECT_EQ(m.m_source, r.endpt);
	EXPECT_EQ(m.m_type, LX_CALL_BASE + LX_NR_brk);
	EXPECT_EQ(m.m_lx_call.arg[0], 0x1234);

	memset(&m, 0, sizeof(m));
	m.m_type = 0x1234; /* neither LX_REPLY nor a result code */
	EXPECT_EQ(ipc_sendnb(r.endpt, &m), -EINVAL);
	m.m_type = -5000; /* past Linux's error range */
	EXPECT_EQ(ipc_sendnb(r.endpt, &m), -EINVAL);
	m.m_type = LX_REPLY;
	m.m_lx_reply.result = 0x7777000;
	EXPECT_EQ(ipc_sendnb(r.endpt, &m), 0);
	EXPECT_EQ(ipc_sendnb(r.endpt, &m), -EPERM); /* nobody waits for it now */
	EXPECT_EQ(wait_pid(r.pid), 0);              /* it saw 0x7777000 */
	EXPECT_EQ(sys_linuxctl(LINUXCTL_RELEASE, LX_OWNER_VM), 0);
	EXPECT_EQ(sys_linuxctl(LINUXCTL_RELEASE, LX_OWNER_VM), -EPERM); /* not ours now */
}

#define FAST_CALLS 200 /* getpid calls per run of proc.linux_fastpath */

/*
 * A Linux call whose owner waits and its owner's REPLYRECV both take the
 * IPC fast path (kernel/ipc_fast.c): two per call.  Other traffic in the
 * same while only adds to the count, so a run of FAST_CALLS calls must
 * count at least 2 * FAST_CALLS more than a run of none.  With the fast
 * path off, nothing is counted and the calls answer the same.
 */
TEST(proc, linux_fastpath,
     "a Linux call and its reply take the IPC fast path; the same answers with it off")
{
	char args[32];
	struct msg_pm_reply on_rp, off_rp;
	int64_t c0, c1, c2, c3;
	int none, all, st_on, st_off;

	snprintf(args, sizeof(args), "getpid %d", FAST_CALLS);
	EXPECT((c0 = fastpath_switch(1)) >= 0, "DIAG_FASTPATH failed: %lld", (long long)c0);
	none = run("getpid 0", NULL);
	c1 = fastpath_switch(2);
	all = run(args, NULL);
	c2 = fastpath_switch(2);
	st_on = run("pid", &on_rp);
	c3 = fastpath_switch(0);
	st_off = run("pid", &off_rp);
	EXPECT_EQ(fastpath_switch(1), c3); /* nothing taken while off */
	EXPECT_EQ(none, 0);
	EXPECT_EQ(all, 0);
	EXPECT((c2 - c1) - (c1 - c0) >= 2 * FAST_CALLS,
	       "%d calls took the fast path %lld times (a run of none: %lld)", FAST_CALLS,
	       (long long)(c2 - c1), (long long)(c1 - c0));
	EXPECT_EQ(st_on, LX_W_EXITCODE(on_rp.pid & 0xff));
	EXPECT_EQ(st_off, LX_W_EXITCODE(off_rp.pid & 0xff));
}
