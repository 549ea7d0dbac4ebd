/*
 * proctest lu: a process whose every piece of PM's state must come through
 * live updates of PM unharmed (pm.lu_under_load, tests/guest/test_pm_lu.c;
 * servers/pm/lu.c).  It runs until SIGUSR1, round after round, while the
 * test updates PM under it.
 *
 *   set up    its own process group; handlers for SIGUSR2 and SIGALRM
 *             (SA_RESTART), a periodic ITIMER_REAL, SIGWINCH blocked and
 *             pending, RLIMIT_NOFILE lowered; and four children that live
 *             in PM's table across the updates:
 *               a zombie      ended at once with status 11, collected last
 *               a stopped one stopped by SIGSTOP; SIGCONT at the end, then
 *                             it exits 9
 *               a suspended   in rt_sigsuspend (a call PM holds) until
 *                             SIGUSR2 at the end; its handler runs, it
 *                             exits 7
 *               a sleeper     nanosleep after nanosleep, each as long as
 *                             asked, until SIGTERM ends it
 *   a round   fork and exec of /bin/busybox true, collected with status 0;
 *             a fork whose child exits with the round's number; a
 *             SIGUSR2 to itself, whose handler runs; its pid, parent,
 *             group and session, mask, pending set and limit as they were;
 *             CLOCK_MONOTONIC never going back, CLOCK_REALTIME after 2020
 *             and the same distance from the monotonic clock as at the
 *             start (PM's clock is carried, not read again)
 *
 * On SIGUSR1 it checks that the timer kept firing, ends its children as
 * above and collects each with its status, and exits 0; the first check
 * that fails ends it at once with that check's number.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NOFILE_LIMIT 77
#define YEAR_2020    1577836800ll

int mode_lu(void);

static volatile sig_atomic_t stop, usr2, alrm;

static void
on_usr1(int sig)
{
	(void)sig;
	stop = 1;
}

static void
on_usr2(int sig)
{
	(void)sig;
	usr2++;
}

static void
on_alrm(int sig)
{
	(void)sig;
	alrm++;
}

static int
handle(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = SA_RESTART;
	return sigaction(sig, &sa, NULL);
}

static int64_t
ns_of(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts) < 0)
		return -1;
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/* The suspended child: waits in rt_sigsuspend for SIGUSR2 (blocked until then). */
static void
suspended(void)
{
	sigset_t none;

	sigemptyset(&none);
	while (!usr2)
		sigsuspend(&none);
	_exit(7);
}

/* The sleeper: 20 ms at a time, never shorter, until SIGTERM. */
static void
sleeper(void)
{
	for (;;) {
		struct timespec ts = { 0, 20000000 };
		int64_t t0 = ns_of(CLOCK_MONOTONIC);

		if (nanosleep(&ts, NULL) < 0 || ns_of(CLOCK_MONOTONIC) - t0 < 20000000)
			_exit(3);
	}
}

static pid_t
child(void (*fn)(void))
{
	pid_t pid = fork();

	if (pid == 0)
		fn();
	return pid;
}

static void
zombie(void)
{
	_exit(11);
}

static void
stopper(void)
{
	raise(SIGSTOP);
	_exit(9);
}

static int step;

#define CHECK(c)                     \
	do {                         \
		step++;              \
		if (!(c))            \
			return step; \
	} while (0)

struct world {
	pid_t pid, ppid, pgid, sid;
	pid_t zombie, stopped, suspended, sleeper;
	int64_t real_minus_mono;
	int64_t mono;
};

static int
set_up(struct world *w)
{
	struct itimerval it = { { 0, 30000 }, { 0, 30000 } };
	struct rlimit rl;
	sigset_t set;
	int st;

	CHECK(setpgid(0, 0) == 0);
	w->pid = getpid();
	w->ppid = getppid();
	w->pgid = getpgid(0);
	w->sid = getsid(0);
	CHECK(w->pgid == w->pid);
	CHECK(handle(SIGUSR1, on_usr1) == 0 && handle(SIGUSR2, on_usr2) == 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0); /* the suspended child's, inherited */
	CHECK((w->suspended = child(suspended)) > 0);
	CHECK(sigprocmask(SIG_UNBLOCK, &set, NULL) == 0);
	CHECK((w->zombie = child(zombie)) > 0);
	CHECK((w->sleeper = child(sleeper)) > 0);
	CHECK((w->stopped = child(stopper)) > 0);
	CHECK(waitpid(w->stopped, &st, WUNTRACED) == w->stopped && WIFSTOPPED(st) &&
	      WSTOPSIG(st) == SIGSTOP);
	CHECK(handle(SIGALRM, on_alrm) == 0 && setitimer(ITIMER_REAL, &it, NULL) == 0);
	sigemptyset(&set);
	sigaddset(&set, SIGWINCH);
	CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0 && raise(SIGWINCH) == 0);
	CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0);
	rl.rlim_cur = NOFILE_LIMIT;
	CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0);
	w->mono = ns_of(CLOCK_MONOTONIC);
	w->real_minus_mono = ns_of(CLOCK_REALTIME) - w->mono;
	CHECK(w->real_minus_mono / 1000000000ll > YEAR_2020);
	return 0;
}

/* One round of processes, signals and clocks; 0 or the failed check's number. */
static int
round_of(struct world *w, int n)
{
	char *const argv[] = { "true", NULL }, *const envp[] = { NULL };
	sig_atomic_t seen = usr2;
	struct rlimit rl;
	sigset_t set;
	int64_t mono, gap;
	pid_t pid;
	int st;

	step = 100; /* the rounds' checks are numbered from 101 */
	if ((pid = fork()) == 0) {
		execve("/bin/busybox", argv, envp);
		_exit(127);
	}
	CHECK(pid > 0);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	if ((pid = fork()) == 0)
		_exit(n & 0x7f);
	CHECK(pid > 0);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == (n & 0x7f));
	CHECK(kill(w->pid, SIGUSR2) == 0);
	CHECK(getpid() == w->pid && usr2 == seen + 1);
	CHECK(getppid() == w->ppid && getpgid(0) == w->pgid && getsid(0) == w->sid);
	CHECK(sigprocmask(SIG_BLOCK, NULL, &set) == 0 && sigismember(&set, SIGWINCH) &&
	      !sigismember(&set, SIGUSR2));
	CHECK(sigpending(&set) == 0 && sigismember(&set, SIGWINCH));
	CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur == NOFILE_LIMIT);
	mono = ns_of(CLOCK_MONOTONIC);
	CHECK(mono >= w->mono);
	w->mono = mono;
	gap = ns_of(CLOCK_REALTIME) - mono - w->real_minus_mono;
	CHECK(gap > -1000000000ll && gap < 1000000000ll); /* within the clock's second */
	return 0;
}

/* Each child ended as planned and collected with its status. */
static int
wind_up(struct world *w)
{
	int st;

	step = 200;
	CHECK(alrm >= 3);
	CHECK(kill(w->suspended, SIGUSR2) == 0);
	CHECK(waitpid(w->suspended, &st, 0) == w->suspended && WIFEXITED(st) &&
	      WEXITSTATUS(st) == 7);
	CHECK(kill(w->stopped, SIGCONT) == 0);
	CHECK(waitpid(w->stopped, &st, 0) == w->stopped && WIFEXITED(st) && WEXITSTATUS(st) == 9);
	CHECK(kill(w->sleeper, SIGTERM) == 0);
	CHECK(waitpid(w->sleeper, &st, 0) == w->sleeper && WIFSIGNALED(st) &&
	      WTERMSIG(st) == SIGTERM);
	CHECK(waitpid(w->zombie, &st, 0) == w->zombie && WIFEXITED(st) && WEXITSTATUS(st) == 11);
	CHECK(waitpid(-1, &st, WNOHANG) < 0); /* nobody else */
	return 0;
}

int
mode_lu(void)
{
	struct world w = { 0 };
	int r;

	if ((r = set_up(&w)) != 0)
		return r;
	for (int n = 1; !stop; n++)
		if ((r = round_of(&w, n)) != 0)
			return r;
	return wind_up(&w);
}
