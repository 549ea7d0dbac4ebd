/*
 * procfstest: the user side of vfs.procfs (tests/guest/test_vfs_procfs.c),
 * a static musl program PM starts.  Through VFS it mounts procfs on /proc
 * (mount -t proc), reads what busybox's ps, top and kill read there
 * (/proc/self, /proc/<pid>/stat, cmdline, status, stat("/proc/<pid>"), the
 * listing of /proc by getdents64, /proc/uptime, /proc/mounts, the state
 * letters of sleeping, stopped and running processes), checks the write side is refused, and
 * unmounts.  It exits 0, or the line of the first check that failed (mod
 * 256, never 0) after printing it on stderr.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "procfstest:%d: %s (errno %d)\n", __LINE__, #cond, errno); \
			exit(__LINE__ % 256 ? __LINE__ % 256 : 1);                                 \
		}                                                                                  \
	} while (0)

/* The state letter of /proc/<pid>/stat (after the name's parenthesis), or '?'. */
static char
state_of(pid_t pid)
{
	char path[64], line[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if ((fd = open(path, O_RDONLY)) < 0)
		return '?';
	n = read(fd, line, sizeof(line) - 1);
	close(fd);
	if (n <= 0)
		return '?';
	line[n] = '\0';
	p = strrchr(line, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

/*
 * ps's states: a child sleeping in nanosleep (PM holds the call) and one
 * reading an empty pipe (VFS holds it) are S, a stopped one T, a spinning
 * one R; the reader itself, whose call procfs is serving, R.
 */
static void
states(void)
{
	int fds[2];
	pid_t sleeper, reader, spinner;
	char c;

	CHECK(pipe(fds) == 0);
	/* Each ends by itself within 5 s, should a check below fail. */
	if ((sleeper = fork()) == 0) {
		sleep(5);
		_exit(0);
	}
	if ((reader = fork()) == 0) {
		alarm(5);
		read(fds[0], &c, 1);
		_exit(0);
	}
	if ((spinner = fork()) == 0)
		for (time_t end = time(NULL) + 5; time(NULL) < end;)
			;
	usleep(200000); /* until each is where it waits */
	CHECK(state_of(getpid()) == 'R');
	CHECK(state_of(sleeper) == 'S');
	CHECK(state_of(reader) == 'S');
	CHECK(state_of(spinner) == 'R');
	CHECK(kill(sleeper, SIGSTOP) == 0);
	usleep(100000);
	CHECK(state_of(sleeper) == 'T');
	kill(sleeper, SIGKILL);
	kill(reader, SIGKILL);
	kill(spinner, SIGKILL);
	for (int i = 0; i < 3; i++)
		CHECK(wait(NULL) > 0);
	close(fds[0]);
	close(fds[1]);
}

/* The whole of a /proc file into buf (NUL-terminated): its length, or -1. */
static ssize_t
slurp(const char *path, char *buf, size_t size)
{
	ssize_t n, total = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf + total, size - 1 - (size_t)total)) > 0)
		total += n;
	close(fd);
	if (n < 0)
		return -1;
	buf[total] = '\0';
	return total;
}

int
main(void)
{
	static char buf[4096], want[64], path[64];
	pid_t pid = getpid();
	struct stat st;
	bool seen_pid = false, seen_self = false;
	ssize_t n;
	int fd;

	CHECK(mount("proc", "/proc", "proc", 0, NULL) == 0);
	CHECK(mount("proc", "/proc", "proc", 0, NULL) < 0 && errno == EBUSY);

	/* /proc/self is this process. */
	n = readlink("/proc/self", buf, sizeof(buf));
	snprintf(want, sizeof(want), "%d", pid);
	CHECK(n == (ssize_t)strlen(want) && memcmp(buf, want, (size_t)n) == 0);
	CHECK(slurp("/proc/self/stat", buf, sizeof(buf)) > 0);
	snprintf(want, sizeof(want), "%d (procfstest) R %d ", pid, getppid());
	CHECK(strncmp(buf, want, strlen(want)) == 0);

	/* /proc/<pid>: a directory of ours; cmdline, status. */
	snprintf(path, sizeof(path), "/proc/%d", pid);
	CHECK(stat(path, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == geteuid());
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	CHECK(slurp(path, buf, sizeof(buf)) == 11 && memcmp(buf, "procfstest", 11) == 0);
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	CHECK(slurp(path, buf, sizeof(buf)) > 0 && strstr(buf, "Name:\tprocfstest\n"));

	/* The listing: our pid and self among the entries (getdents64 itself: no heap yet). */
	snprintf(want, sizeof(want), "%d", pid);
	CHECK((fd = open("/proc", O_RDONLY | O_DIRECTORY)) >= 0);
	while ((n = syscall(SYS_getdents64, fd, buf, 200)) > 0) {
		for (ssize_t off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);

			seen_pid |= strcmp(d->d_name, want) == 0 && d->d_type == DT_DIR;
			seen_self |= strcmp(d->d_name, "self") == 0 && d->d_type == DT_LNK;
			off += d->d_reclen;
		}
	}
	CHECK(n == 0);
	close(fd);
	CHECK(seen_pid && seen_self);

	/* uptime reads; nothing can be written or made. */
	CHECK(slurp("/proc/uptime", buf, sizeof(buf)) > 0 && strchr(buf, '.'));
	/* VFS's mount table, as df and mount read it: the root and this mount. */
	CHECK(slurp("/proc/mounts", buf, sizeof(buf)) > 0 &&
	      strncmp(buf, "/dev/rootfs / minix rw 0 0\n", 27) == 0 &&
	      strstr(buf, "\nproc /proc proc rw,"));
	CHECK(open("/proc/uptime", O_WRONLY) < 0 && errno == EROFS);
	CHECK(mkdir("/proc/x", 0755) < 0 && errno == EROFS);
	CHECK(open("/proc/nosuch", O_RDONLY) < 0 && errno == ENOENT);
	states();

	CHECK(umount("/proc") == 0);
	CHECK(stat("/proc/self", &st) < 0 && errno == ENOENT); /* the empty directory again */
	return 0;
}
