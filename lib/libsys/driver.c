/*
 * The announce rule and the open minors of a driver (driver.h).
 */
#include "driver.h"
#include "sef.h"
#include <string.h>

static uint64_t opened[DRIVER_MINORS / 64];
static bool check_opens;	/* false until the driver announced itself */

void
driver_announce(int init_type, const char *who)
{
	memset(opened, 0, sizeof(opened));
	check_opens = true;

	/*
	 * A stateful restart kept our endpoint: clients blocked on the dead
	 * instance must be released to retry.  A fresh start has a new
	 * endpoint, and a request already queued on it is legitimate.
	 */
	if (init_type == SEF_INIT_RESTART) {
		int r = sys_statectl(STATECTL_CLEAR_IPC_REFS);

		if (r < 0)
			panic("%s: cannot clear IPC state: %d", who, r);
	}
}

void
driver_mark_open(devminor_t minor)
{
	if (minor < DRIVER_MINORS)
		opened[minor / 64] |= 1ULL << (minor % 64);
}

bool
driver_was_opened(devminor_t minor)
{
	if (!check_opens)
		return true;
	return minor < DRIVER_MINORS && (opened[minor / 64] & (1ULL << (minor % 64)));
}
