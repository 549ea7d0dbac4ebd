/*
 * RS's requests, one handler each, dispatched through the table at the
 * bottom by libsys's dispatcher (dispatch.h: a missing entry answers
 * ENOSYS, DEBUG_DUMP prints rs_dump).  Handlers get the caller and the
 * request and fill in the reply; EDONTREPLY means no reply.
 *
 *   RS_INIT, RS_INIT_DONE   the init handshake of a starting service (SEF)
 *   RS_UP, RS_DOWN, RS_RESTART, RS_REFRESH, RS_LOOKUP, RS_UPDATE,
 *   RS_CLONE, RS_DUMP_STATE from administrators: processes whose
 *                           privileges carry PRIV_FLAG_ADMIN (rs_check_admin)
 *   RS_LU_READY             an old version prepared for its update (update.c)
 *
 * The same changes reach RS from people through /dev/service (cdev.c),
 * which calls rs_up, rs_stop and rs_clone below after its own check.
 */
#include "rs.h"

/*
 * Requests that change services come only from administrators.  An
 * administrator is a person (root through the service command, once PM
 * knows users); until then it is a process whose privileges carry the
 * admin right, which only configuration gives (the `admin` option of a
 * system.conf line, or the kernel's boot table for RS) and which privctl
 * passes on only from a holder.  Holding privctl or any other kernel call
 * makes no process an administrator.
 */
int
rs_check_admin(endpoint_t caller)
{
	struct msg_sys_privinfo priv;

	if (sys_getpriv(caller, &priv) < 0)
		return -EPERM;
	if (!(priv.flags & PRIV_FLAG_SYS_PROC) || !(priv.flags & PRIV_FLAG_ADMIN))
		return -EPERM;
	return 0;
}

/* The service a request names, if the caller may ask about it. */
static int
requested(endpoint_t caller, const message *m, struct rproc **rpp)
{
	int r;

	if ((r = rs_check_admin(caller)) < 0)
		return r;
	return (*rpp = rs_by_label_n(m->m_rs_request.label, sizeof(m->m_rs_request.label)))
		       ? 0
		       : -ENOENT;
}

/* A label of at most n bytes, not necessarily terminated: its service, or NULL. */
struct rproc *
rs_by_label_n(const char *label, size_t n)
{
	char l[PROC_NAME_LEN];

	memset(l, 0, sizeof(l));
	memcpy(l, label, n < sizeof(l) ? n : sizeof(l));
	l[sizeof(l) - 1] = '\0';
	return rs_by_label(l);
}

static int
do_init(endpoint_t caller, message *m)
{
	struct rproc *rp = rs_by_endpoint(caller);

	if (!rp || (rp->state != RP_STARTING && !(rp->state == RP_UPDATING && rp->lu.swapped)))
		return -EPERM;
	memset(&m->m_rs_init, 0, sizeof(m->m_rs_init));
	m->m_rs_init.type = rp->init_type;
	m->m_rs_init.flags = rp->init_flags;
	m->m_rs_init.restarts = rp->restarts;
	m->m_rs_init.old_endpt = NONE;
	m->m_rs_init.state_grant = GRANT_INVALID;
	if (rp->state == RP_UPDATING) {
		/* The old version now waits at the new one's first endpoint. */
		m->m_rs_init.old_endpt = rp->lu.new_ep;
		m->m_rs_init.state_grant = rp->lu.state_grant;
		m->m_rs_init.state_size = rp->lu.state_size;
	}
	return 0;
}

/* The driver-up event: subscribers learn the label's new endpoint. */
void
rs_publish(struct rproc *rp)
{
	ds_publish_label(rp->label, rp->endpt, DSF_OVERWRITE);
}

static int
do_init_done(endpoint_t caller, message *m)
{
	struct rproc *rp = rs_by_endpoint(caller);

	if (rp && rp->state == RP_UPDATING && rp->lu.swapped) {
		int r = rs_update_init_done(rp, m->m_rs_init_done.result);

		if (r == 0)
			rp->lu_states = m->m_rs_init_done.lu_states; /* the new version's */
		return r;
	}
	if (!rp || rp->state != RP_STARTING)
		return -EPERM;
	rp->init_result = m->m_rs_init_done.result;
	rp->lu_states = m->m_rs_init_done.lu_states;
	if (rp->init_result < 0) {
		printf("rs: %s failed to initialise: %d\n", rp->label, rp->init_result);
		rp->flags |= RPF_EXITING; /* it exits; keep it down */
		return 0;
	}
	rp->state = RP_RUNNING;
	rp->next_ping = rs_now + rp->period;
	if (!rp->first_up)
		rp->first_up = ++rs_events;
	if (rs_report(rp->restarts))
		printf("rs: %s up (endpoint %d, restarts %u)\n", rp->label, rp->endpt,
		       rp->restarts);
	rs_publish(rp);
	rs_make_clone(rp); /* after the publish: recovery first, the next clone later */
	return 0;
}

static int
do_lookup(endpoint_t caller, message *m)
{
	struct rproc *rp;
	int r = requested(caller, m, &rp);

	if (r < 0)
		return r;
	memset(&m->m_rs_reply, 0, sizeof(m->m_rs_reply));
	m->m_rs_reply.endpt =
		rp->state == RP_RUNNING || rp->state == RP_UPDATING ? rp->endpt : NONE;
	m->m_rs_reply.restarts = rp->restarts;
	m->m_rs_reply.first_start = rp->first_start;
	m->m_rs_reply.first_up = rp->first_up;
	m->m_rs_reply.clone = rp->clone;
	m->m_rs_reply.lu_new = rp->state == RP_UPDATING ? rp->lu.new_ep : NONE;
	m->m_rs_reply.hangs = rp->hangs;
	return 0;
}

/* Start a service that is down (RS_UP, /dev/service's up). */
int
rs_up(struct rproc *rp)
{
	if (rp->state != RP_DOWN)
		return -EBUSY;
	return rs_start(rp);
}

static int
do_up(endpoint_t caller, message *m)
{
	struct rproc *rp;
	int r = requested(caller, m, &rp);

	return r < 0 ? r : rs_up(rp);
}

/*
 * Down, restart, refresh: end the running instance, and maybe start
 * another.  Down and refresh ask a running service to exit (SIGTERM, which
 * RS forwards to it: its SEF handler may clean up first) and kill it if it
 * has not within STOP_TICKS; restart, and a service not yet running, are
 * killed at once.  Down also ends the standing clone.
 */
int
rs_stop(struct rproc *rp, uint32_t flags, bool counts, int signo)
{
	if (!(flags & RPF_REFRESH))
		rs_drop_clone(rp);
	if (rp->state == RP_BACKOFF || rp->state == RP_DOWN) {
		rp->state = RP_DOWN;
		return (flags & RPF_REFRESH) ? rs_start(rp) : 0;
	}
	rp->flags |= RPF_EXITING | flags;
	rp->restarts += counts;
	if (rp->state != RP_RUNNING)
		signo = SIGKILL;
	if (signo == SIGTERM)
		rp->stop_at = rs_now + STOP_TICKS;
	return sys_kill(rp->endpt, signo);
}

/* Keep a standing clone from now on; made at once if the service runs. */
int
rs_clone(struct rproc *rp)
{
	rp->flags |= RPF_CLONE;
	return rp->state == RP_RUNNING ? rs_make_clone(rp) : 0;
}

static int
do_clone(endpoint_t caller, message *m)
{
	struct rproc *rp;
	int r = requested(caller, m, &rp);

	return r < 0 ? r : rs_clone(rp);
}

static int
stop(endpoint_t caller, const message *m, uint32_t flags, bool counts, int signo)
{
	struct rproc *rp;
	int r = requested(caller, m, &rp);

	return r < 0 ? r : rs_stop(rp, flags, counts, signo);
}

/* Ask the service to print its state; it does so when it next receives. */
static int
do_dump_state(endpoint_t caller, message *m)
{
	struct rproc *rp;
	message d;
	int r = requested(caller, m, &rp);

	if (r < 0)
		return r;
	if (rp->state != RP_RUNNING && rp->state != RP_UPDATING)
		return -ESRCH;
	memset(&d, 0, sizeof(d));
	d.m_type = RS_DUMP_STATE;
	return asynsend(rp->endpt, &d);
}

static int
do_update(endpoint_t caller, message *m)
{
	struct rproc *rp;
	int r = requested(caller, m, &rp);

	return r < 0 ? r : rs_update_start(rp, &m->m_rs_update, caller);
}

/* The old version is prepared (and waits in this SENDREC). */
static int
do_lu_ready(endpoint_t caller, message *m)
{
	struct rproc *rp = rs_by_endpoint(caller);

	if (!rp || rp->state != RP_UPDATING || rp->lu.swapped)
		return -EINVAL; /* no update (any more): go on */
	rp->lu.state_grant = m->m_rs_lu.grant;
	rp->lu.state_size = m->m_rs_lu.size;
	return rs_update_ready(rp);
}

static int
do_down(endpoint_t caller, message *m)
{
	return stop(caller, m, 0, false, SIGTERM);
}
static int
do_restart(endpoint_t caller, message *m)
{
	return stop(caller, m, RPF_REFRESH, true, SIGKILL);
}
static int
do_refresh(endpoint_t caller, message *m)
{
	return stop(caller, m, RPF_REFRESH, false, SIGTERM);
}

/* clang-format off */
static dispatch_fn *const rs_calls[RS_NR_REQUESTS] = {
	[RS_INIT - RS_BASE] = do_init,
	[RS_INIT_DONE - RS_BASE] = do_init_done,
	[RS_UP - RS_BASE] = do_up,
	[RS_DOWN - RS_BASE] = do_down,
	[RS_RESTART - RS_BASE] = do_restart,
	[RS_REFRESH - RS_BASE] = do_refresh,
	[RS_LOOKUP - RS_BASE] = do_lookup,
	[RS_UPDATE - RS_BASE] = do_update,
	[RS_LU_READY - RS_BASE] = do_lu_ready,
	[RS_CLONE - RS_BASE] = do_clone,
	[RS_DUMP_STATE - RS_BASE] = do_dump_state,
};
/* clang-format on */

static const struct dispatch rs_dispatch = DISPATCH(RS_BASE, rs_calls, rs_dump);

/*
 * A request from a service about its own start or update (its init, the
 * old version's readiness) is part of what RS is doing, which a new RS
 * takes up from the records of the last receive.  Any other answer
 * (an administrator's up, down, restart, update...) leaves only once the
 * records say it (recover.c): its client may kill RS the moment it has it.
 */
static bool
own_protocol(int type)
{
	return type == RS_INIT || type == RS_INIT_DONE || type == RS_LU_READY;
}

void
rs_serve(message *m)
{
	int type = m->m_type;
	int r = dispatch(&rs_dispatch, m->m_source, m);

	if (!own_protocol(type))
		rs_records_flush();
	dispatch_reply(m->m_source, m, r);
}
