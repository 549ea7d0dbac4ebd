/*
 * applets: the runner of shell.applets (docs/userland.md), a static musl
 * program that runs the same way on Axolotl (started by the guest test
 * tests/guest/test_applets.c through PM) and on the Linux twin (chrooted
 * into the same root image by the twin's /init, tools/linux_initramfs.sh).
 *
 * It runs `busybox sh /usr/share/applets/applets.sh` (tests/session/) in a
 * fresh /tmp/applets with a fixed environment, umask and stdin
 * (/dev/null), its stdout and stderr on the file /tmp/applets.out, waits
 * for it, and then sends that file's bytes to its own stdout (the
 * console) as lines
 *
 *     AXAPPLETS-DATA <base64 of up to 57 bytes>
 *     AXAPPLETS-END <size> <wait status, hex>
 *
 * which tools/applets.py decodes on the host, on both systems alike.  The
 * transfer is this program's, not busybox's: a broken applet shows up in
 * the output, never in how it travels.  Exit status 0 when the script ran
 * and its output was sent (whatever the script printed), 1 otherwise,
 * with the reason on stderr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define SCRIPT     "/usr/share/applets/applets.sh"
#define WORKDIR    "/tmp/applets"
#define OUTPUT     "/tmp/applets.out"
#define LINE_BYTES 57 /* 76 characters of base64 */

static char *const script_argv[] = { "sh", SCRIPT, NULL };
static char *const script_envp[] = { "PATH=/bin", "TZ=UTC", "LC_ALL=C", "HOME=/", NULL };

static int
fail(const char *what)
{
	fprintf(stderr, "applets: %s: %s\n", what, strerror(errno));
	return 1;
}

/*
 * The child: in the work directory (only the child: the script removes
 * it at its end), stdin /dev/null, stdout and stderr the output file,
 * then the script.
 */
static void
run_script(int out)
{
	int in = open("/dev/null", O_RDONLY);

	if (chdir(WORKDIR) < 0 || in < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
		_exit(126);
	close(in);
	close(out);
	execve("/bin/busybox", script_argv, script_envp);
	_exit(127);
}

static void
base64(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = in[i] << 16 | (i + 1 < n ? in[i + 1] << 8 : 0) |
			     (i + 2 < n ? in[i + 2] : 0);

		*out++ = digits[v >> 18 & 63];
		*out++ = digits[v >> 12 & 63];
		*out++ = i + 1 < n ? digits[v >> 6 & 63] : '=';
		*out++ = i + 2 < n ? digits[v & 63] : '=';
	}
	*out = '\0';
}

/* Write all of buf to fd (the console may take it in pieces). */
static int
write_all(int fd, const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Send the output file as AXAPPLETS lines; 0, or -1 with errno. */
static int
send_output(int status)
{
	unsigned char data[LINE_BYTES];
	char line[32 + 4 * LINE_BYTES / 3];
	long size = 0;
	ssize_t n;
	int fd = open(OUTPUT, O_RDONLY);

	if (fd < 0)
		return -1;
	for (;;) {
		size_t got = 0;

		/* Whole lines of LINE_BYTES: the same lines on both systems. */
		while (got < LINE_BYTES && (n = read(fd, data + got, LINE_BYTES - got)) > 0)
			got += (size_t)n;
		if (n < 0 || got == 0)
			break;
		strcpy(line, "AXAPPLETS-DATA ");
		base64(data, got, line + strlen(line));
		strcat(line, "\n");
		if (write_all(1, line, strlen(line)) < 0)
			return -1;
		size += (long)got;
	}
	close(fd);
	if (n < 0)
		return -1;
	snprintf(line, sizeof(line), "AXAPPLETS-END %ld %x\n", size, status);
	return write_all(1, line, strlen(line));
}

int
main(void)
{
	bool mounted = false;
	int out, status;
	pid_t pid;

	umask(022);
	/* ps, top and free read /proc, which an init mounts (in Axolotl's test
	 * mode nobody has; on the Linux twin its /init has). */
	if (access("/proc/self/stat", R_OK) < 0) {
		if (mount("proc", "/proc", "proc", 0, NULL) < 0)
			return fail("mount /proc");
		mounted = true;
	}
	if (mkdir(WORKDIR, 0755) < 0 && errno != EEXIST)
		return fail("mkdir " WORKDIR);
	if ((out = open(OUTPUT, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
		return fail("open " OUTPUT);
	if ((pid = fork()) < 0)
		return fail("fork");
	if (pid == 0)
		run_script(out);
	close(out);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return fail("waitpid");
	if (mounted && umount2("/proc", 0) < 0)
		return fail("umount /proc");
	if (send_output(status) < 0)
		return fail("sending " OUTPUT);
	return 0;
}
