/*
 * The mount: READSUPER reads the superblock at byte 1024 of the device and
 * checks it as a whole (super_check) before anything else is read; the
 * geometry it gives is kept in `fs` for every other file.  UNMOUNT (only
 * the root still referenced) and SYNC write back the block cache; STATFS
 * counts the free bits of both bitmaps.
 *
 * The clean bit (s_flags bit 0) as MINIX keeps it: a writable mount clears
 * it on the device at once, UNMOUNT sets it again after the last block is
 * written, so an image MFS did not unmount says so.  A clear bit is not
 * refused (Linux's mkfs.minix writes 0, and Linux and fsck.minix ignore
 * the field for v3); a mandatory bit (0xff00) is, as MINIX refuses one it
 * does not know.  Entry points: do_readsuper, do_unmount, do_statfs,
 * do_sync.
 */
#include <bdev.h>
#include <string.h>
#include "mfs.h"

struct mfs_fs fs;

/* Every cache empty; the block and page caches' memory back to the heap. */
static void
cache_clear(void)
{
	buf_release();
	inode_clear();
	name_cache_clear();
	page_release();
}

/* At mount: every cache empty, the block and page caches' memory from the heap (cache.c). */
static int
cache_setup(void)
{
	int r;

	cache_clear();
	if ((r = buf_setup()) < 0 || (r = page_setup()) < 0)
		cache_clear();
	return r;
}

static int
super_check(const struct mfs_super *sb, uint64_t dev_bytes)
{
	uint32_t bs = sb->s_block_size, per_block, inode_blocks, map_bits;

	if (sb->s_magic != MFS_MAGIC)
		return -EINVAL;
	if (bs < MFS_MIN_BLOCK || bs > MFS_MAX_BLOCK || (bs & (bs - 1)) != 0)
		return -EINVAL;
	if (sb->s_log_zone_size != 0 || sb->s_ninodes == 0 || sb->s_zones == 0)
		return -EINVAL;
	if ((uint64_t)sb->s_zones * bs > dev_bytes)
		return -EINVAL; /* the file system is larger than its device */
	per_block = bs / sizeof(struct mfs_dinode);
	inode_blocks = (uint32_t)(((uint64_t)sb->s_ninodes + per_block - 1) / per_block);
	map_bits = bs * 8;
	if ((uint64_t)sb->s_imap_blocks * map_bits < (uint64_t)sb->s_ninodes + 1)
		return -EINVAL;
	if ((uint64_t)sb->s_zmap_blocks * map_bits <
	    (uint64_t)sb->s_zones - sb->s_firstdatazone + 1)
		return -EINVAL;
	if ((uint64_t)2 + sb->s_imap_blocks + sb->s_zmap_blocks + inode_blocks >
	    sb->s_firstdatazone)
		return -EINVAL; /* the data area overlaps the tables */
	if (sb->s_firstdatazone >= sb->s_zones)
		return -EINVAL;
	if (sb->s_flags & MFS_FLAGS_MUST)
		return -EINVAL; /* a feature this MFS does not know */
	return 0;
}

/* The superblock's s_flags to the device, the clean bit `clean` (a writable mount). */
static int
write_clean(bool clean)
{
	uint8_t sector[BDEV_SECTOR];
	uint16_t flags;

	if (bdev_read(fs.dev, MFS_SUPER_OFFSET, sector, sizeof(sector), 0) != sizeof(sector))
		return -EIO;
	memcpy(&flags, sector + __builtin_offsetof(struct mfs_super, s_flags), sizeof(flags));
	flags = (uint16_t)(clean ? flags | MFS_CLEAN : flags & ~MFS_CLEAN);
	memcpy(sector + __builtin_offsetof(struct mfs_super, s_flags), &flags, sizeof(flags));
	if (bdev_write(fs.dev, MFS_SUPER_OFFSET, sector, sizeof(sector), 0) != sizeof(sector))
		return -EIO;
	fs.sb.s_flags = flags;
	return 0;
}

/*
 * Mount `minor` of the block driver `label`: the superblock read and
 * checked, the geometry kept in `fs`, the root checked to be a directory;
 * a writable mount `checked` (check.c) and marked not clean on the device.
 * READSUPER checks; a live update's new version (update.c) does not: the
 * image is the one the old version had mounted, references and all.
 */
int
mount_device(const char *label, int32_t minor, bool rdonly, bool checked)
{
	uint8_t sector[BDEV_SECTOR];
	struct bdev_part part;
	struct inode *root;
	int driver, r;

	if ((driver = bdev_driver(label)) < 0)
		return driver;
	fs.dev = bdev_dev(driver, minor);
	if ((r = bdev_open(fs.dev, BDEV_R_BIT | (rdonly ? 0 : BDEV_W_BIT))) < 0)
		return r;
	/* The device's size: the superblock may claim no more. */
	if ((r = bdev_ioctl(fs.dev, DIOCGETP, &part)) < 0)
		goto fail;
	r = -EINVAL;
	if (part.size < MFS_SUPER_OFFSET + BDEV_SECTOR ||
	    bdev_read(fs.dev, MFS_SUPER_OFFSET, sector, sizeof(sector), 0) != sizeof(sector))
		goto fail;
	memcpy(&fs.sb, sector, sizeof(fs.sb));
	if ((r = super_check(&fs.sb, part.size)) < 0)
		goto fail;
	fs.bs = fs.sb.s_block_size;
	fs.inode_block = 2u + fs.sb.s_imap_blocks + fs.sb.s_zmap_blocks;
	fs.dev_blocks = part.size / fs.bs;
	fs.rdonly = rdonly;
	fs.minor = minor;
	memset(fs.label, 0, sizeof(fs.label));
	memcpy(fs.label, label, strnlen(label, FS_LABEL_MAX));
	fs.isearch = fs.zsearch = 1;
	if ((r = cache_setup()) < 0)
		goto fail;
	fs.mounted = true;
	if ((r = get_inode(MFS_ROOT_INO, &root)) < 0 || !is_type(root, MFS_S_IFDIR)) {
		fs.mounted = false;
		r = -EINVAL; /* a root that is not a directory: no file system */
		goto fail;
	}
	if (!rdonly && checked && ((r = check_fs()) < 0 || (r = write_clean(false)) < 0)) {
		fs.mounted = false;
		goto fail;
	}
	return 0;
fail:
	cache_clear();
	bdev_close(fs.dev);
	return r;
}

int
do_readsuper(endpoint_t caller, message *m)
{
	struct msg_fs_readsuper rq = m->m_fs_readsuper;
	char label[FS_LABEL_MAX + 1];
	struct inode *root;
	int r;

	if (fs.mounted)
		return -EBUSY;
	if (rq.rs_label_len == 0 || rq.rs_label_len > FS_LABEL_MAX || rq.rs_minor < 0)
		return -EINVAL;
	if ((r = sys_safecopystr(caller, rq.rs_label, label, rq.rs_label_len)) < 0)
		return r;
	if ((r = mount_device(label, rq.rs_minor, (rq.rs_flags & FS_RDONLY) != 0, true)) < 0)
		return r;
	root = held_inode(MFS_ROOT_INO);
	if (!root && get_inode(MFS_ROOT_INO, &root) < 0)
		return -EIO; /* just read by mount_device: cannot happen */
	root->i_count++;
	fill_node(&m->m_fs_node, root);
	m->m_fs_node.n_flags = fs.rdonly ? FS_RES_RDONLY : 0;
	return 0;
}

int
do_unmount(endpoint_t caller, message *m)
{
	int r;

	(void)caller;
	(void)m;
	if (!fs.mounted)
		return -EINVAL;
	if (inode_busy())
		return -EBUSY;
	r = sync_all();
	if (r == 0 && !fs.rdonly)
		r = write_clean(true); /* only once everything else is on the device */
	cache_clear();
	fs.mounted = false;
	bdev_close(fs.dev);
	return r;
}

int
do_statfs(endpoint_t caller, message *m)
{
	struct fs_statfs st;
	int64_t ifree, zfree;

	if (!fs.mounted)
		return -EINVAL;
	if ((ifree = count_free(2, (uint64_t)fs.sb.s_ninodes + 1)) < 0)
		return (int)ifree;
	zfree = count_free(2u + fs.sb.s_imap_blocks,
			   (uint64_t)fs.sb.s_zones - fs.sb.s_firstdatazone + 1);
	if (zfree < 0)
		return (int)zfree;
	memset(&st, 0, sizeof(st));
	st.f_bsize = fs.bs;
	st.f_namelen = MFS_NAME_MAX;
	st.f_blocks = fs.sb.s_zones - fs.sb.s_firstdatazone; /* the data zones, as Linux's minix */
	st.f_bfree = (uint64_t)zfree;
	st.f_files = fs.sb.s_ninodes;
	st.f_ffree = (uint64_t)ifree;
	st.f_magic = MFS_MAGIC;
	if (m->m_fs_io.io_size < sizeof(st))
		return -EINVAL;
	return sys_safecopyto(caller, m->m_fs_io.io_grant, 0, &st, sizeof(st));
}

int
do_sync(endpoint_t caller, message *m)
{
	(void)caller;
	(void)m;
	return fs.mounted ? sync_all() : -EINVAL;
}
