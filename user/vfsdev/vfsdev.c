/*
 * vfsdev: a static musl program (an unmodified Linux binary) that the
 * vfs.* guest tests of pipes, poll, devices that come back and terminals
 * start through PM (tests/guest/test_vfsdev.c).  Each mode checks from
 * inside and reports through its exit status: 0 for success, a distinct
 * small number for the check that failed.
 *
 *   pipe      one process: bytes in order, O_NONBLOCK's EAGAIN, PIPE_BUF
 *             atomicity, a large write going in as far as room allows,
 *             end of file after the write end closes, ESPIPE
 *   sigpipe   a write to a pipe whose read end is closed: the process
 *             must die of SIGPIPE (exit status 1 or 2 if it returns)
 *   poll      poll on a pipe's ends (readable, writable, POLLHUP,
 *             POLLERR), a timeout that passes, /dev/null and a regular file
 *   hello     reads /dev/hello (pread at 0) until the greeting changes:
 *             the driver crashed and came back under the open descriptor
 *             (another endpoint or open count); EIO on the way is
 *             allowed, nothing else
 *   hello_drop  an ioctl hello never answers (HELLO_IOC_DROP): when hello
 *             crashes, it must fail with EIO, not hang
 *   pipe_fork two processes: 200 KiB through a pipe (small atomic
 *             writes and a large one that waits for room), checked by the
 *             child and answered on a second pipe
 *   reader_exits  the other end's process exits under a waiting call: a
 *             writer blocked on a full pipe gets the bytes it moved, then
 *             EPIPE, and SIGPIPE (its handler's, or the default: death);
 *             a blocked reader gets end of file; poll POLLERR or
 *             POLLHUP; the same writer on a FIFO
 *   pingpong N  one byte there and back between two processes, N times
 *             (make bench: pipe_roundtrip_insns)
 *   blockwrite  a 20 KiB file written to the MFS on /dev/ram2 while its
 *             driver crashes (the test arranged it): every byte reads back
 *             after a fresh mount
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PIPE_CAPACITY 65536
#define ATOMIC        4096 /* PIPE_BUF */

#define HELLO_IOC_DROP 0x6804 /* _IO('h', 4), include/ax/hello.h */

static uint8_t big[2 * PIPE_CAPACITY], back[2 * PIPE_CAPACITY];

static void
pattern(uint8_t *b, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (uint8_t)(seed + i * 7);
}

/* Non-blocking: fill the pipe; what went in (the capacity). */
static long
fill(int wfd)
{
	long total = 0, r;

	pattern(big, sizeof(big), 1);
	while ((r = write(wfd, big + total % ATOMIC, ATOMIC)) > 0)
		total += r;
	return r < 0 && errno == EAGAIN ? total : -1;
}

static int
pipe_basic(void)
{
	int fds[2];
	char buf[64];

	if (pipe(fds) < 0)
		return 10;
	if (write(fds[1], "hello", 5) != 5 || write(fds[1], ", world", 7) != 7)
		return 11;
	if (read(fds[0], buf, sizeof(buf)) != 12 || memcmp(buf, "hello, world", 12) != 0)
		return 12;
	if (pread(fds[0], buf, 1, 0) != -1 || errno != ESPIPE)
		return 13;
	if (lseek(fds[0], 0, SEEK_SET) != -1 || errno != ESPIPE)
		return 14;
	if (write(fds[0], "x", 1) != -1 || errno != EBADF)
		return 15; /* the read end is not for writing */
	if (close(fds[1]) < 0 || read(fds[0], buf, sizeof(buf)) != 0)
		return 16; /* end of file */
	return close(fds[0]) < 0 ? 17 : 0;
}

static int
pipe_nonblock(void)
{
	int fds[2];
	long r;

	if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) < 0)
		return 20;
	if (read(fds[0], back, 1) != -1 || errno != EAGAIN)
		return 21;
	if (fill(fds[1]) != PIPE_CAPACITY)
		return 22;
	if (write(fds[1], big, 1) != -1 || errno != EAGAIN)
		return 23;
	/* 100 bytes free: an atomic write of 4096 waits (EAGAIN), a larger one fills them. */
	if (read(fds[0], back, 100) != 100)
		return 24;
	if (write(fds[1], big, ATOMIC) != -1 || errno != EAGAIN)
		return 25;
	if ((r = write(fds[1], big, 2 * ATOMIC)) != 100)
		return 26;
	/* Everything comes out in order: the rest of the fill, then the 100 bytes. */
	if (read(fds[0], back + 100, PIPE_CAPACITY - 100) != PIPE_CAPACITY - 100)
		return 27;
	for (long i = 100; i < PIPE_CAPACITY; i++)
		if (back[i] != big[i % ATOMIC])
			return 28;
	if (read(fds[0], back, 200) != 100 || memcmp(back, big, 100) != 0)
		return 29;
	if (fcntl(fds[0], F_GETFD) != FD_CLOEXEC || !(fcntl(fds[0], F_GETFL) & O_NONBLOCK))
		return 30;
	close(fds[0]);
	close(fds[1]);
	return 0;
}

static int
mode_pipe(void)
{
	int r;

	if ((r = pipe_basic()) != 0 || (r = pipe_nonblock()) != 0)
		return r;
	if (pipe2((int[2]){ 0, 0 }, 0x4000 /* O_DIRECT: not supported */) != -1 || errno != EINVAL)
		return 40;
	if (syscall(SYS_pipe, (long)8) != -1 || errno != EFAULT)
		return 41; /* a bad pointer: nothing is made */
	return 0;
}

/*
 * After a write that should have raised SIGPIPE, wait for it (in a read
 * nothing will ever answer) rather than exit: the signal ends the process
 * there.  (Exiting at once would race PM's signal with the process's own
 * exit_group.)
 */
static void
await_signal(void)
{
	int never[2];
	char c;

	if (pipe(never) == 0)
		read(never[0], &c, 1);
}

static int
mode_sigpipe(void)
{
	int fds[2];
	long r;

	if (pipe(fds) < 0)
		return 3;
	close(fds[0]);
	r = write(fds[1], "x", 1);
	if (r != -1 || errno != EPIPE)
		return 1; /* the write must fail with EPIPE too */
	await_signal();
	return 2;
}

static int
poll_one(int fd, short events, int timeout)
{
	struct pollfd p = { .fd = fd, .events = events };
	int r = poll(&p, 1, timeout);

	return r < 0 ? -errno : r == 0 ? 0 : p.revents;
}

static int
mode_poll(void)
{
	int fds[2], fd;

	if (pipe2(fds, O_NONBLOCK) < 0)
		return 50;
	if (poll_one(fds[0], POLLIN, 0) != 0)
		return 51;
	if (poll_one(fds[0], POLLIN, 30) != 0)
		return 52; /* the timeout passes */
	if (poll_one(fds[1], POLLOUT, -1) != POLLOUT)
		return 53;
	if (write(fds[1], "x", 1) != 1 || poll_one(fds[0], POLLIN, -1) != POLLIN)
		return 54;
	if (fill(fds[1]) < 0 || poll_one(fds[1], POLLOUT, 0) != 0)
		return 55;
	close(fds[1]);
	if (!(poll_one(fds[0], POLLIN, 0) & POLLHUP))
		return 56;
	if (pipe(fds) < 0)
		return 57;
	close(fds[0]);
	if (poll_one(fds[1], POLLOUT, 0) != POLLERR)
		return 58;
	if ((fd = open("/dev/null", O_RDWR)) < 0)
		return 59;
	if (poll_one(fd, POLLIN | POLLOUT, 0) != (POLLIN | POLLOUT))
		return 60;
	close(fd);
	if ((fd = open("/", O_RDONLY)) < 0 || poll_one(fd, POLLIN, 0) != POLLIN)
		return 61; /* a directory, as a regular file: always ready */
	if (poll_one(99, POLLIN, 0) != POLLNVAL)
		return 62;
	return 0;
}

static int
mode_hello(void)
{
	char first[128], buf[128];
	long r;
	int fd = open("/dev/hello", O_RDONLY), errors = 0;

	if (fd < 0)
		return 70;
	if ((r = pread(fd, first, sizeof(first) - 1, 0)) <= 0)
		return 71;
	first[r] = '\0';
	/*
	 * The test crashes hello now.  The descriptor must come back: a
	 * greeting from the new instance (another endpoint, or another open
	 * count: the reopen), with at most EIO on the way; bounded.
	 */
	for (long i = 0; i < 20000000; i++) {
		r = pread(fd, buf, sizeof(buf) - 1, 0);
		if (r < 0 && errno == EIO) {
			errors++;
			continue;
		}
		if (r <= 0)
			return 72; /* any other error, or nothing */
		buf[r] = '\0';
		if (strcmp(buf, first) != 0)
			return strstr(buf, "(endpoint ") ? 0 : 73;
	}
	return errors ? 74 : 75;
}

static int
mode_hello_drop(void)
{
	int fd = open("/dev/hello", O_RDONLY);

	if (fd < 0)
		return 80;
	/* hello takes it and never answers; its crash must end the call. */
	if (ioctl(fd, HELLO_IOC_DROP) != -1)
		return 81;
	return errno == EIO ? 0 : 82;
}

/*
 * Two processes: the parent writes 200 KiB (small atomic writes and one
 * large one that must wait for room) while the child reads it all and
 * answers its length and sum on a second pipe.
 */
#define PF_SMALL 3000u
#define PF_LARGE (100u << 10)

static int
pipe_fork_child(int in, int out)
{
	uint64_t got[2] = { 0, 0 };
	long n;

	while ((n = read(in, back, sizeof(back))) > 0)
		for (long i = 0; i < n; i++)
			got[0]++, got[1] += back[i] * (got[0] % 7 + 1);
	if (n < 0 || write(out, got, sizeof(got)) != sizeof(got))
		return 1;
	return 0;
}

static int
mode_pipe_fork(void)
{
	int down[2], up[2];
	uint64_t want[2] = { 0, 0 }, got[2];
	int status;
	pid_t pid;

	if (pipe(down) < 0 || pipe(up) < 0)
		return 100;
	pattern(big, sizeof(big), 3);
	if ((pid = fork()) < 0)
		return 101;
	if (pid == 0) {
		close(down[1]);
		close(up[0]);
		_exit(pipe_fork_child(down[0], up[1]));
	}
	close(down[0]);
	close(up[1]);
	for (uint64_t off = 0; off < 100u << 10; off += PF_SMALL)
		if (write(down[1], big + off % 65536, PF_SMALL) != (long)PF_SMALL)
			return 102;
	if (write(down[1], big, PF_LARGE) != (long)PF_LARGE)
		return 103; /* waited for the reader, in pieces, and finished */
	close(down[1]);
	for (uint64_t off = 0; off < 100u << 10; off += PF_SMALL)
		for (uint64_t i = 0; i < PF_SMALL; i++)
			want[0]++, want[1] += big[off % 65536 + i] * (want[0] % 7 + 1);
	for (uint64_t i = 0; i < PF_LARGE; i++)
		want[0]++, want[1] += big[i] * (want[0] % 7 + 1);
	if (read(up[0], got, sizeof(got)) != sizeof(got) || got[0] != want[0] || got[1] != want[1])
		return 104;
	return waitpid(pid, &status, 0) == pid && status == 0 ? 0 : 105;
}

/* One byte there and back between two processes, n times (make bench). */
static int
mode_pingpong(long n)
{
	int down[2], up[2], status;
	pid_t pid;
	char c = 'x';

	if (pipe(down) < 0 || pipe(up) < 0)
		return 110;
	if ((pid = fork()) < 0)
		return 111;
	if (pid == 0) {
		close(down[1]);
		close(up[0]);
		while (read(down[0], &c, 1) == 1)
			if (write(up[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	close(down[0]);
	close(up[1]);
	for (long i = 0; i < n; i++)
		if (write(down[1], &c, 1) != 1 || read(up[0], &c, 1) != 1)
			return 112;
	close(down[1]);
	if (waitpid(pid, &status, 0) != pid || status != 0)
		return 113;
	return 0;
}

/* The pattern of byte `pos` of blockwrite's file. */
static uint8_t
file_byte(uint64_t pos)
{
	return (uint8_t)(pos * 131 + (pos >> 12) * 7 + 1);
}

#define BW_FILE  (20u << 10) /* most of the 32 KiB file system the test made */
#define BW_CHUNK 4096u

static int
blockwrite_check(void)
{
	int fd = open("/mnt/data", O_RDONLY);

	if (fd < 0)
		return 95;
	for (uint64_t pos = 0; pos < BW_FILE; pos += BW_CHUNK) {
		if (read(fd, back, BW_CHUNK) != (long)BW_CHUNK)
			return 96;
		for (uint64_t i = 0; i < BW_CHUNK; i++)
			if (back[i] != file_byte(pos + i))
				return 97; /* a byte was lost or changed */
	}
	if (read(fd, back, 1) != 0)
		return 98;
	return close(fd) < 0 ? 99 : 0;
}

/*
 * The file system on /dev/ram2 (the test made it, kept, and told the
 * memory driver to crash a few requests on): write a file, sync it (the
 * blocks go to the disk: the driver dies under these writes), unmount,
 * mount again and read every byte back.
 */
static int
mode_blockwrite(void)
{
	int fd, r;

	if (mount("/dev/ram2", "/mnt", "minix", 0, NULL) < 0)
		return 90;
	if ((fd = open("/mnt/data", O_CREAT | O_TRUNC | O_WRONLY, 0644)) < 0)
		return 91;
	for (uint64_t pos = 0; pos < BW_FILE; pos += BW_CHUNK) {
		for (uint64_t i = 0; i < BW_CHUNK; i++)
			big[i] = file_byte(pos + i);
		if (write(fd, big, BW_CHUNK) != (long)BW_CHUNK)
			return 92;
	}
	if (fsync(fd) < 0 || close(fd) < 0 || umount("/mnt") < 0)
		return 93;
	if (mount("/dev/ram2", "/mnt", "minix", MS_RDONLY, NULL) < 0)
		return 94;
	r = blockwrite_check();
	if (umount("/mnt") < 0 && r == 0)
		return 89;
	return r;
}

/* ---- reader_exits: the other end's process goes away under a waiting call ---- */

static volatile int sigpipes;

static void
on_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

/* Wait (bounded) until the pipe read through fd holds n bytes: the writer filled it and waits. */
static int
await_bytes(int fd, int n)
{
	int have = 0;

	for (int i = 0; i < 20000; i++) {
		if (ioctl(fd, FIONREAD, &have) < 0)
			return -1;
		if (have >= n)
			return 0;
		usleep(1000);
	}
	return -1;
}

/* A reader that waits until the writer is blocked on a full pipe, then exits unread. */
static pid_t
reader_that_leaves(int rfd, int wfd)
{
	pid_t pid = fork();

	if (pid == 0) {
		close(wfd);
		_exit(await_bytes(rfd, PIPE_CAPACITY) < 0 ? 1 : 0);
	}
	return pid;
}

/* A writer of 2 pipes' worth, blocked after the first: its reader exits under it. */
static int
writer_blocked(int rfd, int wfd, int base)
{
	int status;
	pid_t pid = reader_that_leaves(rfd, wfd);
	long r;

	if (pid < 0)
		return base;
	close(rfd);
	pattern(big, sizeof(big), 5);
	sigpipes = 0;
	r = write(wfd, big, sizeof(big)); /* the first 64 KiB go in, then it waits */
	if (r != PIPE_CAPACITY)
		return base + 1;
	if (sigpipes != 1)
		return base + 2; /* SIGPIPE, even after some bytes went */
	if (write(wfd, "x", 1) != -1 || errno != EPIPE || sigpipes != 2)
		return base + 3;
	if (waitpid(pid, &status, 0) != pid || status != 0)
		return base + 4;
	close(wfd);
	return 0;
}

/* A reader blocked on an empty pipe: the last writer's exit is its end of file. */
static int
reader_blocked(int base)
{
	int fds[2], status;
	pid_t pid;
	char c;

	if (pipe(fds) < 0 || (pid = fork()) < 0)
		return base;
	if (pid == 0) {
		close(fds[0]);
		usleep(20000); /* the parent is in its read by now */
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], &c, 1) != 0)
		return base + 1;
	if (waitpid(pid, &status, 0) != pid || status != 0)
		return base + 2;
	close(fds[0]);
	return 0;
}

/* poll waiting on one end: the other end's process exits (POLLERR, POLLHUP). */
static int
poll_blocked(int base)
{
	int fds[2], status;
	pid_t pid;

	if (pipe2(fds, O_NONBLOCK) < 0 || fill(fds[1]) != PIPE_CAPACITY)
		return base;
	if ((pid = reader_that_leaves(fds[0], fds[1])) < 0)
		return base + 1;
	close(fds[0]);
	if (poll_one(fds[1], POLLOUT, 10000) != POLLERR)
		return base + 2;
	if (waitpid(pid, &status, 0) != pid || status != 0)
		return base + 3;
	close(fds[1]);
	if (pipe(fds) < 0 || (pid = fork()) < 0)
		return base + 4;
	if (pid == 0) {
		close(fds[0]);
		usleep(20000);
		_exit(0);
	}
	close(fds[1]);
	if (poll_one(fds[0], POLLIN, 10000) != POLLHUP)
		return base + 5;
	if (waitpid(pid, &status, 0) != pid || status != 0)
		return base + 6;
	close(fds[0]);
	return 0;
}

/* The same on a FIFO: both ends opened by name. */
static int
fifo_writer_blocked(int base)
{
	int rfd, wfd, r;

	unlink("/tmp/vfsdev.fifo");
	if (mkfifo("/tmp/vfsdev.fifo", 0600) < 0)
		return base;
	/* A non-blocking read-only open does not wait for a writer, and the writer then has a reader. */
	if ((rfd = open("/tmp/vfsdev.fifo", O_RDONLY | O_NONBLOCK)) < 0 ||
	    (wfd = open("/tmp/vfsdev.fifo", O_WRONLY)) < 0)
		return base + 1;
	if (fcntl(rfd, F_SETFL, 0) < 0)
		return base + 2;
	r = writer_blocked(rfd, wfd, base + 3);
	unlink("/tmp/vfsdev.fifo");
	return r;
}

/* The default action: the writer blocked when its reader left dies of SIGPIPE. */
static int
default_action(int base)
{
	int fds[2], status;
	pid_t pid;

	if (pipe(fds) < 0 || (pid = fork()) < 0)
		return base;
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		writer_blocked(fds[0], fds[1], 0);
		_exit(1); /* not reached: SIGPIPE ended it in its first write */
	}
	close(fds[0]);
	close(fds[1]);
	if (waitpid(pid, &status, 0) != pid)
		return base + 1;
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE ? 0 : base + 2;
}

static int
mode_reader_exits(void)
{
	int fds[2], r;

	signal(SIGPIPE, on_sigpipe);
	if (pipe(fds) < 0)
		return 119;
	if ((r = writer_blocked(fds[0], fds[1], 120)) != 0 || (r = reader_blocked(130)) != 0 ||
	    (r = poll_blocked(135)) != 0 || (r = fifo_writer_blocked(145)) != 0 ||
	    (r = default_action(155)) != 0)
		return r;
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(void);
	} modes[] = {
		{ "pipe", mode_pipe },
		{ "sigpipe", mode_sigpipe },
		{ "poll", mode_poll },
		{ "hello", mode_hello },
		{ "hello_drop", mode_hello_drop },
		{ "blockwrite", mode_blockwrite },
		{ "pipe_fork", mode_pipe_fork },
		{ "reader_exits", mode_reader_exits },
	};

	if (argc > 2 && strcmp(argv[1], "pingpong") == 0)
		return mode_pingpong(strtol(argv[2], NULL, 10));
	for (size_t i = 0; argc > 1 && i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcmp(argv[1], modes[i].name) == 0)
			return modes[i].fn();
	return 127;
}
