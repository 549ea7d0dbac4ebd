/*
 * Self-repair without holes (docs/self-repair.md): each test here shows
 * that a failure, or a cycle of them, costs nothing that is not given back
 * and leaves nobody waiting for ever.
 *
 *   repair.replica_no_leak  RS and DS killed 100 times each, with driver
 *                           crashes between: the kernel's counters end
 *                           where they started, DS's entries and
 *                           subscriptions are all there
 *   repair.resources_flat   crash, restart, live update and rollback of
 *                           every service, and RS and DS killed: the
 *                           counters stay flat
 *   repair.rs_full_table    RS, DS and the replica killed while the
 *                           process and privilege tables are full: each
 *                           comes back (restarted in its own slot)
 *   repair.rs_gone          RS and its replica dead together: callers of
 *                           RS get an error (last: RS stays gone)
 *   repair.dropped_request  a request hello takes and never answers,
 *                           while it answers RS's pings: the client's
 *                           bounded call ends within its bound, hello is
 *                           restarted, and RS counts a hang
 *   repair.hang_counted_from_call  the same right after an answered
 *                           bounded call: hung only once the dropped call
 *                           has waited hello's own bound (replybound=)
 *   kit.rs_record_once      RS killed at a random (seeded) point of a
 *                           restart or update: the new RS's table is the
 *                           one the old RS would have had
 *   libsys.tickdelay_zero   a delay of no ticks returns at once
 *
 * Counters are compared after a first cycle has run (a new RS copies the
 * programs it restarts only when it first needs them), and read once the
 * system has settled: each check waits a bounded while for the counters
 * to come back, and fails with the difference if they do not.
 */
#include "guest.h"
#include <ax/rs.h>
#include <ax/ds.h>
#include <ax/signal.h>
#include <ax/hello.h>
#include <cdev_client.h>

#define SETTLE_TICKS  100 /* how long counters may take to come back */
#define REPAIR_CYCLES 100
#define NR_KEYS       8

static int
resources(struct msg_sys_resources *r)
{
	return sys_getresources(r);
}

/* The difference between two readings, for a failure message; "" if none. */
static const char *
difference(const struct msg_sys_resources *a, const struct msg_sys_resources *b)
{
	static char why[160];

	why[0] = '\0';
	if (a->free_frames != b->free_frames || a->used_slots != b->used_slots ||
	    a->used_privs != b->used_privs || a->timers != b->timers ||
	    a->irq_hooks != b->irq_hooks)
		snprintf(why, sizeof(why),
			 "free frames %llu -> %llu, slots %u -> %u, privileges %u -> %u, "
			 "timers %u -> %u, irq hooks %u -> %u",
			 (unsigned long long)a->free_frames, (unsigned long long)b->free_frames,
			 a->used_slots, b->used_slots, a->used_privs, b->used_privs, a->timers,
			 b->timers, a->irq_hooks, b->irq_hooks);
	return why;
}

/* Wait until the counters are back at `base`; "" then, else what differs. */
static const char *
settled(const struct msg_sys_resources *base)
{
	struct msg_sys_resources now;
	const char *why = "no reading";

	for (int i = 0; i < SETTLE_TICKS; i++) {
		if (resources(&now) == 0 && !*(why = difference(base, &now)))
			return why;
		tickdelay(1);
	}
	return why;
}

/* A reading that holds for a tick: the baseline to come back to. */
static bool
steady(struct msg_sys_resources *base)
{
	struct msg_sys_resources now;

	for (int i = 0; i < SETTLE_TICKS; i++) {
		if (resources(base) < 0)
			return false;
		tickdelay(1);
		if (resources(&now) == 0 && !*difference(base, &now))
			return true;
	}
	return false;
}

/* Wait until label runs again, restarted (its restart count past `restarts`). */
static endpoint_t
await_restart(const char *label, uint32_t restarts)
{
	for (int i = 0; i < 300; i++) {
		uint32_t now = 0;
		endpoint_t e = service(label, &now);

		if (e != NONE && now > restarts)
			return e;
		tickdelay(1);
	}
	return NONE;
}

/* Crash a service (a fault, through the kernel) and wait for its new instance. */
static endpoint_t
crash(const char *label)
{
	uint32_t restarts = 0;
	endpoint_t e = service(label, &restarts);

	if (e == NONE || sys_kill(e, SIGSEGV) < 0)
		return NONE;
	return await_restart(label, restarts);
}

/* Kill DS with a fault; wait until its replacement answers (with key, ours). */
static int
kill_ds(const char *key)
{
	uint32_t v;

	if (sys_kill(find("ds"), SIGSEGV) < 0)
		return -1;
	for (int i = 0; i < 300; i++) {
		if (ds_retrieve_u32(key, &v) == 0)
			return 0;
		tickdelay(1);
	}
	return -1;
}

/* One cycle of repair.replica_no_leak: RS, DS and a driver die. */
static const char *
replica_cycle(int i)
{
	static char why[64];

	if (kill_rs(i % 2 ? SIGSEGV : SIGKILL) == NONE)
		snprintf(why, sizeof(why), "cycle %d: RS did not come back", i);
	else if (kill_ds("repair.k0") < 0)
		snprintf(why, sizeof(why), "cycle %d: DS did not come back", i);
	else if (crash("hello") == NONE)
		snprintf(why, sizeof(why), "cycle %d: hello was not restarted", i);
	else
		return NULL;
	return why;
}

TEST(repair, replica_no_leak,
     "RS and DS killed 100 times each among driver crashes: nothing leaks, DS keeps all")
{
	struct msg_sys_resources base;
	char key[DS_MAX_KEYLEN];
	const char *why;
	endpoint_t owner;
	uint32_t v;
	int type;

	for (int k = 0; k < NR_KEYS; k++) {
		snprintf(key, sizeof(key), "repair.k%d", k);
		EXPECT_EQ(ds_publish_u32(key, 100 + k, DSF_OVERWRITE), 0);
	}
	EXPECT_EQ(ds_subscribe("repair.k*", 0), 0);
	EXPECT((why = replica_cycle(0)) == NULL, "%s", why);
	EXPECT(steady(&base), "the counters do not settle");
	for (int i = 1; i < REPAIR_CYCLES; i++)
		EXPECT((why = replica_cycle(i)) == NULL, "%s", why);
	EXPECT(!*(why = settled(&base)), "after %d deaths of RS and DS: %s", REPAIR_CYCLES, why);

	for (int k = 0; k < NR_KEYS; k++) {
		snprintf(key, sizeof(key), "repair.k%d", k);
		EXPECT_EQ(ds_retrieve_u32(key, &v), 0);
		EXPECT_EQ(v, 100 + k);
	}
	while (ds_check(key, &type, &owner) == 0) /* each restart reported them again */
		;
	EXPECT_EQ(ds_publish_u32("repair.k0", 7, DSF_OVERWRITE), 0);
	EXPECT_EQ(ds_check(key, &type, &owner), 0); /* the subscription still holds */
	EXPECT(strcmp(key, "repair.k0") == 0, "changed key %s", key);
	EXPECT_EQ(ds_check(key, &type, &owner), -ENOENT);
	EXPECT(service("hello", NULL) != NONE, "hello is not running");
}

/* Every service of the test configuration that runs, with its program. */
static const struct {
	const char *label, *program;
} services[] = {
	{ "hello", "hello" },      { "hello2", "hello" },     { "hello3", "hello" },
	{ "hello4", "hello" },     { "pipe", "cdevpipe" },    { "sefsvc", "sefsvc" },
	{ "sefterm", "sefsvc" },   { "seflinger", "sefsvc" }, { "sefclone", "sefsvc" },
	{ "sefnarrow", "sefsvc" }, { "seftarget", "sefsvc" }, { "tty", "tty" },
	{ "memory", "memory" },
};

/* Crash, restart, update and roll back one service; NULL, or what went wrong. */
static const char *
service_cycle(const char *label, const char *program)
{
	static char why[80];
	uint32_t restarts = 0;
	int r;

	why[0] = '\0';
	if (crash(label) == NONE)
		snprintf(why, sizeof(why), "%s was not restarted after a crash", label);
	else if (service(label, &restarts) == NONE || rs_request(RS_RESTART, label, NULL) != 0 ||
		 await_restart(label, restarts) == NONE)
		snprintf(why, sizeof(why), "%s was not restarted on request", label);
	else if ((r = rs_update(label, program, SEF_LU_STATE_WORK_FREE, 100, 0)) != 0)
		snprintf(why, sizeof(why), "the update of %s: %d", label, r);
	else if ((r = rs_update(label, program, SEF_LU_STATE_WORK_FREE, 100, SEF_INIT_FAIL)) >= 0)
		snprintf(why, sizeof(why), "the update of %s that fails its init: %d", label, r);
	return why[0] ? why : NULL;
}

/* Every service through its cycle, then RS and DS killed. */
static const char *
all_cycles(void)
{
	const char *why;

	for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++)
		if ((why = service_cycle(services[i].label, services[i].program)))
			return why;
	if (kill_rs(SIGSEGV) == NONE)
		return "RS did not come back";
	if (kill_ds("repair.flat") < 0)
		return "DS did not come back";
	return NULL;
}

TEST(repair, resources_flat,
     "crash, restart, live update and rollback of every service: every counter stays flat")
{
	struct msg_sys_resources base;
	const char *why;

	EXPECT_EQ(ds_publish_u32("repair.flat", 1, DSF_OVERWRITE), 0); /* kill_ds() reads it */
	EXPECT((why = all_cycles()) == NULL, "first round: %s", why);
	EXPECT(steady(&base), "the counters do not settle");
	for (int round = 1; round <= 2; round++)
		EXPECT((why = all_cycles()) == NULL, "round %d: %s", round, why);
	EXPECT(!*(why = settled(&base)), "after crashes, restarts, updates and rollbacks: %s", why);
}

/* Wait until e runs again (not frozen, not held); false if it does not. */
static bool
running(endpoint_t e)
{
	for (int i = 0; i < 300; i++) {
		if (proc_state(e) == 0)
			return true;
		tickdelay(1);
	}
	return false;
}

#define FILL_MAX 256 /* more than there are slots */

static uint8_t filler_image[16 * 1024];
static endpoint_t fillers[FILL_MAX];

/*
 * Take every free process slot with held processes (never allowed to run),
 * and every free privilege structure by giving some of them privileges
 * (no calls, no targets, no signal manager: a kill clears them at once).
 * The number taken, or -E.
 */
static int
fill_tables(void)
{
	size_t size;
	int n = 0, r;

	if ((r = sys_getimage_named("restricted", filler_image, sizeof(filler_image), &size)) < 0)
		return r;
	while (n < FILL_MAX && sys_spawn(filler_image, size, "filler", NULL, &fillers[n]) == 0)
		n++;
	for (int i = 0; i < n; i++) {
		struct priv_desc d = { .sig_mgr = NONE };

		if (sys_privctl(fillers[i], PRIVCTL_SET, &d, 0, 0) < 0)
			break;
	}
	return n;
}

static void
empty_tables(int n)
{
	for (int i = 0; i < n; i++)
		sys_kill(fillers[i], SIGKILL); /* no manager: the kernel clears it */
}

TEST(repair, rs_full_table,
     "RS, DS and the replica killed while the process and privilege tables are full: all come back")
{
	struct msg_sys_resources base, full;
	endpoint_t rs = find("rs"), replica = find("rs_replica");
	const char *why = NULL;
	int n;

	EXPECT_EQ(ds_publish_u32("repair.full", 1, DSF_OVERWRITE), 0); /* kill_ds() reads it */
	EXPECT(steady(&base), "the counters do not settle");
	EXPECT((n = fill_tables()) > 0, "no filler process: %d", n);
	resources(&full);
	if (full.used_slots != full.nr_slots || full.used_privs != full.nr_privs)
		why = "the tables are not full";
	else if (kill_rs(SIGSEGV) != rs)
		why = "RS did not come back";
	else if (kill_ds("repair.full") < 0)
		why = "DS did not come back";
	else if (sys_kill(replica, SIGKILL) < 0 || !running(replica))
		why = "the replica did not come back";
	else if (kill_rs(SIGILL) != rs)
		why = "RS did not come back under the new replica";
	empty_tables(n);
	EXPECT(!why, "%s (slots %u/%u, privileges %u/%u)", why, full.used_slots, full.nr_slots,
	       full.used_privs, full.nr_privs);
	EXPECT(!*(why = settled(&base)), "after the tables were emptied: %s", why);
}

#define DROP_BOUND        30 /* ticks: the test client's bound on a suspendable request */
#define HELLO_REPLY_BOUND 20 /* ticks: hello's replybound= (drivers/hello/system.conf) */

/*
 * hello takes a request and never answers it, bounded by `bound` ticks;
 * with `answered_first`, a bounded request it answers goes just before,
 * and a few ticks pass between.  The client must be let go (EDEADSRCDST,
 * the driver gone) after `waits` ticks (10 more at the most), hello be
 * restarted, and RS count a hang, not a crash.
 */
static void
dropped_call(uint64_t bound, bool answered_first, uint64_t waits)
{
	struct msg_rs_reply before, after;
	uint64_t start, took;
	uint32_t opens = 0;
	endpoint_t h, h2;
	int64_t r;

	EXPECT_EQ(rs_request(RS_LOOKUP, "hello", &before), 0);
	h = before.endpt;
	EXPECT(h != NONE, "hello is not running");
	EXPECT_EQ(cdev_open(h, 0, CDEV_R_BIT), 0);
	cdev_set_bounds(CDEV_BOUND_TICKS, bound);
	if (answered_first) {
		EXPECT_EQ(cdev_ioctl(h, 0, HELLO_IOC_OPENS, &opens), 0);
		EXPECT_EQ(tickdelay(CALL_BOUND_MIN / 2), 0);
	}
	start = uptime();
	r = cdev_ioctl(h, 0, HELLO_IOC_DROP, NULL); /* hello takes it and forgets it */
	took = uptime() - start;
	cdev_set_bounds(CDEV_BOUND_TICKS, 0);
	EXPECT_EQ(r, -EDEADSRCDST); /* let go: the driver is gone */
	EXPECT(took >= waits && took <= waits + 10, "the client waited %llu ticks",
	       (unsigned long long)took);
	h2 = await_restart("hello", before.restarts);
	EXPECT(h2 != NONE && h2 != h, "hello was not restarted");
	EXPECT_EQ(rs_request(RS_LOOKUP, "hello", &after), 0);
	EXPECT_EQ(after.hangs, before.hangs + 1);   /* counted as a hang, not a crash */
	EXPECT_EQ(cdev_open(h2, 0, CDEV_R_BIT), 0); /* the client may go on */
}

TEST(repair, dropped_request,
     "a request dropped by a service that answers pings: the client is let go within its bound, "
     "the service restarted")
{
	dropped_call(DROP_BOUND, false, DROP_BOUND);
}

/*
 * The kernel keeps one call timer per process and arms it lazily: the
 * answered call leaves it armed for its own deadline, which passes while
 * the dropped one waits.  The service must then be called hung only once
 * that call has waited the service's bound (longer than the client's),
 * counted from its own start, not from the earlier call's.
 */
TEST(repair, hang_counted_from_call,
     "a dropped request right after an answered one: hung only once it waited the service's own "
     "bound")
{
	dropped_call(CALL_BOUND_MIN, true, HELLO_REPLY_BOUND);
}

/* ---- kit.rs_record_once ------------------------------------------------ */

#define RECORD_SEED   0x5eed0012u /* change it to try other points; the run shows it */
#define RECORD_ROUNDS 16
#define RECORD_DELAY  6 /* ticks: RS dies 0..RECORD_DELAY-1 ticks into a sequence */

static uint32_t record_rng = RECORD_SEED;

static uint32_t
next_random(void)
{
	record_rng ^= record_rng << 13;
	record_rng ^= record_rng >> 17;
	record_rng ^= record_rng << 5;
	return record_rng;
}

/* What RS's table says of a service, as far as a new RS must agree. */
struct row {
	uint32_t restarts;
	bool running;
	bool cloned;
};

static const char *const record_labels[] = { "hello", "hello2", "sefclone" };
#define NR_RECORD_LABELS (sizeof(record_labels) / sizeof(record_labels[0]))

/* The service's row, once it has settled: running (or not), no update under way. */
static bool
settled_row(const char *label, bool want_clone, struct row *row)
{
	struct msg_rs_reply r;

	for (int i = 0; i < 300; i++) {
		if (rs_request(RS_LOOKUP, label, &r) == 0 && r.endpt != NONE && r.lu_new == NONE &&
		    proc_state(r.endpt) == 0 && (!want_clone || r.clone != NONE)) {
			*row = (struct row){ r.restarts, true, r.clone != NONE };
			return true;
		}
		tickdelay(1);
	}
	return false;
}

/*
 * One sequence, with RS killed `delay` ticks into it: a restart on request
 * (one restart more), a restart of the cloned service, a live update or a
 * rolled-back one (no restart).  The service whose restart count grows, or
 * -1.
 */
static int
record_round(uint32_t op, uint32_t delay)
{
	switch (op) {
	case 0:
		rs_request(RS_RESTART, "hello", NULL);
		break;
	case 1:
		rs_request(RS_RESTART, "sefclone", NULL);
		break;
	case 2:
		rs_update_send("hello2", "hello_v2", SEF_LU_STATE_WORK_FREE, 50, 0);
		break;
	default:
		rs_update_send("hello2", "hello_v2", SEF_LU_STATE_WORK_FREE, 50, SEF_INIT_FAIL);
		break;
	}
	tickdelay(delay);
	kill_rs(delay % 2 ? SIGSEGV : SIGKILL);
	return op == 0 ? 0 : op == 1 ? 2 : -1;
}

static void
record_hello2_back(void)
{
	rs_update("hello2", "hello", SEF_LU_STATE_WORK_FREE, 100, 0);
}

TEST(kit, rs_record_once,
     "RS killed at a random (seeded) point of a restart or update recovers the same table")
{
	struct row before[NR_RECORD_LABELS], after;
	struct msg_sys_resources base;
	const char *why;

	printf("kit.rs_record_once: seed %#x, %d rounds\n", RECORD_SEED, RECORD_ROUNDS);
	EXPECT_EQ(rs_request(RS_CLONE, "sefclone", NULL), 0);
	/*
	 * hello2's program is hello_v2 from the first update that commits on
	 * (updates stick), and every new RS then holds a copy of it: so it is
	 * already, and RS holds that copy, when the counters are read.
	 */
	test_cleanup(record_hello2_back);
	EXPECT_EQ(rs_update("hello2", "hello_v2", SEF_LU_STATE_WORK_FREE, 100, 0), 0);
	for (size_t l = 0; l < NR_RECORD_LABELS; l++)
		EXPECT(settled_row(record_labels[l], l == 2, &before[l]), "%s did not settle",
		       record_labels[l]);
	EXPECT(steady(&base), "the counters do not settle");
	for (int round = 0; round < RECORD_ROUNDS; round++) {
		uint32_t op = next_random() % 4, delay = next_random() % RECORD_DELAY;
		int grows = record_round(op, delay);

		for (size_t l = 0; l < NR_RECORD_LABELS; l++) {
			EXPECT(settled_row(record_labels[l], l == 2, &after),
			       "round %d (op %u, RS killed after %u ticks): %s did not settle",
			       round, op, delay, record_labels[l]);
			before[l].restarts += (int)l == grows;
			EXPECT(after.restarts == before[l].restarts,
			       "round %d (op %u, RS killed after %u ticks): %s has %u restarts, "
			       "not %u",
			       round, op, delay, record_labels[l], after.restarts,
			       before[l].restarts);
			EXPECT(after.cloned == before[l].cloned,
			       "round %d (op %u, RS killed after %u ticks): %s's clone %s", round,
			       op, delay, record_labels[l], after.cloned ? "appeared" : "is lost");
		}
	}
	EXPECT(!*(why = settled(&base)), "after %d deaths of RS mid-sequence: %s", RECORD_ROUNDS,
	       why);
}

/*
 * RS and its replica dead together: each is the other's signal manager,
 * so neither can be repaired.  RS is held first, so that it cannot collect
 * the replica's death in between (as two faults at once would leave it).
 * It runs last: the system has no RS afterwards.
 */
TEST_LAST(repair, rs_gone, "a caller of an RS that is dead and not coming back gets an error")
{
	endpoint_t rs = find("rs"), replica = find("rs_replica"), peer = find("peer_a");
	uint64_t status;
	message m;

	EXPECT_EQ(sys_privctl(rs, PRIVCTL_DISALLOW, NULL, 0, 0), 0);
	EXPECT_EQ(peer_command(peer, PEER_RS, RS_LOOKUP, 0), 0); /* a caller, queued on RS */
	for (int i = 0; i < 100 && !(proc_state(peer) & (PROC_STATE_SENDING | PROC_STATE_AWAITING));
	     i++)
		tickdelay(1);
	EXPECT(proc_state(peer) & (PROC_STATE_SENDING | PROC_STATE_AWAITING),
	       "the caller is not waiting for RS");
	EXPECT_EQ(sys_kill(replica, SIGKILL), 0);
	EXPECT_EQ(sys_kill(rs, SIGKILL), 0);

	EXPECT_EQ(ipc_receive(peer, &m, &status), 0);   /* the caller was let go... */
	EXPECT_EQ((int64_t)m.m_u64.v[0], -EDEADSRCDST); /* ...with an error */
	EXPECT(rs_request(RS_LOOKUP, "hello", NULL) < 0, "a new call got an answer");
	EXPECT_EQ(proc_state(rs), -1); /* both are gone */
	EXPECT_EQ(proc_state(replica), -1);
}

TEST(libsys, tickdelay_zero, "tickdelay(0) returns at once, and a later delay still waits")
{
	uint64_t before = uptime();

	EXPECT_EQ(tickdelay(0), 0);
	EXPECT(uptime() - before <= 1, "tickdelay(0) took %llu ticks",
	       (unsigned long long)(uptime() - before));
	before = uptime();
	EXPECT_EQ(tickdelay(2), 0);
	EXPECT(uptime() - before >= 2, "tickdelay(2) took %llu ticks",
	       (unsigned long long)(uptime() - before));
}
