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
 */
#include "rs.h"
#include <chardriver.h>
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

static int
svc_update(struct rproc *rp, const struct svc_request *q, endpoint_t src, cdev_id_t id)
{
	struct msg_rs_update u;
	int r;

	memset(&u, 0, sizeof(u));
	memcpy(u.label, q->label, sizeof(u.label));
	memcpy(u.program, q->program, sizeof(u.program));
	u.state = q->state;
	u.maxtime = q->maxtime;
	if ((r = rs_update_start(rp, &u, src)) != EDONTREPLY)
		return r;
	rp->lu.by_cdev = true; /* finish() answers with CDEV_REPLY */
	rp->lu.cdev_id = id;
	return -EDONTREPLY;
}

static int
svc_ioctl(devminor_t minor, unsigned long request, endpoint_t src, grant_id_t grant, int flags,
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
	switch (request) {
	case SVC_IOC_UP:
	case SVC_IOC_DOWN:
	case SVC_IOC_RESTART:
	case SVC_IOC_REFRESH:
	case SVC_IOC_CLONE:
	case SVC_IOC_UPDATE:
		break;
	default:
		return -ENOTTY;
	}
	if ((r = sys_safecopyfrom(src, grant, 0, &q, sizeof(q))) < 0)
		return r;
	q.program[sizeof(q.program) - 1] = '\0';
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
	}
	return svc_update(rp, &q, src, id);
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
