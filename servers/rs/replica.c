/*
 * RS's replica: who restarts RS.
 *
 * RS runs a second copy of its own program with the argument "replica".
 * The replica does nothing but wait: it makes itself RS's signal manager,
 * so when RS dies the kernel tells the replica, which starts a new RS in
 * RS's slot the way RS restarts a stateful service (spawn, slot swap, the
 * dead program cleared) and lets it run with the argument "recover".  The
 * endpoint, privileges and queued callers of RS stay where they are; the
 * new RS rebuilds its service table from system.conf, the processes still
 * running and its records in DS (recover.c).  RS in turn is the replica's signal manager and
 * starts a new replica when the replica dies: each watches the other.
 */
#include "rs.h"

#define REPLICA_NAME	"rs_replica"
#define SWAP_TICKS	100	/* how long a send of the dead RS may keep it busy */

static endpoint_t replica = NONE;	/* RS's view: the replica's endpoint */
static uint32_t streak;			/* deaths in quick succession */
static uint64_t started_at, due;	/* its last start; the next one, if */
static bool start_due;			/* ...one is due */

/* Is e the replica?  RS asks when a process it does not know dies. */
bool
rs_is_replica(endpoint_t e)
{
	return e != NONE && e == replica;
}

/* RS: start a replica (at boot, or after one died); adopt the one running at recovery. */
void
rs_replica_start(bool adopt)
{
	struct priv_desc d;
	const uint8_t *image;
	size_t size;
	int r;

	if (adopt && sys_lookup(REPLICA_NAME, &replica) == 0)
		return;
	replica = NONE;
	started_at = rs_now;
	if (!(image = rs_load_image("rs", &size))) {
		printf("rs: no copy of my own program: running without a replica\n");
		return;
	}
	memset(&d, 0, sizeof(d));
	d.call_mask = ~0ull;
	d.nr_ipc = PRIV_DESC_ALL_IPC;
	d.sig_mgr = self_endpoint;
	if ((r = sys_spawn_prio(image, size, REPLICA_NAME, "replica", SERVICE_PRIO, &replica)) < 0 ||
	    (r = sys_privctl(replica, PRIVCTL_SET, &d, 0, 0)) < 0 ||
	    (r = sys_privctl(replica, PRIVCTL_ALLOW, NULL, 0, 0)) < 0) {
		printf("rs: cannot start my replica: %d\n", r);
		if (replica != NONE)
			sys_kill(replica, SIGKILL);
		replica = NONE;
	}
}

/* RS: the replica died (RS cleared it).  A new one, with backoff as for services. */
void
rs_replica_died(int signo)
{
	static uint32_t deaths;

	if (rs_report(++deaths))
		printf("rs: my replica died (signal %d), %u times so far\n", signo, deaths);
	replica = NONE;
	streak = rs_now < started_at + COOL_TICKS ? streak + 1 : 1;
	due = rs_now + rs_backoff(streak);
	start_due = true;
	rs_replica_tick();
}

void
rs_replica_tick(void)
{
	if (start_due && rs_now >= due) {
		start_due = false;
		rs_replica_start(false);
	}
}

/* ---- the replica itself ------------------------------------------------ */

static endpoint_t rs_ep;		/* RS's endpoint: the new RS keeps it */
static const uint8_t *rs_image;	/* RS's program, copied while all is well */
static size_t rs_image_size;

/*
 * Become RS's signal manager.  RS may do everything (its line in the
 * kernel's boot table, kernel/table.c): the description says so again.
 */
static void
watch_rs(void)
{
	struct priv_desc d;
	int r;

	memset(&d, 0, sizeof(d));
	d.call_mask = ~0ull;
	d.nr_ipc = PRIV_DESC_ALL_IPC;
	d.sig_mgr = self_endpoint;
	if ((r = sys_privctl(rs_ep, PRIVCTL_SET, &d, 0, 0)) < 0)
		panic("cannot become RS's signal manager: %d", r);
}

/*
 * Swap the new RS in.  A program that died in the middle of a send cannot
 * be swapped until its message is taken (RS sends only to DS, which takes
 * requests at once), so that case is retried for a while.
 */
static int
swap_in(endpoint_t fresh)
{
	int r;

	for (int tick = 0; (r = sys_update(rs_ep, fresh, 0)) == -EBUSY && tick < SWAP_TICKS; tick++)
		tickdelay(1);
	return r;
}

/* A new RS in RS's slot; the dead program is released.  0 or -E. */
static int
reincarnate_rs(void)
{
	endpoint_t fresh;
	int r;

	if ((r = sys_spawn_prio(rs_image, rs_image_size, "rs", "recover", SERVICE_PRIO, &fresh)) < 0)
		return r;
	if ((r = sys_privctl(fresh, PRIVCTL_SET, &(struct priv_desc){ .sig_mgr = NONE }, 0, 0)) < 0 ||
	    (r = swap_in(fresh)) < 0) {
		sys_kill(fresh, SIGKILL);
		return r;
	}
	sys_clear(fresh);	/* the dead program now sits there */
	return sys_privctl(rs_ep, PRIVCTL_ALLOW, NULL, 0, 0);
}

/*
 * RS's signals.  The replica is nobody's service: it takes no init
 * handshake and answers no pings (so no SEF), only SYSTEM's notification.
 */
static void
collect_signals(void)
{
	endpoint_t e;
	uint64_t sigs;
	int r;

	while (sys_getksig(&e, &sigs) == 0 && e != NONE) {
		bool lethal = false;

		for (int signo = 1; signo <= NSIG_AX; signo++)
			lethal |= (sigs & sig_bit(signo)) && rs_lethal(signo);
		if (e != rs_ep || !lethal) {
			sys_endksig(e);
			continue;
		}
		printf("%s: rs died (signals %#llx): starting a new one\n", REPLICA_NAME,
		       (unsigned long long)sigs);
		if ((r = reincarnate_rs()) < 0)
			printf("%s: cannot restart RS (%d): the services run on unwatched\n",
			       REPLICA_NAME, r);
	}
}

void
rs_replica_main(void)
{
	message m;
	uint64_t status;

	if (sys_lookup("rs", &rs_ep) < 0)
		panic("no RS to watch");
	if (!(rs_image = rs_load_image("rs", &rs_image_size)))
		panic("cannot keep a copy of RS's program");
	watch_rs();
	for (;;)
		if (ipc_receive(SYSTEM, &m, &status) == 0 && ipc_status_is_notify(status))
			collect_signals();
}
