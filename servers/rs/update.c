/*
 * Live update (include/ax/rs.h has the protocol): replace a running
 * service by a new version, keeping its endpoint and everything queued on
 * it, or roll back so that the old version goes on as if nothing happened.
 *
 *   rs_update_start       RS_UPDATE: start the new version beside the old
 *                         one, held (not running), and ask the old one to
 *                         prepare
 *   rs_update_ready       the old one is prepared and blocked in its
 *                         RS_LU_READY: swap the two, let the new one run
 *   rs_update_init_done   the new one's init result: commit (0: answer it)
 *                         or roll back (EDONTREPLY: it is ended instead)
 *   rs_update_died        either one died during the update: roll back
 *   rs_update_tick        the prepare deadline: give up
 *
 * Rolling back is swapping again (sys_update with UPDATE_ROLLBACK), ending
 * the new version, and answering the old one's RS_LU_READY so it goes on.
 * An update that commits makes its program (a boot module's copy, or one
 * from a file) the service's from then on: restarts and clones start it.
 */
#include "rs.h"
#include <stdlib.h>

static void
finish(struct rproc *rp, int result)
{
	message m;

	if (rp->lu.image && result == 0)
		rs_set_image(rp, rp->lu.image, rp->lu.image_size, rp->lu.program);
	else if (rp->lu.module && result == 0)
		rs_set_module(rp, rp->lu.module, rp->lu.image_size, rp->lu.program);
	else
		free(rp->lu.image);
	rp->lu.image = NULL;
	rp->lu.module = NULL;
	rp->state = RP_RUNNING;
	if (result == 0 && rp->clone != NONE) {
		rs_drop_clone(rp); /* an instance of the program before: made again */
		rs_make_clone(rp);
	}
	rp->init_type = SEF_INIT_FRESH;
	rp->init_flags = 0;
	rp->next_ping = rs_now + rp->period;
	rp->ping_pending = false;
	/* The answer leaves once the records say it: a client may kill RS then (recover.c). */
	rs_records_flush();
	memset(&m, 0, sizeof(m));
	m.m_type = result;
	m.m_rs_reply.endpt = rp->endpt;
	m.m_rs_reply.restarts = rp->restarts;
	if (rp->lu.by_cdev)
		rs_cdev_reply(rp->lu.client, rp->lu.cdev_id, result); /* VFS, for /dev/service */
	else
		asynsend(rp->lu.client, &m); /* whatever the requester is doing now */
	static uint32_t updates;

	if (rs_report(++updates))
		printf("rs: update of %s %s (%d)\n", rp->label,
		       result == 0 ? "done" : "rolled back", result);
}

/* Undo whatever the update did so far; the old version goes on. */
static void
roll_back(struct rproc *rp, int why)
{
	message m;

	if (rp->lu.swapped && rs_update_swap(rp->endpt, rp->lu.new_ep, UPDATE_ROLLBACK) < 0)
		panic("cannot roll back the update of %s", rp->label);
	sys_kill(rp->lu.new_ep, SIGKILL); /* reaped as a stranger */
	if (rp->lu.swapped) {
		memset(&m, 0, sizeof(m));
		m.m_type = why;
		ipc_sendnb(rp->endpt, &m); /* the old one's RS_LU_READY returns */
	} else {
		memset(&m, 0, sizeof(m));
		m.m_type = RS_LU_PREPARE;
		m.m_rs_lu.state = SEF_LU_STATE_NULL;
		asynsend(rp->endpt, &m); /* cancel the prepare request */
	}
	finish(rp, why);
}

/* Delivered when the service next receives, however busy it is now. */
static void
send_prepare(struct rproc *rp)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_type = RS_LU_PREPARE;
	m.m_rs_lu.state = rp->lu.state;
	rp->lu.prepare_sent = asynsend(rp->endpt, &m) == 0;
}

/* The checks before anything is started: 0, or why not. */
static int
update_allowed(const struct rproc *rp, const struct msg_rs_update *req)
{
	if (rp->state != RP_RUNNING || (rp->flags & RPF_EXITING))
		return -EBUSY; /* not running, or on its way down */
	if (req->state <= SEF_LU_STATE_NULL || req->state > SEF_LU_STATE_MAX ||
	    !(rp->lu_states & (1u << req->state)) || req->maxtime == 0)
		return -EINVAL; /* a state the service does not know: refused before anything */
	return 0;
}

/* Start the new version from `image` (a boot module's copy, or owned: from a file). */
static int
start_new_version(struct rproc *rp, const struct msg_rs_update *req, const uint8_t *image,
		  size_t size, endpoint_t client)
{
	endpoint_t e;
	int r;

	rs_replica_vm_word(rp); /* VM's update: it will wait on RS */
	if ((r = rs_vm_spawn(rp, image, size, &e)) < 0 && r != -ENOSYS)
		return r; /* VM could not build it (vmspawn.c) */
	if (r == -ENOSYS) {
		r = sys_spawn_prio(image, size, rp->label, rp->args[0] ? rp->args : NULL,
				   rp->priority, &e);
		if (r < 0)
			return r;
		if ((r = rs_set_priv(rp, e)) < 0) {
			sys_kill(e, SIGKILL);
			return r;
		}
	}
	rp->lu = (struct rs_update){ .new_ep = e,
				     .client = client,
				     .state = req->state,
				     .deadline = rs_now + req->maxtime,
				     .flags = req->flags,
				     .state_grant = GRANT_INVALID };
	rp->state = RP_UPDATING;
	send_prepare(rp);
	return EDONTREPLY; /* answered when the update is over */
}

int
rs_update_start(struct rproc *rp, const struct msg_rs_update *req, endpoint_t client)
{
	char program[PROC_NAME_LEN];
	const uint8_t *image;
	size_t size;
	int r;

	memcpy(program, req->program, sizeof(program));
	program[sizeof(program) - 1] = '\0';
	if ((r = update_allowed(rp, req)) < 0)
		return r;
	if (!(image = rs_load_image(program, &size)))
		return -ENOENT;
	if ((r = start_new_version(rp, req, image, size, client)) != EDONTREPLY)
		return r;
	rp->lu.module = image; /* the service's program if the update commits */
	rp->lu.image_size = size;
	strlcpy(rp->lu.program, program, sizeof(rp->lu.program));
	return EDONTREPLY;
}

/*
 * The same with a program from a file (SVC_FROM_FILE), which becomes the
 * service's program if the update commits (restarts then start it), and is
 * freed if it rolls back.  On EDONTREPLY RS owns `image`; on any other
 * answer the caller still does.
 */
int
rs_update_image(struct rproc *rp, const struct msg_rs_update *req, uint8_t *image, size_t size,
		endpoint_t client)
{
	int r;

	if ((r = update_allowed(rp, req)) < 0)
		return r;
	if ((r = start_new_version(rp, req, image, size, client)) != EDONTREPLY)
		return r;
	rp->lu.image = image;
	rp->lu.image_size = size;
	memcpy(rp->lu.program, req->program, sizeof(rp->lu.program));
	rp->lu.program[sizeof(rp->lu.program) - 1] = '\0';
	return EDONTREPLY;
}

int
rs_update_ready(struct rproc *rp)
{
	int r;

	if ((r = rs_update_swap(rp->endpt, rp->lu.new_ep, 0)) < 0) {
		roll_back(rp, r);
		return EDONTREPLY;
	}
	rp->lu.swapped = true;
	rp->init_type = SEF_INIT_LU;
	rp->init_flags = rp->lu.flags;
	if ((r = sys_privctl(rp->endpt, PRIVCTL_ALLOW, NULL, 0, 0)) < 0)
		roll_back(rp, r);
	return EDONTREPLY; /* the old one waits; the new one now runs here */
}

int
rs_update_init_done(struct rproc *rp, int result)
{
	if (result < 0) {
		roll_back(rp, result);
		return EDONTREPLY;
	}
	sys_kill(rp->lu.new_ep, SIGKILL); /* the old version, now there */
	finish(rp, 0);
	rs_publish(rp);
	return 0;
}

/* dead is rp's endpoint or the new version's: either way, roll back. */
void
rs_update_died(struct rproc *rp, endpoint_t dead)
{
	(void)dead;
	roll_back(rp, -EDEADSRCDST);
}

void
rs_update_tick(struct rproc *rp)
{
	if (rp->lu.swapped)
		return;
	if (rs_now >= rp->lu.deadline) {
		roll_back(rp, -ETIMEDOUT);
		return;
	}
	if (!rp->lu.prepare_sent)
		send_prepare(rp);
}
