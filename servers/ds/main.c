/*
 * DS, the data store: a typed key-value store with owners, private entries
 * and subscriptions (see README.md and include/ax/ds.h).  The kernel starts
 * it as a boot module; it keeps no state outside its tables, so start-up
 * is nothing but the receive loop.
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
	message m;

	(void)argc;
	(void)argv;
	for (;;) {
		ds_receive(&m);
		ds_dispatch(&m);
	}
}
