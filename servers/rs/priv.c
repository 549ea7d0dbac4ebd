/*
 * The privileges RS gives a service's instances, and its standing clone.
 *
 * IPC targets: the kernel's masks name endpoints (priv ids), and labels
 * change endpoints when their services restart fresh.  So RS resolves a
 * service's ipc list each time it sets the privileges of an instance, and
 * when a service it names gets a new endpoint (rs_ipc_moved), sets them
 * again for every running service that names it.  RS is always a target
 * (SEF's init handshake and ping replies); replies need no permission.
 * Masks are directional: whom a service may send to says nothing about
 * who may send to it.
 *
 * Clones (RS_CLONE): an instance spawned ahead of time with the service's
 * privileges but held (RTS_NO_PRIV: it does not run, and a lookup by name
 * prefers the running instance).  A restart (rs_instance) takes it instead
 * of spawning; once the restarted service is up, RS makes the next clone.
 * This is MINIX's standing replica (SF_USE_REPL): here it saves the spawn
 * from the recovery path and proves, ahead of a crash, that a new instance
 * can be made.  Since the clone has not run, it is as fresh as a new spawn.
 */
#include "rs.h"

/* The endpoint an ipc name has now, or NONE (a service not running). */
static endpoint_t
target(const char *name)
{
	struct rproc *rq = rs_by_label(name);
	endpoint_t e;

	if (rq)
		return rq->endpt;
	return sys_lookup(name, &e) == 0 ? e : NONE;
}

/* Set e's privileges: rp's, with its IPC targets as they are now. */
int
rs_set_priv(struct rproc *rp, endpoint_t e)
{
	struct priv_desc d = rp->priv;
	endpoint_t vm;

	if (rp->flags & RPF_IPC_ALL) {
		d.nr_ipc = PRIV_DESC_ALL_IPC;
	} else {
		d.nr_ipc = 0;
		d.ipc_to[d.nr_ipc++] = self_endpoint;
		if ((vm = target("vm")) != NONE && strcmp(rp->label, "vm") != 0)
			d.ipc_to[d.nr_ipc++] = vm; /* its heap may be VM's (vmspawn.c) */
		for (int i = 0; i < rp->nr_ipc; i++) {
			endpoint_t t = target(rp->ipc[i]);

			if (t != NONE)
				d.ipc_to[d.nr_ipc++] = t;
		}
	}
	return sys_privctl(e, PRIVCTL_SET, &d, 0, 0);
}

static bool
names(const struct rproc *rp, const char *label)
{
	for (int i = 0; i < rp->nr_ipc; i++)
		if (strcmp(rp->ipc[i], label) == 0)
			return true;
	return false;
}

/* `moved` runs under a new endpoint: let the services that name it reach it. */
void
rs_ipc_moved(const struct rproc *moved)
{
	for (int i = 0; i < NR_SERVICES; i++) {
		struct rproc *rp = &rproc[i];
		int r;

		if (rp->state == RP_FREE || rp->endpt == NONE || (rp->flags & RPF_IPC_ALL) ||
		    !names(rp, moved->label))
			continue;
		if ((r = rs_set_priv(rp, rp->endpt)) < 0)
			printf("rs: %s cannot reach %s's new endpoint: %d\n", rp->label,
			       moved->label, r);
	}
}

/*
 * A new, held instance of rp with its privileges; not yet allowed to run.
 * Its memory is VM's when VM runs (vmspawn.c), else the kernel's.
 */
static int
spawn(struct rproc *rp, endpoint_t *e)
{
	int r = rs_vm_spawn(rp, rp->image, rp->image_size, e);

	if (r != -ENOSYS)
		return r;
	r = sys_spawn_prio(rp->image, rp->image_size, rp->label, rp->args[0] ? rp->args : NULL,
			   rp->priority, e);
	if (r < 0)
		return r;
	if ((r = rs_set_priv(rp, *e)) < 0)
		sys_kill(*e, SIGKILL);
	return r;
}

/*
 * A held instance for a (re)start: the clone if there is one, with its IPC
 * targets brought up to date (they may have moved since it was made), or a
 * new spawn.
 */
int
rs_instance(struct rproc *rp, endpoint_t *e)
{
	if (rp->clone != NONE) {
		*e = rp->clone;
		rp->clone = NONE;
		if (rs_set_priv(rp, *e) == 0)
			return 0;
		sys_kill(*e, SIGKILL); /* unusable: reaped as a stranger */
	}
	return spawn(rp, e);
}

/* Prepare rp's next clone, if it keeps one and has none. */
int
rs_make_clone(struct rproc *rp)
{
	endpoint_t e;
	int r;

	if (!(rp->flags & RPF_CLONE) || rp->clone != NONE)
		return 0;
	if ((r = spawn(rp, &e)) < 0) {
		printf("rs: cannot clone %s: %d\n", rp->label, r);
		return r;
	}
	rp->clone = e;
	return 0;
}

/* End rp's clone (the service goes down); RPF_CLONE stays for its next start. */
void
rs_drop_clone(struct rproc *rp)
{
	if (rp->clone == NONE)
		return;
	sys_kill(rp->clone, SIGKILL); /* reaped as a stranger */
	rp->clone = NONE;
}

struct rproc *
rs_by_clone(endpoint_t e)
{
	for (int i = 0; i < NR_SERVICES; i++)
		if (rproc[i].state != RP_FREE && rproc[i].clone == e && e != NONE)
			return &rproc[i];
	return NULL;
}
