/*
 * proctest: a static musl program (an unmodified Linux binary) for the
 * fork, wait, process-group and credential tests (tests/guest/test_fork.c),
 * started through PM.  There is no VFS yet, so it reports through its exit
 * status: 0 when every check of the mode held, else the number of the
 * first check that failed (counted from 1 within the mode).  Every call is
 * a raw system call, so each result is exactly what the system returned.
 *
 *   fork_wait      fork/vfork/clone, wait4 and waitid: statuses, WNOHANG,
 *                  groups, WNOWAIT, __WCLONE, bad input, the tid words,
 *                  registers/FPU/FS base in the child, orphans to init
 *   cow            parent, child and grandchild write the same pages
 *                  (data, bss, stack): each keeps its own
 *   sigchld_ignore a child's end sends SIGCHLD, whose default is to ignore
 *   exitsig_kills  a child cloned with exit signal SIGUSR1 ends: the parent,
 *                  spinning, dies of it (the harness sees SIGUSR1)
 *   exitsig_wait   the same while the parent waits in wait4: it dies too
 *   kill_pgrp      setpgid/getpgid/setsid/getsid and kill of a group
 *   creds          uid/gid calls and groups, root and not
 *   result_203     calls whose result is 203 (a uid, a read) are answered
 *   fork_bomb      a group forks until fork fails with EAGAIN; then it
 *                  is killed and forking works again
 *   forkwait N     N rounds of fork, _exit, wait4 (make bench)
 *   sigtimedwait   rt_sigtimedwait: a pending signal of the set taken (its
 *                  siginfo written), EAGAIN at a zero or short timeout,
 *                  a signal from a child ending a wait without a limit,
 *                  EINVAL and EFAULT for bad arguments
 *   reboot_checks  reboot(2)'s refusals (servers/pm/reboot.c): not root,
 *                  EPERM whatever the arguments; root, EINVAL for a bad
 *                  magic number or command, 0 for CAD_ON/CAD_OFF; root with
 *                  its effective uid dropped, EPERM.  Never a command that
 *                  stops the machine, unless a check is broken.
 *   lu             PM's state through its live updates, until SIGUSR1 (lu.c)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#define CLONE_VM            0x00000100
#define CLONE_SIGHAND       0x00000800
#define CLONE_THREAD        0x00010000
#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_SETTID  0x01000000
#define WNOHANG             1
#define WEXITED             4
#define WNOWAIT             0x01000000
#define WCLONE              0x80000000
#define WALL                0x40000000
#define P_ALL               0
#define P_PID               1
#define P_PGID              2
#define CLD_EXITED          1
#define CLD_KILLED          2
#define ARCH_GET_FS         0x1003
#define SPIN_BOUND          2000000 /* calls before a wait for a state gives up */

static int step; /* the number of the check being made */

#define CHECK(c)                     \
	do {                         \
		step++;              \
		if (!(c))            \
			return step; \
	} while (0)

static long
sys(long nr, long a0, long a1, long a2, long a3, long a4)
{
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;
	long r;

	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return r;
}

#define sys0(nr)             sys(nr, 0, 0, 0, 0, 0)
#define sys1(nr, a)          sys(nr, (long)(a), 0, 0, 0, 0)
#define sys2(nr, a, b)       sys(nr, (long)(a), (long)(b), 0, 0, 0)
#define sys3(nr, a, b, c)    sys(nr, (long)(a), (long)(b), (long)(c), 0, 0)
#define sys4(nr, a, b, c, d) sys(nr, (long)(a), (long)(b), (long)(c), (long)(d), 0)

static void __attribute__((noreturn)) leave(int code)
{
	for (;;)
		sys1(SYS_exit_group, code);
}

/* Calls PM until killed (a process that lives until the test ends it). */
static void __attribute__((noreturn)) spin(void)
{
	for (;;)
		sys0(SYS_getppid);
}

static long
wait_for(long pid, int *st, long options)
{
	return sys4(SYS_wait4, pid, st, options, 0);
}

/* A child that exits with code at once; its pid (or -errno). */
static long
child_exits(int code)
{
	long pid = sys0(SYS_fork);

	if (pid == 0)
		leave(code);
	return pid;
}

/* A child that spins until killed; its pid. */
static long
child_spins(void)
{
	long pid = sys0(SYS_fork);

	if (pid == 0)
		spin();
	return pid;
}

/* waitid's siginfo, the SIGCHLD part. */
struct chld_info {
	int signo, err, code, pad;
	int pid;
	unsigned uid;
	int status;
	char rest[100];
};

/*
 * fork in assembly with values in a callee-saved register, an SSE register
 * and the x87 control word: the child must see them all as the parent had
 * them.  Returns fork's result; *same says whether they survived.
 */
static long
fork_keeps_registers(int *same)
{
	long r, rbx_out;
	uint64_t xmm_out;
	uint16_t fcw = 0x27f, fcw_out; /* a control word a new program does not have */

	__asm__ volatile("fldcw %[fcw]\n\t"
			 "movq $0x1234567890abcdef, %%rbx\n\t"
			 "movq %%rbx, %%xmm7\n\t"
			 "syscall\n\t"
			 "movq %%xmm7, %[xmm]\n\t"
			 "fnstcw %[fcwo]\n\t"
			 "movq %%rbx, %[rbx]\n\t"
			 : "=a"(r), [xmm] "=r"(xmm_out), [rbx] "=r"(rbx_out), [fcwo] "=m"(fcw_out)
			 : "a"((long)SYS_fork), [fcw] "m"(fcw)
			 : "rbx", "rcx", "r11", "xmm7", "memory");
	*same = rbx_out == 0x1234567890abcdef && xmm_out == 0x1234567890abcdef && fcw_out == 0x27f;
	return r;
}

static int
check_child_state(void)
{
	uint64_t fs_parent, fs_child;
	int same, st;
	long pid;

	CHECK(sys2(SYS_arch_prctl, ARCH_GET_FS, &fs_parent) == 0 && fs_parent != 0);
	pid = fork_keeps_registers(&same);
	if (pid == 0)
		leave(!same                                               ? 1
		      : sys2(SYS_arch_prctl, ARCH_GET_FS, &fs_child) != 0 ? 2
		      : fs_child != fs_parent                             ? 3
									  : 0);
	CHECK(pid > 0 && same);
	CHECK(wait_for(pid, &st, 0) == pid);
	CHECK(st == 0);
	return 0;
}

static int
check_wait4(void)
{
	long me = sys0(SYS_getpid), pid, seen = 0;
	long ru[18];
	int st;

	/* One child: its status, its parent; collected once. */
	pid = sys0(SYS_fork);
	if (pid == 0)
		leave(sys0(SYS_getppid) == me ? 7 : 70);
	CHECK(pid > 0 && pid != me);
	memset(ru, 0xff, sizeof(ru));
	CHECK(sys4(SYS_wait4, pid, &st, 0, ru) == pid);
	CHECK(st == 7 << 8);
	CHECK(ru[0] >= 0 && ru[1] >= 0 && ru[1] < 1000000); /* ru_utime, a timeval */
	for (int i = 4; i < 18; i++)                        /* what PM does not keep */
		CHECK(ru[i] == 0);

	/* A child that computes for a while: its user time is in the rusage. */
	pid = sys0(SYS_fork);
	if (pid == 0) {
		for (volatile long n = 0; n < 30000000; n++)
			;
		leave(0);
	}
	CHECK(sys4(SYS_wait4, pid, &st, 0, ru) == pid && st == 0);
	CHECK(ru[0] * 1000000 + ru[1] >= 10000); /* at least a tick */
	CHECK(wait_for(pid, &st, 0) == -ECHILD);
	CHECK(wait_for(-1, &st, WNOHANG) == -ECHILD);

	/* WNOHANG while it lives; a kill; then the signal in the status. */
	CHECK((pid = child_spins()) > 0);
	CHECK(wait_for(pid, &st, WNOHANG) == 0);
	CHECK(sys2(SYS_kill, pid, SIGKILL) == 0);
	CHECK(wait_for(pid, &st, 0) == pid && st == SIGKILL);

	/* Five children, collected by -1 and by our group (0, -pgid). */
	for (int i = 1; i <= 5; i++)
		CHECK(child_exits(i) > 0);
	for (int i = 0; i < 5; i++) {
		long w = wait_for(i < 2 ? -1 : i < 4 ? 0 : -sys0(SYS_getpgrp), &st, 0);

		CHECK(w > 0 && (st & 0xff) == 0 && (st >> 8) >= 1 && (st >> 8) <= 5);
		seen |= 1 << (st >> 8);
	}
	CHECK(seen == 0x3e);
	CHECK(wait_for(-1, &st, 0) == -ECHILD);

	/* Bad input: a bad status pointer is EFAULT and the status is kept. */
	CHECK((pid = child_exits(9)) > 0);
	CHECK(wait_for(pid, (int *)8, 0) == -EFAULT);
	CHECK(sys4(SYS_wait4, pid, &st, 0, 16) == -EFAULT);
	CHECK(wait_for(pid, &st, 0x100) == -EINVAL);
	CHECK(wait_for(pid, &st, 0) == pid && st == 9 << 8);
	CHECK(wait_for(-2147483647 - 1, &st, 0) == -ESRCH);
	CHECK(wait_for(12345, &st, 0) == -ECHILD);
	return 0;
}

static int
check_waitid(void)
{
	struct chld_info si;
	long pid;
	int st;

	CHECK((pid = child_exits(4)) > 0);
	memset(&si, 0xff, sizeof(si));
	CHECK(sys4(SYS_waitid, P_PID, pid, &si, WEXITED | WNOWAIT) == 0);
	CHECK(si.signo == SIGCHLD && si.err == 0 && si.code == CLD_EXITED);
	CHECK(si.pid == pid && si.uid == 0 && si.status == 4);
	memset(&si, 0, sizeof(si));
	CHECK(sys4(SYS_waitid, P_ALL, 0, &si, WEXITED) == 0); /* WNOWAIT left it */
	CHECK(si.pid == pid && si.status == 4);
	CHECK(sys4(SYS_waitid, P_ALL, 0, &si, WEXITED) == -ECHILD);

	CHECK((pid = child_spins()) > 0);
	memset(&si, 0xff, sizeof(si));
	CHECK(sys4(SYS_waitid, P_PGID, 0, &si, WEXITED | WNOHANG) == 0);
	CHECK(si.signo == 0 && si.pid == 0 && si.status == 0);
	CHECK(sys2(SYS_kill, pid, SIGTERM) == 0);
	CHECK(sys4(SYS_waitid, P_PID, pid, &si, WEXITED) == 0);
	CHECK(si.code == CLD_KILLED && si.status == SIGTERM && si.pid == pid);

	CHECK(sys4(SYS_waitid, P_ALL, 0, &si, 0) == -EINVAL);
	CHECK(sys4(SYS_waitid, P_PID, 0, &si, WEXITED) == -EINVAL);
	CHECK(sys4(SYS_waitid, 7, 0, &si, WEXITED) == -EINVAL);
	CHECK((pid = child_exits(5)) > 0);
	CHECK(sys4(SYS_waitid, P_PID, pid, 8, WEXITED) == -EFAULT);
	CHECK(wait_for(pid, &st, 0) == pid && st == 5 << 8);
	return 0;
}

static int
check_clone(void)
{
	int ctid = 0, ptid = 0, st;
	long pid;

	CHECK(sys(SYS_clone, CLONE_VM | SIGCHLD, 0, 0, 0, 0) == -ENOSYS);
	CHECK(sys(SYS_clone, CLONE_THREAD | SIGCHLD, 0, 0, 0, 0) == -EINVAL);
	CHECK(sys(SYS_clone, CLONE_SIGHAND | SIGCHLD, 0, 0, 0, 0) == -EINVAL);
	CHECK(sys(SYS_clone, SIGCHLD, 0x10000, 0, 0, 0) == -ENOSYS); /* a new stack */
	CHECK(sys(SYS_clone, 65, 0, 0, 0, 0) == -EINVAL);            /* no such signal */

	/* The tid words: the child's in its own memory, the parent's in ours. */
	pid = sys(SYS_clone, CLONE_CHILD_SETTID | CLONE_PARENT_SETTID | SIGCHLD, 0, (long)&ptid,
		  (long)&ctid, 0);
	if (pid == 0)
		leave(ctid == sys0(SYS_getpid) ? 0 : 1);
	CHECK(pid > 0 && ptid == pid && ctid == 0);
	CHECK(wait_for(pid, &st, 0) == pid && st == 0);

	/* Exit signal 0: a "clone" child, seen with __WCLONE or __WALL only. */
	pid = sys(SYS_clone, 0, 0, 0, 0, 0);
	if (pid == 0)
		leave(3);
	CHECK(pid > 0);
	CHECK(wait_for(pid, &st, 0) == -ECHILD);
	CHECK(wait_for(pid, &st, WCLONE) == pid && st == 3 << 8);
	pid = sys(SYS_clone, 0, 0, 0, 0, 0);
	if (pid == 0)
		leave(4);
	CHECK(wait_for(-1, &st, WALL) == pid && st == 4 << 8);

	/* vfork, done as fork. */
	pid = sys0(SYS_vfork);
	if (pid == 0)
		leave(6);
	CHECK(pid > 0 && wait_for(pid, &st, 0) == pid && st == 6 << 8);
	return 0;
}

/*
 * An orphan goes to init: the child forks a grandchild and exits with the
 * difference of their pids; the grandchild waits until its parent is 1,
 * then makes itself a group, which we see.  We kill it, and since there is
 * no init, PM collects it: the pid is gone, no zombie stays.
 */
static int
check_orphan(void)
{
	long pid, grand;
	int st, i;

	pid = sys0(SYS_fork);
	if (pid == 0) {
		long g = sys0(SYS_fork);

		if (g == 0) {
			for (i = 0; i < SPIN_BOUND && sys0(SYS_getppid) != 1; i++)
				;
			sys2(SYS_setpgid, 0, 0);
			spin();
		}
		leave(g > sys0(SYS_getpid) && g - sys0(SYS_getpid) < 256 ? g - sys0(SYS_getpid)
									 : 0);
	}
	CHECK(pid > 0 && wait_for(pid, &st, 0) == pid);
	CHECK((st >> 8) > 0);
	grand = pid + (st >> 8);
	for (i = 0; i < SPIN_BOUND && sys1(SYS_getpgid, grand) != grand; i++)
		;
	CHECK(i < SPIN_BOUND); /* it saw parent 1 */
	CHECK(sys2(SYS_kill, grand, SIGKILL) == 0);
	CHECK(sys1(SYS_getpgid, grand) == -ESRCH); /* gone without a trace */
	CHECK(wait_for(-1, &st, WNOHANG) == -ECHILD);
	return 0;
}

static int
mode_fork_wait(void)
{
	int r;

	if ((r = check_wait4()) || (r = check_waitid()) || (r = check_clone()) ||
	    (r = check_child_state()) || (r = check_orphan()))
		return r;
	return 0;
}

/* ----- copies ----- */

static char data_page[4096] __attribute__((aligned(4096))) = { 'D' };
static char bss_page[4096] __attribute__((aligned(4096)));

static bool
all(const char *p, size_t n, char c)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != c)
			return false;
	return true;
}

/* Each writes c over the three pages and finds its own c there after its child is done. */
static int
cow_level(char *stack_page, char c, int depth)
{
	int st;
	long pid;

	memset(data_page, c, sizeof(data_page));
	memset(bss_page, c, sizeof(bss_page));
	memset(stack_page, c, 4096);
	if (depth == 0)
		return 0;
	pid = sys0(SYS_fork);
	if (pid == 0) {
		int r = cow_level(stack_page, (char)(c + 1), depth - 1);

		leave(r ? r
		      : all(data_page, 4096, (char)(c + 1)) && all(bss_page, 4096, (char)(c + 1)) &&
				      all(stack_page, 4096, (char)(c + 1))
			      ? 0
			      : 50);
	}
	CHECK(pid > 0);
	memset(data_page, c, sizeof(data_page)); /* while the child writes */
	CHECK(wait_for(pid, &st, 0) == pid);
	CHECK(st == 0);
	CHECK(all(data_page, 4096, c));
	CHECK(all(bss_page, 4096, c));
	CHECK(all(stack_page, 4096, c));
	return 0;
}

static int
mode_cow(void)
{
	char stack_page[4096];

	CHECK(data_page[0] == 'D' && all(bss_page, 4096, 0));
	return cow_level(stack_page, 'a', 2);
}

/* ----- exit signals ----- */

static int
mode_sigchld_ignore(void)
{
	long pid = child_exits(0);
	int st;

	CHECK(pid > 0);
	CHECK(wait_for(pid, &st, 0) == pid && st == 0); /* SIGCHLD came and was ignored */
	CHECK((pid = child_exits(1)) > 0);
	for (int i = 0; i < 1000; i++) /* and when we do not wait */
		sys0(SYS_getppid);
	CHECK(wait_for(pid, &st, 0) == pid && st == 1 << 8);
	return 0;
}

static int
mode_exitsig(bool wait)
{
	long pid = sys(SYS_clone, SIGUSR1, 0, 0, 0, 0);
	int st;

	if (pid == 0)
		leave(0);
	CHECK(pid > 0);
	if (wait)
		wait_for(pid, &st, WALL);
	for (int i = 0; i < SPIN_BOUND; i++)
		sys0(SYS_getppid);
	CHECK(false); /* SIGUSR1 should have ended us */
	return 0;
}

/* ----- groups and sessions ----- */

static int
mode_kill_pgrp(void)
{
	long me = sys0(SYS_getpid), sid = sys1(SYS_getsid, 0), a, b, c, d;
	int st;

	CHECK(sid > 0 && sys1(SYS_getpgid, 0) == sys0(SYS_getpgrp));
	CHECK(sys2(SYS_setpgid, 0, 0) == 0 && sys0(SYS_getpgrp) == me);
	CHECK(sys1(SYS_getsid, me) == sid); /* setpgid keeps the session */

	/* Group a: a and b; c stays in ours. */
	CHECK((a = child_spins()) > 0 && (b = child_spins()) > 0 && (c = child_spins()) > 0);
	CHECK(sys1(SYS_getpgid, a) == me);
	CHECK(sys2(SYS_setpgid, a, a) == 0 && sys2(SYS_setpgid, b, a) == 0);
	CHECK(sys1(SYS_getpgid, a) == a && sys1(SYS_getpgid, b) == a && sys1(SYS_getpgid, c) == me);
	CHECK(sys2(SYS_setpgid, b, 99999) == -EPERM); /* no such group */
	CHECK(sys2(SYS_setpgid, 1, 1) == -ESRCH);     /* not our child */
	CHECK(sys2(SYS_setpgid, b, -1) == -EINVAL);
	CHECK(sys2(SYS_kill, -a, 0) == 0); /* the check only */
	CHECK(sys2(SYS_kill, -a, 65) == -EINVAL);
	CHECK(sys2(SYS_kill, -a, SIGTERM) == 0);
	CHECK(wait_for(-a, &st, 0) > 0 && st == SIGTERM);
	CHECK(wait_for(-a, &st, 0) > 0 && st == SIGTERM);
	CHECK(wait_for(-a, &st, 0) == -ECHILD);
	CHECK(sys2(SYS_kill, -a, SIGTERM) == -ESRCH);
	CHECK(wait_for(c, &st, WNOHANG) == 0 && sys2(SYS_kill, c, 0) == 0); /* c lives */

	/* A session: its leader cannot change group; another session's group is EPERM. */
	d = sys0(SYS_fork);
	if (d == 0) {
		long mine = sys0(SYS_getpid);

		leave(sys0(SYS_setsid) != mine             ? 1
		      : sys1(SYS_getsid, 0) != mine        ? 2
		      : sys0(SYS_getpgrp) != mine          ? 3
		      : sys0(SYS_setsid) != -EPERM         ? 4
		      : sys2(SYS_setpgid, 0, me) != -EPERM ? 5
		      : sys2(SYS_kill, -me, 0) != 0        ? 6
							   : 0);
	}
	CHECK(d > 0 && wait_for(d, &st, 0) == d && st == 0);
	CHECK(sys0(SYS_setsid) == -EPERM); /* we lead a group */

	/* kill(0): our own group, ourselves last: c dies, then we do. */
	sys2(SYS_kill, 0, SIGKILL);
	CHECK(false);
	return 0;
}

/* ----- credentials ----- */

static int
mode_creds(void)
{
	unsigned r, e, s, groups[4] = { 5, 6, 7, 8 }, got[4];
	long pid;
	int st;

	CHECK(sys0(SYS_getuid) == 0 && sys0(SYS_geteuid) == 0);
	CHECK(sys0(SYS_getgid) == 0 && sys0(SYS_getegid) == 0);
	CHECK(sys2(SYS_getgroups, 0, 0) == 0);
	CHECK(sys2(SYS_setgroups, 3, groups) == 0 && sys2(SYS_getgroups, 0, 0) == 3);
	CHECK(sys2(SYS_getgroups, 2, got) == -EINVAL);
	CHECK(sys2(SYS_getgroups, 4, got) == 3 && got[0] == 5 && got[2] == 7);
	CHECK(sys2(SYS_setgroups, 1000, groups) == -EINVAL);
	CHECK(sys2(SYS_setgroups, 2, 8) == -EFAULT && sys2(SYS_getgroups, 0, 0) == 3);
	CHECK(sys1(SYS_setuid, -1) == -EINVAL);

	/* A child drops root in steps; every refusal is EPERM, as Linux's. */
	pid = sys0(SYS_fork);
	if (pid == 0) {
		step = 0;
		CHECK(sys2(SYS_getgroups, 4, got) == 3); /* inherited */
		CHECK(sys3(SYS_setresgid, 100, 100, 100) == 0 && sys0(SYS_getegid) == 100);
		CHECK(sys3(SYS_setresuid, 1000, 1000, 0) == 0);
		CHECK(sys3(SYS_getresuid, &r, &e, &s) == 0 && r == 1000 && e == 1000 && s == 0);
		CHECK(sys3(SYS_getresuid, &r, 8, &s) == -EFAULT);
		CHECK(sys2(SYS_setgroups, 0, 0) == -EPERM);
		CHECK(sys1(SYS_setgid, 0) == -EPERM);
		CHECK(sys1(SYS_setuid, 0) == 0 && sys0(SYS_geteuid) == 0); /* the saved uid */
		CHECK(sys0(SYS_getuid) == 1000);
		CHECK(sys2(SYS_setreuid, -1, 0) == 0); /* e is the old real: saved stays */
		CHECK(sys3(SYS_getresuid, &r, &e, &s) == 0 && r == 1000 && e == 0 && s == 0);
		CHECK(sys2(SYS_setreuid, 1000, 1000) == 0); /* the real one set: saved follows */
		CHECK(sys3(SYS_getresuid, &r, &e, &s) == 0 && r == 1000 && e == 1000 && s == 1000);
		CHECK(sys1(SYS_setuid, 0) == -EPERM);
		CHECK(sys3(SYS_setresuid, 0, -1, -1) == -EPERM);
		CHECK(sys2(SYS_setreuid, 2000, -1) == -EPERM);
		CHECK(sys2(SYS_kill, sys0(SYS_getppid), 0) == -EPERM); /* root's process */
		CHECK(sys3(SYS_getresgid, &r, &e, &s) == 0 && r == 100 && e == 100 && s == 100);
		leave(0);
	}
	CHECK(pid > 0 && wait_for(pid, &st, 0) == pid);
	if (st != 0)
		return 100 + (st >> 8);
	CHECK(sys0(SYS_geteuid) == 0); /* ours did not change */
	return 0;
}

/*
 * A result is a result, whatever its value: 203 was EDONTREPLY's number,
 * which PM and VFS took for "no answer now", so a call answering 203 (a
 * uid, a gid, a byte count) left its caller waiting for ever.
 */
static int
mode_result_203(void)
{
	char buf[256];
	long fd;

	CHECK(sys1(SYS_setgid, 203) == 0 && sys1(SYS_setuid, 203) == 0);
	CHECK(sys0(SYS_getgid) == 203 && sys0(SYS_getegid) == 203);
	CHECK(sys0(SYS_getuid) == 203 && sys0(SYS_geteuid) == 203);
	CHECK((fd = sys2(SYS_open, "/pt/bytes", 0)) >= 0);
	CHECK(sys3(SYS_read, fd, buf, 203) == 203);
	for (int i = 0; i < 203; i++)
		CHECK(buf[i] == 'a' + i % 26);
	CHECK(sys3(SYS_read, fd, buf, 203) == 53); /* the rest */
	return 0;
}

/* ----- limits ----- */

/*
 * Group x forks without end: each member forks, and waits for its child,
 * which does the same; the last retries its fork for ever.  We fork too,
 * children that end at once and that we do not collect, until our fork
 * fails: the table is full.  The failure must be EAGAIN (or ENOMEM) and
 * PM must still answer.  Then the group is killed, our zombies collected,
 * and forking works again.  (Members wait instead of spinning, so that
 * the test does not wait for dozens of busy processes' time slices.)
 */
static int
mode_fork_bomb(void)
{
	long x, pid, err = 0, n = 0;
	int st;

	x = sys0(SYS_fork);
	if (x == 0) {
		sys2(SYS_setpgid, 0, 0); /* before its first fork: every member is in x */
		for (;;) {
			long c = sys0(SYS_fork);

			if (c > 0)
				leave(wait_for(c, &st, 0) == c ? 0 : 1);
		}
	}
	CHECK(x > 0 && sys2(SYS_setpgid, x, x) == 0);
	while (err == 0 && n < 1000) {
		if ((pid = child_exits(0)) < 0)
			err = pid;
		else
			n++;
	}
	CHECK(err == -EAGAIN || err == -ENOMEM);
	CHECK(sys0(SYS_getpid) > 0 && sys2(SYS_kill, x, 0) == 0); /* PM answers */
	CHECK(sys2(SYS_kill, -x, SIGKILL) == 0);
	CHECK(wait_for(x, &st, 0) == x && st == SIGKILL);
	CHECK(sys2(SYS_kill, -x, 0) == -ESRCH); /* the whole group is gone */
	for (long i = 0; i < n; i++)
		CHECK(wait_for(-1, &st, 0) > 0 && st == 0);
	CHECK(wait_for(-1, &st, WNOHANG) == -ECHILD);
	CHECK((pid = child_exits(5)) > 0);
	CHECK(wait_for(pid, &st, 0) == pid && st == 5 << 8);
	return 0;
}

/* N rounds of fork, _exit, wait4: the benchmark's work. */
static int
mode_forkwait(int n)
{
	int st;

	for (int i = 0; i < n; i++) {
		long pid = child_exits(0);

		if (pid <= 0 || wait_for(pid, &st, 0) != pid || st != 0)
			return 1;
	}
	return 0;
}

static int
mode_sigtimedwait(void)
{
	uint64_t set = 1ull << (SIGUSR1 - 1) | 1ull << (SIGUSR2 - 1), none = 0, old;
	struct {
		long sec, nsec;
	} zero = { 0, 0 }, brief = { 0, 20000000 }, bad = { 0, 1000000000 };
	int32_t info[32];
	long pid, me = sys0(SYS_getpid);
	int st;

	CHECK(sys4(SYS_rt_sigprocmask, SIG_BLOCK, &set, &old, 8) == 0);
	CHECK(sys4(SYS_rt_sigtimedwait, &set, info, &zero, 8) == -EAGAIN);
	CHECK(sys4(SYS_rt_sigtimedwait, &set, info, &brief, 8) == -EAGAIN);
	CHECK(sys4(SYS_rt_sigtimedwait, &set, info, &zero, 4) == -EINVAL);
	CHECK(sys4(SYS_rt_sigtimedwait, &set, info, &bad, 8) == -EINVAL);
	CHECK(sys4(SYS_rt_sigtimedwait, 8, info, &zero, 8) == -EFAULT);
	CHECK(sys2(SYS_kill, me, SIGUSR2) == 0);
	CHECK(sys4(SYS_rt_sigtimedwait, &set, info, &zero, 8) == SIGUSR2);
	CHECK(info[0] == SIGUSR2 && info[2] == 0 /* SI_USER */ && info[4] == me);
	CHECK(sys2(SYS_rt_sigpending, &none, 8) == 0 && none == 0); /* taken, not delivered */
	if ((pid = sys0(SYS_fork)) == 0) {
		sys2(SYS_kill, sys0(SYS_getppid), SIGUSR1);
		leave(0);
	}
	CHECK(pid > 0);
	CHECK(sys4(SYS_rt_sigtimedwait, &set, 0, 0, 8) == SIGUSR1); /* no limit */
	CHECK(wait_for(pid, &st, 0) == pid && st == 0);
	CHECK(sys4(SYS_rt_sigprocmask, SIG_SETMASK, &old, 0, 8) == 0);
	return 0;
}

#define RB_MAGIC1    0xfee1deadL
#define RB_MAGIC2    672274793L
#define RB_POWER_OFF 0x4321fedcL
#define RB_CAD_ON    0x89abcdefL
#define RB_CAD_OFF   0L

static long
reboot_call(long magic1, long magic2, long cmd)
{
	return sys4(SYS_reboot, magic1, magic2, cmd, 0);
}

static int
mode_reboot_checks(void)
{
	static const long magic2[] = { 672274793L, 85072278L, 369367448L, 537993216L };

	if (sys0(SYS_geteuid) != 0) { /* EPERM comes before any other check, as Linux's */
		CHECK(reboot_call(RB_MAGIC1, RB_MAGIC2, RB_POWER_OFF) == -EPERM);
		CHECK(reboot_call(RB_MAGIC1, RB_MAGIC2, RB_CAD_ON) == -EPERM);
		CHECK(reboot_call(0, 0, RB_POWER_OFF) == -EPERM);
		CHECK(reboot_call(RB_MAGIC1, RB_MAGIC2, 0x12345678L) == -EPERM);
		return 0;
	}
	CHECK(reboot_call(0xfee1deaeL, RB_MAGIC2, RB_POWER_OFF) == -EINVAL);
	CHECK(reboot_call(RB_MAGIC1, 0, RB_POWER_OFF) == -EINVAL);
	CHECK(reboot_call(RB_MAGIC1, RB_MAGIC2 + 1, RB_POWER_OFF) == -EINVAL);
	CHECK(reboot_call(RB_MAGIC1, RB_MAGIC2, 0x12345678L) == -EINVAL);
	CHECK(reboot_call(RB_MAGIC1, RB_MAGIC2, 0xd000fce2L) == -EINVAL); /* SW_SUSPEND */
	for (unsigned i = 0; i < sizeof(magic2) / sizeof(magic2[0]); i++)
		CHECK(reboot_call(RB_MAGIC1, magic2[i], RB_CAD_OFF) == 0);
	CHECK(reboot_call(RB_MAGIC1, RB_MAGIC2, RB_CAD_ON) == 0);
	/* Root by its real uid only: the effective uid decides. */
	CHECK(sys3(SYS_setresuid, -1, 1000, -1) == 0 && sys0(SYS_geteuid) == 1000);
	CHECK(reboot_call(RB_MAGIC1, RB_MAGIC2, RB_POWER_OFF) == -EPERM);
	CHECK(sys3(SYS_setresuid, -1, 0, -1) == 0 && sys0(SYS_geteuid) == 0);
	CHECK(reboot_call(RB_MAGIC1, RB_MAGIC2, RB_CAD_OFF) == 0);
	return 0;
}

int mode_lu(void); /* lu.c */

int
main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (strcmp(mode, "fork_wait") == 0)
		return mode_fork_wait();
	if (strcmp(mode, "cow") == 0)
		return mode_cow();
	if (strcmp(mode, "sigchld_ignore") == 0)
		return mode_sigchld_ignore();
	if (strcmp(mode, "exitsig_kills") == 0)
		return mode_exitsig(false);
	if (strcmp(mode, "exitsig_wait") == 0)
		return mode_exitsig(true);
	if (strcmp(mode, "kill_pgrp") == 0)
		return mode_kill_pgrp();
	if (strcmp(mode, "creds") == 0)
		return mode_creds();
	if (strcmp(mode, "result_203") == 0)
		return mode_result_203();
	if (strcmp(mode, "fork_bomb") == 0)
		return mode_fork_bomb();
	if (strcmp(mode, "forkwait") == 0)
		return mode_forkwait(argc > 2 ? atoi(argv[2]) : 0);
	if (strcmp(mode, "reboot_checks") == 0)
		return mode_reboot_checks();
	if (strcmp(mode, "sigtimedwait") == 0)
		return mode_sigtimedwait();
	if (strcmp(mode, "lu") == 0)
		return mode_lu();
	return 255;
}
