/*
 * DS, the data store: a typed key-value store with owners, private entries
 * and subscriptions (see README.md and include/ax/ds.h).  The kernel starts
 * it as a boot module; it keeps no state outside its tables, so start-up
 * is nothing but the receive loop.  RS's replica restarts it in place when
 * it dies (servers/rs/replica.c), and keeps a copy of its entries
 * (backup.c).
 *
 * ds_receive() is the one place DS waits for work: when DS runs under RS,
 * its body becomes sef_receive() (which answers RS's pings), and main()
 * calls sef_startup() first.
 */
#include "ds.h"

/* The next request; notifications are not for DS (nobody sends it any yet). */
static void
ds_receive(message *m)
{
	uint64_t status;

	while (ipc_receive(ANY, m, &status) < 0 || ipc_status_is_notify(status))
		;
}

int
main(int argc, char **argv)
{
	endpoint_t rs;
	message m;

	/*
	 * Restarted in place by RS's replica after a crash: whoever waits for
	 * an answer of the dead instance is released to ask again.  (At boot
	 * this would lose requests already queued: only after a restart.)
	 */
	if (argc > 1 && strcmp(argv[1], "recover") == 0) {
		sys_statectl(STATECTL_CLEAR_IPC_REFS);
		if (!backup_restore()) {
			printf("ds: restarted without a backup; the store starts empty\n");
			if (sys_lookup("rs", &rs) == 0)
				ipc_notify(rs); /* RS publishes its labels again */
		}
	}
	for (;;) {
		ds_receive(&m);
		ds_serve(&m);
	}
}
