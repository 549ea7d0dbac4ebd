/*
 * /dev/service: RS as a character driver of one minor, so that a person
 * (root, through the `service` command, user/service) reaches RS through
 * VFS (docs/userland.md, section 3; the ioctls in ax/service.h).
 *
 * libchardriver checks and answers the character requests; RS's main loop
 * hands them here beside its own.  The authority is decided here, per
 * ioctl: a request that came from VFS carries the end user's effective uid
 * (struct cdev_user's euid, from the credentials PM gave VFS), and only
 * euid 0 may; a request from any other process is judged as RS's own
 * requests are (the admin right of its privileges), because anyone may
 * write any uid into a message.  Opening is not the authority (a root
 * process that opened the node and then dropped its ids is refused), so
 * the node is readable by all and the refusal is RS's EPERM.
 *
 * New binaries from the file system: the `service` program reads the file
 * and sends it in pieces (SVC_IOC_LOAD, each through the grant VFS makes
 * for the ioctl's argument) into one staging buffer, kept for that sender
 * (the end user VFS names) until its up or update with SVC_FROM_FILE takes
 * it; RS checks it is an ELF executable, and keeps it as the service's
 * program, as it keeps boot modules, so a restart needs no file system.
 */
#include "rs.h"
#include <chardriver.h>
#include <stdlib.h>
#include <ax/service.h>

AX_STATIC_ASSERT(SVC_LABEL_LEN == PROC_NAME_LEN, "svc labels are process names");
AX_STATIC_ASSERT(SVC_MAX >= NR_SERVICES, "svc_table holds RS's table");

/* RS's states as ax/service.h numbers them for programs. */
static const uint32_t svc_states[] = {
	[RP_DOWN] = SVC_DOWN,       [RP_STARTING] = SVC_STARTING, [RP_RUNNING] = SVC_RUNNING,
	[RP_BACKOFF] = SVC_BACKOFF, [RP_UPDATING] = SVC_UPDATING,
};

/* Is e VFS, the one client whose euid RS believes? */
static bool
from_vfs(endpoint_t e)
{
	const struct rproc *rp = rs_by_endpoint(e);

	return rp && strcmp(rp->label, "vfs") == 0 && rp->state == RP_RUNNING;
}

static int
may_administer(endpoint_t src, const struct cdev_user *user)
{
	if (from_vfs(src))
		return user->euid == 0 ? 0 : -EPERM;
	return rs_check_admin(src); /* a system process: as RS's own requests */
}

static int
svc_open(devminor_t minor, int access, const struct cdev_user *user)
{
	(void)access;
	(void)user;
	return minor == 0 ? 0 : -ENXIO;
}

/* The table as `service status` shows it. */
static int
svc_status(endpoint_t src, grant_id_t grant)
{
	static struct svc_table t;

	memset(&t, 0, sizeof(t));
	for (int i = 0; i < NR_SERVICES; i++) {
		const struct rproc *rp = &rproc[i];
		struct svc_status *s = &t.s[t.count];

		if (rp->state == RP_FREE)
			continue;
		memcpy(s->label, rp->label, sizeof(s->label));
		s->endpt = rp->state == RP_RUNNING || rp->state == RP_UPDATING ? rp->endpt : -1;
		s->restarts = rp->restarts;
		s->state = svc_states[rp->state];
		t.count++;
	}
	return sys_safecopyto(src, grant, 0, &t, sizeof(t));
}

/* The program being sent (SVC_IOC_LOAD), and who sends it. */
static struct {
	endpoint_t owner;
	uint8_t *bytes;
	uint32_t total, filled;
} stage = { NONE, NULL, 0, 0 };

static void
stage_drop(void)
{
	free(stage.bytes);
	stage.owner = NONE;
	stage.bytes = NULL;
	stage.total = stage.filled = 0;
}

/* One piece of a program; offset 0 starts a new one. */
static int
svc_load(endpoint_t src, grant_id_t grant, const struct cdev_user *user)
{
	static struct svc_load piece;
	int r;

	if ((r = sys_safecopyfrom(src, grant, 0, &piece, sizeof(piece))) < 0)
		return r;
	if (piece.offset == 0) {
		if (piece.total > SVC_IMAGE_MAX)
			return -EFBIG;
		if (piece.total == 0)
			return -ENOEXEC; /* an empty file is no program */
		stage_drop();
		if (!(stage.bytes = malloc(piece.total)))
			return -ENOMEM;
		stage.owner = user->endpt;
		stage.total = piece.total;
	} else if (stage.owner != user->endpt) {
		return -EBUSY; /* someone else started sending one since */
	}
	if (piece.total != stage.total || piece.offset != stage.filled || piece.len == 0 ||
	    piece.len > SVC_CHUNK || piece.len > stage.total - stage.filled)
		return -EINVAL;
	memcpy(stage.bytes + stage.filled, piece.data, piece.len);
	stage.filled += piece.len;
	return 0;
}

/* The whole program user sent, if it is an ELF executable: now the caller's to keep or free. */
static int
stage_take(const struct cdev_user *user, uint8_t **bytes, size_t *size)
{
	if (!stage.bytes || stage.owner != user->endpt || stage.filled != stage.total)
		return -ENOENT; /* nothing (whole) was sent */
	if (stage.total < 4 || memcmp(stage.bytes, "\177ELF", 4) != 0) {
		stage_drop();
		return -ENOEXEC;
	}
	*bytes = stage.bytes;
	*size = stage.total;
	stage.bytes = NULL;
	stage_drop();
	return 0;
}

/* A label a person may give a new service: 1 to 15 of [A-Za-z0-9_-]. */
static bool
label_ok(const char *label)
{
	size_t n = strnlen(label, SVC_LABEL_LEN);

	if (n == 0 || n >= SVC_LABEL_LEN)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = label[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return false;
	}
	return true;
}

/*
 * up with SVC_FROM_FILE: a configured service that is down starts with the
 * program sent (which replaces its own); an unknown label becomes a new
 * service (config.c: FILE_SERVICE_LINE), left out again if it cannot start.
 */
static int
svc_up_file(struct svc_request *q, const struct cdev_user *user)
{
	struct rproc *rp = rs_by_label_n(q->label, sizeof(q->label));
	bool made = false;
	uint8_t *image;
	size_t size;
	int r;

	if (!label_ok(q->label))
		return -EINVAL;
	if (rp && rp->state != RP_DOWN)
		return -EBUSY;
	if ((r = stage_take(user, &image, &size)) < 0)
		return r;
	if (!rp && (r = rs_config_new(q->label, &rp)) < 0) {
		free(image);
		return r;
	}
	made = rp->image == NULL;
	rs_set_image(rp, image, size, q->program[0] ? q->program : q->label);
	if ((r = rs_start(rp)) < 0 && made) {
		rs_set_image(rp, NULL, 0, ""); /* frees it */
		rp->state = RP_FREE;
	}
	return r;
}

static int
svc_update(struct rproc *rp, const struct svc_request *q, endpoint_t src, cdev_id_t id,
	   const struct cdev_user *user)
{
	struct msg_rs_update u;
	uint8_t *image;
	size_t size;
	int r;

	memset(&u, 0, sizeof(u));
	memcpy(u.label, q->label, sizeof(u.label));
	memcpy(u.program, q->program, sizeof(u.program));
	u.state = q->state;
	u.maxtime = q->maxtime;
	if (!(q->flags & SVC_FROM_FILE)) {
		r = rs_update_start(rp, &u, src);
	} else if ((r = stage_take(user, &image, &size)) == 0 &&
		   (r = rs_update_image(rp, &u, image, size, src)) != EDONTREPLY) {
		free(image);
	}
	if (r != EDONTREPLY)
		return r;
	rp->lu.by_cdev = true; /* finish() answers with CDEV_REPLY */
	rp->lu.cdev_id = id;
	return -EDONTREPLY;
}

/*
 * `service fi <label>`: a fault injected, as MINIX's service command has
 * it; here the fault is a SIGSEGV from RS, which reaches RS as the
 * service's signal manager as a bad pointer's would, and the service is
 * recovered as from any crash (a restart, in place for a stateful one,
 * counted, with backoff).  Only a running service: else EBUSY.
 */
static int
svc_fault(struct rproc *rp)
{
	if (rp->state != RP_RUNNING || rp->endpt == NONE)
		return -EBUSY;
	printf("rs: fault injected into %s by service fi\n", rp->label);
	return sys_kill(rp->endpt, SIGSEGV);
}

static int
svc_do_ioctl(devminor_t minor, unsigned long request, endpoint_t src, grant_id_t grant, int flags,
	     const struct cdev_user *user, cdev_id_t id)
{
	struct svc_request q;
	struct rproc *rp;
	int r;

	(void)minor;
	(void)flags;
	if ((r = may_administer(src, user)) < 0)
		return r;
	if (request == SVC_IOC_STATUS)
		return svc_status(src, grant);
	if (request == SVC_IOC_LOAD)
		return svc_load(src, grant, user);
	switch (request) {
	case SVC_IOC_UP:
	case SVC_IOC_DOWN:
	case SVC_IOC_RESTART:
	case SVC_IOC_REFRESH:
	case SVC_IOC_CLONE:
	case SVC_IOC_FI:
	case SVC_IOC_UPDATE:
		break;
	default:
		return -ENOTTY;
	}
	if ((r = sys_safecopyfrom(src, grant, 0, &q, sizeof(q))) < 0)
		return r;
	q.program[sizeof(q.program) - 1] = '\0';
	q.label[sizeof(q.label) - 1] = '\0';
	if (request == SVC_IOC_UP && (q.flags & SVC_FROM_FILE))
		return svc_up_file(&q, user);
	if (!(rp = rs_by_label_n(q.label, sizeof(q.label))))
		return -ENOENT;
	switch (request) {
	case SVC_IOC_UP:
		return rs_up(rp);
	case SVC_IOC_DOWN:
		return rs_stop(rp, 0, false, SIGTERM);
	case SVC_IOC_RESTART:
		return rs_stop(rp, RPF_REFRESH, true, SIGKILL);
	case SVC_IOC_REFRESH:
		return rs_stop(rp, RPF_REFRESH, false, SIGTERM);
	case SVC_IOC_CLONE:
		return rs_clone(rp);
	case SVC_IOC_FI:
		return svc_fault(rp);
	}
	return svc_update(rp, &q, src, id, user);
}

/* An update cannot be called off half-way: its reply comes when it is over. */
static int
svc_cancel(devminor_t minor, endpoint_t endpt, cdev_id_t id)
{
	(void)minor;
	(void)endpt;
	(void)id;
	return -EDONTREPLY;
}

/*
 * An answer leaves only once RS's records say what it answers: a client
 * may kill RS the moment it has it (recover.c).
 */
static int
svc_ioctl(devminor_t minor, unsigned long request, endpoint_t src, grant_id_t grant, int flags,
	  const struct cdev_user *user, cdev_id_t id)
{
	int r = svc_do_ioctl(minor, request, src, grant, flags, user, id);

	rs_records_flush();
	return r;
}

static const struct chardriver svc_driver = {
	.cdr_open = svc_open,
	.cdr_ioctl = svc_ioctl,
	.cdr_cancel = svc_cancel,
};

void
rs_cdev(message *m, uint64_t status)
{
	chardriver_process(&svc_driver, m, status);
}

/* The late answer of an update asked for through /dev/service. */
void
rs_cdev_reply(endpoint_t client, cdev_id_t id, int result)
{
	chardriver_reply_task(client, id, result);
}

/* VFS finds /dev/service's driver by the label "rs" in DS (its dmap). */
void
rs_cdev_publish(void)
{
	ds_publish_label("rs", self_endpoint, DSF_OVERWRITE);
}
