/*
 * File ids for VM's page cache (include/ax/vfs.h, VFS_PM_EXEC_OPEN's
 * r_file_id and VFS_VM_MMAP's id; servers/vm/cache.c).  An id names one
 * content of one file: VM shares the frames of a file's pages between
 * every exec and mmap of the same id, so an id must never name two
 * contents.
 *
 * The table: (mount, inode) -> id, filled by exec's opens and mmap.c.  Every request
 * that changes a file's bytes (FS_WRITE, FS_TRUNCATE: fs_call sees them
 * all) drops the file's entry, so its next exec gets a new id; so does a
 * new mount in the same slot.  A file without an entry (never exec'd, or
 * pushed out of the small table) gets a new id at its next exec: an id is
 * only ever reused for a file that provably did not change meanwhile.
 * Ids come from one counter that starts at the time-stamp counter (halved:
 * bit 63 is never set), so a restarted VFS gives none that the last one
 * gave (VM keeps its cache).
 * Old ids' pages are never asked for again; VM frees them when memory is
 * short.
 *
 * ETXTBSY, as Linux's deny_write_access: a file a process runs, or that
 * exec has open, cannot be opened for writing or truncated (v_exec counts
 * them: open.c, stat.c), and exec of a file open for writing fails.  exec
 * holds its file from EXEC_OPEN; at EXEC_CLOSE the process keeps the last
 * one (fp_exe_next: a script's interpreter replaces the script, whose
 * hold goes at the interpreter's EXEC_OPEN), and EXEC_DONE makes it the
 * program the process runs (fp_exe) until its next exec or its end; a
 * fork's child runs its parent's (pm.c).
 */
#include "vfs_int.h"

#define EXEC_IDS 64

static struct exec_id {
	struct vmnt *mnt; /* NULL: free */
	fs_ino_t ino;
	uint64_t id;
} ids[EXEC_IDS];
static unsigned next_slot; /* the entry a new file takes when the table is full */
static uint64_t last_id;
/*
 * Bit ino % 64 is set for every inode that may have an entry (never
 * cleared but by a scan that finds none left): a write to a file that was
 * never exec'd, the usual case, costs one test instead of a scan.
 */
static uint64_t maybe;

#define INO_BIT(ino) (1ull << ((ino) % 64))

uint64_t
exec_id_of(struct vnode *v)
{
	struct exec_id *e = NULL;

	for (int i = 0; i < EXEC_IDS; i++) {
		if (ids[i].mnt == v->v_mnt && ids[i].ino == v->v_ino)
			return ids[i].id;
		if (!ids[i].mnt && !e)
			e = &ids[i];
	}
	if (!e) {
		e = &ids[next_slot];
		next_slot = (next_slot + 1) % EXEC_IDS;
	}
	/* Bit 63 clear: VM's module keys have it (include/ax/vm.h). */
	if (last_id == 0)
		last_id = read_tsc() >> 1;
	*e = (struct exec_id){ v->v_mnt, v->v_ino, ++last_id };
	maybe |= INO_BIT(v->v_ino);
	return e->id;
}

void
exec_id_changed(struct vmnt *mnt, fs_ino_t ino)
{
	uint64_t left = 0;

	if (!(maybe & INO_BIT(ino)))
		return;
	for (int i = 0; i < EXEC_IDS; i++) {
		if (ids[i].mnt == mnt && ids[i].ino == ino)
			ids[i].mnt = NULL;
		if (ids[i].mnt)
			left |= INO_BIT(ids[i].ino);
	}
	maybe = left;
}

void
exec_id_forget_mount(struct vmnt *mnt)
{
	for (int i = 0; i < EXEC_IDS; i++)
		if (ids[i].mnt == mnt)
			ids[i].mnt = NULL;
}

/* Is v open for writing in any open file description?  (exec's check, so a scan.) */
bool
exec_has_writer(const struct vnode *v)
{
	for (int i = 0; i < NR_FILPS; i++)
		if (filps[i].f_count > 0 && filps[i].f_vno == v &&
		    (filps[i].f_flags & LX_O_ACCMODE) != LX_O_RDONLY)
			return true;
	return false;
}

/* *slot runs v (NULL: nothing) from now on: the hold on the old one goes. */
void
exec_hold(struct vnode **slot, struct vnode *v)
{
	struct vnode *old = *slot;

	if (v) {
		vnode_dup(v);
		v->v_exec++;
	}
	*slot = v;
	if (old) {
		old->v_exec--;
		vnode_put(old);
	}
}
