/*
 * Live update of MFS with its state carried over, the way MINIX 3.4's MFS
 * does it: flushed and re-read.  The old version, once RS's prepare state
 * is reached (between two requests: nothing half done), writes every dirty
 * block to the device and hands to DS, in two private entries, what is not
 * on the disk: the mount (the driver's label, the minor, read-only or not,
 * the allocation hints) and the references VFS holds (inode number, count,
 * mount point).  The new version's init reads them back, opens the device,
 * reads and checks the superblock again, and takes each held inode into
 * its cache with its count: every cached block and inode the old one had
 * is read again when it is next needed.  Requests sent meanwhile wait on
 * the endpoint, which the update keeps, so a client sees nothing.
 *
 * If the new version cannot take the state over (the device is gone, the
 * superblock changed, more references than its cache holds) its init
 * fails and RS rolls back to the old version, whose memory is untouched.
 * A crash (not an update) loses the state as before (docs/files.md).
 * Entry points: mfs_lu_save, mfs_init_lu.
 */
#include <sef.h>
#include <stdio.h>
#include <string.h>
#include "mfs.h"

/* DS keys, "<label>.lu.mount" and "<label>.lu.held": each MFS instance (rootfs, mfs...) its own. */
static char mount_key[DS_MAX_KEYLEN], held_key[DS_MAX_KEYLEN];

static void
lu_keys(void)
{
	snprintf(mount_key, sizeof(mount_key), "%s.lu.mount", self_name);
	snprintf(held_key, sizeof(held_key), "%s.lu.held", self_name);
}

/* The mount, as DS keeps it over an update. */
struct lu_mount {
	uint32_t mounted;
	uint32_t rdonly;
	int32_t minor;
	uint32_t nheld;
	uint64_t isearch, zsearch;
	char label[FS_LABEL_MAX + 1];
	uint8_t pad[7];
};

AX_STATIC_ASSERT(MFS_NR_INODES * sizeof(struct mfs_held) <= DS_MAX_MEMLEN,
		 "the references fit one DS entry");

static struct mfs_held held[MFS_NR_INODES];

/* The old version, prepared: cache written back, mount and references to DS. */
int
mfs_lu_save(int state)
{
	struct lu_mount mt;
	int n = 0;

	(void)state;
	lu_keys();
	memset(&mt, 0, sizeof(mt));
	if (fs.mounted) {
		if (sync_all() < 0)
			return -EIO; /* keep this version: its dirty blocks are its only copy */
		n = inode_held_list(held, MFS_NR_INODES);
		mt.mounted = 1;
		mt.rdonly = fs.rdonly;
		mt.minor = fs.minor;
		mt.nheld = (uint32_t)n;
		mt.isearch = fs.isearch;
		mt.zsearch = fs.zsearch;
		memcpy(mt.label, fs.label, sizeof(mt.label));
	}
	if (ds_publish_mem(mount_key, &mt, sizeof(mt), DSF_PRIVATE | DSF_OVERWRITE) < 0)
		return -EIO;
	if (n > 0 && ds_publish_mem(held_key, held, (size_t)n * sizeof(held[0]),
				    DSF_PRIVATE | DSF_OVERWRITE) < 0)
		return -EIO;
	return 0;
}

/* The new version: the mount and the references the old one handed over. */
int
mfs_init_lu(int type, const struct msg_rs_init *info)
{
	struct lu_mount mt;
	size_t len = sizeof(mt);
	int r;

	(void)type;
	(void)info;
	lu_keys();
	if (ds_retrieve_mem(mount_key, &mt, &len) < 0 || len != sizeof(mt))
		return -EIO;
	if (!mt.mounted)
		return 0;
	if (mt.nheld > MFS_NR_INODES)
		return -EIO;
	len = mt.nheld * sizeof(held[0]);
	if (mt.nheld > 0 &&
	    (ds_retrieve_mem(held_key, held, &len) < 0 || len != mt.nheld * sizeof(held[0])))
		return -EIO;
	mt.label[FS_LABEL_MAX] = '\0';
	if ((r = mount_device(mt.label, mt.minor, mt.rdonly != 0, false)) < 0)
		return r;
	fs.isearch = mt.isearch;
	fs.zsearch = mt.zsearch;
	for (uint32_t i = 0; i < mt.nheld; i++) {
		struct inode *in;

		if ((r = get_inode(held[i].ino, &in)) < 0)
			return r; /* RS rolls back: the old version still has everything */
		in->i_count = held[i].count & ~MFS_HELD_MOUNTPOINT;
		in->i_mountpoint = (held[i].count & MFS_HELD_MOUNTPOINT) != 0;
	}
	return 0;
}
