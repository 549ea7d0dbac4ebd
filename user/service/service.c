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
 *   service update <label> [-program module] [-state n] [-maxtime ticks]
 *                                live update to a boot module (default: the
 *                                label's own program is not known here, so
 *                                -program is required)
 *
 * Each request is one ioctl on /dev/service (ax/service.h); RS decides
 * (EPERM unless the effective uid is 0).  Not yet: `service up /path`
 * (a new binary from the file system): RS starts boot modules only.
 * The exit status is 0, or the errno of the refusal (EPERM 1, ENOENT 2...).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <ax/service.h>

static const char *const states[] = {
	"free", "down", "starting", "running", "backoff", "updating"
};

static int
usage(void)
{
	fprintf(stderr,
		"usage: service status [label] | up|down|restart|refresh|clone <label>\n"
		"       service update <label> -program <module> [-state n] [-maxtime ticks]\n");
	return 22; /* EINVAL */
}

/* One ioctl on /dev/service: 0 or errno (said on stderr). */
static int
ask(const char *what, unsigned long code, void *arg)
{
	int fd = open("/dev/service", O_RDONLY);
	long r;

	if (fd < 0) {
		fprintf(stderr, "service: /dev/service: %s\n", strerror(errno));
		return errno;
	}
	/* syscall, not ioctl(3): <sys/ioctl.h> would redefine ax/ioctl.h's macros */
	r = syscall(SYS_ioctl, fd, code, arg);
	close(fd);
	if (r < 0) {
		fprintf(stderr, "service: %s: %s\n", what, strerror(errno));
		return errno;
	}
	return 0;
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
		{ "clone", SVC_IOC_CLONE },
	};
	struct svc_request q;

	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "status") == 0)
		return argc > 3 ? usage() : status(argc == 3 ? argv[2] : NULL);
	if (argc < 3 || strlen(argv[2]) >= SVC_LABEL_LEN)
		return usage();
	memset(&q, 0, sizeof(q));
	strcpy(q.label, argv[2]);
	if (argv[2][0] == '/') {
		fprintf(stderr,
			"service: starting a binary from the file system is not built yet\n");
		return 38; /* ENOSYS */
	}
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
		if (strcmp(argv[i], "-program") == 0 && strlen(argv[i + 1]) < SVC_LABEL_LEN)
			strcpy(q.program, argv[i + 1]);
		else if (strcmp(argv[i], "-state") == 0)
			q.state = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "-maxtime") == 0)
			q.maxtime = (unsigned)atoi(argv[i + 1]);
		else
			return usage();
	}
	if (!q.program[0])
		return usage();
	return ask("update", SVC_IOC_UPDATE, &q);
}
