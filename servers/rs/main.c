/*
 * RS, the reincarnation server: starts the services of its configuration,
 * keeps them alive (heartbeats; restarts with backoff when they die or
 * hang), and obeys administrators' requests (see request.c).  The kernel
 * starts RS; RS starts everything else.  See README.md.
 */
#include "rs.h"
#include <sef.h>

#define RS_TICKS 1 /* how often RS looks at its services */

static endpoint_t ds_endpt = NONE; /* DS, which keeps its endpoint across restarts */

/*
 * One message: a notification (clock, ping reply) or a request.  Kernel
 * signals of the services never get here: SEF hands them to rs_signal.
 */
static void
rs_handle(void)
{
	message m;
	uint64_t status;

	if (sef_receive_status(ANY, &m, &status) < 0)
		return;
	if (!ipc_status_is_notify(status) && IS_CDEV_RQ(m.m_type)) {
		rs_cdev(&m, status); /* /dev/service, through VFS */
	} else if (!ipc_status_is_notify(status)) {
		rs_serve(&m);
	} else if (m.m_source == CLOCK) {
		/* Late: RS itself did not run for a while (service.c: ping). */
		bool late = rs_now && m.m_notify.timestamp > rs_now + 2 * RS_TICKS;

		rs_now = m.m_notify.timestamp;
		rs_tick(late);
		sys_setalarm(RS_TICKS, false, NULL);
	} else if (m.m_source == CONSOLE) {
		rs_dump_key(); /* the kernel printed its tables: ours and the servers' */
	} else if (m.m_source == ds_endpt) {
		rs_republish(); /* DS restarted empty: it knows nothing */
	} else {
		rs_ping_reply(m.m_source);
	}
}

/* Right before RS waits for its next message. */
static void
before_receive(void)
{
	rs_replica_vm_word(NULL); /* may the replica ask VM (replica.c) */
	rs_records_flush();       /* RS's records: written in one place */
}

/* Start the boot services in order, waiting for each one marked sync. */
static void
rs_boot(void)
{
	for (int i = 0; i < NR_SERVICES; i++) {
		struct rproc *rp = &rproc[i];
		int r;

		rs_replica_boot(false); /* once VM is up: VM builds it */
		if (rp->state != RP_DOWN || (rp->flags & RPF_BOOT_DOWN))
			continue;
		if ((r = rs_start(rp)) < 0)
			panic("cannot start boot service %s: %d", rp->label, r);
		while ((rp->flags & RPF_SYNC) && rp->state == RP_STARTING)
			rs_handle();
		if ((rp->flags & RPF_SYNC) && rp->init_result < 0)
			panic("boot service %s failed to initialise: %d", rp->label,
			      rp->init_result);
	}
	rs_replica_boot(true); /* at the latest now */
}

int
main(int argc, char **argv)
{
	bool recovering = argc > 1 && strcmp(argv[1], "recover") == 0;

	if (argc > 1 && strcmp(argv[1], "replica") == 0)
		rs_replica_main();
	sef_setcb_signal_manager(rs_signal);
	sef_setcb_before_receive(before_receive);
	sef_startup(); /* RS has no RS above it: a fresh init, no handshake */
	if (rs_config_load() < 0)
		panic("no system.conf boot module");
	sys_lookup("ds", &ds_endpt);
	sys_setalarm(RS_TICKS, false, NULL);
	rs_cdev_publish();
	if (recovering) {
		rs_replica_start(true); /* the one that started us */
		rs_keep_recover();      /* programs from files, from the replica (keep.c) */
		rs_recover();
	} else
		rs_boot();
	for (;;)
		rs_handle();
}
