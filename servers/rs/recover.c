/*
 * What a new RS needs to take over from a dead one (see replica.c).
 *
 * The service table is rebuilt from three sources: system.conf (each
 * service's program, arguments and privileges), the kernel (which services
 * still run, by name), and DS, where RS keeps what it learnt since boot, one
 * private record per service: restarts, the prepare states its init
 * declared, whether it keeps a clone and which process that is, whether an
 * administrator took it down, whether its end is expected, and its program
 * when an update made it another boot module than system.conf names (a
 * program from a file comes back from the replica: keep.c).
 *
 * The records are kept in one place: RS never says "save this".  Right
 * before it waits for its next message (SEF's before-receive callback, so
 * after signals too) and before every answer it sends (request.c, cdev.c,
 * update.c's finish), rs_records_flush() builds every started service's
 * record from its rproc and writes those that differ from what it last
 * wrote.  A change can therefore not be forgotten, what a new RS finds is
 * the table as it stood after the last message the old one finished, and
 * a client that kills RS the moment it has an answer finds what was
 * answered (rs.records_before_answer).
 */
#include "rs.h"

struct rs_record {
	uint32_t restarts;
	uint32_t lu_states;
	uint32_t flags;              /* SAVED_FLAGS */
	uint32_t down;               /* taken down on purpose: stays down */
	endpoint_t clone;            /* its standing clone, or NONE */
	endpoint_t endpt;            /* its instance when saved */
	endpoint_t lu_new;           /* the new version of an update under way, or NONE */
	uint32_t state;              /* enum rp_state: STARTING means its init is not done */
	int32_t init_type;           /* ...and what RS_INIT tells it */
	uint32_t hangs;              /* restarts for SIGHUNG */
	uint32_t from_file;          /* its program is from a file (keep.c), else: */
	char program[PROC_NAME_LEN]; /* the boot module it runs (an update's) */
};

/* Its clone, and an end under way that is expected (down, restart, refresh). */
#define SAVED_FLAGS (RPF_CLONE | RPF_EXITING | RPF_REFRESH)

static struct rs_record written[NR_SERVICES]; /* what DS holds, as far as RS knows */
static bool in_ds[NR_SERVICES];

static void
record_key(const struct rproc *rp, char *key)
{
	snprintf(key, DS_MAX_KEYLEN, "rs.%s", rp->label);
}

static void
record_of(const struct rproc *rp, struct rs_record *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->restarts = rp->restarts;
	rec->lu_states = rp->lu_states;
	rec->flags = rp->flags & SAVED_FLAGS;
	rec->down =
		rp->state == RP_DOWN || ((rp->flags & RPF_EXITING) && !(rp->flags & RPF_REFRESH));
	rec->clone = rp->clone;
	rec->endpt = rp->endpt;
	rec->lu_new = rp->state == RP_UPDATING ? rp->lu.new_ep : NONE;
	rec->state = rp->state;
	rec->init_type = rp->init_type;
	rec->hangs = rp->hangs;
	rec->from_file = rp->image_owned;
	strlcpy(rec->program, rp->program, sizeof(rec->program));
}

/*
 * The program an update gave rp (RS's copy of that boot module), unless
 * it is system.conf's or rp already has its program from a file back from
 * the replica (keep.c).
 */
static void
restore_program(struct rproc *rp, const struct rs_record *rec)
{
	char program[PROC_NAME_LEN];
	const uint8_t *image;
	size_t size;

	memcpy(program, rec->program, sizeof(program));
	program[sizeof(program) - 1] = '\0';
	if (rp->image_owned || !program[0] || strcmp(program, rp->program) == 0)
		return;
	if (rec->from_file) {
		printf("rs: %s's program from a file is lost: %s again\n", rp->label, rp->program);
		return;
	}
	if (!(image = rs_load_image(program, &size))) {
		printf("rs: %s's program %s is gone: %s again\n", rp->label, program, rp->program);
		return;
	}
	rs_set_module(rp, image, size, program);
}

/*
 * Write the record of every service started since boot whose record
 * changed since it was last written (a service never started has none: a
 * new RS then goes by system.conf).  A write that fails is tried again at
 * the next call; the first failure of a series is reported.
 */
void
rs_records_flush(void)
{
	static bool failing;

	for (int i = 0; i < NR_SERVICES; i++) {
		const struct rproc *rp = &rproc[i];
		char key[DS_MAX_KEYLEN];
		struct rs_record rec;
		int r;

		if (rp->state == RP_FREE || !rp->first_start)
			continue;
		record_of(rp, &rec);
		if (in_ds[i] && memcmp(&rec, &written[i], sizeof(rec)) == 0)
			continue;
		record_key(rp, key);
		if ((r = ds_publish_mem(key, &rec, sizeof(rec), DSF_PRIVATE | DSF_OVERWRITE)) < 0) {
			if (!failing)
				printf("rs: cannot save %s's record in DS: %d\n", rp->label, r);
			failing = true;
			return;
		}
		failing = false;
		written[i] = rec;
		in_ds[i] = true;
	}
}

/* DS lost the records: write them all again at the next flush. */
static void
records_lost(void)
{
	memset(in_ds, 0, sizeof(in_ds));
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
	rp->hangs = rec->hangs;
	rp->lu_states = rec->lu_states;
	rp->flags |= rec->flags & SAVED_FLAGS;
	restore_program(rp, rec);
	written[rp - rproc] = *rec; /* DS holds it: no need to write it again */
	in_ds[rp - rproc] = true;
	return true;
}

static bool
alive(endpoint_t e)
{
	struct msg_sys_privinfo info;

	return sys_getpriv(e, &info) == 0;
}

/* Dead already (frozen by a signal the old RS took but did not act on)? */
static bool
frozen(endpoint_t e)
{
	struct msg_sys_privinfo info;

	return sys_getpriv(e, &info) == 0 && (info.state & PROC_STATE_FROZEN);
}

/*
 * Take over rp's instance e.  One still in its init handshake stays
 * STARTING, so its RS_INIT is answered as the old RS would have.  One that
 * died before the old RS could act is killed again: its death then reaches
 * this RS, which restarts it as the record says (a crash, or an expected
 * end).
 */
static void
adopt(struct rproc *rp, endpoint_t e, const struct rs_record *rec, bool known)
{
	rp->endpt = e;
	rp->first_start = ++rs_events;
	if (known && rec->state == RP_STARTING) {
		rp->state = RP_STARTING;
		rp->init_type = rec->init_type;
	} else {
		rp->state = RP_RUNNING;
		rp->first_up = ++rs_events;
		rp->next_ping = rs_now + rp->period;
	}
	if (frozen(e))
		sys_kill(e, SIGKILL);
	else if (rp->state == RP_RUNNING)
		rs_make_clone(rp);
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
			e = rec.endpt; /* unambiguous, even mid-update */
		else if (sys_lookup(rp->label, &e) < 0)
			e = NONE;
		if (known && rec.lu_new != NONE && rec.lu_new != e && alive(rec.lu_new))
			sys_kill(rec.lu_new, SIGKILL); /* reaped as a stranger */
		if (known && rec.clone != NONE && rec.clone != e && alive(rec.clone)) {
			if (frozen(rec.clone))
				sys_kill(rec.clone, SIGKILL); /* reaped as a stranger */
			else
				rp->clone = rec.clone;
		}
		if (e != NONE) {
			adopt(rp, e, &rec, known);
			adopted++;
		} else if (known ? !rec.down : !(rp->flags & RPF_BOOT_DOWN)) {
			started += rs_start(rp) == 0; /* into its clone, if it has one */
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
	}
	rs_cdev_publish();
	records_lost();
	printf("rs: DS restarted empty: %d labels published again\n", n);
}
