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
 * Either way the new instance is the service's standing clone if it keeps
 * one (priv.c).
 *
 * RS is every service's signal manager, through SEF (rs_signal): a lethal
 * signal is a death; any other, like the SIGTERM of `down`, is forwarded to
 * the service, which may clean up and exit (SEF's default exits); one that
 * has not exited STOP_TICKS later is killed.
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

	rs_replica_vm_word(rp); /* VM's start: it will wait on RS */
	if ((r = rs_instance(rp, &e)) < 0)
		return r;
	if ((r = sys_privctl(e, PRIVCTL_ALLOW, NULL, 0, 0)) < 0) {
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
	rs_ipc_moved(rp);
	return 0;
}

/* Ticks to wait before a restart, the streak-th death in quick succession. */
uint32_t
rs_backoff(uint32_t streak)
{
	return streak <= 1 ? 0 : 1u << (streak - 2 < 3 ? streak - 2 : 3); /* up to BACKOFF_MAX */
}

/* rp's process has ended: restart it, or not. */
static void
service_died(struct rproc *rp, int signo)
{
	rp->endpt = NONE;
	rp->stop_at = 0;
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
		panic("boot service %s died while initialising (signal %d)", rp->label, signo);
	rp->restarts++;
	rp->backoff = rs_backoff(++rp->streak);
	if (rs_report(rp->restarts))
		printf("rs: %s died (signal %d): restart %u in %u ticks\n", rp->label, signo,
		       rp->restarts, rp->backoff);
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

	if ((r = rs_instance(rp, &fresh)) < 0)
		return r;
	if ((r = rs_update_swap(dead, fresh, 0)) < 0) {
		sys_kill(fresh, SIGKILL);
		return r;
	}
	rs_release(fresh, rp->label); /* the dead program now sits there */
	rp->restarts++;
	rp->state = RP_STARTING;
	rp->init_type = SEF_INIT_RESTART;
	rp->ping_pending = false;
	printf("rs: %s restarted in place (endpoint %d, restarts %u)\n", rp->label, dead,
	       rp->restarts);
	return sys_privctl(dead, PRIVCTL_ALLOW, NULL, 0, 0);
}

/*
 * Release a dead process's slot (sys_clear): its slot, privilege structure,
 * memory, alarm and IRQ hooks go back.  The caller must be its signal
 * manager, which every path here arranges; a refusal is a leak that would
 * show only many deaths later (no slot left for a restart), so it is said
 * at once.
 */
int
rs_release(endpoint_t e, const char *what)
{
	int r;

	rs_vm_exit(e); /* the space VM made for it, if any */
	r = sys_clear(e);

	if (r < 0)
		printf("rs: cannot release dead %s (endpoint %d): %d: its slot is lost\n", what, e,
		       r);
	return r;
}

/* Signals that end a service; RS forwards any other to the service (SEF). */
bool
rs_lethal(int signo)
{
	return signo == SIGILL || signo == SIGTRAP || signo == SIGABRT || signo == SIGBUS ||
	       signo == SIGFPE || signo == SIGKILL || signo == SIGSEGV || signo == SIGHUNG;
}

/* A process RS manages but not as a service's instance: a clone, the replica, a leftover. */
static int
stranger_signal(endpoint_t e, int signo)
{
	struct rproc *owner = rs_by_clone(e);

	if (!rs_lethal(signo))
		return 0; /* held, or on its way out: nothing to tell it */
	if (rs_is_replica(e)) {
		rs_replica_died(signo); /* restarted in its slot: not released */
		return -EDEADEPT;
	}
	rs_release(e, owner ? owner->label : "a process");
	if (owner) {
		owner->clone = NONE; /* someone killed the clone: make another */
		if (owner->state == RP_RUNNING)
			rs_make_clone(owner);
	}
	return -EDEADEPT;
}

/*
 * SEF's signal-manager callback: one signal for process e.  A lethal one
 * ends the service (restart, or not); any other is forwarded to the
 * service as RS_SIGNAL, and e goes on.  -EDEADEPT: e was cleared or
 * replaced, so SEF must not let it go on.
 */
int
rs_signal(endpoint_t e, int signo)
{
	struct rproc *rp = rs_by_endpoint(e);
	message m;

	if (!rp)
		return stranger_signal(e, signo);
	if (!rs_lethal(signo)) {
		memset(&m, 0, sizeof(m));
		m.m_type = RS_SIGNAL;
		m.m_rs_signal.signo = signo;
		asynsend(e, &m);
		return 0;
	}
	if (signo == SIGHUNG) {
		rp->hangs++;
		printf("rs: %s hung: a request went unanswered past its caller's bound (%u so "
		       "far)\n",
		       rp->label, rp->hangs);
	}
	if (rp->state == RP_UPDATING) {
		bool swapped = rp->lu.swapped;

		rs_update_died(rp, e); /* the update is off */
		if (swapped)
			return -EDEADEPT; /* the dead new version went back to its slot */
	}
	if ((rp->flags & RPF_STATEFUL) && !(rp->flags & RPF_EXITING) && rp->state == RP_RUNNING &&
	    restart_stateful(rp) == 0)
		return -EDEADEPT;
	rs_release(e, rp->label);
	service_died(rp, signo);
	return -EDEADEPT;
}

/*
 * The next ping, or the verdict on the last one.  An answer is a
 * notification, and the kernel hands RS CLOCK's before any service's: when
 * RS could not run for a while (a busy process of higher priority), the
 * answer may wait behind the very tick that finds the ping unanswered.  So
 * a late tick judges nobody, and a missed period is only a first strike:
 * RS receives at least once more, answers included, before the second.
 */
static void
ping(struct rproc *rp, bool late)
{
	if (rp->ping_pending) {
		if (late)
			return;
		if (!rp->ping_overdue) {
			rp->ping_overdue = true;
			return;
		}
		printf("rs: %s does not answer pings: killing it\n", rp->label);
		sys_kill(rp->endpt, SIGKILL);
		return;
	}
	rp->ping_pending = true;
	rp->ping_overdue = false;
	rp->next_ping = rs_now + rp->period;
	ipc_notify(rp->endpt);
}

/* A clock tick: due restarts, due pings, backoffs that have cooled down. */
void
rs_tick(bool late)
{
	rs_replica_tick();
	for (int i = 0; i < NR_SERVICES; i++) {
		struct rproc *rp = &rproc[i];

		/* A living instance has its endpoint (rs.h). */
		assert(rp->endpt != NONE || (rp->state != RP_STARTING && rp->state != RP_RUNNING &&
					     rp->state != RP_UPDATING));
		if (rp->state == RP_BACKOFF && rs_now >= rp->restart_at && rs_start(rp) < 0)
			rp->restart_at = rs_now + BACKOFF_MAX;
		if (rp->state == RP_UPDATING)
			rs_update_tick(rp);
		if (rp->state != RP_RUNNING)
			continue;
		if (rp->stop_at && rs_now >= rp->stop_at) {
			printf("rs: %s did not exit on SIGTERM: killing it\n", rp->label);
			rp->stop_at = 0;
			sys_kill(rp->endpt, SIGKILL);
		}
		if (rp->streak && rs_now >= rp->restart_at + COOL_TICKS)
			rp->streak = 0;
		if (rp->period && rs_now >= rp->next_ping)
			ping(rp, late);
	}
}

void
rs_ping_reply(endpoint_t from)
{
	struct rproc *rp = rs_by_endpoint(from);

	if (rp)
		rp->ping_pending = rp->ping_overdue = false;
}
