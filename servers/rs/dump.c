/*
 * RS's table on the console or in a caller's grant (DEBUG_DUMP, through
 * libsys's dispatcher): one line per configured service, with its state,
 * endpoint, restart count and flags.
 *
 * The console's dump key reaches RS as a notification from CONSOLE (the
 * kernel has printed its own tables): RS prints its table and asks DS and
 * every running service for theirs, on the console, without a reply.
 */
#include "rs.h"
#include <ax/debug.h>

static uint32_t dump_keys; /* CONSOLE notifications seen */

static const char *const state_names[] = {
	[RP_FREE] = "free",       [RP_DOWN] = "down",       [RP_STARTING] = "starting",
	[RP_RUNNING] = "running", [RP_BACKOFF] = "backoff", [RP_UPDATING] = "updating",
};

void
rs_dump(struct dump *d)
{
	int n = 0;

	for (int i = 0; i < NR_SERVICES; i++)
		n += rproc[i].state != RP_FREE;
	dump_printf(d, "rs: %d of %d services (now %llu, dump keys %u)\n", n, NR_SERVICES,
		    (unsigned long long)rs_now, dump_keys);
	for (int i = 0; i < NR_SERVICES; i++) {
		const struct rproc *rp = &rproc[i];

		if (rp->state == RP_FREE)
			continue;
		dump_printf(d,
			    "rs:   %-15s %-8s endpoint %-6d program %-10s restarts %u flags %#x "
			    "period %u clone %d\n",
			    rp->label, state_names[rp->state], rp->endpt, rp->program, rp->restarts,
			    rp->flags, rp->period, rp->clone);
	}
}

static void
ask_dump(endpoint_t e)
{
	message m = { .m_type = DEBUG_DUMP };
	int r;

	m.m_debug_dump.grant = GRANT_INVALID;
	m.m_debug_dump.flags = DEBUG_NOREPLY;
	if ((r = asynsend(e, &m)) < 0)
		printf("rs: cannot ask %d for its tables: %d\n", e, r);
}

/* The dump key: our table, then every server's (each prints its own). */
void
rs_dump_key(void)
{
	endpoint_t ds;

	dump_keys++;
	dump_run(&dump_console, rs_dump);
	if (sys_lookup("ds", &ds) == 0)
		ask_dump(ds);
	for (int i = 0; i < NR_SERVICES; i++)
		if (rproc[i].state == RP_RUNNING)
			ask_dump(rproc[i].endpt);
}
