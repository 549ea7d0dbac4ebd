/*
 * The end of the file systems: PM's VFS_PM_SHUTDOWN, sent by reboot(2)
 * (servers/pm/reboot.c) before the machine stops (docs/userland.md,
 * section 4).
 *
 * Every writable mount is synced first, so that the data is on its device
 * whatever happens next.  Then each mount is unmounted, those on top
 * first (a mount whose directories carry no live mount): VFS gives the
 * FS back every reference it holds on its inodes (one PUTNODE per vnode,
 * the whole count), whoever still uses the vnode, and sends FS_UNMOUNT,
 * on which MFS writes what is still dirty and its clean flag, and closes
 * its device.  Unlike umount2, nothing is busy here: init has ended the
 * processes it could, and those left (init itself, with its working
 * directory and console) do not outlive the machine.  The mount is then
 * marked dead, so that any request that still comes answers EIO rather
 * than reaching an FS that has let its device go.
 */
#include "vfs_int.h"
#include <string.h>
#include <stdio.h>

/* Does a mount not yet taken down cover a directory of mnt? */
static bool
carries_mounts(const struct vmnt *mnt, const bool *down)
{
	for (int i = 0; i < NR_VMNTS; i++)
		if (vmnts[i].m_used && !down[i] && vmnts[i].m_covered &&
		    vmnts[i].m_covered->v_mnt == mnt)
			return true;
	return false;
}

/* Give mnt's FS back every reference VFS holds on it. */
static void
give_back_references(struct vmnt *mnt)
{
	message m;

	for (int i = 0; i < NR_VNODES; i++) {
		struct vnode *v = &vnodes[i];

		if (v->v_mnt != mnt || v->v_fs_count == 0)
			continue; /* (in use or in vnode.c's cache: both hold references) */
		memset(&m, 0, sizeof(m));
		m.m_fs_putnode.p_ino = v->v_ino;
		m.m_fs_putnode.p_count = v->v_fs_count;
		fs_call(mnt, FS_PUTNODE, &m);
		v->v_fs_count = 0;
	}
}

/* Unmount mnt for good: 0, or the FS's error (the mount is dead either way). */
static int
take_down(struct vmnt *mnt)
{
	message m;
	int r;

	give_back_references(mnt);
	memset(&m, 0, sizeof(m));
	r = fs_call(mnt, FS_UNMOUNT, &m);
	if (r == -ENOSYS)
		r = 0; /* an FS without a device (procfs) has nothing to write */
	if (r < 0)
		printf("vfs: shutdown: unmounting %s (%s) failed: %d\n", mnt->m_dev, mnt->m_label,
		       r);
	mnt->m_dead = true;
	return r;
}

static int
sync_all(void)
{
	message m;
	int first = 0;

	for (int i = 0; i < NR_VMNTS; i++) {
		int r;

		if (!vmnts[i].m_used || vmnts[i].m_dead || vmnts[i].m_fs_rdonly)
			continue;
		memset(&m, 0, sizeof(m));
		if ((r = fs_call(&vmnts[i], FS_SYNC, &m)) < 0 && r != -ENOSYS && first == 0)
			first = r;
	}
	return first;
}

int
vfs_shutdown(void)
{
	bool down[NR_VMNTS] = { false };
	int first = sync_all(), left, unmounted = 0, before;

	do { /* a round takes down the mounts nothing sits on; each round at least one */
		left = 0;
		before = unmounted;
		for (int i = 0; i < NR_VMNTS; i++) {
			struct vmnt *mnt = &vmnts[i];
			int r;

			if (!mnt->m_used || down[i] || mnt->m_dead) {
				down[i] = true;
				continue;
			}
			if (carries_mounts(mnt, down)) {
				left++;
				continue;
			}
			if ((r = take_down(mnt)) < 0 && first == 0)
				first = r;
			down[i] = true;
			unmounted++;
		}
	} while (left > 0 && unmounted > before);
	printf("vfs: shutdown: %d file system%s synced and unmounted%s\n", unmounted,
	       unmounted == 1 ? "" : "s", first < 0 ? " (with errors)" : "");
	return first;
}
