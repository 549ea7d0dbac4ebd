/*
 * RS's table on the console or in a caller's grant (DEBUG_DUMP, through
 * libsys's dispatcher): one line per configured service, with its state,
 * endpoint, restart count and flags.
 */
#include "rs.h"

static const char *const state_names[] = {
	[RP_FREE] = "free", [RP_DOWN] = "down", [RP_STARTING] = "starting",
	[RP_RUNNING] = "running", [RP_BACKOFF] = "backoff", [RP_UPDATING] = "updating",
};

void
rs_dump(struct dump *d)
{
	int n = 0;

	for (int i = 0; i < NR_SERVICES; i++)
		n += rproc[i].state != RP_FREE;
	dump_printf(d, "rs: %d of %d services (now %llu)\n", n, NR_SERVICES,
		    (unsigned long long)rs_now);
	for (int i = 0; i < NR_SERVICES; i++) {
		const struct rproc *rp = &rproc[i];

		if (rp->state == RP_FREE)
			continue;
		dump_printf(d, "rs:   %-15s %-8s endpoint %-6d program %-10s restarts %u flags %#x "
			    "period %u clone %d\n", rp->label, state_names[rp->state], rp->endpt,
			    rp->program, rp->restarts, rp->flags, rp->period, rp->clone);
	}
}
