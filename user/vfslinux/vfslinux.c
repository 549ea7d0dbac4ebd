/*
 * vfslinux: the user side of tests/guest/test_vfs_linux.c, a static musl
 * program that PM starts with one mode as its argument.  Each mode checks
 * a place where a file call must do exactly what Linux's does (the
 * expected answers are Linux's, as its man pages and fs/select.c,
 * drivers/tty/tty_jobctrl.c, fs/namei.c and fs/exec.c give them) and
 * exits 0, or the line of the first check that failed (mod 256, never 0)
 * after printing it on stderr (the console).
 *
 *   sa_restart     a pipe read and a FIFO open that a
 *                  handler interrupts: EINTR, or run again under
 *                  SA_RESTART (poll is EINTR either way), as Linux
 *   ppoll_sigmask  ppoll and pselect6 set their mask for the wait only:
 *                  a signal it lets through interrupts (EINTR, the
 *                  handler runs, the old mask is back after), one it
 *                  blocks does not (and runs after the call if the old
 *                  mask lets it); plain poll and select are interrupted
 *                  by a handler too
 *   etxtbsy        a running program's file cannot be opened for writing
 *                  or truncated (ETXTBSY) and can be again once it ended;
 *                  exec of a file open for writing is ETXTBSY; a #!
 *                  script's interpreter is busy, the script is not
 *   sleeper        (what etxtbsy runs) sleeps until killed, at most 10 s
 *   tty_orphan     on its controlling terminal (the test console), from
 *                  the background: an orphaned group's read, write under
 *                  TOSTOP and tcsetattr are EIO (neither stopped nor
 *                  held); SIGTTOU blocked lets the write and tcsetpgrp
 *                  through; a group that is not orphaned but blocks
 *                  SIGTTIN reads EIO
 *   rmdir_busy     a directory that is a working directory (ours, a
 *                  child's) or open can be removed, or replaced by
 *                  rename; it is dead then: nothing found or made in it
 *                  (ENOENT), getdents and getcwd ENOENT, fstat's links
 *                  0; its inode is freed at the last close (statfs), as
 *                  an unlinked file's is
 *   pipe_iov       writev and readv on a pipe that must wait after the
 *                  first vector: no byte is lost or written twice
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/statfs.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define UCHECK_PROGRAM "vfslinux"
#include "ucheck.h"

/* ---- ppoll_sigmask ------------------------------------------------------- */

static volatile int got_usr1, got_usr2;
static volatile sigset_t mask_in_handler;

static void
on_usr1(int sig)
{
	(void)sig;
	got_usr1++;
	sigprocmask(SIG_BLOCK, NULL, (sigset_t *)&mask_in_handler);
}

static void
on_usr2(int sig)
{
	(void)sig;
	got_usr2++;
}

/* Is sig blocked now? */
static int
blocked(int sig)
{
	sigset_t now;

	sigprocmask(SIG_BLOCK, NULL, &now);
	return sigismember(&now, sig);
}

static int
pending(int sig)
{
	sigset_t p;

	sigpending(&p);
	return sigismember(&p, sig);
}

/* A child that sends sig to its parent after ms milliseconds; its pid. */
static pid_t
kill_later(int sig, long ms)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

		nanosleep(&ts, NULL);
		kill(getppid(), sig);
		_exit(0);
	}
	CHECK(pid > 0, pid);
	return pid;
}

static void
reap(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
}

static int
t_ppoll_sigmask(void)
{
	struct sigaction sa;
	sigset_t usr1, both, empty, only2;
	struct timespec forever_ish = { 20, 0 }, short_ts = { 0, 100000000 }, zero = { 0, 0 };
	struct pollfd pfd;
	fd_set rd;
	int p[2];
	pid_t kid;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	OK(sigaction(SIGUSR1, &sa, NULL));
	sa.sa_handler = on_usr2;
	OK(sigaction(SIGUSR2, &sa, NULL));
	sigemptyset(&empty);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	both = usr1;
	sigaddset(&both, SIGUSR2);
	sigemptyset(&only2);
	sigaddset(&only2, SIGUSR2);
	OK(pipe(p));
	pfd.fd = p[0];
	pfd.events = POLLIN;

	/* 1. A pending signal the mask lets through: EINTR at once, handler, mask back. */
	OK(sigprocmask(SIG_SETMASK, &usr1, NULL));
	OK(raise(SIGUSR1));
	CHECK(got_usr1 == 0 && pending(SIGUSR1), got_usr1);
	FAILS(ppoll(&pfd, 1, &forever_ish, &empty), EINTR);
	CHECK(got_usr1 == 1, got_usr1);
	CHECK(!sigismember((sigset_t *)&mask_in_handler, SIGUSR2), 0);
	CHECK(blocked(SIGUSR1), 0); /* the old mask is back after the handler */
	CHECK(!pending(SIGUSR1), 0);

	/* 2. The same through pselect6. */
	OK(raise(SIGUSR1));
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	FAILS(pselect(p[0] + 1, &rd, NULL, NULL, &forever_ish, &empty), EINTR);
	CHECK(got_usr1 == 2, got_usr1);
	CHECK(blocked(SIGUSR1), 0);

	/* 3. A signal coming during the wait, let through by the mask only. */
	kid = kill_later(SIGUSR1, 30);
	FAILS(ppoll(&pfd, 1, &forever_ish, &empty), EINTR);
	CHECK(got_usr1 == 3, got_usr1);
	CHECK(blocked(SIGUSR1), 0);
	reap(kid);
	kid = kill_later(SIGUSR1, 30);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	FAILS(pselect(p[0] + 1, &rd, NULL, NULL, NULL, &empty), EINTR);
	CHECK(got_usr1 == 4, got_usr1);
	CHECK(blocked(SIGUSR1), 0);
	reap(kid);

	/* 4. A pending signal the mask blocks: no interruption, the timeout; still pending. */
	OK(sigprocmask(SIG_SETMASK, &both, NULL));
	OK(raise(SIGUSR2));
	FAILS(ppoll(&pfd, 1, &short_ts, &usr1), EINTR); /* SIGUSR2 let through: it interrupts */
	CHECK(got_usr2 == 1, got_usr2);
	OK(raise(SIGUSR2));
	CHECK(ppoll(&pfd, 1, &short_ts, &both) == 0, -1);
	CHECK(got_usr2 == 1 && pending(SIGUSR2), got_usr2);
	CHECK(blocked(SIGUSR1) && blocked(SIGUSR2), 0);

	/* 5. Ready descriptors win over a pending signal the mask lets through (Linux). */
	CHECK(write(p[1], "x", 1) == 1, -1);
	CHECK(ppoll(&pfd, 1, &forever_ish, &empty) == 1, -1);
	CHECK(pfd.revents == POLLIN, pfd.revents);
	CHECK(got_usr2 == 1 && pending(SIGUSR2), got_usr2); /* not delivered: the old mask blocks */
	/* ... and a zero timeout with nothing ready is EINTR then. */
	CHECK(read(p[0], &pfd.revents, 1) == 1, -1);
	FAILS(ppoll(&pfd, 1, &zero, &empty), EINTR);
	CHECK(got_usr2 == 2 && !pending(SIGUSR2), got_usr2);
	CHECK(blocked(SIGUSR1) && blocked(SIGUSR2), 0);

	/* 6. A signal the call's mask blocks does not interrupt; after it, the old mask lets it run. */
	OK(sigprocmask(SIG_SETMASK, &empty, NULL));
	kid = kill_later(SIGUSR1, 20);
	CHECK(ppoll(&pfd, 1, &short_ts, &usr1) == 0, -1);
	CHECK(got_usr1 == 5, got_usr1); /* ran on the way out of the call */
	CHECK(!blocked(SIGUSR1), 0);
	reap(kid);

	/* 7. No mask: as poll (the process's own mask is used). */
	kid = kill_later(SIGUSR1, 20);
	FAILS(ppoll(&pfd, 1, &forever_ish, NULL), EINTR);
	CHECK(got_usr1 == 6, got_usr1);
	reap(kid);

	/* 8. poll and select are interrupted by a handler (LX_CANCEL to VFS). */
	kid = kill_later(SIGUSR1, 20);
	FAILS(poll(&pfd, 1, 20000), EINTR);
	CHECK(got_usr1 == 7, got_usr1);
	reap(kid);
	kid = kill_later(SIGUSR1, 20);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	FAILS(select(p[0] + 1, &rd, NULL, NULL, NULL), EINTR);
	CHECK(got_usr1 == 8, got_usr1);
	reap(kid);

	/* 9. Bad input: a sigset size that is not 8, a bad mask pointer. */
	errno = 0;
	CHECK(syscall(SYS_ppoll, &pfd, 1, &zero, &empty, 4) == -1 && errno == EINVAL, errno);
	errno = 0;
	CHECK(syscall(SYS_ppoll, &pfd, 1, &zero, (void *)8, 8) == -1 && errno == EFAULT, errno);
	/* ... and a pipe that became ready during the wait ends it, with the mask given back. */
	OK(sigprocmask(SIG_SETMASK, &usr1, NULL));
	kid = fork();
	if (kid == 0) {
		struct timespec ts = { 0, 30000000 };

		nanosleep(&ts, NULL);
		_exit(write(p[1], "y", 1) == 1 ? 0 : 1);
	}
	CHECK(ppoll(&pfd, 1, &forever_ish, &empty) == 1, -1);
	CHECK(blocked(SIGUSR1), 0);
	reap(kid);
	return 0;
}

/* ---- sa_restart ------------------------------------------------------------ */

static volatile int handled;

static void
on_handled(int sig)
{
	(void)sig;
	handled++;
}

/* A child that signals us after 30 ms and writes "z" to fd 30 ms later (fd < 0: no write). */
static pid_t
signal_then_write(int fd)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct timespec ts = { 0, 30000000 };

		nanosleep(&ts, NULL);
		kill(getppid(), SIGUSR1);
		nanosleep(&ts, NULL);
		if (fd >= 0 && write(fd, "z", 1) != 1)
			_exit(1);
		_exit(0);
	}
	CHECK(pid > 0, pid);
	return pid;
}

static int
t_sa_restart(void)
{
	struct sigaction sa;
	struct pollfd pfd;
	char c = 0;
	int p[2], fd;
	pid_t kid;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_handled;
	OK(pipe(p));
	/* Without SA_RESTART: EINTR. */
	OK(sigaction(SIGUSR1, &sa, NULL));
	kid = signal_then_write(-1);
	FAILS(read(p[0], &c, 1), EINTR);
	CHECK(handled == 1, handled);
	reap(kid);
	/* With it: the read runs again and gets the byte. */
	sa.sa_flags = SA_RESTART;
	OK(sigaction(SIGUSR1, &sa, NULL));
	kid = signal_then_write(p[1]);
	CHECK(read(p[0], &c, 1) == 1 && c == 'z', c);
	CHECK(handled == 2, handled);
	reap(kid);
	/* poll is never run again after a handler (Linux's ERESTARTNOHAND). */
	pfd = (struct pollfd){ .fd = p[0], .events = POLLIN };
	kid = signal_then_write(p[1]);
	FAILS(poll(&pfd, 1, 5000), EINTR);
	CHECK(handled == 3, handled);
	reap(kid);
	CHECK(read(p[0], &c, 1) == 1 && c == 'z', c);
	/* A FIFO's open waiting for a writer, restarted. */
	OK(mkfifo("/tmp/sarfifo", 0600));
	kid = fork();
	if (kid == 0) {
		struct timespec ts = { 0, 30000000 };
		int w;

		nanosleep(&ts, NULL);
		kill(getppid(), SIGUSR1);
		nanosleep(&ts, NULL);
		w = open("/tmp/sarfifo", O_WRONLY);
		_exit(w >= 0 && write(w, "f", 1) == 1 ? 0 : 1);
	}
	CHECK(kid > 0, kid);
	fd = open("/tmp/sarfifo", O_RDONLY);
	CHECK(fd >= 0, fd);
	CHECK(handled == 4, handled);
	CHECK(read(fd, &c, 1) == 1 && c == 'f', c);
	close(fd);
	reap(kid);
	OK(unlink("/tmp/sarfifo"));
	close(p[0]);
	close(p[1]);
	return 0;
}

/* ---- etxtbsy -------------------------------------------------------------- */

#define EXE    "/tmp/etx"
#define SCRIPT "/tmp/etx.sh"

static void
copy_file(const char *from, const char *to, int *keep_open)
{
	char chunk[4096];
	int in = open(from, O_RDONLY), out;
	ssize_t n;

	CHECK(in >= 0, in);
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	CHECK(out >= 0, out);
	while ((n = read(in, chunk, sizeof(chunk))) > 0)
		CHECK(write(out, chunk, (size_t)n) == n, n);
	CHECK(n == 0, n);
	close(in);
	if (keep_open)
		*keep_open = out;
	else
		close(out);
}

/*
 * A child that execs path with argv: its pid once the exec succeeded
 * (a close-on-exec pipe reads end of file), or -errno of the exec.
 */
static pid_t
run(const char *path, char *const argv[])
{
	int p[2], err = 0;
	pid_t pid;

	OK(pipe2(p, O_CLOEXEC));
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		execv(path, argv);
		err = errno;
		if (write(p[1], &err, sizeof(err)) < 0)
			_exit(2);
		_exit(1);
	}
	CHECK(pid > 0, pid);
	close(p[1]);
	if (read(p[0], &err, sizeof(err)) == (ssize_t)sizeof(err)) {
		reap(pid);
		close(p[0]);
		return -err;
	}
	close(p[0]);
	return pid;
}

static void
end(pid_t pid)
{
	kill(pid, SIGKILL);
	reap(pid);
}

static int
t_etxtbsy(void)
{
	char *const argv[] = { EXE, "sleeper", NULL };
	char *const sargv[] = { SCRIPT, NULL };
	int wfd, fd;
	pid_t kid;

	/* exec of a file open for writing (here, and in the child by inheritance) */
	copy_file("/bin/vfslinux", EXE, &wfd);
	CHECK(run(EXE, argv) == -ETXTBSY, 0);
	/* ... by another process only */
	kid = fork();
	if (kid == 0) {
		struct timespec ts = { 10, 0 };

		nanosleep(&ts, NULL);
		_exit(0);
	}
	close(wfd);
	CHECK(run(EXE, argv) == -ETXTBSY, 0); /* the sleeping child holds it open */
	end(kid);

	/* the running program's file */
	kid = run(EXE, argv);
	CHECK(kid > 0, kid);
	FAILS(open(EXE, O_WRONLY), ETXTBSY);
	FAILS(open(EXE, O_RDWR), ETXTBSY);
	FAILS(open(EXE, O_WRONLY | O_TRUNC), ETXTBSY);
	FAILS(truncate(EXE, 0), ETXTBSY);
	fd = open(EXE, O_RDONLY);
	CHECK(fd >= 0, fd);
	close(fd);
	/* its fork's child runs it too */
	{
		pid_t k2 = run(EXE, argv);

		CHECK(k2 > 0, k2);
		end(kid);
		FAILS(open(EXE, O_WRONLY), ETXTBSY);
		end(k2);
	}
	fd = open(EXE, O_WRONLY);
	CHECK(fd >= 0, fd); /* nobody runs it any more */
	close(fd);
	OK(truncate(EXE, 100000));

	/* a script: its interpreter is busy, the script itself is not */
	copy_file("/bin/vfslinux", EXE, NULL);
	fd = open(SCRIPT, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	CHECK(fd >= 0, fd);
	CHECK(write(fd, "#!" EXE " sleeper\n", strlen("#!" EXE " sleeper\n")) > 0, -1);
	close(fd);
	kid = run(SCRIPT, sargv);
	CHECK(kid > 0, kid);
	FAILS(open(EXE, O_WRONLY), ETXTBSY);
	fd = open(SCRIPT, O_WRONLY | O_APPEND);
	CHECK(fd >= 0, fd);
	close(fd);
	end(kid);
	OK(unlink(SCRIPT));

	/* a failed exec (a file open for writing) leaves nothing held */
	fd = open(EXE, O_WRONLY);
	CHECK(fd >= 0, fd);
	CHECK(run(EXE, argv) == -ETXTBSY, 0);
	close(fd);
	fd = open(EXE, O_WRONLY);
	CHECK(fd >= 0, fd);
	close(fd);
	OK(unlink(EXE));
	return 0;
}

static int
t_sleeper(void)
{
	struct timespec ts = { 10, 0 };

	nanosleep(&ts, NULL);
	return 0;
}

/* ---- tty_orphan ----------------------------------------------------------- */

static int tty = -1;

static void
on_alarm(int sig)
{
	(void)sig; /* only to end a call that would wait (EINTR) */
}

/* A bounded call: SIGALRM in 2 s ends it (EINTR) if the terminal holds it. */
static void
bound(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	alarm(2);
}

/* In a group of its own in the background of the leader's session, not orphaned. */
static int
blocking_reader(void)
{
	sigset_t ttin;
	char c;
	ssize_t r;

	sigemptyset(&ttin);
	sigaddset(&ttin, SIGTTIN);
	sigprocmask(SIG_BLOCK, &ttin, NULL);
	bound();
	r = read(tty, &c, 1);
	return r == -1 && errno == EIO ? 0 : 60;
}

static int
t_tty_orphan(void)
{
	struct termios t;
	sigset_t ttou;
	pid_t fg, kid;
	char c;
	int st;

	CHECK(setsid() == getpid(), -1); /* our parent (the test) is outside: orphaned */
	tty = open("/dev/console", O_RDWR);
	CHECK(tty >= 0, tty); /* a leader's open takes it */
	CHECK(tcgetpgrp(tty) == getpgrp(), -1);
	CHECK(tcgetattr(tty, &t) == 0, -1);
	t.c_lflag |= ICANON | TOSTOP;
	t.c_lflag &= ~ECHO;
	CHECK(tcsetattr(tty, TCSANOW, &t) == 0, -1);

	/* A job in the foreground: we are in the background now. */
	fg = fork();
	if (fg == 0) {
		setpgid(0, 0);
		for (;;)
			pause();
	}
	CHECK(fg > 0, fg);
	CHECK(setpgid(fg, fg) == 0 || errno == EACCES, errno);
	CHECK(tcsetpgrp(tty, fg) == 0, -1);
	CHECK(tcgetpgrp(tty) == fg, -1);

	/* Our group is orphaned: EIO, no SIGTTIN/SIGTTOU stop, no wait. */
	bound();
	FAILS(read(tty, &c, 1), EIO);
	FAILS(write(tty, "o\n", 2), EIO); /* TOSTOP */
	FAILS(tcsetattr(tty, TCSANOW, &t), EIO);
	alarm(0);

	/* A group that is not orphaned (its parent, we, in another group of the session). */
	kid = fork();
	if (kid == 0) {
		setpgid(0, 0);
		_exit(blocking_reader());
	}
	CHECK(kid > 0, kid);
	CHECK(setpgid(kid, kid) == 0 || errno == EACCES, errno);
	CHECK(waitpid(kid, &st, 0) == kid && WIFEXITED(st), st);
	CHECK(WEXITSTATUS(st) == 0, WEXITSTATUS(st));

	/* SIGTTOU blocked: the write and tcsetpgrp go through, as Linux's. */
	sigemptyset(&ttou);
	sigaddset(&ttou, SIGTTOU);
	OK(sigprocmask(SIG_BLOCK, &ttou, NULL));
	bound();
	CHECK(write(tty, "o\n", 2) == 2, -1);
	CHECK(tcsetpgrp(tty, getpgrp()) == 0, -1);
	alarm(0);
	CHECK(tcgetpgrp(tty) == getpgrp(), -1);
	t.c_lflag &= ~TOSTOP;
	CHECK(tcsetattr(tty, TCSANOW, &t) == 0, -1);
	kill(fg, SIGKILL);
	reap(fg);
	return 0;
}

/* ---- rmdir_busy ----------------------------------------------------------- */

/* The file system's free inodes (statfs on /tmp). */
static long
free_inodes(void)
{
	struct statfs f;

	CHECK(statfs("/tmp", &f) == 0, -1);
	return (long)f.f_ffree;
}

/* The checks of a directory that is gone, from inside it (cwd) or by fd. */
static void
dead_dir(int fd)
{
	struct stat st;
	char buf[256];

	CHECK(fstat(fd, &st) == 0 && S_ISDIR(st.st_mode), -1);
	CHECK(st.st_nlink == 0, st.st_nlink);
	FAILS(openat(fd, "f", O_CREAT | O_WRONLY, 0644), ENOENT);
	FAILS(mkdirat(fd, "d", 0755), ENOENT);
	FAILS(mknodat(fd, "p", S_IFIFO | 0644, 0), ENOENT);
	FAILS(symlinkat("x", fd, "l"), ENOENT);
	FAILS(fstatat(fd, "..", &st, 0), ENOENT);
	FAILS(syscall(SYS_getdents64, fd, buf, sizeof(buf)), ENOENT);
}

static int
t_rmdir_busy(void)
{
	long before = free_inodes();
	struct stat st;
	char buf[64];
	int fd, fd2, p[2], st2;
	pid_t kid;

	/* A file unlinked while open is freed at its last close. */
	fd = open("/tmp/uf", O_CREAT | O_RDWR, 0644);
	CHECK(fd >= 0, fd);
	CHECK(write(fd, "0123456789", 10) == 10, -1);
	OK(unlink("/tmp/uf"));
	CHECK(free_inodes() == before - 1, free_inodes());
	CHECK(pread(fd, buf, 10, 0) == 10 && memcmp(buf, "0123456789", 10) == 0, -1);
	close(fd);
	CHECK(free_inodes() == before, free_inodes());

	/* Our working directory, and open. */
	OK(mkdir("/tmp/rb", 0755));
	OK(chdir("/tmp/rb"));
	fd = open("/tmp/rb", O_RDONLY | O_DIRECTORY);
	CHECK(fd >= 0, fd);
	OK(rmdir("/tmp/rb"));
	FAILS(stat("/tmp/rb", &st), ENOENT);
	dead_dir(fd);
	FAILS(open("f", O_CREAT | O_WRONLY, 0644), ENOENT);
	FAILS(mkdir("sub", 0755), ENOENT);
	CHECK(stat(".", &st) == 0 && st.st_nlink == 0, st.st_nlink);
	errno = 0;
	CHECK(getcwd(buf, sizeof(buf)) == NULL && errno == ENOENT, errno);
	OK(mkdir("/tmp/rb", 0755)); /* a new one of that name: not ours */
	FAILS(open("f", O_CREAT | O_WRONLY, 0644), ENOENT);
	OK(chdir("/"));
	close(fd);
	OK(rmdir("/tmp/rb"));
	CHECK(free_inodes() == before, free_inodes());

	/* Another process's working directory. */
	OK(mkdir("/tmp/rc", 0755));
	OK(pipe(p));
	kid = fork();
	if (kid == 0) {
		char c;
		int r;

		if (chdir("/tmp/rc") < 0)
			_exit(1);
		(void)!write(p[1], "c", 1);
		if (read(p[0], &c, 1) != 1) /* ... while the parent removes it */
			_exit(2);
		r = open("f", O_CREAT | O_WRONLY, 0644);
		_exit(r < 0 && errno == ENOENT ? 0 : 3);
	}
	CHECK(kid > 0, kid);
	CHECK(read(p[0], buf, 1) == 1, -1);
	OK(rmdir("/tmp/rc"));
	CHECK(write(p[1], "g", 1) == 1, -1);
	CHECK(waitpid(kid, &st2, 0) == kid && WIFEXITED(st2), st2);
	CHECK(WEXITSTATUS(st2) == 0, WEXITSTATUS(st2));
	CHECK(free_inodes() == before, free_inodes());

	/* Replaced by rename while open. */
	OK(mkdir("/tmp/ra", 0755));
	OK(mkdir("/tmp/rt", 0755));
	fd2 = open("/tmp/rt", O_RDONLY | O_DIRECTORY);
	CHECK(fd2 >= 0, fd2);
	OK(rename("/tmp/ra", "/tmp/rt"));
	dead_dir(fd2);
	CHECK(stat("/tmp/rt", &st) == 0 && st.st_nlink == 2, st.st_nlink); /* ra's */
	close(fd2);
	OK(rmdir("/tmp/rt"));
	/* A directory that is not empty still is ENOTEMPTY; a mount point EBUSY (vfs.mount). */
	OK(mkdir("/tmp/rn", 0755));
	OK(mkdir("/tmp/rn/x", 0755));
	OK(chdir("/tmp/rn"));
	FAILS(rmdir("/tmp/rn"), ENOTEMPTY);
	OK(chdir("/"));
	OK(rmdir("/tmp/rn/x"));
	OK(rmdir("/tmp/rn"));
	CHECK(free_inodes() == before, free_inodes());
	return 0;
}

/* ---- pipe_iov ------------------------------------------------------------- */

static int
t_pipe_iov(void)
{
	static char fill[65536 - 10], bs[100], got[65536 + 200];
	char as[5] = "AAAAA", b1[10], b2[10];
	struct iovec iov[2];
	struct timespec ts = { 0, 50000000 };
	size_t want = sizeof(fill) + 105, have = 0;
	int p[2], st;
	ssize_t r;
	pid_t kid;

	memset(fill, 'x', sizeof(fill));
	memset(bs, 'B', sizeof(bs));
	/* writev: room for the first vector only; the reader comes later. */
	OK(pipe(p));
	CHECK(write(p[1], fill, sizeof(fill)) == (ssize_t)sizeof(fill), -1);
	kid = fork();
	if (kid == 0) {
		nanosleep(&ts, NULL);
		close(p[1]);
		while (have < sizeof(got) && (r = read(p[0], got + have, sizeof(got) - have)) > 0)
			have += (size_t)r;
		if (have != want)
			_exit(1);
		for (size_t i = 0; i < sizeof(fill); i++)
			if (got[i] != 'x')
				_exit(2);
		_exit(memcmp(got + sizeof(fill), as, 5) == 0 &&
				      memcmp(got + sizeof(fill) + 5, bs, 100) == 0
			      ? 0
			      : 3);
	}
	CHECK(kid > 0, kid);
	close(p[0]);
	iov[0] = (struct iovec){ as, 5 };
	iov[1] = (struct iovec){ bs, 100 };
	r = writev(p[1], iov, 2);
	CHECK(r == 5 || r == 105, r); /* Linux: 105; a short count is POSIX's too */
	if (r == 5)
		CHECK(write(p[1], bs, 100) == 100, -1); /* the rest, as musl's stdio does */
	close(p[1]);
	CHECK(waitpid(kid, &st, 0) == kid && WIFEXITED(st), st);
	CHECK(WEXITSTATUS(st) == 0, WEXITSTATUS(st));

	/* readv: the first vector filled, the pipe empty, its writer open. */
	OK(pipe(p));
	CHECK(write(p[1], "0123456789", 10) == 10, -1);
	kid = fork();
	if (kid == 0) {
		nanosleep(&ts, NULL);
		_exit(write(p[1], "abcdefghij", 10) == 10 ? 0 : 1);
	}
	CHECK(kid > 0, kid);
	iov[0] = (struct iovec){ b1, 10 };
	iov[1] = (struct iovec){ b2, 10 };
	r = readv(p[0], iov, 2);
	CHECK(r == 10 && memcmp(b1, "0123456789", 10) == 0, r); /* as Linux: what is there */
	CHECK(read(p[0], b2, 10) == 10 && memcmp(b2, "abcdefghij", 10) == 0, -1);
	CHECK(waitpid(kid, &st, 0) == kid && WIFEXITED(st) && WEXITSTATUS(st) == 0, st);
	close(p[0]);
	close(p[1]);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(void);
	} modes[] = {
		{ "ppoll_sigmask", t_ppoll_sigmask },
		{ "sa_restart", t_sa_restart },
		{ "etxtbsy", t_etxtbsy },
		{ "sleeper", t_sleeper },
		{ "tty_orphan", t_tty_orphan },
		{ "rmdir_busy", t_rmdir_busy },
		{ "pipe_iov", t_pipe_iov },
	};

	mode = argc > 1 ? argv[1] : "";
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcmp(mode, modes[i].name) == 0)
			return modes[i].fn();
	say("vfslinux: unknown mode '%s'\n", mode);
	return 255;
}
