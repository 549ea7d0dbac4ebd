/*
 * What a new RS needs to take over from a dead one (see replica.c).
 *
 * The service table is rebuilt from three sources: system.conf (each
 * service's program, arguments and privileges), the kernel (which services
 * still run, by name), and DS, where RS keeps what it learnt since boot, one
 * private record per service: restarts, the prepare states its init
 * declared, whether it keeps a clone and which process that is, and
 * whether an administrator took it down.  RS saves the record whenever one
 * of these changes.
 */
#include "rs.h"

struct rs_record {
	uint32_t restarts;
	uint32_t lu_states;
	uint32_t flags;		/* RPF_CLONE */
	uint32_t down;		/* taken down on purpose: stays down */
	endpoint_t clone;	/* its standing clone, or NONE */
	endpoint_t endpt;	/* its instance when saved */
	endpoint_t lu_new;	/* the new version of an update under way, or NONE */
};

#define SAVED_FLAGS	RPF_CLONE

static void
record_key(const struct rproc *rp, char *key)
{
	snprintf(key, DS_MAX_KEYLEN, "rs.%s", rp->label);
}

void
rs_save(const struct rproc *rp)
{
	struct rs_record rec = {
		.restarts = rp->restarts,
		.lu_states = rp->lu_states,
		.flags = rp->flags & SAVED_FLAGS,
		.down = rp->state == RP_DOWN ||
			((rp->flags & RPF_EXITING) && !(rp->flags & RPF_REFRESH)),
		.clone = rp->clone,
		.endpt = rp->endpt,
		.lu_new = rp->state == RP_UPDATING ? rp->lu.new_ep : NONE,
	};
	char key[DS_MAX_KEYLEN];
	int r;

	record_key(rp, key);
	if ((r = ds_publish_mem(key, &rec, sizeof(rec), DSF_PRIVATE | DSF_OVERWRITE)) < 0)
		printf("rs: cannot save %s's record in DS: %d\n", rp->label, r);
}

/* rp's record, if RS saved one; false for a service never started. */
static bool
restore(struct rproc *rp, struct rs_record *rec)
{
	char key[DS_MAX_KEYLEN];
	size_t len = sizeof(*rec);

	record_key(rp, key);
	if (ds_retrieve_mem(key, rec, &len) < 0 || len != sizeof(*rec))
		return false;
	rp->restarts = rec->restarts;
	rp->lu_states = rec->lu_states;
	rp->flags |= rec->flags & SAVED_FLAGS;
	return true;
}

static bool
alive(endpoint_t e)
{
	struct msg_sys_privinfo info;

	return sys_getpriv(e, &info) == 0;
}

/*
 * Adopt each service that still has a process, start each one that should
 * run but has none (it died while RS was away), and release the callers
 * the dead RS had taken a request from, who would otherwise wait for ever.
 * Standing clones are taken over from the records (a clone that has
 * since become the service's instance, or is gone, is not).  An update
 * under way is abandoned: the process at the service's endpoint goes on
 * (the old version, or the new one if the slots were already swapped) and
 * the one at the new version's endpoint is ended.  A restart under way is
 * lost: the service is started again.
 */
void
rs_recover(void)
{
	int adopted = 0, started = 0;

	sys_statectl(STATECTL_CLEAR_IPC_REFS);
	for (int i = 0; i < NR_SERVICES; i++) {
		struct rproc *rp = &rproc[i];
		struct rs_record rec;
		bool known = restore(rp, &rec);
		endpoint_t e;

		if (rp->state != RP_DOWN)
			continue;
		if (known && rec.endpt != NONE && alive(rec.endpt))
			e = rec.endpt;		/* unambiguous, even mid-update */
		else if (sys_lookup(rp->label, &e) < 0)
			e = NONE;
		if (known && rec.lu_new != NONE && rec.lu_new != e && alive(rec.lu_new))
			sys_kill(rec.lu_new, SIGKILL);	/* reaped as a stranger */
		if (known && rec.clone != NONE && rec.clone != e && alive(rec.clone))
			rp->clone = rec.clone;
		if (e != NONE) {
			rp->endpt = e;
			rp->state = RP_RUNNING;
			rp->first_start = ++rs_events;
			rp->first_up = ++rs_events;
			rs_make_clone(rp);
			adopted++;
		} else if (known ? !rec.down : !(rp->flags & RPF_BOOT_DOWN)) {
			started += rs_start(rp) == 0;	/* into its clone, if it has one */
		} else {
			rs_drop_clone(rp);
		}
	}
	printf("rs: recovered: %d services adopted, %d started\n", adopted, started);
}

/*
 * DS was restarted without its backup (it notifies RS then): publish again
 * what RS put there, every running service's label and every record.  What
 * services kept in DS themselves is lost.
 */
void
rs_republish(void)
{
	int n = 0;

	for (int i = 0; i < NR_SERVICES; i++) {
		struct rproc *rp = &rproc[i];

		if (rp->state == RP_FREE)
			continue;
		if (rp->state == RP_RUNNING || rp->state == RP_UPDATING) {
			rs_publish(rp);
			n++;
		}
		if (rp->first_start)
			rs_save(rp);
	}
	printf("rs: DS restarted empty: %d labels published again\n", n);
}
