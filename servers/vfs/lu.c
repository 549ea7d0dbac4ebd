/*
 * Live update of VFS with its state carried over (docs/files.md, "When a
 * piece crashes"; issue 15 item 8).  VFS's state is its tables: mounts,
 * vnodes, open files, descriptor tables, processes (with every call they
 * have suspended: in a pipe, a FIFO open, poll, a character driver), the
 * pipes and their rings, the dmap, and the grants it has given drivers
 * for the calls in flight.  None of it is on a disk, and most of it points
 * into itself, so it is carried over the way MINIX 3.4 does when the new
 * version is the same program: by identity.  The new version copies each
 * table from the old version's memory into the same place in its own,
 * where every pointer in them means what it meant.
 *
 *   prepare  (the old version, RS's SEF_LU_STATE_WORK_FREE): reached
 *            between two requests, when no message of VFS's is still
 *            waiting for its receiver (a driver request or a SIGPIPE in
 *            the asynsend table would go out under the old version's
 *            endpoint, and its answer be lost).
 *   save     the old version publishes, privately in DS, where each table
 *            is and how large (struct lu_state); its memory is not touched
 *            again, so a rollback finds it as it was.
 *   init     the new version (vfs_init_lu) checks that every table is at
 *            the same address with the same size as its own (the same
 *            build: else its init fails and RS rolls back), copies them
 *            through magic grants on the old version (info->old_endpt),
 *            gives each pipe a ring of its own with the old one's bytes,
 *            takes the old grant table over (the grant ids drivers hold
 *            stay good), and sets the alarm for poll's deadlines again.
 *
 * The endpoint does not change, so user processes, PM, file systems and
 * drivers see nothing: their messages wait on it during the swap.  An
 * update to a program whose data differ (another build) is refused: the
 * pointers in the tables would need translating, which is not built.
 * Entry points: vfs_lu_prepare, vfs_lu_save, vfs_init_lu.
 */
#include "vfs_int.h"
#include <sef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LU_KEY      "vfs.lu"
#define LU_LAYOUT   1 /* the tables' format: a new version must have the same */
#define LU_REGIONS  24
#define GRANT_SLOTS 256 /* libsys's NR_GRANTS: checked against cpf_table */

struct lu_region {
	uint64_t addr, size;
};

struct lu_state {
	uint32_t layout;
	uint32_t n;
	struct lu_region r[LU_REGIONS];
};

AX_STATIC_ASSERT(sizeof(struct lu_state) <= DS_MAX_MEMLEN, "the state's map fits one DS entry");

static struct lu_state here;
static grant_entry_t old_grants[GRANT_SLOTS];

static void
add(void *addr, size_t size)
{
	if (here.n >= LU_REGIONS)
		panic("vfs: more state regions than LU_REGIONS");
	here.r[here.n++] = (struct lu_region){ (uint64_t)addr, size };
}

/*
 * Where this version keeps what is carried: the tables of vfs_int.h, then
 * each file's own (pm.c, vnode.c, pipe.c, device.c, ctty.c).  The grant table is last: it
 * is taken over after everything else (vfs_init_lu).
 */
static void
map_state(void)
{
	size_t n;
	grant_entry_t *g = cpf_table(&n);

	memset(&here, 0, sizeof(here));
	here.layout = LU_LAYOUT;
	add(vmnts, sizeof(vmnts));
	add(vnodes, sizeof(vnodes));
	add(filps, sizeof(filps));
	add(fprocs, sizeof(fprocs));
	add(&root_mnt, sizeof(root_mnt));
	add(&pm_endpt, sizeof(pm_endpt));
	fdtab_lu_state(add);
	vnode_lu_state(add);
	pipe_lu_state(add);
	dmap_lu_state(add);
	ctty_lu_state(add);
	add(g, n * sizeof(*g));
}

/* RS's prepare state: WORK_FREE once nothing of ours waits in the asynsend table. */
bool
vfs_lu_prepare(int state)
{
	return state == SEF_LU_STATE_WORK_FREE && !asynsend_pending();
}

/* The old version, prepared: where its tables are, to DS. */
int
vfs_lu_save(int state)
{
	(void)state;
	map_state();
	return ds_publish_mem(LU_KEY, &here, sizeof(here), DSF_PRIVATE | DSF_OVERWRITE);
}

/* len bytes at addr in process `from` into dst: 0 or -E. */
int
lu_copy_from(endpoint_t from, uint64_t addr, void *dst, size_t len)
{
	grant_id_t g = cpf_grant_magic(self_endpoint, from, addr, len, GRANT_READ);
	int r;

	if (g == GRANT_INVALID)
		return -ENOMEM;
	r = sys_safecopyfrom(self_endpoint, g, 0, dst, len);
	cpf_revoke(g);
	return r;
}

/* The old version's map against ours: the same layout, every table where ours is. */
static int
check_map(const struct lu_state *old)
{
	if (old->layout != here.layout || old->n != here.n)
		return -EINVAL;
	for (uint32_t i = 0; i < here.n; i++)
		if (old->r[i].addr != here.r[i].addr || old->r[i].size != here.r[i].size)
			return -EINVAL;
	return 0;
}

/* The old grant table becomes ours (entries and sequences): the grants in flight stay good. */
static int
take_grants(endpoint_t old, const struct lu_region *r)
{
	size_t n;
	grant_entry_t *g = cpf_table(&n);
	int e;

	if (n != GRANT_SLOTS || r->size != sizeof(old_grants))
		return -EINVAL;
	if ((e = lu_copy_from(old, r->addr, old_grants, sizeof(old_grants))) < 0)
		return e;
	memcpy(g, old_grants, sizeof(old_grants)); /* none of ours is live now */
	return cpf_reload();
}

/* The new version of a live update: the old one's tables, then its rings and grants. */
int
vfs_init_lu(int type, const struct msg_rs_init *info)
{
	struct lu_state old;
	size_t len = sizeof(old);
	int r;

	(void)type;
	map_state();
	if ((r = ds_retrieve_mem(LU_KEY, &old, &len)) < 0 || len != sizeof(old)) {
		printf("vfs: live update: no state in DS (%d)\n", r);
		return r < 0 ? r : -EINVAL;
	}
	if ((r = check_map(&old)) < 0) {
		printf("vfs: live update: the new version keeps its tables elsewhere: refused\n");
		return r;
	}
	for (uint32_t i = 0; i + 1 < here.n; i++)
		if ((r = lu_copy_from(info->old_endpt, old.r[i].addr, (void *)here.r[i].addr,
				      old.r[i].size)) < 0)
			break;
	if (r < 0 || (r = pipe_lu_rings(info->old_endpt)) < 0 ||
	    (r = take_grants(info->old_endpt, &old.r[here.n - 1])) < 0) {
		printf("vfs: live update: the old version's state cannot be copied: %d\n", r);
		return r;
	}
	select_alarm(); /* poll's deadlines: the alarm was the old version's */
	return 0;
}
