/*
 * service: what an administrator asks of RS (docs/userland.md, section 3),
 * as MINIX's service command has it:
 *
 *   service status [label]       one line per service: label, endpoint,
 *                                pid (-: services have none), restarts, state;
 *                                with a label, that line only (exit 1: none)
 *   service up <label>           start a configured service that is down
 *   service down <label>         stop it (no restart)
 *   service restart <label>      kill it and start it again
 *   service refresh <label>      stop it cleanly and start it again
 *   service clone <label>        keep a standing clone for its restarts
 *   service fi <label>           inject a fault: it crashes (a SIGSEGV), and
 *                                RS recovers it as from any crash
 *   service up /path [-label label]
 *                                start a new binary from the file system as
 *                                label (default: the file's name); a label
 *                                system.conf does not name gets a plain
 *                                driver's configuration (servers/rs/config.c)
 *   service update <label> -program module|/path [-state n] [-maxtime ticks]
 *                                live update to a boot module, or to a binary
 *                                from the file system (a path: it has a '/')
 *
 * Each request is one ioctl on /dev/service (ax/service.h); RS decides
 * (EPERM unless the effective uid is 0).  A binary from the file system is
 * read here and sent to RS in pieces (SVC_IOC_LOAD), then named by the up
 * or update (SVC_FROM_FILE); RS keeps its copy for restarts.  The exit
 * status is 0, or the errno of the refusal (EPERM 1, ENOENT 2...).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <ax/service.h>

static const char *const states[] = {
	"free", "down", "starting", "running", "backoff", "updating"
};

static int
usage(void)
{
	fprintf(stderr, "usage: service status [label] | up|down|restart|refresh|clone|fi <label>\n"
			"       service up /path [-label label]\n"
			"       service update <label> -program <module>|/path [-state n] "
			"[-maxtime ticks]\n");
	return 22; /* EINVAL */
}

static int
open_service(void)
{
	int fd = open("/dev/service", O_RDONLY);

	if (fd < 0)
		fprintf(stderr, "service: /dev/service: %s\n", strerror(errno));
	return fd;
}

/* One ioctl on fd: 0 or errno (said on stderr). */
static int
ask_fd(int fd, const char *what, unsigned long code, void *arg)
{
	/* syscall, not ioctl(3): <sys/ioctl.h> would redefine ax/ioctl.h's macros */
	long r = syscall(SYS_ioctl, fd, code, arg);

	if (r < 0) {
		int e = errno;

		fprintf(stderr, "service: %s: %s\n", what,
			e == ENOEXEC ? "not an ELF executable" : strerror(e));
		return e;
	}
	return 0;
}

/* One ioctl on /dev/service: 0 or errno (said on stderr). */
static int
ask(const char *what, unsigned long code, void *arg)
{
	int fd = open_service(), r;

	if (fd < 0)
		return errno;
	r = ask_fd(fd, what, code, arg);
	close(fd);
	return r;
}

/* The whole of file `path` in a new buffer (*size bytes): 0 or errno (said). */
static int
read_program(const char *path, unsigned char **bytes, size_t *size)
{
	struct stat st;
	size_t got = 0;
	int fd = open(path, O_RDONLY), e;

	if (fd < 0 || fstat(fd, &st) < 0)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		fprintf(stderr, "service: %s: not a regular file\n", path);
		return EACCES;
	}
	if (st.st_size > SVC_IMAGE_MAX) {
		close(fd);
		fprintf(stderr, "service: %s: too large for a service (%lld bytes, at most %d)\n",
			path, (long long)st.st_size, SVC_IMAGE_MAX);
		return EFBIG;
	}
	if (!(*bytes = malloc(st.st_size ? (size_t)st.st_size : 1))) {
		close(fd);
		fprintf(stderr, "service: %s: no memory to read it\n", path);
		return ENOMEM;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, *bytes + got, (size_t)st.st_size - got);

		if (n <= 0) {
			free(*bytes);
			if (n == 0)
				errno = EIO; /* shorter than it said */
			goto fail;
		}
		got += (size_t)n;
	}
	close(fd);
	*size = got;
	return 0;
fail:
	e = errno;
	if (fd >= 0)
		close(fd);
	fprintf(stderr, "service: %s: %s\n", path, strerror(e));
	return e;
}

/*
 * The program at `path` to RS (SVC_IOC_LOAD, piece by piece), then the
 * request q with SVC_FROM_FILE, on one descriptor: 0 or errno (said).
 */
static int
ask_with_file(const char *what, unsigned long code, struct svc_request *q, const char *path)
{
	static struct svc_load piece;
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	unsigned char *bytes = NULL;
	size_t size = 0;
	int fd, r;

	if ((r = read_program(path, &bytes, &size)) != 0)
		return r;
	if ((fd = open_service()) < 0) {
		free(bytes);
		return errno;
	}
	memset(&piece, 0, sizeof(piece));
	piece.total = (uint32_t)size;
	do {
		piece.len = size - piece.offset < SVC_CHUNK ? (uint32_t)(size - piece.offset)
							    : SVC_CHUNK;
		memcpy(piece.data, bytes + piece.offset, piece.len);
		if ((r = ask_fd(fd, path, SVC_IOC_LOAD, &piece)) != 0)
			break;
		piece.offset += piece.len;
	} while (piece.offset < size);
	free(bytes);
	if (r == 0) {
		q->flags |= SVC_FROM_FILE;
		strncpy(q->program, base, SVC_LABEL_LEN - 1);
		r = ask_fd(fd, what, code, q);
	}
	close(fd);
	return r;
}

/* service up /path [-label label] */
static int
up_file(int argc, char **argv)
{
	const char *path = argv[2], *base = strrchr(path, '/') + 1, *label = base;
	struct svc_request q;

	if (argc == 5 && strcmp(argv[3], "-label") == 0)
		label = argv[4];
	else if (argc != 3)
		return usage();
	if (strlen(label) == 0 || strlen(label) >= SVC_LABEL_LEN ||
	    strspn(label, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
		    strlen(label)) {
		fprintf(stderr, "service: label '%s': 1 to %d of A-Z a-z 0-9 _ -\n", label,
			SVC_LABEL_LEN - 1);
		return 22; /* EINVAL (RS checks the same) */
	}
	memset(&q, 0, sizeof(q));
	strcpy(q.label, label);
	return ask_with_file("up", SVC_IOC_UP, &q, path);
}

static int
status(const char *only)
{
	static struct svc_table t;
	int r, found = 0;

	if ((r = ask("status", SVC_IOC_STATUS, &t)) != 0)
		return r;
	if (!only)
		printf("%-16s %8s %5s %8s %s\n", "label", "endpoint", "pid", "restarts", "state");
	for (unsigned i = 0; i < t.count && i < SVC_MAX; i++) {
		const struct svc_status *s = &t.s[i];
		char ep[16];

		if (only && strncmp(only, s->label, SVC_LABEL_LEN) != 0)
			continue;
		found++;
		if (s->endpt == -1)
			strcpy(ep, "-");
		else
			snprintf(ep, sizeof(ep), "%d", s->endpt);
		printf("%-16.16s %8s %5s %8u %s\n", s->label, ep, "-", s->restarts,
		       s->state < sizeof(states) / sizeof(states[0]) ? states[s->state] : "?");
	}
	return only && !found ? 1 : 0;
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		unsigned long code;
	} simple[] = {
		{ "up", SVC_IOC_UP },           { "down", SVC_IOC_DOWN },
		{ "restart", SVC_IOC_RESTART }, { "refresh", SVC_IOC_REFRESH },
		{ "clone", SVC_IOC_CLONE },     { "fi", SVC_IOC_FI },
	};
	struct svc_request q;
	const char *path = NULL;

	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "status") == 0)
		return argc > 3 ? usage() : status(argc == 3 ? argv[2] : NULL);
	if (argc >= 3 && strcmp(argv[1], "up") == 0 && strchr(argv[2], '/'))
		return up_file(argc, argv);
	if (argc < 3 || strlen(argv[2]) >= SVC_LABEL_LEN)
		return usage();
	memset(&q, 0, sizeof(q));
	strcpy(q.label, argv[2]);
	for (size_t i = 0; i < sizeof(simple) / sizeof(simple[0]); i++)
		if (strcmp(argv[1], simple[i].name) == 0)
			return argc == 3 ? ask(argv[1], simple[i].code, &q) : usage();
	if (strcmp(argv[1], "update") != 0)
		return usage();
	q.state = 1; /* SEF_LU_STATE_WORK_FREE */
	q.maxtime = 100;
	for (int i = 3; i < argc; i += 2) {
		if (i + 1 >= argc)
			return usage();
		if (strcmp(argv[i], "-program") == 0 && strchr(argv[i + 1], '/'))
			path = argv[i + 1];
		else if (strcmp(argv[i], "-program") == 0 && strlen(argv[i + 1]) < SVC_LABEL_LEN)
			strcpy(q.program, argv[i + 1]);
		else if (strcmp(argv[i], "-state") == 0)
			q.state = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "-maxtime") == 0)
			q.maxtime = (unsigned)atoi(argv[i + 1]);
		else
			return usage();
	}
	if (path)
		return ask_with_file("update", SVC_IOC_UPDATE, &q, path);
	if (!q.program[0])
		return usage();
	return ask("update", SVC_IOC_UPDATE, &q);
}
