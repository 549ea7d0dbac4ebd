/*
 * jobtest: a static musl program (an unmodified Linux binary) for the job
 * control tests (tests/guest/test_job.c), started through PM.  It reports
 * through its exit status: 0 when every check of the mode held, else the
 * line of the check that failed (mod 256), which it also prints on its
 * standard error.
 *
 *   stop_continue  SIGSTOP, SIGTSTP and SIGCONT; wait4's WUNTRACED and
 *                  WCONTINUED, waitid's WSTOPPED, WCONTINUED and WNOWAIT,
 *                  Linux's status words and si_codes; SIGCHLD for a stop
 *                  and a continue (none under SA_NOCLDSTOP); a process
 *                  stopped in a call another server (VFS, a pipe) or PM
 *                  (nanosleep) holds finishes it once continued, not
 *                  before; SIGKILL ends a stopped one; a group orphaned
 *                  with a stopped member gets SIGHUP and SIGCONT; SIGTSTP
 *                  to an orphaned group is discarded
 *   tty_pgrp       a session leader's exit hangs up its terminal's
 *                  foreground group (SIGHUP; /dev/tty is ENXIO there
 *                  after); then on its controlling terminal (the console:
 *                  the tty on COM2 in test mode, whose far end types on
 *                  request): /dev/tty, TIOCGSID/TIOCGPGRP, a foreground process
 *                  reads; a background one is stopped by SIGTTIN, and
 *                  reads once TIOCSPGRP moved the foreground to it and it
 *                  was continued; one that ignores SIGTTIN gets EIO; ^C
 *                  ends the foreground group only
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define CHECK(c)                                                                              \
	do {                                                                                  \
		if (!(c)) {                                                                   \
			dprintf(2, "jobtest: line %d: %s (errno %d)\n", __LINE__, #c, errno); \
			_exit(__LINE__ & 0xff ? __LINE__ & 0xff : 1);                         \
		}                                                                             \
	} while (0)

/* ---- stop_continue --------------------------------------------------------- */

static volatile sig_atomic_t chld_code, chld_status, chld_count;

static void
on_chld(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	chld_code = si->si_code;
	chld_status = si->si_status;
	chld_count++;
}

static void
chld_handler(int flags)
{
	struct sigaction sa = { .sa_sigaction = on_chld, .sa_flags = SA_SIGINFO | flags };

	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(SIGCHLD, &sa, NULL) == 0);
}

/*
 * A child that runs fn and exits with its result, in a group of its own
 * as a shell's job (in ours, a session leader's group whose parent is
 * outside the session, it would be orphaned: SIGTSTP would be discarded).
 */
static pid_t
child_in(int (*fn)(void *), void *arg, bool own_group)
{
	pid_t pid = fork();

	CHECK(pid >= 0);
	if (pid == 0) {
		if (own_group)
			setpgid(0, 0);
		_exit(fn(arg));
	}
	if (own_group)
		CHECK(setpgid(pid, pid) == 0 || errno == EACCES);
	return pid;
}

static pid_t
child(int (*fn)(void *), void *arg)
{
	return child_in(fn, arg, true);
}

static int
spin(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return 0;
}

/* Wait until SIGCHLD has come n times in all (bounded). */
static void
await_chld(int n)
{
	for (int i = 0; i < 1000 && chld_count < n; i++)
		usleep(10000);
	CHECK(chld_count >= n);
}

static void
wait4_reports(void)
{
	int st = 0;
	pid_t c = child(spin, NULL);

	chld_count = 0;
	chld_handler(0);
	CHECK(kill(c, SIGSTOP) == 0);
	CHECK(waitpid(c, &st, WUNTRACED) == c);
	CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP && st == 0x137f);
	await_chld(1);
	CHECK(chld_code == CLD_STOPPED && chld_status == SIGSTOP);
	/* Reported once; without WUNTRACED a stop is not reported at all. */
	CHECK(waitpid(c, &st, WNOHANG | WUNTRACED) == 0);
	CHECK(kill(c, SIGCONT) == 0);
	CHECK(waitpid(c, &st, WCONTINUED) == c);
	CHECK(WIFCONTINUED(st) && st == 0xffff);
	await_chld(2);
	CHECK(chld_code == CLD_CONTINUED && chld_status == SIGCONT);
	/* A second SIGCONT to a running process reports nothing. */
	CHECK(kill(c, SIGCONT) == 0);
	CHECK(waitpid(c, &st, WNOHANG | WCONTINUED) == 0);
	/* SIGTSTP stops it too; SIGKILL ends it while stopped. */
	CHECK(kill(c, SIGTSTP) == 0);
	CHECK(waitpid(c, &st, WUNTRACED) == c && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTSTP);
	CHECK(kill(c, SIGKILL) == 0);
	CHECK(waitpid(c, &st, 0) == c && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
}

static void
waitid_reports(void)
{
	siginfo_t si;
	int st;
	pid_t c = child(spin, NULL);

	/* SA_NOCLDSTOP: no SIGCHLD for a stop or a continue. */
	chld_count = 0;
	chld_handler(SA_NOCLDSTOP);
	CHECK(kill(c, SIGTSTP) == 0);
	memset(&si, 0, sizeof(si));
	CHECK(waitid(P_PID, c, &si, WSTOPPED | WNOWAIT) == 0);
	CHECK(si.si_pid == c && si.si_code == CLD_STOPPED && si.si_status == SIGTSTP);
	memset(&si, 0, sizeof(si));
	CHECK(waitid(P_PID, c, &si, WSTOPPED) == 0); /* WNOWAIT left it */
	CHECK(si.si_pid == c && si.si_code == CLD_STOPPED);
	memset(&si, 0, sizeof(si));
	CHECK(waitid(P_PID, c, &si, WSTOPPED | WNOHANG) == 0 && si.si_pid == 0);
	CHECK(kill(c, SIGCONT) == 0);
	memset(&si, 0, sizeof(si));
	CHECK(waitid(P_ALL, 0, &si, WCONTINUED) == 0);
	CHECK(si.si_pid == c && si.si_code == CLD_CONTINUED && si.si_status == SIGCONT);
	CHECK(chld_count == 0);
	CHECK(kill(c, SIGKILL) == 0);
	CHECK(waitpid(c, &st, 0) == c);
	signal(SIGCHLD, SIG_DFL);
}

/* Read one byte from the pipe arg[0], then write it to arg[1]. */
static int
relay(void *arg)
{
	int *p = arg;
	char b;

	if (read(p[0], &b, 1) != 1)
		return 1;
	return write(p[1], &b, 1) == 1 ? 0 : 2;
}

/* Is there something to read in fd within ms milliseconds? */
static int
readable(int fd, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, ms);
}

/* A child stopped in a read VFS holds: it finishes the read only once continued. */
static void
stopped_in_call(void)
{
	int in[2], out[2], ends[2], st;
	pid_t c;
	char b = 0;

	CHECK(pipe(in) == 0 && pipe(out) == 0);
	ends[0] = in[0];
	ends[1] = out[1];
	c = child(relay, ends);
	usleep(50000); /* into its read (if not yet, it stops before it) */
	CHECK(kill(c, SIGSTOP) == 0);
	CHECK(waitpid(c, &st, WUNTRACED) == c && WIFSTOPPED(st));
	CHECK(write(in[1], "r", 1) == 1);
	CHECK(readable(out[0], 300) == 0); /* stopped: the byte waits */
	CHECK(kill(c, SIGCONT) == 0);
	CHECK(readable(out[0], 5000) == 1);
	CHECK(read(out[0], &b, 1) == 1 && b == 'r');
	CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(in[0]), close(in[1]), close(out[0]), close(out[1]);
}

static int
nap(void *arg)
{
	struct timespec ts = { 0, 300 * 1000 * 1000 };

	(void)arg;
	return nanosleep(&ts, NULL) == 0 ? 7 : 1;
}

/* A child stopped in nanosleep (held by PM): continued, it ends normally. */
static void
stopped_in_sleep(void)
{
	int st;
	pid_t c = child(nap, NULL);

	CHECK(kill(c, SIGSTOP) == 0);
	CHECK(waitpid(c, &st, WUNTRACED) == c && WIFSTOPPED(st));
	usleep(500000); /* its sleep's end passes while it is stopped */
	CHECK(waitpid(c, &st, WNOHANG) == 0);
	CHECK(kill(c, SIGCONT) == 0);
	CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 7);
}

static int hup_pipe = -1;

static void
on_hup(int sig)
{
	(void)sig;
	(void)!write(hup_pipe, "H", 1);
	_exit(0);
}

/*
 * The middle process: its child G, in a group of its own, stops itself;
 * then the middle process exits, G's group is orphaned with a stopped
 * member, and G gets SIGHUP (then SIGCONT, which lets its handler run).
 */
static int
orphan_middle(void *arg)
{
	int st;
	pid_t g = fork();

	(void)arg;
	if (g < 0)
		return 10;
	if (g == 0) {
		signal(SIGHUP, on_hup);
		setpgid(0, 0);
		raise(SIGSTOP);
		_exit(20); /* continued without SIGHUP */
	}
	setpgid(g, g);
	if (waitpid(g, &st, WUNTRACED) != g || !WIFSTOPPED(st))
		return 11;
	return 0; /* orphans g's group */
}

static void
orphaned_group(void)
{
	int p[2], st;
	char b = 0;
	pid_t c;

	CHECK(pipe(p) == 0);
	hup_pipe = p[1];
	c = child(orphan_middle, NULL);
	CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(readable(p[0], 5000) == 1);
	CHECK(read(p[0], &b, 1) == 1 && b == 'H');
	close(p[0]), close(p[1]);
}

/* In a new session (an orphaned group): SIGTSTP is discarded; SIGSTOP still stops. */
static int
orphan_tstp(void *arg)
{
	(void)arg;
	if (setsid() < 0)
		return 30;
	if (kill(0, SIGTSTP) < 0)
		return 31;
	raise(SIGSTOP);
	return 0;
}

static void
orphan_discards_tstp(void)
{
	int st;
	pid_t c = child_in(orphan_tstp, NULL, false);

	CHECK(waitpid(c, &st, WUNTRACED) == c);
	CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP); /* not SIGTSTP: that was discarded */
	CHECK(kill(c, SIGCONT) == 0);
	CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static int
mode_stop_continue(void)
{
	CHECK(setsid() > 0); /* a session of our own: our group's parent is outside it */
	dprintf(2, "jobtest: wait4_reports\n");
	wait4_reports();
	dprintf(2, "jobtest: waitid_reports\n");
	waitid_reports();
	dprintf(2, "jobtest: stopped_in_call\n");
	stopped_in_call();
	dprintf(2, "jobtest: stopped_in_sleep\n");
	stopped_in_sleep();
	dprintf(2, "jobtest: orphaned_group\n");
	orphaned_group();
	dprintf(2, "jobtest: orphan_discards_tstp\n");
	orphan_discards_tstp();
	return 0;
}

/* ---- tty_pgrp ------------------------------------------------------------- */

static int tty = -1;

/* Ask the harness's typist (tools/axrun.py) to type s into the terminal. */
static void
type(const char *s)
{
	char req[128];
	int n = snprintf(req, sizeof(req), "AXTTY-TYPE ");

	for (; *s; s++)
		n += snprintf(req + n, sizeof(req) - (size_t)n, "%02x", (unsigned char)*s);
	req[n++] = '\n';
	CHECK(write(tty, req, (size_t)n) == n);
}

/* Read a line from the terminal into buf: its length, or -errno. */
static int
read_line(char *buf, size_t max)
{
	ssize_t r = read(tty, buf, max - 1);

	if (r < 0)
		return -errno;
	buf[r] = 0;
	return (int)r;
}

static int
fg_reader(void *arg)
{
	char buf[16];

	(void)arg;
	return read_line(buf, sizeof(buf)) == 3 && strcmp(buf, "fg\n") == 0 ? 0 : 40;
}

static int
bg_reader(void *arg)
{
	char buf[16];

	(void)arg;
	return read_line(buf, sizeof(buf)) == 3 && strcmp(buf, "bg\n") == 0 ? 0 : 41;
}

static int
ignoring_reader(void *arg)
{
	char buf[16];

	(void)arg;
	signal(SIGTTIN, SIG_IGN);
	return read_line(buf, sizeof(buf)) == -EIO ? 0 : 42;
}

/* A child in a group of its own (both sides set it, as a shell does); fg: give it the terminal. */
static pid_t
job(int (*fn)(void *), bool fg)
{
	pid_t pid = fork();

	CHECK(pid >= 0);
	if (pid == 0) {
		setpgid(0, 0);
		if (fg)
			while (tcgetpgrp(tty) != getpid())
				usleep(1000);
		_exit(fn(NULL));
	}
	CHECK(setpgid(pid, pid) == 0 || errno == EACCES);
	if (fg)
		CHECK(tcsetpgrp(tty, pid) == 0);
	return pid;
}

/* The terminal back to us (we ignore SIGTTOU, as a shell does). */
static void
take_back(void)
{
	CHECK(tcsetpgrp(tty, getpgrp()) == 0);
}

static void
acquire_terminal(void)
{
	struct termios t;
	struct stat a, b;
	int fd;

	CHECK(setsid() == getpid());
	CHECK(open("/dev/tty", O_RDWR) < 0 && errno == ENXIO); /* no terminal yet */
	CHECK((tty = open("/dev/console", O_RDWR)) >= 0);      /* a leader's open takes it */
	CHECK(ioctl(tty, TIOCGSID, &fd) == 0 && fd == getpid());
	CHECK(tcgetpgrp(tty) == getpgrp());
	CHECK((fd = open("/dev/tty", O_RDWR)) >= 0);
	CHECK(fstat(fd, &a) == 0 && fstat(tty, &b) == 0 && a.st_rdev == b.st_rdev);
	close(fd);
	/* Lines, signals from ^C, no echo (the typist's bytes need not come back). */
	CHECK(tcgetattr(tty, &t) == 0);
	t.c_lflag |= ICANON | ISIG;
	t.c_lflag &= ~(ECHO | TOSTOP);
	t.c_cc[VINTR] = 3;
	CHECK(tcsetattr(tty, TCSAFLUSH, &t) == 0);
	signal(SIGTTOU, SIG_IGN);
}

/* ---- the leader's exit hangs up the foreground group ---- */

static int hang_ready[2], hang_report[2];
static volatile sig_atomic_t hup_seen;

static void
on_hup_flag(int sig)
{
	(void)sig;
	hup_seen = 1;
}

/* In the foreground of the session that ends: SIGHUP comes, and the terminal is gone. */
static int
hangup_member(void *arg)
{
	(void)arg;
	(void)!write(hang_ready[1], "R", 1);
	while (!hup_seen)
		pause();
	(void)!write(hang_report[1], "H", 1);
	if (open("/dev/tty", O_RDWR) < 0 && errno == ENXIO)
		(void)!write(hang_report[1], "X", 1);
	return 0;
}

/* A leader that takes the terminal, puts a job in front and exits under it. */
static int
hangup_leader(void *arg)
{
	char b;

	(void)arg;
	acquire_terminal();
	signal(SIGHUP, on_hup_flag); /* inherited by the job */
	job(hangup_member, true);
	return read(hang_ready[0], &b, 1) == 1 ? 0 : 50;
}

static void
leader_exit_hangs_up(void)
{
	char buf[4] = "";
	int st;
	pid_t m;

	CHECK(pipe(hang_ready) == 0 && pipe(hang_report) == 0);
	m = child_in(hangup_leader, NULL, false);
	CHECK(waitpid(m, &st, 0) == m && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(readable(hang_report[0], 5000) == 1);
	usleep(100000);
	CHECK(read(hang_report[0], buf, 2) == 2 && strcmp(buf, "HX") == 0);
}

static int
mode_tty_pgrp(void)
{
	int st;
	pid_t fg, bg, ign, other;

	leader_exit_hangs_up(); /* first: in a session of its own, which then frees the terminal */
	acquire_terminal();
	/* A foreground job reads what is typed. */
	fg = job(fg_reader, true);
	type("fg\n");
	CHECK(waitpid(fg, &st, 0) == fg && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	take_back();
	/* A background reader is stopped by SIGTTIN ... */
	bg = job(bg_reader, false);
	CHECK(waitpid(bg, &st, WUNTRACED) == bg && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTIN);
	/* ... and reads once it is moved to the foreground and continued (fg). */
	CHECK(tcsetpgrp(tty, bg) == 0 && tcgetpgrp(tty) == bg);
	CHECK(kill(-bg, SIGCONT) == 0);
	type("bg\n");
	CHECK(waitpid(bg, &st, 0) == bg && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	take_back();
	/* One that ignores SIGTTIN gets EIO. */
	ign = job(ignoring_reader, false);
	CHECK(waitpid(ign, &st, 0) == ign && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* ^C reaches the foreground group only: not a background job, not us. */
	other = job(spin, false);
	fg = job(spin, true);
	type("\003");
	CHECK(waitpid(fg, &st, 0) == fg && WIFSIGNALED(st) && WTERMSIG(st) == SIGINT);
	take_back();
	CHECK(waitpid(other, &st, WNOHANG) == 0);
	CHECK(kill(other, SIGKILL) == 0);
	CHECK(waitpid(other, &st, 0) == other && WTERMSIG(st) == SIGKILL);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "stop_continue") == 0)
		return mode_stop_continue();
	if (argc > 1 && strcmp(argv[1], "tty_pgrp") == 0)
		return mode_tty_pgrp();
	return 99;
}
