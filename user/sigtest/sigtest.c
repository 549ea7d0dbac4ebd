/*
 * sigtest: a static musl program (an unmodified Linux binary) for the
 * signal, clock and timer tests (tests/guest/test_psig.c), started through
 * PM like lxtest.  There is no VFS to print to: each mode reports through
 * its exit status, 0 for success and a distinct number for each check
 * that failed.
 *
 *   handler        handlers: siginfo, the mask inside and after, SA_NODEFER,
 *                  SA_RESETHAND, blocked then unblocked, SIG_IGN, SIGKILL and
 *                  SIGSTOP not catchable, sigaltstack and SA_ONSTACK
 *   regs           every register and xmm0 after a handler that clobbers them
 *                  are what they were before the kill (rt_sigreturn), and so
 *                  is the mask
 *   spin [1|2]     the same for a signal (an interval timer) that interrupts
 *                  user code, rcx and r11 included; rax 203 or INT64_MIN
 *   die SIG        kills itself with SIG (default action: its status)
 *   core SIG       the same with RLIMIT_CORE raised (the core bit)
 *   stop           stops itself with SIGSTOP; exits 7 once continued
 *   cont PID       sends SIGCONT to PID every 10 ms until PID is gone
 *   eintr          a brk held by the test (as the VM class) interrupted:
 *                  -EINTR without SA_RESTART, restarted with it; pause and
 *                  nanosleep interrupted (rem written)
 *   alarm          alarm's return values, SIGALRM interrupting pause,
 *                  setitimer's period, getitimer
 *   nanosleep      nanosleep and clock_nanosleep wait at least what was asked,
 *                  by the clocks; the clocks, times, getrusage, rlimits, sysinfo
 *   badptr         every call added here, given bad pointers: -EFAULT, and
 *                  bad arguments: -EINVAL
 *   badframe       rt_sigreturn with a frame of garbage: SIGSEGV
 *   badstack       a handler for a process whose stack is unusable: SIGSEGV
 *   forkframe      after fork, a handler in the child and in the parent whose
 *                  frame lands on stack pages the two share copy-on-write
 *   roundtrip N    N times: kill self, handler, rt_sigreturn (make bench)
 *   pause          waits in pause (for a signal from outside)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BAD        ((long)0x10) /* an unmapped user address */
#define KERNEL_PTR ((long)0xffff800000001000)

/* The raw result of a system call: -errno on failure, as the kernel gives it. */
static long
raw(long nr, long a0, long a1, long a2, long a3)
{
	long r;
	register long r10 __asm__("r10") = a3;

	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10)
			 : "rcx", "r11", "memory");
	return r;
}

/* The kernel's struct sigaction, and a restorer of our own. */
struct ksigaction {
	void *handler;
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};

#define SA_RESTORER_ 0x04000000

void sigtest_restore(void);
__asm__(".text\n.globl sigtest_restore\nsigtest_restore:\n\tmov $15, %eax\n\tsyscall\n\thlt\n");

static long
ksigaction(int sig, void *handler, unsigned long flags, uint64_t mask)
{
	struct ksigaction sa = { handler, flags | SA_RESTORER_, sigtest_restore, mask };

	return raw(SYS_rt_sigaction, sig, (long)&sa, 0, 8);
}

static uint64_t
cur_mask(void)
{
	uint64_t m = 0;

	raw(SYS_rt_sigprocmask, SIG_BLOCK, 0, (long)&m, 8);
	return m;
}

static uint64_t
bit(int sig)
{
	return 1ull << (sig - 1);
}

static volatile int hits, last_sig, info_pid, info_code, nested;
static volatile uint64_t mask_in_handler;
static volatile uintptr_t handler_sp;

static void
on_sig(int sig)
{
	hits++;
	last_sig = sig;
	mask_in_handler = cur_mask();
	handler_sp = (uintptr_t)__builtin_frame_address(0);
}

static void
on_info(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	hits++;
	last_sig = sig;
	info_pid = si->si_pid;
	info_code = si->si_code;
	mask_in_handler = cur_mask();
}

/* SA_NODEFER: the handler signals itself once more; it runs nested at once. */
static void
on_nodefer(int sig)
{
	hits++;
	if (hits == 1) {
		raw(SYS_kill, getpid(), sig, 0, 0);
		nested = hits; /* 2 if the inner one ran inside */
	}
}

static int
mode_handler(void)
{
	pid_t pid = getpid();
	uint64_t m;
	stack_t ss, old;
	static char alt[16384];

	/* A plain handler: runs once, with the signal blocked inside, the mask back after. */
	if (ksigaction(SIGUSR1, on_sig, 0, bit(SIGUSR2)) != 0)
		return 1;
	if (raw(SYS_kill, pid, SIGUSR1, 0, 0) != 0 || hits != 1 || last_sig != SIGUSR1)
		return 2;
	if (mask_in_handler != (bit(SIGUSR1) | bit(SIGUSR2)))
		return 3;
	if (cur_mask() != 0)
		return 4;

	/* SA_SIGINFO: who sent it and how. */
	hits = 0;
	if (ksigaction(SIGUSR2, on_info, SA_SIGINFO, 0) != 0)
		return 5;
	if (raw(SYS_kill, pid, SIGUSR2, 0, 0) != 0 || hits != 1 || info_pid != pid ||
	    info_code != SI_USER)
		return 6;
	hits = 0;
	if (raw(SYS_tgkill, pid, pid, SIGUSR2, 0) != 0 || hits != 1 || info_code != SI_TKILL)
		return 7;

	/* Blocked: pending, not run; unblocked: run before sigprocmask returns. */
	hits = 0;
	m = bit(SIGUSR1);
	raw(SYS_rt_sigprocmask, SIG_BLOCK, (long)&m, 0, 8);
	raw(SYS_kill, pid, SIGUSR1, 0, 0);
	if (hits != 0)
		return 8;
	m = 0;
	if (raw(SYS_rt_sigpending, (long)&m, 8, 0, 0) != 0 || m != bit(SIGUSR1))
		return 9;
	m = bit(SIGUSR1);
	raw(SYS_rt_sigprocmask, SIG_UNBLOCK, (long)&m, 0, 0 + 8);
	if (hits != 1)
		return 10;
	m = 1;
	if (raw(SYS_rt_sigpending, (long)&m, 8, 0, 0) != 0 || m != 0)
		return 11;

	/* SA_NODEFER runs nested; SA_RESETHAND runs once, then the default (ignore for SIGCHLD). */
	hits = 0;
	if (ksigaction(SIGUSR1, on_nodefer, SA_NODEFER, 0) != 0)
		return 12;
	raw(SYS_kill, pid, SIGUSR1, 0, 0);
	if (hits != 2 || nested != 2)
		return 13;
	hits = 0;
	if (ksigaction(SIGCHLD, on_sig, SA_RESETHAND, 0) != 0)
		return 14;
	raw(SYS_kill, pid, SIGCHLD, 0, 0);
	raw(SYS_kill, pid, SIGCHLD, 0, 0);
	if (hits != 1)
		return 15;

	/* SIG_IGN: nothing happens; SIGKILL and SIGSTOP cannot be caught or ignored. */
	hits = 0;
	if (ksigaction(SIGUSR1, SIG_IGN, 0, 0) != 0 || raw(SYS_kill, pid, SIGUSR1, 0, 0) != 0)
		return 16;
	if (ksigaction(SIGKILL, on_sig, 0, 0) != -EINVAL ||
	    ksigaction(SIGSTOP, SIG_IGN, 0, 0) != -EINVAL)
		return 17;
	if (ksigaction(0, on_sig, 0, 0) != -EINVAL || ksigaction(65, on_sig, 0, 0) != -EINVAL)
		return 18;
	if (raw(SYS_kill, pid, 65, 0, 0) != -EINVAL || raw(SYS_kill, 99999, 0, 0, 0) != -ESRCH)
		return 19;
	if (raw(SYS_kill, pid, 0, 0, 0) != 0) /* signal 0: may I? */
		return 20;
	/* Blocking SIGKILL is silently not done. */
	m = ~0ull;
	raw(SYS_rt_sigprocmask, SIG_SETMASK, (long)&m, 0, 8);
	if (cur_mask() != (~0ull & ~(bit(SIGKILL) | bit(SIGSTOP))))
		return 21;
	m = 0;
	raw(SYS_rt_sigprocmask, SIG_SETMASK, (long)&m, 0, 8);

	/* sigaltstack and SA_ONSTACK: the handler runs on the alternate stack. */
	memset(&ss, 0, sizeof(ss));
	ss.ss_sp = alt;
	ss.ss_size = sizeof(alt);
	if (raw(SYS_sigaltstack, (long)&ss, 0, 0, 0) != 0)
		return 22;
	if (raw(SYS_sigaltstack, 0, (long)&old, 0, 0) != 0 || old.ss_sp != alt ||
	    old.ss_size != sizeof(alt) || old.ss_flags != 0)
		return 23;
	hits = 0;
	if (ksigaction(SIGUSR1, on_sig, SA_ONSTACK, 0) != 0)
		return 24;
	raw(SYS_kill, pid, SIGUSR1, 0, 0);
	if (hits != 1 || handler_sp < (uintptr_t)alt || handler_sp >= (uintptr_t)alt + sizeof(alt))
		return 25;
	ss.ss_size = 100; /* too small */
	if (raw(SYS_sigaltstack, (long)&ss, 0, 0, 0) != -ENOMEM)
		return 26;
	ss.ss_flags = 0x1234;
	ss.ss_size = sizeof(alt);
	if (raw(SYS_sigaltstack, (long)&ss, 0, 0, 0) != -EINVAL)
		return 27;
	ss.ss_flags = SS_DISABLE;
	if (raw(SYS_sigaltstack, (long)&ss, 0, 0, 0) != 0 ||
	    raw(SYS_sigaltstack, 0, (long)&old, 0, 0) != 0 || old.ss_flags != SS_DISABLE)
		return 28;
	/* Without an altstack, SA_ONSTACK runs on the ordinary stack, below the red zone. */
	hits = 0;
	raw(SYS_kill, pid, SIGUSR1, 0, 0);
	if (hits != 1 ||
	    (handler_sp >= (uintptr_t)alt && handler_sp < (uintptr_t)alt + sizeof(alt)))
		return 29;
	return 0;
}

/* regs.S */
void regs_kill(long pid, long sig);
void regs_spin(void);
void clobber_handler(int sig, siginfo_t *si, void *uc);
extern char spin_loop[], spin_loop_end[];
extern volatile uint64_t regs_out[20];
extern volatile int spin_flag, clobber_hits;
extern volatile uint64_t handler_rip;
extern volatile uint64_t spin_rax;

#define DF 0x400

/* regs_out[1..] after regs_kill / regs_spin hold their patterns? */
static int
check_patterns(bool spin)
{
	static const uint64_t want[] = {
		0,
		0x1111111111111111,
		0x2222222222222222,
		0x3333333333333333,
		0x4444444444444444,
		0x5555555555555555,
		0x6666666666666666,
		0x7777777777777777,
		0x8888888888888888,
		0x9999999999999999,
		0xaaaaaaaaaaaaaaaa,
	};

	for (int i = 1; i < 11; i++)
		if (regs_out[i] != want[i])
			return i;
	if (regs_out[13] != 0x1111111111111111) /* xmm0 */
		return 13;
	if (regs_out[14] & DF)
		return 14;
	if (spin) {
		if (regs_out[0] != spin_rax || regs_out[11] != 0xeeeeeeeeeeeeeeee ||
		    regs_out[12] != 0xffffffffffffffff)
			return 15;
		if (regs_out[15] != 0xcccccccccccccccc || regs_out[16] != 0xdddddddddddddddd)
			return 16; /* rcx, r11: an interrupt is no syscall */
	}
	return 0;
}

static int
mode_regs(void)
{
	pid_t pid = getpid();
	uint64_t m = bit(SIGUSR2);
	int r;

	raw(SYS_rt_sigprocmask, SIG_SETMASK, (long)&m, 0, 8);
	if (ksigaction(SIGUSR1, (void *)clobber_handler, SA_SIGINFO, bit(SIGTERM)) != 0)
		return 1;
	regs_kill(pid, SIGUSR1);
	if (clobber_hits != 1)
		return 2;
	if (regs_out[0] != 0) /* kill's result */
		return 3;
	if ((r = check_patterns(false)))
		return 10 + r;
	if (regs_out[11] != (uint64_t)pid || regs_out[12] != SIGUSR1)
		return 4;
	if (cur_mask() != bit(SIGUSR2))
		return 5;
	/* The mask inside: the old one, the action's and the signal. */
	if (ksigaction(SIGUSR1, on_sig, 0, bit(SIGTERM)) != 0)
		return 6;
	raw(SYS_kill, pid, SIGUSR1, 0, 0);
	if (mask_in_handler != (bit(SIGUSR2) | bit(SIGUSR1) | bit(SIGTERM)) ||
	    cur_mask() != bit(SIGUSR2))
		return 7;
	return 0;
}

/*
 * A timer interrupts the spinning loop (retried if it came before the
 * loop).  rax: 1 spins with rax = 203 (a value PM once took for "no
 * answer"), 2 with INT64_MIN (the one PM takes for it now).
 */
static int
mode_spin(long rax)
{
	struct itimerval it = { { 0, 0 }, { 0, 20000 } };
	int r;

	if (rax == 1)
		spin_rax = 203;
	else if (rax == 2)
		spin_rax = 0x8000000000000000ull;
	if (ksigaction(SIGALRM, (void *)clobber_handler, SA_SIGINFO, 0) != 0)
		return 1;
	for (int tries = 0; tries < 10; tries++) {
		spin_flag = 0;
		handler_rip = 0;
		if (raw(SYS_setitimer, ITIMER_REAL, (long)&it, 0, 0) != 0)
			return 2;
		regs_spin();
		if (handler_rip < (uint64_t)spin_loop || handler_rip > (uint64_t)spin_loop_end)
			continue; /* it came outside the loop */
		if ((r = check_patterns(true)))
			return 10 + r;
		return 0;
	}
	return 3;
}

static int
mode_die(int sig, bool core)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };

	if (core && raw(SYS_setrlimit, RLIMIT_CORE, (long)&rl, 0, 0) != 0)
		return 1;
	raw(SYS_kill, getpid(), sig, 0, 0);
	return 2; /* still alive */
}

static int
mode_stop(void)
{
	raw(SYS_kill, getpid(), SIGSTOP, 0, 0);
	return 7;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	raw(SYS_nanosleep, (long)&ts, 0, 0, 0);
}

static int
mode_cont(int pid)
{
	for (int i = 0; i < 500; i++) {
		if (raw(SYS_kill, pid, SIGCONT, 0, 0) == -ESRCH)
			return 0;
		sleep_ms(10);
	}
	return 1;
}

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	raw(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&ts, 0, 0);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/*
 * The test serves brk as the VM class (no VM runs yet) and holds it; our
 * interval timer interrupts it.  Without SA_RESTART brk is -EINTR; with it
 * the call runs again and the test's answer (5) is what it returns.
 */
static int
mode_eintr(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 30000 } };
	struct timespec ts = { 5, 0 }, rem = { 0, 0 };
	uint64_t t0;

	if (ksigaction(SIGALRM, on_sig, 0, 0) != 0)
		return 1;
	hits = 0;
	raw(SYS_setitimer, ITIMER_REAL, (long)&it, 0, 0);
	if (raw(SYS_brk, 0x1234, 0, 0, 0) != -EINTR || hits != 1)
		return 2;
	if (ksigaction(SIGALRM, on_sig, SA_RESTART, 0) != 0)
		return 3;
	hits = 0;
	raw(SYS_setitimer, ITIMER_REAL, (long)&it, 0, 0);
	if (raw(SYS_brk, 0x2345, 0, 0, 0) != 5 || hits != 1)
		return 4;

	/* PM's own calls: pause and nanosleep end -EINTR under SA_RESTART too (as Linux's). */
	hits = 0;
	raw(SYS_setitimer, ITIMER_REAL, (long)&it, 0, 0);
	if (raw(SYS_pause, 0, 0, 0, 0) != -EINTR || hits != 1)
		return 5;
	hits = 0;
	t0 = mono_ns();
	raw(SYS_setitimer, ITIMER_REAL, (long)&it, 0, 0);
	if (raw(SYS_nanosleep, (long)&ts, (long)&rem, 0, 0) != -EINTR || hits != 1)
		return 6;
	if (rem.tv_sec < 4 || rem.tv_sec > 5 || mono_ns() - t0 > 2000000000ull)
		return 7;
	/* rt_sigsuspend: the temporary mask, then the old one back. */
	{
		uint64_t m = bit(SIGALRM), none = 0;

		raw(SYS_rt_sigprocmask, SIG_SETMASK, (long)&m, 0, 8);
		hits = 0;
		raw(SYS_setitimer, ITIMER_REAL, (long)&it, 0, 0);
		if (raw(SYS_rt_sigsuspend, (long)&none, 8, 0, 0) != -EINTR || hits != 1)
			return 8;
		if (mask_in_handler != bit(SIGALRM) || cur_mask() != bit(SIGALRM))
			return 9;
	}
	return 0;
}

static int
mode_alarm(void)
{
	struct itimerval it = { { 0, 20000 }, { 0, 20000 } }, cur;
	uint64_t t0;

	if (ksigaction(SIGALRM, on_sig, 0, 0) != 0)
		return 1;
	if (raw(SYS_alarm, 5, 0, 0, 0) != 0)
		return 2;
	if (raw(SYS_alarm, 1, 0, 0, 0) != 5) /* 5 left, rounded */
		return 3;
	t0 = mono_ns();
	hits = 0;
	if (raw(SYS_pause, 0, 0, 0, 0) != -EINTR || hits != 1 || last_sig != SIGALRM)
		return 4;
	if (mono_ns() - t0 < 900000000ull) /* a second, by the tick */
		return 5;
	if (raw(SYS_alarm, 0, 0, 0, 0) != 0)
		return 6;
	/* A periodic timer fires again and again. */
	hits = 0;
	if (raw(SYS_setitimer, ITIMER_REAL, (long)&it, 0, 0) != 0)
		return 7;
	while (hits < 3)
		raw(SYS_pause, 0, 0, 0, 0);
	if (raw(SYS_getitimer, ITIMER_REAL, (long)&cur, 0, 0) != 0 ||
	    cur.it_interval.tv_usec != 20000 || cur.it_value.tv_sec != 0 ||
	    cur.it_value.tv_usec > 20000 || cur.it_value.tv_usec <= 0)
		return 8;
	memset(&it, 0, sizeof(it));
	raw(SYS_setitimer, ITIMER_REAL, (long)&it, (long)&cur, 0);
	if (raw(SYS_getitimer, ITIMER_REAL, (long)&cur, 0, 0) != 0 || cur.it_value.tv_usec ||
	    cur.it_value.tv_sec)
		return 9;
	if (raw(SYS_setitimer, ITIMER_VIRTUAL, (long)&it, 0, 0) != -EINVAL)
		return 10;
	it.it_value.tv_usec = 1000000;
	if (raw(SYS_setitimer, ITIMER_REAL, (long)&it, 0, 0) != -EINVAL)
		return 11;
	return 0;
}

static int
mode_nanosleep(void)
{
	struct sysinfo si;
	struct timespec ts = { 0, 50000000 }, res, now, rt;
	struct timeval tv;
	struct tms tm;
	struct rusage ru;
	struct rlimit rl;
	uint64_t t0, t1;
	long t;

	t0 = mono_ns();
	if (raw(SYS_nanosleep, (long)&ts, 0, 0, 0) != 0)
		return 1;
	t1 = mono_ns();
	if (t1 - t0 < 50000000ull || t1 - t0 > 1000000000ull)
		return 2;
	/* Absolute: until the monotonic clock says 30 ms later. */
	raw(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&now, 0, 0);
	now.tv_nsec += 30000000;
	if (now.tv_nsec >= 1000000000) {
		now.tv_sec++;
		now.tv_nsec -= 1000000000;
	}
	if (raw(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, (long)&now, 0) != 0)
		return 3;
	raw(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&res, 0, 0);
	if (res.tv_sec < now.tv_sec || (res.tv_sec == now.tv_sec && res.tv_nsec < now.tv_nsec))
		return 4;
	if (raw(SYS_clock_nanosleep, CLOCK_REALTIME, 0, (long)&ts, 0) != 0)
		return 5;
	ts.tv_nsec = 1000000000;
	if (raw(SYS_nanosleep, (long)&ts, 0, 0, 0) != -EINVAL)
		return 6;
	ts.tv_sec = -1;
	ts.tv_nsec = 0;
	if (raw(SYS_nanosleep, (long)&ts, 0, 0, 0) != -EINVAL)
		return 7;
	ts.tv_sec = 0;
	if (raw(SYS_nanosleep, (long)&ts, 0, 0, 0) != 0) /* zero: at once */
		return 8;

	/* The clocks: the wall clock is the host's date (after 2024), the others agree. */
	if (raw(SYS_clock_gettime, CLOCK_REALTIME, (long)&rt, 0, 0) != 0 || rt.tv_sec < 1704067200)
		return 9;
	if (raw(SYS_gettimeofday, (long)&tv, 0, 0, 0) != 0 || tv.tv_sec < rt.tv_sec ||
	    tv.tv_sec > rt.tv_sec + 2)
		return 10;
	t = raw(SYS_time, 0, 0, 0, 0);
	if (t < rt.tv_sec || t > rt.tv_sec + 2)
		return 11;
	if (raw(SYS_clock_getres, CLOCK_MONOTONIC, (long)&res, 0, 0) != 0 || res.tv_sec != 0 ||
	    res.tv_nsec <= 0 || res.tv_nsec > 10000000)
		return 12;
	if (raw(SYS_clock_gettime, 12345, (long)&res, 0, 0) != -EINVAL)
		return 13;
	if (raw(SYS_clock_gettime, CLOCK_BOOTTIME, (long)&res, 0, 0) != 0 ||
	    raw(SYS_clock_gettime, CLOCK_PROCESS_CPUTIME_ID, (long)&res, 0, 0) != 0)
		return 14;
	/* CPU time: spin until the kernel has counted some, bounded. */
	for (long i = 0; i < 400000000; i++) {
		if ((i & 0xfffff) == 0 && raw(SYS_times, (long)&tm, 0, 0, 0) > 0 &&
		    tm.tms_utime > 0)
			break;
	}
	if (tm.tms_utime <= 0)
		return 15;
	if (raw(SYS_getrusage, RUSAGE_SELF, (long)&ru, 0, 0) != 0 ||
	    (ru.ru_utime.tv_sec == 0 && ru.ru_utime.tv_usec == 0))
		return 16;
	if (raw(SYS_getrusage, 5, (long)&ru, 0, 0) != -EINVAL)
		return 17;
	if (raw(SYS_sched_yield, 0, 0, 0, 0) != 0)
		return 18;

	/* Limits: Linux's defaults, set and read back, soft above hard refused. */
	if (raw(SYS_getrlimit, RLIMIT_STACK, (long)&rl, 0, 0) != 0 || rl.rlim_cur != 8 << 20 ||
	    rl.rlim_max != RLIM_INFINITY)
		return 19;
	if (raw(SYS_getrlimit, RLIMIT_NOFILE, (long)&rl, 0, 0) != 0 || rl.rlim_cur != 1024 ||
	    raw(SYS_getrlimit, RLIMIT_CORE, (long)&rl, 0, 0) != 0 || rl.rlim_cur != 0)
		return 20;
	rl.rlim_cur = 100;
	rl.rlim_max = 200;
	if (raw(SYS_setrlimit, RLIMIT_NOFILE, (long)&rl, 0, 0) != 0)
		return 21;
	memset(&rl, 0, sizeof(rl));
	if (raw(SYS_prlimit64, 0, RLIMIT_NOFILE, 0, (long)&rl) != 0 || rl.rlim_cur != 100 ||
	    rl.rlim_max != 200)
		return 22;
	rl.rlim_cur = 300;
	if (raw(SYS_setrlimit, RLIMIT_NOFILE, (long)&rl, 0, 0) != -EINVAL)
		return 23;
	if (raw(SYS_getrlimit, 99, (long)&rl, 0, 0) != -EINVAL)
		return 24;
	if (raw(SYS_prlimit64, 99999, RLIMIT_NOFILE, 0, (long)&rl) != -ESRCH)
		return 25;
	/* sysinfo (busybox's free): memory in bytes, this process counted. */
	memset(&si, 0xff, sizeof(si));
	if (raw(SYS_sysinfo, (long)&si, 0, 0, 0) != 0 || si.mem_unit != 1 || si.totalram == 0 ||
	    si.freeram > si.totalram || si.procs < 1 || si.totalswap != 0)
		return 26;
	if (raw(SYS_sysinfo, BAD, 0, 0, 0) != -EFAULT)
		return 27;
	return 0;
}

/* Every call added for signals and time, given a bad pointer: -EFAULT, and the program goes on. */
static int
mode_badptr(void)
{
	static const long bad[] = { BAD, KERNEL_PTR, -1 };
	uint64_t m = 0;

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		long p = bad[i];

		if (raw(SYS_rt_sigaction, SIGUSR1, p, 0, 8) != -EFAULT)
			return 1;
		if (raw(SYS_rt_sigaction, SIGUSR1, 0, p, 8) != -EFAULT)
			return 2;
		if (raw(SYS_rt_sigprocmask, SIG_BLOCK, p, 0, 8) != -EFAULT)
			return 3;
		if (raw(SYS_rt_sigprocmask, SIG_BLOCK, 0, p, 8) != -EFAULT)
			return 4;
		if (raw(SYS_rt_sigpending, p, 8, 0, 0) != -EFAULT)
			return 5;
		if (raw(SYS_rt_sigsuspend, p, 8, 0, 0) != -EFAULT)
			return 6;
		if (raw(SYS_sigaltstack, p, 0, 0, 0) != -EFAULT ||
		    raw(SYS_sigaltstack, 0, p, 0, 0) != -EFAULT)
			return 7;
		if (raw(SYS_nanosleep, p, 0, 0, 0) != -EFAULT)
			return 8;
		if (raw(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, p, 0) != -EFAULT)
			return 9;
		if (raw(SYS_clock_gettime, CLOCK_REALTIME, p, 0, 0) != -EFAULT ||
		    raw(SYS_clock_gettime, CLOCK_MONOTONIC, p, 0, 0) != -EFAULT)
			return 10;
		if (raw(SYS_clock_getres, CLOCK_REALTIME, p, 0, 0) != -EFAULT)
			return 11;
		if (raw(SYS_gettimeofday, p, 0, 0, 0) != -EFAULT)
			return 12;
		if (raw(SYS_time, p, 0, 0, 0) != -EFAULT)
			return 13;
		if (raw(SYS_getitimer, ITIMER_REAL, p, 0, 0) != -EFAULT ||
		    raw(SYS_setitimer, ITIMER_REAL, p, 0, 0) != -EFAULT)
			return 14;
		if (raw(SYS_times, p, 0, 0, 0) != -EFAULT)
			return 15;
		if (raw(SYS_getrusage, RUSAGE_SELF, p, 0, 0) != -EFAULT)
			return 16;
		if (raw(SYS_getrlimit, RLIMIT_NOFILE, p, 0, 0) != -EFAULT ||
		    raw(SYS_setrlimit, RLIMIT_NOFILE, p, 0, 0) != -EFAULT ||
		    raw(SYS_prlimit64, 0, RLIMIT_NOFILE, p, 0) != -EFAULT)
			return 17;
	}
	/* Bad sizes and values. */
	if (raw(SYS_rt_sigaction, SIGUSR1, 0, 0, 4) != -EINVAL ||
	    raw(SYS_rt_sigprocmask, 7, (long)&m, 0, 8) != -EINVAL ||
	    raw(SYS_rt_sigprocmask, SIG_BLOCK, (long)&m, 0, 16) != -EINVAL ||
	    raw(SYS_rt_sigsuspend, (long)&m, 4, 0, 0) != -EINVAL)
		return 18;
	/* Nothing of it changed what the process has. */
	if (cur_mask() != 0)
		return 19;
	return 0;
}

/* rt_sigreturn on a stack of garbage: the frame is refused, the process gets SIGSEGV. */
static int
mode_badframe(void)
{
	static uint64_t junk[128];

	memset(junk, 0xff, sizeof(junk)); /* a kernel rip, bad selectors */
	__asm__ volatile("mov %0, %%rsp\n\tmov $15, %%eax\n\tsyscall"
			 :
			 : "r"(&junk[64])
			 : "memory");
	return 1;
}

/* A signal to run a handler on a stack that is not there: SIGSEGV ends it. */
static int
mode_badstack(void)
{
	if (ksigaction(SIGUSR1, on_sig, 0, 0) != 0)
		return 1;
	__asm__ volatile("mov %%rsp, %%r12\n\tmov $0x10000, %%rsp\n\t"
			 "mov $62, %%eax\n\tsyscall\n\tmov %%r12, %%rsp"
			 :
			 : "D"((long)getpid()), "S"((long)SIGUSR1)
			 : "rax", "rcx", "r11", "r12", "memory");
	return 2;
}

/*
 * Signal frames on pages that are not writable yet: a handler run on an
 * alternate stack whose pages parent and child share copy-on-write since
 * fork (read-only to both; the child's), and one never touched at all
 * (the parent's).  The kernel must have VM make them present and
 * writable, not fail the frame with SIGSEGV: ash's $(...) inside $(...)
 * died so, its frame on stack pages shared since fork.
 */
static char altstacks[2][32 * 1024] __attribute__((aligned(4096)));

static int
on_altstack_at(char *base, int sig)
{
	stack_t st = { .ss_sp = base, .ss_size = sizeof(altstacks[0]), .ss_flags = 0 };

	if (sigaltstack(&st, NULL) != 0 || ksigaction(sig, on_sig, SA_ONSTACK, 0) != 0)
		return 1;
	raw(SYS_kill, getpid(), sig, 0, 0);
	return hits == 1 && last_sig == sig && handler_sp - (uintptr_t)base < sizeof(altstacks[0])
		       ? 0
		       : 2;
}

static int
mode_forkframe(void)
{
	pid_t child;
	int status;

	memset(altstacks[0], 1, sizeof(altstacks[0])); /* present: fork shares them */
	if ((child = fork()) < 0)
		return 1;
	if (child == 0)
		_exit(on_altstack_at(altstacks[0], SIGUSR1) ? 4 : 0);
	if (on_altstack_at(altstacks[1], SIGUSR2) != 0) /* never touched */
		return 5;
	if (raw(SYS_wait4, child, (long)&status, 0, 0) != child)
		return 6;
	if (status != 0)
		return WIFEXITED(status) ? 10 + WEXITSTATUS(status) : 30 + WTERMSIG(status);
	return 0;
}

static volatile long rt_hits;

static void
on_roundtrip(int sig)
{
	(void)sig;
	rt_hits++;
}

static int
mode_roundtrip(long n)
{
	pid_t pid = getpid();

	if (ksigaction(SIGUSR1, on_roundtrip, 0, 0) != 0)
		return 1;
	for (long i = 0; i < n; i++)
		raw(SYS_kill, pid, SIGUSR1, 0, 0);
	return rt_hits == n ? 0 : 2;
}

int
main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	long n = argc > 2 ? atol(argv[2]) : 0;

	if (strcmp(mode, "handler") == 0)
		return mode_handler();
	if (strcmp(mode, "regs") == 0)
		return mode_regs();
	if (strcmp(mode, "spin") == 0)
		return mode_spin(n);
	if (strcmp(mode, "die") == 0)
		return mode_die((int)n, false);
	if (strcmp(mode, "core") == 0)
		return mode_die((int)n, true);
	if (strcmp(mode, "stop") == 0)
		return mode_stop();
	if (strcmp(mode, "cont") == 0)
		return mode_cont((int)n);
	if (strcmp(mode, "eintr") == 0)
		return mode_eintr();
	if (strcmp(mode, "alarm") == 0)
		return mode_alarm();
	if (strcmp(mode, "nanosleep") == 0)
		return mode_nanosleep();
	if (strcmp(mode, "badptr") == 0)
		return mode_badptr();
	if (strcmp(mode, "badframe") == 0)
		return mode_badframe();
	if (strcmp(mode, "badstack") == 0)
		return mode_badstack();
	if (strcmp(mode, "forkframe") == 0)
		return mode_forkframe();
	if (strcmp(mode, "roundtrip") == 0)
		return mode_roundtrip(n);
	if (strcmp(mode, "pause") == 0)
		return (int)-raw(SYS_pause, 0, 0, 0, 0);
	return 99;
}
