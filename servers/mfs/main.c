/*
 * mfs: the Minix v3 file system server.  One instance serves one mounted
 * device, over libbdev, answering the VFS-FS protocol (ax/vfs_fs.h,
 * docs/files.md): every request of it, the write side answering EROFS on
 * a read-only mount.
 *
 * A block cache (up to MFS_NR_BUFS blocks from the heap while a device is
 * mounted, least recently used goes first: cache.c) and an
 * inode cache (MFS_NR_INODES in-core inodes: the ones VFS holds references
 * on, by count, and recently used ones that may be reused) stand between
 * the requests and the device.  The block cache writes back: a dirty
 * block is written when it is evicted, at SYNC and at UNMOUNT.  Allocation
 * keeps the bitmaps true at every step (bit, then inode or zone, then the
 * pointer or entry), so that Linux's fsck.minix -f finds a synced image
 * clean.
 *
 * A corrupt image must give a mount error or EIO, never a crash, a hang or a
 * wild access: the superblock is checked as a whole at mount (super_check),
 * an inode when it enters the cache (inode_check), a zone number whenever
 * one is followed (zone_ok: inside the data area of the device), a
 * directory entry whenever one is read (entry_name).  Loops cannot hang it:
 * a lookup walks at most the components of the path it was given, a read
 * or getdents at most the size of one inode.
 *
 * This file holds the dispatch table (the index of the requests and the
 * file that serves each) and the main loop; mfs.h names the files.
 */
#include <sef.h>
#include <dispatch.h>
#include "mfs.h"

static void
mfs_dump(struct dump *d)
{
	int held, cached, slots, bufs_valid = buf_in_use(&slots);

	inode_in_use(&cached, &held);
	if (!fs.mounted) {
		dump_printf(d, "mfs: not mounted\n");
		return;
	}
	dump_printf(d,
		    "mfs: %u-byte blocks, %u zones, %u inodes; cache: %d/%d blocks, "
		    "%d/%d inodes (%d held)\n",
		    fs.bs, fs.sb.s_zones, fs.sb.s_ninodes, bufs_valid, slots, cached, MFS_NR_INODES,
		    held);
}

/* clang-format off */
static dispatch_fn *const mfs_calls[FS_NR_REQUESTS] = {
	[FS_READSUPER - FS_BASE] = do_readsuper,
	[FS_UNMOUNT - FS_BASE] = do_unmount,
	[FS_LOOKUP - FS_BASE] = do_lookup,
	[FS_PUTNODE - FS_BASE] = do_putnode,
	[FS_STAT - FS_BASE] = do_stat,
	[FS_READ - FS_BASE] = do_read,
	[FS_GETDENTS - FS_BASE] = do_getdents,
	[FS_READLINK - FS_BASE] = do_readlink,
	[FS_STATFS - FS_BASE] = do_statfs,
	[FS_MOUNTPOINT - FS_BASE] = do_mountpoint,
	[FS_WRITE - FS_BASE] = do_write,
	[FS_TRUNCATE - FS_BASE] = do_truncate,
	[FS_CREATE - FS_BASE] = do_create,
	[FS_MKDIR - FS_BASE] = do_mkdir,
	[FS_MKNOD - FS_BASE] = do_mknod,
	[FS_UNLINK - FS_BASE] = do_unlink,
	[FS_RMDIR - FS_BASE] = do_rmdir,
	[FS_LINK - FS_BASE] = do_link,
	[FS_SYMLINK - FS_BASE] = do_symlink,
	[FS_RENAME - FS_BASE] = do_rename,
	[FS_CHMOD - FS_BASE] = do_chmod,
	[FS_CHOWN - FS_BASE] = do_chown,
	[FS_UTIME - FS_BASE] = do_utime,
	[FS_SYNC - FS_BASE] = do_sync,
};
/* clang-format on */
static const struct dispatch mfs_dispatch = DISPATCH(FS_BASE, mfs_calls, mfs_dump);

int
main(int argc, char **argv)
{
	message m;

	(void)argc;
	(void)argv;
	sef_setcb_init_lu(mfs_init_lu);
	sef_setcb_lu_state_save(mfs_lu_save);
	sef_startup();
	for (;;) {
		int r;

		if (sef_receive(ANY, &m) < 0 || m.m_type == NOTIFY_MESSAGE)
			continue;
		/*
		 * The answer goes with the next receive (sef_reply: one REPLYRECV),
		 * not in a send of its own: one kernel entry less per request.
		 */
		if ((r = dispatch(&mfs_dispatch, m.m_source, &m)) != EDONTREPLY) {
			m.m_type = r;
			sef_reply(m.m_source, &m);
		}
	}
}
