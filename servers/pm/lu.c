/*
 * Live update of PM with its whole state carried over (README.md, "State
 * and self-repair"; docs/self-repair.md).  PM's state is its tables: the
 * process table (pids, parents, groups, sessions, credentials, zombies and
 * their statuses, the calls PM holds with what ends them, each process's
 * signal actions, masks, pending signals and their siginfo, its timers,
 * alarms and limits), the table by kernel slot, the next pid, each
 * process's program file (/proc/<pid>/exe), uname's names, init's record,
 * the clock (the RTC's date and the tick it was read at) and the random
 * generator's key.  None of it
 * is anywhere else, and part of it points into PM itself (the table by
 * slot, each held call's cancel function), so it is carried the way VFS
 * carries its own (servers/vfs/lu.c), by identity: the new version copies
 * each table from the old version's memory into the same place in its
 * own, where every pointer means what it meant.
 *
 *   prepare  RS's SEF_LU_STATE_WORK_FREE: between two requests (PM
 *            finishes each before the next: fork, exec and exit wait for
 *            VM and VFS inside the request), once no LX_CANCEL of PM's
 *            waits in the asynsend table (it names PM's endpoint and would
 *            be lost in the swap: the call it cancels would never end).
 *   save     the old version grants the new one its map: where each table
 *            is, how large, and its build (a hash of its code and
 *            constants).  Nothing changes in its memory after that, so a
 *            rollback finds it as it was.
 *   init     the new version (pm_init_lu) checks that the old one is the
 *            same build (the same hash) with every table at the same
 *            address and of the same size, else its init fails and RS
 *            rolls back; then it copies each table through a magic grant
 *            on the old version (info->old_endpt).
 *
 * The endpoint does not change, so the kernel's view stays: PM remains the
 * owner of the PM class of Linux calls and the signal manager of user
 * processes, its alarm (the earliest timer of all processes) stays set,
 * and the calls and kernel signals that come during the swap wait in its
 * queue.  Entry points: pm_lu_prepare, pm_lu_save, pm_init_lu.
 *
 * A field of struct mproc is carried with the table; a new static table or
 * variable elsewhere must be named in its file's *_lu_state (map_state
 * below), or the new version starts it empty.
 */
#include "pm.h"
#include <sef.h>
#include <string.h>
#include <stdio.h>

#define LU_LAYOUT  1 /* the map's format */
#define LU_REGIONS 16

struct lu_region {
	uint64_t addr, size;
};

struct lu_map {
	uint32_t layout, n;
	uint64_t build; /* pm_build_id(): the same program, byte for byte */
	struct lu_region r[LU_REGIONS];
};

/*
 * What differs between two builds of PM at the least: a copy of PM with
 * this one constant changed is another build (servers/pm/Makefile.inc
 * makes /sbin/pm_b so, for the test of the refusal).
 */
static const char build_mark[] = "pm build A";

extern const uint8_t __image_start[], __image_ro_end[]; /* lib/libsys/proc.ld */

static struct lu_map here;
static grant_id_t map_grant = GRANT_INVALID;

/* FNV-1a over PM's code and constants: equal for the same build only. */
static uint64_t
pm_build_id(void)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (const uint8_t *p = __image_start; p < __image_ro_end; p++)
		h = (h ^ *p) * 0x100000001b3ull;
	return h;
}

static void
add(void *addr, size_t size)
{
	if (here.n >= LU_REGIONS)
		panic("more state regions than LU_REGIONS");
	here.r[here.n++] = (struct lu_region){ (uint64_t)addr, size };
}

/* Where this version keeps what is carried: each file names its own. */
static void
map_state(void)
{
	memset(&here, 0, sizeof(here));
	here.layout = LU_LAYOUT;
	here.build = pm_build_id();
	table_lu_state(add);
	exec_lu_state(add);
	linux_lu_state(add);
	init_lu_state(add);
	time_lu_state(add);
	random_lu_state(add);
}

/* RS's prepare state: WORK_FREE once no message of ours waits in the asynsend table. */
bool
pm_lu_prepare(int state)
{
	return state == SEF_LU_STATE_WORK_FREE && !asynsend_pending();
}

/* The old version, prepared: its map, granted to the new version (at our endpoint next). */
int
pm_lu_save(int state)
{
	(void)state;
	if (map_grant != GRANT_INVALID)
		cpf_revoke(map_grant); /* an earlier update's, rolled back */
	map_state();
	map_grant = cpf_grant_direct(self_endpoint, &here, sizeof(here), GRANT_READ);
	if (map_grant == GRANT_INVALID)
		return -ENOMEM; /* RS rolls back at its deadline */
	sef_lu_state_handover(map_grant, sizeof(here));
	return 0;
}

/* len bytes at addr in process `from` into the same place here: 0 or -E. */
static int
copy_table(endpoint_t from, const struct lu_region *r)
{
	grant_id_t g = cpf_grant_magic(self_endpoint, from, r->addr, r->size, GRANT_READ);
	int e;

	if (g == GRANT_INVALID)
		return -ENOMEM;
	e = sys_safecopyfrom(self_endpoint, g, 0, (void *)r->addr, r->size);
	cpf_revoke(g);
	return e;
}

/* Is the old version this very program, with every table where ours is? */
static int
same_build(const struct lu_map *old)
{
	if (old->layout != here.layout || old->build != here.build) {
		printf("pm: live update refused: the new version is another build (%s): "
		       "its tables cannot be taken over\n",
		       build_mark);
		return -EINVAL;
	}
	if (old->n != here.n)
		return -EINVAL;
	for (uint32_t i = 0; i < here.n; i++)
		if (old->r[i].addr != here.r[i].addr || old->r[i].size != here.r[i].size)
			return -EINVAL;
	return 0;
}

/*
 * The new version of a live update: the old one's tables, or a refusal
 * (RS rolls back, the old version goes on).  Nothing is registered: the
 * endpoint is the registered one.
 */
int
pm_init_lu(int type, const struct msg_rs_init *info)
{
	struct lu_map old;
	int r;

	(void)type;
	map_state();
	if (info->state_grant == GRANT_INVALID || info->state_size != sizeof(old)) {
		printf("pm: live update: no state handed over: refused\n");
		return -EINVAL;
	}
	if ((r = sys_safecopyfrom(info->old_endpt, info->state_grant, 0, &old, sizeof(old))) < 0)
		return r;
	if ((r = same_build(&old)) < 0)
		return r;
	for (uint32_t i = 0; i < here.n; i++)
		if ((r = copy_table(info->old_endpt, &here.r[i])) < 0) {
			printf("pm: live update: the old version's tables cannot be copied: %d\n",
			       r);
			return r;
		}
	return 0;
}
