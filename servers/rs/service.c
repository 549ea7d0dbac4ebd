/*
 * The life of a service: starting it (spawn, privileges, let it run; the
 * init handshake then arrives as requests), noticing its death (RS is its
 * signal manager), restarting it with backoff, and pinging it.
 *
 * A restart is fresh by default: a new process with a new endpoint, so
 * nothing sent to the dead one reaches the new one by mistake.  A first
 * death is restarted at once; deaths in quick succession wait 1, 2, 4...
 * ticks, up to BACKOFF_MAX; a service that then runs for COOL_TICKS without
 * dying starts over.  A service configured restart=stateful is restarted in
 * place at once: the new instance takes the dead one's slot (sys_update),
 * keeps its endpoint, and recovers its state from DS in its restart init.
 */
#include "rs.h"

struct rproc rproc[NR_SERVICES];
uint64_t rs_now;
uint32_t rs_events;

/* Report the first few of a series, then every tenth: a crash loop stays legible. */
bool
rs_report(uint32_t n)
{
	return n <= 3 || n % 10 == 0;
}

struct rproc *
rs_by_label(const char *label)
{
	for (int i = 0; i < NR_SERVICES; i++)
		if (rproc[i].state != RP_FREE && strcmp(rproc[i].label, label) == 0)
			return &rproc[i];
	return NULL;
}

struct rproc *
rs_by_endpoint(endpoint_t e)
{
	for (int i = 0; i < NR_SERVICES; i++)
		if (rproc[i].state != RP_FREE && rproc[i].endpt == e && e != NONE)
			return &rproc[i];
	return NULL;
}

int
rs_start(struct rproc *rp)
{
	endpoint_t e;
	int r;

	r = sys_spawn_prio(rp->image, rp->image_size, rp->label, rp->args[0] ? rp->args : NULL,
			   rp->priority, &e);
	if (r < 0)
		return r;
	if ((r = sys_privctl(e, PRIVCTL_SET, &rp->priv, 0, 0)) < 0 ||
	    (r = sys_privctl(e, PRIVCTL_ALLOW, NULL, 0, 0)) < 0) {
		sys_kill(e, SIGKILL);
		return r;
	}
	rp->endpt = e;
	rp->state = RP_STARTING;
	rp->init_type = SEF_INIT_FRESH;
	if (!rp->first_start)
		rp->first_start = ++rs_events;
	rp->ping_pending = false;
	rp->init_result = 0;
	return 0;
}

/* rp's process has ended: restart it, or not. */
static void
service_died(struct rproc *rp, uint64_t sigs)
{
	rp->endpt = NONE;
	if (rp->flags & RPF_EXITING) {
		rp->flags &= ~RPF_EXITING;
		rp->state = RP_DOWN;
		if (rp->flags & RPF_REFRESH) {
			rp->flags &= ~RPF_REFRESH;
			rs_start(rp);
		}
		return;
	}
	if (rp->state == RP_STARTING && (rp->flags & RPF_SYNC) && rp->restarts == 0)
		panic("boot service %s died while initialising (signals %#llx)", rp->label,
		      (unsigned long long)sigs);
	rp->restarts++;
	rp->streak++;
	rp->backoff = rp->streak <= 1 ? 0 : 1u << (rp->streak - 2 < 3 ? rp->streak - 2 : 3);
	if (rs_report(rp->restarts))
		printf("rs: %s died (signals %#llx): restart %u in %u ticks\n", rp->label,
		       (unsigned long long)sigs, rp->restarts, rp->backoff);
	rp->state = RP_BACKOFF;
	rp->restart_at = rs_now + rp->backoff;
	if (rp->backoff == 0 && rs_start(rp) < 0)
		rp->restart_at = rs_now + BACKOFF_MAX;
}

/*
 * Restart rp in place: a new instance is swapped into the dead one's slot,
 * so it keeps the endpoint (and the callers queued on it), and the dead
 * program, now in the new slot, is released.  Fails (the caller then
 * restarts fresh) if the dead one cannot be swapped, e.g. it died sending.
 */
static int
restart_stateful(struct rproc *rp)
{
	endpoint_t dead = rp->endpt, fresh;
	int r;

	r = sys_spawn_prio(rp->image, rp->image_size, rp->label, rp->args[0] ? rp->args : NULL,
			   rp->priority, &fresh);
	if (r < 0)
		return r;
	if ((r = sys_privctl(fresh, PRIVCTL_SET, &rp->priv, 0, 0)) < 0 ||
	    (r = sys_update(dead, fresh, 0)) < 0) {
		sys_kill(fresh, SIGKILL);
		return r;
	}
	sys_clear(fresh);	/* the dead program now sits there */
	rp->restarts++;
	rp->state = RP_STARTING;
	rp->init_type = SEF_INIT_RESTART;
	rp->ping_pending = false;
	printf("rs: %s restarted in place (endpoint %d, restarts %u)\n", rp->label, dead,
	       rp->restarts);
	return sys_privctl(dead, PRIVCTL_ALLOW, NULL, 0, 0);
}

/* SYSTEM notified us: collect the signals of the processes we manage. */
void
rs_reap(void)
{
	endpoint_t e;
	uint64_t sigs;

	while (sys_getksig(&e, &sigs) == 0 && e != NONE) {
		struct rproc *rp = rs_by_endpoint(e);

		if (rp && rp->state == RP_UPDATING) {
			bool swapped = rp->lu.swapped;

			rs_update_died(rp, e);	/* the update is off */
			if (swapped)
				continue;	/* the dead new version went back to its slot */
		}
		/* Every signal a service gets ends it. */
		if (rp && (rp->flags & RPF_STATEFUL) && !(rp->flags & RPF_EXITING) &&
		    rp->state == RP_RUNNING && restart_stateful(rp) == 0)
			continue;
		sys_clear(e);
		if (rp)
			service_died(rp, sigs);
	}
}

static void
ping(struct rproc *rp)
{
	if (rp->ping_pending) {
		printf("rs: %s does not answer pings: killing it\n", rp->label);
		sys_kill(rp->endpt, SIGKILL);
		return;
	}
	rp->ping_pending = true;
	rp->next_ping = rs_now + rp->period;
	ipc_notify(rp->endpt);
}

/* A clock tick: due restarts, due pings, backoffs that have cooled down. */
void
rs_tick(void)
{
	for (int i = 0; i < NR_SERVICES; i++) {
		struct rproc *rp = &rproc[i];

		if (rp->state == RP_BACKOFF && rs_now >= rp->restart_at && rs_start(rp) < 0)
			rp->restart_at = rs_now + BACKOFF_MAX;
		if (rp->state == RP_UPDATING)
			rs_update_tick(rp);
		if (rp->state != RP_RUNNING)
			continue;
		if (rp->streak && rs_now >= rp->restart_at + COOL_TICKS)
			rp->streak = 0;
		if (rp->period && rs_now >= rp->next_ping)
			ping(rp);
	}
}

void
rs_ping_reply(endpoint_t from)
{
	struct rproc *rp = rs_by_endpoint(from);

	if (rp)
		rp->ping_pending = false;
}
