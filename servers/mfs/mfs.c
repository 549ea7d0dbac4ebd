/*
 * mfs: the Minix v3 file system server.  One instance serves one mounted
 * device, over libbdev, answering the VFS-FS protocol (ax/vfs_fs.h,
 * docs/files.md).  It answers READSUPER, UNMOUNT, LOOKUP, PUTNODE, STAT,
 * READ, GETDENTS, READLINK, STATFS, MOUNTPOINT, SYNC, and of the write side
 * WRITE, TRUNCATE (to 0, or larger), CREATE, MKDIR, UNLINK and RMDIR; the
 * rest of the write side answers ENOSYS (EROFS on a read-only mount).
 *
 * A block cache (MFS_NR_BUFS blocks, least recently used goes first) and an
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
 */
#include <libsys.h>
#include <sef.h>
#include <dispatch.h>
#include <bdev.h>
#include <string.h>
#include <ax/vfs_fs.h>
#include "mfs.h"

#define MFS_NR_BUFS   256
#define MFS_NR_INODES 128
#define MFS_IO_CHUNK  4096 /* bytes one copy moves at most */

struct buf {
	uint64_t b_block;
	uint64_t b_used; /* last use, for LRU */
	bool b_valid;
	bool b_dirty; /* to be written before it is reused */
	uint8_t b_data[MFS_MAX_BLOCK];
};

struct inode {
	fs_ino_t i_num;   /* 0: a free slot */
	uint32_t i_count; /* references VFS holds */
	uint64_t i_used;
	bool i_mountpoint;
	struct mfs_dinode i_d;
};

static struct {
	bool mounted;
	bool rdonly;
	bdev_t dev;
	struct mfs_super sb;
	uint32_t bs;          /* block size */
	uint32_t inode_block; /* first block of the inode table */
	uint64_t dev_blocks;
	uint64_t isearch, zsearch; /* no free bit below these */
} fs;

static struct buf bufs[MFS_NR_BUFS];
static struct inode inodes[MFS_NR_INODES];
static uint64_t use_clock;
static uint8_t iobuf[MFS_IO_CHUNK];
static char pathbuf[FS_PATH_MAX + 1];

/* ---- the block cache --------------------------------------------------- */

static int
buf_flush(struct buf *b)
{
	if (!b->b_valid || !b->b_dirty)
		return 0;
	if (bdev_write(fs.dev, b->b_block * fs.bs, b->b_data, fs.bs, 0) != (int64_t)fs.bs)
		return -EIO;
	b->b_dirty = false;
	return 0;
}

/*
 * Block `block` of the device in the cache, read from the device if `read`
 * (else its old contents are undefined: the caller overwrites it all); NULL
 * on an I/O error.  The pointer is good until the next call.
 */
static struct buf *
get_buf(uint64_t block, bool read)
{
	struct buf *victim = &bufs[0];

	if (block >= fs.dev_blocks)
		return NULL;
	for (int i = 0; i < MFS_NR_BUFS; i++) {
		struct buf *b = &bufs[i];

		if (b->b_valid && b->b_block == block) {
			b->b_used = ++use_clock;
			return b;
		}
		if (!b->b_valid || (victim->b_valid && b->b_used < victim->b_used))
			victim = b;
	}
	if (buf_flush(victim) < 0)
		return NULL; /* the device refuses writes: keep the block */
	victim->b_valid = false;
	if (read && bdev_read(fs.dev, block * fs.bs, victim->b_data, fs.bs, 0) != (int64_t)fs.bs)
		return NULL;
	victim->b_block = block;
	victim->b_valid = true;
	victim->b_dirty = false;
	victim->b_used = ++use_clock;
	return victim;
}

static const uint8_t *
get_block(uint64_t block)
{
	struct buf *b = get_buf(block, true);

	return b ? b->b_data : NULL;
}

/* The same, to be changed: the block is marked dirty. */
static uint8_t *
get_block_rw(uint64_t block, bool read)
{
	struct buf *b = get_buf(block, read);

	if (!b)
		return NULL;
	b->b_dirty = true;
	return b->b_data;
}

/* Every dirty block to the device: 0 or -EIO (the rest are still tried). */
static int
sync_all(void)
{
	int r = 0;

	for (int i = 0; i < MFS_NR_BUFS; i++)
		if (buf_flush(&bufs[i]) < 0)
			r = -EIO;
	return r;
}

static void
cache_clear(void)
{
	memset(bufs, 0, sizeof(bufs));
	memset(inodes, 0, sizeof(inodes));
}

/* ---- checks of what came from the disk --------------------------------- */

/* A zone a file may point at: inside the data area.  0 (a hole) is not. */
static bool
zone_ok(uint32_t zone)
{
	return zone >= fs.sb.s_firstdatazone && zone < fs.sb.s_zones;
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
	return 0;
}

/* An inode fit to use: a known type, a size its zones can hold. */
static int
inode_check(const struct mfs_dinode *d)
{
	uint64_t per = fs.bs / 4;
	uint64_t max_blocks = MFS_NR_DZONES + per + per * per + per * per * per;

	switch (d->i_mode & MFS_S_IFMT) {
	case MFS_S_IFREG:
	case MFS_S_IFDIR:
	case MFS_S_IFLNK:
		break;
	case MFS_S_IFCHR:
	case MFS_S_IFBLK:
	case MFS_S_IFIFO:
	case MFS_S_IFSOCK:
		return 0; /* no data zones (a device's number is in zone 0) */
	default:
		return -EIO;
	}
	if ((d->i_size + (uint64_t)fs.bs - 1) / fs.bs > max_blocks)
		return -EIO;
	if ((d->i_mode & MFS_S_IFMT) == MFS_S_IFDIR && d->i_size % sizeof(struct mfs_dirent) != 0)
		return -EIO;
	return 0;
}

/* ---- the inode cache --------------------------------------------------- */

/*
 * The cache slot of inode `num`: its own if cached, else the least recently
 * used one no reference holds (or a free one); NULL if every slot is held.
 */
static struct inode *
cache_slot(fs_ino_t num)
{
	struct inode *slot = NULL;

	for (int i = 0; i < MFS_NR_INODES; i++) {
		struct inode *in = &inodes[i];

		if (in->i_num == num)
			return in;
		if (in->i_count == 0 &&
		    (!slot || in->i_num == 0 || (slot->i_num != 0 && in->i_used < slot->i_used)))
			slot = in;
	}
	return slot;
}

/* Inode `num`, read in if needed; -EIO for a bad number or a bad inode. */
static int
get_inode(fs_ino_t num, struct inode **ip)
{
	struct inode *slot = NULL;
	const uint8_t *block;
	uint32_t per_block = fs.bs / sizeof(struct mfs_dinode);
	struct mfs_dinode d;
	int r;

	if (num < 1 || num > fs.sb.s_ninodes)
		return -EIO;
	if (!(slot = cache_slot(num)))
		return -ENFILE;
	if (slot->i_num == num) {
		slot->i_used = ++use_clock;
		*ip = slot;
		return 0;
	}
	if (!fs.mounted)
		return -EINVAL;
	block = get_block(fs.inode_block + (num - 1) / per_block);
	if (!block)
		return -EIO;
	memcpy(&d, block + ((num - 1) % per_block) * sizeof(d), sizeof(d));
	if ((r = inode_check(&d)) < 0)
		return r;
	memset(slot, 0, sizeof(*slot));
	slot->i_num = num;
	slot->i_d = d;
	slot->i_used = ++use_clock;
	*ip = slot;
	return 0;
}

/* An inode VFS holds a reference on: the only ones a request may name. */
static struct inode *
held_inode(fs_ino_t num)
{
	for (int i = 0; i < MFS_NR_INODES; i++)
		if (inodes[i].i_num == num && num != 0 && inodes[i].i_count > 0)
			return &inodes[i];
	return NULL;
}

static int write_inode(const struct inode *in);
static int64_t alloc_zone(void);

/*
 * The zone holding block `n` of the file: 0 for a hole, -EIO when a zone
 * number on the way points outside the data area.  With `alloc`, a hole
 * (and the indirect blocks on the way) is filled with new zeroed zones,
 * each pointed to as soon as it is taken; -ENOSPC when none is left.
 */
static int64_t
bmap_at(struct inode *in, uint64_t n, bool alloc)
{
	uint64_t per = fs.bs / 4;
	uint32_t *slot, zone;
	int levels;

	if (n < MFS_NR_DZONES) {
		slot = &in->i_d.i_zone[n];
		levels = 0;
	} else if ((n -= MFS_NR_DZONES) < per) {
		slot = &in->i_d.i_zone[7];
		levels = 1;
	} else if ((n -= per) < per * per) {
		slot = &in->i_d.i_zone[8];
		levels = 2;
	} else if ((n -= per * per) < per * per * per) {
		slot = &in->i_d.i_zone[9];
		levels = 3;
	} else {
		return alloc ? -EFBIG : -EIO;
	}
	zone = *slot;
	if (zone == 0 && alloc) {
		int64_t z = alloc_zone();
		int r;

		if (z < 0)
			return z;
		zone = *slot = (uint32_t)z;
		if ((r = write_inode(in)) < 0)
			return r;
	}
	for (;;) {
		const uint8_t *block;
		uint64_t span = 1, idx;
		uint32_t next;

		if (zone == 0)
			return 0;
		if (!zone_ok(zone))
			return -EIO;
		if (levels == 0)
			return zone;
		for (int l = 1; l < levels; l++)
			span *= per;
		idx = n / span;
		if (!(block = get_block(zone)))
			return -EIO;
		memcpy(&next, block + idx * 4, 4);
		if (next == 0 && alloc) {
			int64_t z = alloc_zone();
			uint8_t *w;

			if (z < 0)
				return z;
			next = (uint32_t)z;
			if (!(w = get_block_rw(zone, true)))
				return -EIO;
			memcpy(w + idx * 4, &next, 4);
		}
		zone = next;
		n %= span;
		levels--;
	}
}

static int64_t
bmap(const struct inode *in, uint64_t n)
{
	return bmap_at((struct inode *)in, n, false);
}

/* Copy bytes [pos, pos + len) of the file into buf (holes read as zeroes). */
static int
read_bytes(const struct inode *in, uint64_t pos, void *buf, size_t len)
{
	uint8_t *out = buf;

	while (len > 0) {
		uint64_t off = pos % fs.bs;
		size_t n = fs.bs - off < len ? fs.bs - off : len;
		int64_t zone = bmap(in, pos / fs.bs);
		const uint8_t *block;

		if (zone < 0)
			return (int)zone;
		if (zone == 0) {
			memset(out, 0, n);
		} else {
			if (!(block = get_block((uint64_t)zone)))
				return -EIO;
			memcpy(out, block + off, n);
		}
		out += n;
		pos += n;
		len -= n;
	}
	return 0;
}

/*
 * The name of a directory entry, checked: 1..60 bytes, no '/', no NUL
 * inside; its inode number inside the table.  Returns its length or -EIO.
 */
static int
entry_name(const struct mfs_dirent *e, char *name)
{
	size_t len = strnlen(e->d_name, MFS_NAME_MAX);

	if (e->d_ino > fs.sb.s_ninodes || len == 0 || memchr(e->d_name, '/', len))
		return -EIO;
	memcpy(name, e->d_name, len);
	name[len] = '\0';
	return (int)len;
}

/*
 * The inode number `name` has in directory `dir`: > 0, -ENOENT or -EIO;
 * *where (if given) is the entry's offset.  One block at a time.
 */
static int64_t
search_dir(const struct inode *dir, const char *name, size_t len, uint64_t *where)
{
	const size_t esize = sizeof(struct mfs_dirent);
	char found[MFS_NAME_MAX + 1];
	int r;

	for (uint64_t pos = 0; pos < dir->i_d.i_size; pos += fs.bs) {
		int64_t zone = bmap(dir, pos / fs.bs);
		const uint8_t *block;
		uint64_t n = dir->i_d.i_size - pos < fs.bs ? dir->i_d.i_size - pos : fs.bs;

		if (zone < 0)
			return zone;
		if (zone == 0)
			continue; /* a hole: no entries */
		if (!(block = get_block((uint64_t)zone)))
			return -EIO;
		for (uint64_t off = 0; off + esize <= n; off += esize) {
			struct mfs_dirent e;

			memcpy(&e, block + off, esize);
			if (e.d_ino == 0)
				continue;
			if ((r = entry_name(&e, found)) < 0)
				return r;
			if ((size_t)r == len && memcmp(found, name, len) == 0) {
				if (where)
					*where = pos + off;
				return e.d_ino;
			}
		}
	}
	return -ENOENT;
}

static bool
is_type(const struct inode *in, uint16_t type)
{
	return (in->i_d.i_mode & MFS_S_IFMT) == type;
}

/* Search (execute) permission on a directory for uid/gid. */
static bool
may_search(const struct inode *dir, uint32_t uid, uint32_t gid)
{
	uint16_t mode = dir->i_d.i_mode;

	if (uid == 0)
		return (mode & 0111) != 0;
	if (uid == dir->i_d.i_uid)
		return (mode & 0100) != 0;
	if (gid == dir->i_d.i_gid)
		return (mode & 0010) != 0;
	return (mode & 0001) != 0;
}

/* ---- allocation: bitmaps, inodes, zones ------------------------------ */

/*
 * Take the lowest clear bit in [*hint, limit) of the bitmap starting at
 * block `first` (bit 0 is reserved): the bit, or -ENOSPC.  Nothing below
 * *hint is free, which allocation and free_bit keep true.
 */
static int64_t
alloc_bit(uint32_t first, uint64_t limit, uint64_t *hint)
{
	uint64_t bits_per = (uint64_t)fs.bs * 8;

	for (uint64_t bit = *hint < 1 ? 1 : *hint; bit < limit;) {
		uint64_t blk = bit / bits_per, end = (blk + 1) * bits_per;
		const uint8_t *map = get_block(first + blk);

		if (!map)
			return -EIO;
		if (end > limit)
			end = limit;
		for (; bit < end; bit++) {
			uint64_t b = bit % bits_per;
			uint8_t *w;

			if (b % 8 == 0 && map[b / 8] == 0xff && bit + 8 <= end) {
				bit += 7;
				continue;
			}
			if (map[b / 8] & (1u << (b % 8)))
				continue;
			if (!(w = get_block_rw(first + blk, true)))
				return -EIO;
			w[b / 8] |= (uint8_t)(1u << (b % 8));
			*hint = bit + 1;
			return (int64_t)bit;
		}
	}
	return -ENOSPC;
}

static int
free_bit(uint32_t first, uint64_t bit, uint64_t *hint)
{
	uint64_t bits_per = (uint64_t)fs.bs * 8, b = bit % bits_per;
	uint8_t *w = get_block_rw(first + bit / bits_per, true);

	if (!w)
		return -EIO;
	w[b / 8] &= (uint8_t) ~(1u << (b % 8));
	if (bit < *hint)
		*hint = bit;
	return 0;
}

static uint32_t
zmap_block(void)
{
	return 2u + fs.sb.s_imap_blocks;
}

/* A new zone, zeroed, marked in the zone map: its number, or -ENOSPC/-EIO. */
static int64_t
alloc_zone(void)
{
	int64_t bit = alloc_bit(zmap_block(), (uint64_t)fs.sb.s_zones - fs.sb.s_firstdatazone + 1,
				&fs.zsearch);
	uint32_t zone;
	uint8_t *block;

	if (bit < 0)
		return bit;
	zone = (uint32_t)(fs.sb.s_firstdatazone + bit - 1);
	if (!(block = get_block_rw(zone, false)))
		return -EIO;
	memset(block, 0, fs.bs);
	return zone;
}

static int
free_zone(uint32_t zone)
{
	if (!zone_ok(zone))
		return -EIO; /* never clear a bit for a zone outside the data area */
	return free_bit(zmap_block(), zone - fs.sb.s_firstdatazone + 1, &fs.zsearch);
}

/* The in-core inode back into its block of the inode table (marked dirty). */
static int
write_inode(const struct inode *in)
{
	uint32_t per_block = fs.bs / sizeof(struct mfs_dinode);
	uint8_t *block = get_block_rw(fs.inode_block + (in->i_num - 1) / per_block, true);

	if (!block)
		return -EIO;
	memcpy(block + ((in->i_num - 1) % per_block) * sizeof(in->i_d), &in->i_d, sizeof(in->i_d));
	return 0;
}

/* Free the zones under one pointer of level `level` (0: a data zone). */
static int
free_tree(uint32_t zone, int level)
{
	static uint32_t ptrs[3]
			    [MFS_MAX_BLOCK / 4]; /* one per level: no block is held across calls */
	const uint8_t *block;
	int r = 0;

	if (zone == 0)
		return 0;
	if (!zone_ok(zone))
		return -EIO;
	if (level > 0) {
		if (!(block = get_block(zone)))
			return -EIO;
		memcpy(ptrs[level - 1], block, fs.bs);
		for (uint32_t i = 0; i < fs.bs / 4; i++)
			if (free_tree(ptrs[level - 1][i], level - 1) < 0)
				r = -EIO;
	}
	if (free_zone(zone) < 0)
		r = -EIO;
	return r;
}

/* Truncate to nothing: every zone freed, the pointers cleared. */
static int
free_zones(struct inode *in)
{
	static const int level[MFS_NR_ZONES] = { 0, 0, 0, 0, 0, 0, 0, 1, 2, 3 };
	int r = 0;

	if (is_type(in, MFS_S_IFREG) || is_type(in, MFS_S_IFDIR) || is_type(in, MFS_S_IFLNK)) {
		for (int i = 0; i < MFS_NR_ZONES; i++) {
			if (free_tree(in->i_d.i_zone[i], level[i]) < 0)
				r = -EIO;
			in->i_d.i_zone[i] = 0;
		}
	}
	in->i_d.i_size = 0;
	if (write_inode(in) < 0)
		r = -EIO;
	return r;
}

/* The last link and the last reference are gone: zones, inode, bit. */
static int
release_inode(struct inode *in)
{
	int r = free_zones(in);

	memset(&in->i_d, 0, sizeof(in->i_d));
	if (write_inode(in) < 0)
		r = -EIO;
	if (free_bit(2, in->i_num, &fs.isearch) < 0)
		r = -EIO;
	memset(in, 0, sizeof(*in)); /* out of the cache */
	return r;
}

/* A cache slot for a new inode `num` (its on-disk copy is not read). */
static int
new_inode(fs_ino_t num, struct inode **ip)
{
	struct inode *slot = cache_slot(num); /* maybe a stale copy of a freed inode */

	if (!slot || slot->i_count > 0)
		return -ENFILE;
	memset(slot, 0, sizeof(*slot));
	slot->i_num = num;
	slot->i_used = ++use_clock;
	*ip = slot;
	return 0;
}

/* ---- directories that change ------------------------------------------ */

/* A name VFS sent for a new or removed entry: 1..60 bytes, no '/', not "." or "..". */
static int
copy_name(endpoint_t caller, grant_id_t grant, uint32_t len, char *name)
{
	int r;

	if (len == 0)
		return -EINVAL;
	if (len > MFS_NAME_MAX)
		return -ENAMETOOLONG;
	if ((r = sys_safecopyfrom(caller, grant, 0, name, len)) < 0)
		return r;
	name[len] = '\0';
	if (memchr(name, '/', len) || memchr(name, '\0', len) || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0)
		return -EINVAL;
	return 0;
}

/* Put `name` -> ino in dir: a free slot, else a new one at the end. */
static int
dir_enter(struct inode *dir, const char *name, uint32_t ino)
{
	const size_t esize = sizeof(struct mfs_dirent);
	uint64_t slot = dir->i_d.i_size;
	struct mfs_dirent e;
	int64_t zone;
	uint8_t *w;
	int r;

	for (uint64_t pos = 0; pos < dir->i_d.i_size && slot == dir->i_d.i_size; pos += fs.bs) {
		const uint8_t *block;
		uint64_t n = dir->i_d.i_size - pos < fs.bs ? dir->i_d.i_size - pos : fs.bs;

		if ((zone = bmap(dir, pos / fs.bs)) < 0)
			return (int)zone;
		if (zone == 0)
			continue;
		if (!(block = get_block((uint64_t)zone)))
			return -EIO;
		for (uint64_t off = 0; off + esize <= n; off += esize) {
			memcpy(&e, block + off, esize);
			if (e.d_ino == 0) {
				slot = pos + off;
				break;
			}
		}
	}
	if (slot == dir->i_d.i_size && slot + esize > fs.sb.s_max_size)
		return -EFBIG;
	if ((zone = bmap_at(dir, slot / fs.bs, true)) < 0)
		return (int)zone;
	if (!(w = get_block_rw((uint64_t)zone, true)))
		return -EIO;
	memset(&e, 0, sizeof(e));
	e.d_ino = ino;
	memcpy(e.d_name, name, strlen(name));
	memcpy(w + slot % fs.bs, &e, esize);
	if (slot == dir->i_d.i_size) {
		dir->i_d.i_size += esize;
		if ((r = write_inode(dir)) < 0)
			return r;
	}
	return 0;
}

/* Clear the entry at `pos` of dir. */
static int
dir_remove(struct inode *dir, uint64_t pos)
{
	int64_t zone = bmap(dir, pos / fs.bs);
	uint8_t *w;
	uint32_t zero = 0;

	if (zone <= 0)
		return -EIO;
	if (!(w = get_block_rw((uint64_t)zone, true)))
		return -EIO;
	memcpy(w + pos % fs.bs, &zero, sizeof(zero));
	return 0;
}

/* Only "." and ".." in it? 1 yes, 0 no, -EIO. */
static int
dir_empty(const struct inode *dir)
{
	struct mfs_dirent e;
	char name[MFS_NAME_MAX + 1];
	int r;

	for (uint64_t pos = 0; pos < dir->i_d.i_size; pos += sizeof(e)) {
		if ((r = read_bytes(dir, pos, &e, sizeof(e))) < 0)
			return r;
		if (e.d_ino == 0)
			continue;
		if ((r = entry_name(&e, name)) < 0)
			return r;
		if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0)
			return 0;
	}
	return 1;
}

/* ---- the requests ------------------------------------------------------ */

static void
fill_node(struct msg_fs_node *n, const struct inode *in)
{
	memset(n, 0, sizeof(*n));
	n->n_ino = in->i_num;
	n->n_size = in->i_d.i_size;
	n->n_mode = in->i_d.i_mode;
	n->n_uid = in->i_d.i_uid;
	n->n_gid = in->i_d.i_gid;
	if (is_type(in, MFS_S_IFCHR) || is_type(in, MFS_S_IFBLK))
		n->n_rdev = in->i_d.i_zone[0];
}

static int
do_readsuper(endpoint_t caller, message *m)
{
	struct msg_fs_readsuper rq = m->m_fs_readsuper;
	char label[FS_LABEL_MAX + 1];
	uint8_t sector[BDEV_SECTOR];
	uint64_t dev_bytes;
	struct inode *root;
	int driver, r;

	if (fs.mounted)
		return -EBUSY;
	if (rq.rs_label_len == 0 || rq.rs_label_len > FS_LABEL_MAX || rq.rs_minor < 0)
		return -EINVAL;
	if ((r = sys_safecopyfrom(caller, rq.rs_label, 0, label, rq.rs_label_len)) < 0)
		return r;
	label[rq.rs_label_len] = '\0';
	if ((driver = bdev_driver(label)) < 0)
		return driver;
	fs.dev = bdev_dev(driver, rq.rs_minor);
	if ((r = bdev_open(fs.dev, BDEV_R_BIT | ((rq.rs_flags & FS_RDONLY) ? 0 : BDEV_W_BIT))) < 0)
		return r;
	/* The device's size: the superblock may claim no more. */
	struct bdev_part part;
	if ((r = bdev_ioctl(fs.dev, DIOCGETP, &part)) < 0)
		goto fail;
	dev_bytes = part.size;
	r = -EINVAL;
	if (dev_bytes < MFS_SUPER_OFFSET + BDEV_SECTOR ||
	    bdev_read(fs.dev, MFS_SUPER_OFFSET, sector, sizeof(sector), 0) != sizeof(sector))
		goto fail;
	memcpy(&fs.sb, sector, sizeof(fs.sb));
	if ((r = super_check(&fs.sb, dev_bytes)) < 0)
		goto fail;
	fs.bs = fs.sb.s_block_size;
	fs.inode_block = 2u + fs.sb.s_imap_blocks + fs.sb.s_zmap_blocks;
	fs.dev_blocks = dev_bytes / fs.bs;
	fs.rdonly = (rq.rs_flags & FS_RDONLY) != 0;
	fs.isearch = fs.zsearch = 1;
	cache_clear();
	fs.mounted = true;
	if ((r = get_inode(MFS_ROOT_INO, &root)) < 0 || !is_type(root, MFS_S_IFDIR)) {
		fs.mounted = false;
		r = -EINVAL; /* a root that is not a directory: no file system */
		goto fail;
	}
	root->i_count++;
	fill_node(&m->m_fs_node, root);
	m->m_fs_node.n_flags = fs.rdonly ? FS_RES_RDONLY : 0;
	return 0;
fail:
	bdev_close(fs.dev);
	return r;
}

static int
do_unmount(endpoint_t caller, message *m)
{
	int r;

	(void)caller;
	(void)m;
	if (!fs.mounted)
		return -EINVAL;
	for (int i = 0; i < MFS_NR_INODES; i++)
		if (inodes[i].i_count > 0 && inodes[i].i_num != MFS_ROOT_INO)
			return -EBUSY;
	r = sync_all();
	cache_clear();
	fs.mounted = false;
	bdev_close(fs.dev);
	return r;
}

static void
fill_lookup(struct msg_fs_lookup_reply *r, const struct inode *in, uint32_t offset)
{
	struct msg_fs_node n;

	fill_node(&n, in);
	memset(r, 0, sizeof(*r));
	r->r_ino = n.n_ino;
	r->r_size = n.n_size;
	r->r_mode = n.n_mode;
	r->r_uid = n.n_uid;
	r->r_gid = n.n_gid;
	r->r_rdev = n.n_rdev;
	r->r_offset = offset;
}

static int
do_lookup(endpoint_t caller, message *m)
{
	struct msg_fs_lookup rq = m->m_fs_lookup;
	struct inode *cur;
	uint32_t pos = 0;
	int64_t found;
	int r;

	if (!fs.mounted || !(cur = held_inode(rq.l_dir)))
		return -EINVAL;
	if (rq.l_len > FS_PATH_MAX)
		return -ENAMETOOLONG;
	if ((r = sys_safecopyfrom(caller, rq.l_path, 0, pathbuf, rq.l_len)) < 0)
		return r;
	pathbuf[rq.l_len] = '\0';
	if (memchr(pathbuf, '\0', rq.l_len))
		return -EINVAL;
	for (;;) {
		uint32_t start, len;
		fs_ino_t num = cur->i_num;

		while (pos < rq.l_len && pathbuf[pos] == '/')
			pos++;
		if (pos == rq.l_len)
			break;
		start = pos;
		while (pos < rq.l_len && pathbuf[pos] != '/')
			pos++;
		len = pos - start;
		if (!is_type(cur, MFS_S_IFDIR))
			return -ENOTDIR;
		if (!may_search(cur, rq.l_uid, rq.l_gid))
			return -EACCES;
		if (len == 1 && pathbuf[start] == '.')
			continue;
		if (len > MFS_NAME_MAX)
			return -ENAMETOOLONG;
		if (len == 2 && memcmp(pathbuf + start, "..", 2) == 0 && num == MFS_ROOT_INO) {
			if (rq.l_root == MFS_ROOT_INO)
				continue; /* the caller's root: ".." stays */
			m->m_fs_lookup_reply = (struct msg_fs_lookup_reply){ .r_offset = start };
			return -ELEAVEMOUNT;
		}
		if ((found = search_dir(cur, pathbuf + start, len, NULL)) < 0)
			return (int)found;
		if ((r = get_inode((fs_ino_t)found, &cur)) < 0)
			return r;
		if (is_type(cur, MFS_S_IFLNK) &&
		    (pos < rq.l_len || !(rq.l_flags & FS_LOOKUP_NOFOLLOW))) {
			cur->i_count++;
			fill_lookup(&m->m_fs_lookup_reply, cur, pos);
			return -ESYMLINK;
		}
		if (cur->i_mountpoint) {
			cur->i_count++;
			fill_lookup(&m->m_fs_lookup_reply, cur, pos);
			return -EENTERMOUNT;
		}
	}
	cur->i_count++;
	fill_lookup(&m->m_fs_lookup_reply, cur, pos);
	return 0;
}

static int
do_putnode(endpoint_t caller, message *m)
{
	struct inode *in = held_inode(m->m_fs_putnode.p_ino);
	uint32_t count = m->m_fs_putnode.p_count;

	(void)caller;
	if (!fs.mounted || !in || count == 0 || count > in->i_count)
		return -EINVAL;
	in->i_count -= count;
	if (in->i_count == 0) {
		in->i_mountpoint = false;
		if (in->i_d.i_nlinks == 0 && !fs.rdonly)
			return release_inode(in); /* unlinked while open */
	}
	return 0;
}

static int
do_stat(endpoint_t caller, message *m)
{
	struct inode *in = held_inode(m->m_fs_inode.i_ino);
	struct msg_fs_stat *s = &m->m_fs_stat;
	uint64_t blocks;

	(void)caller;
	if (!fs.mounted || !in)
		return -EINVAL;
	blocks = (in->i_d.i_size + fs.bs - 1) / fs.bs;
	memset(s, 0, sizeof(*s));
	s->s_ino = in->i_num;
	s->s_size = in->i_d.i_size;
	s->s_mode = in->i_d.i_mode;
	s->s_nlink = in->i_d.i_nlinks;
	s->s_uid = in->i_d.i_uid;
	s->s_gid = in->i_d.i_gid;
	if (is_type(in, MFS_S_IFCHR) || is_type(in, MFS_S_IFBLK))
		s->s_rdev = in->i_d.i_zone[0];
	s->s_atime = in->i_d.i_atime;
	s->s_mtime = in->i_d.i_mtime;
	s->s_ctime = in->i_d.i_ctime;
	s->s_blocks = (uint32_t)(blocks * (fs.bs / 512)); /* data, not counting indirect blocks */
	s->s_blksize = fs.bs;
	return 0;
}

/* READ and READLINK: file bytes to the caller's grant, in chunks. */
static int
read_to_grant(endpoint_t caller, message *m, const struct inode *in)
{
	struct msg_fs_io rq = m->m_fs_io;
	uint64_t size = in->i_d.i_size, done = 0, want;
	int r;

	if (rq.io_pos >= size)
		want = 0;
	else
		want = size - rq.io_pos < rq.io_size ? size - rq.io_pos : rq.io_size;
	while (done < want) {
		size_t n = want - done < MFS_IO_CHUNK ? want - done : MFS_IO_CHUNK;

		if ((r = read_bytes(in, rq.io_pos + done, iobuf, n)) < 0)
			return r;
		if ((r = sys_safecopyto(caller, rq.io_grant, done, iobuf, n)) < 0)
			return r;
		done += n;
	}
	m->m_fs_io_reply = (struct msg_fs_io_reply){ .r_pos = rq.io_pos + done, .r_bytes = done };
	return 0;
}

static int
do_read(endpoint_t caller, message *m)
{
	struct inode *in = held_inode(m->m_fs_io.io_ino);

	if (!fs.mounted || !in)
		return -EINVAL;
	if (is_type(in, MFS_S_IFDIR))
		return -EISDIR;
	if (!is_type(in, MFS_S_IFREG))
		return -EINVAL;
	return read_to_grant(caller, m, in);
}

static int
do_readlink(endpoint_t caller, message *m)
{
	struct inode *in = held_inode(m->m_fs_io.io_ino);

	if (!fs.mounted || !in)
		return -EINVAL;
	if (!is_type(in, MFS_S_IFLNK))
		return -EINVAL;
	m->m_fs_io.io_pos = 0;
	return read_to_grant(caller, m, in);
}

static int
do_getdents(endpoint_t caller, message *m)
{
	struct msg_fs_io rq = m->m_fs_io;
	struct inode *dir = held_inode(rq.io_ino);
	size_t size = rq.io_size < MFS_IO_CHUNK ? rq.io_size : MFS_IO_CHUNK, used = 0;
	const size_t name_off = __builtin_offsetof(struct fs_dirent64, d_name);
	uint64_t pos = rq.io_pos;
	int r;

	if (!fs.mounted || !dir)
		return -EINVAL;
	if (!is_type(dir, MFS_S_IFDIR))
		return -ENOTDIR;
	if (pos % sizeof(struct mfs_dirent) != 0)
		return -EINVAL;
	for (; pos < dir->i_d.i_size; pos += sizeof(struct mfs_dirent)) {
		struct mfs_dirent e;
		struct fs_dirent64 *d = (struct fs_dirent64 *)(iobuf + used);
		char name[MFS_NAME_MAX + 1];
		size_t reclen;
		int len;

		if ((r = read_bytes(dir, pos, &e, sizeof(e))) < 0)
			return r;
		if (e.d_ino == 0)
			continue;
		if ((len = entry_name(&e, name)) < 0)
			return len;
		reclen = (name_off + (size_t)len + 1 + 7) & ~(size_t)7;
		if (used + reclen > size)
			break;
		d->d_ino = e.d_ino;
		d->d_off = (int64_t)(pos + sizeof(struct mfs_dirent));
		d->d_reclen = (uint16_t)reclen;
		d->d_type = FS_DT_UNKNOWN; /* as Linux's minix: the inode is not read */
		memset(d->d_name, 0, reclen - name_off);
		memcpy(d->d_name, name, (size_t)len);
		used += reclen;
	}
	if (used == 0 && pos < dir->i_d.i_size)
		return -EINVAL; /* not even one record fits */
	if (used > 0 && (r = sys_safecopyto(caller, rq.io_grant, 0, iobuf, used)) < 0)
		return r;
	m->m_fs_io_reply = (struct msg_fs_io_reply){ .r_pos = pos, .r_bytes = used };
	return 0;
}

/* Free bits of a bitmap, bits 1..limit-1 (bit 0 is reserved). */
static int64_t
count_free(uint32_t first_block, uint64_t limit)
{
	uint64_t free_bits = 0, bits_per = (uint64_t)fs.bs * 8;

	for (uint64_t bit = 1; bit < limit; bit++) {
		const uint8_t *block = get_block(first_block + bit / bits_per);
		uint64_t b = bit % bits_per;

		if (!block)
			return -EIO;
		if (!(block[b / 8] & (1u << (b % 8))))
			free_bits++;
	}
	return (int64_t)free_bits;
}

static int
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
	st.f_blocks = fs.sb.s_zones;
	st.f_bfree = (uint64_t)zfree;
	st.f_files = fs.sb.s_ninodes;
	st.f_ffree = (uint64_t)ifree;
	st.f_magic = MFS_MAGIC;
	if (m->m_fs_io.io_size < sizeof(st))
		return -EINVAL;
	return sys_safecopyto(caller, m->m_fs_io.io_grant, 0, &st, sizeof(st));
}

static int
do_mountpoint(endpoint_t caller, message *m)
{
	struct inode *in = held_inode(m->m_fs_inode.i_ino);

	(void)caller;
	if (!fs.mounted || !in)
		return -EINVAL;
	if (in->i_mountpoint)
		return -EBUSY;
	if (!is_type(in, MFS_S_IFDIR))
		return -ENOTDIR;
	in->i_mountpoint = true;
	return 0;
}

/* The caller's bytes to the file, from io_pos on (WRITE). */
static int
do_write(endpoint_t caller, message *m)
{
	struct msg_fs_io rq = m->m_fs_io;
	struct inode *in = held_inode(rq.io_ino);
	uint64_t done = 0, want = rq.io_size;
	int r = 0;

	if (!fs.mounted || !in)
		return -EINVAL;
	if (fs.rdonly)
		return -EROFS;
	if (!is_type(in, MFS_S_IFREG))
		return is_type(in, MFS_S_IFDIR) ? -EISDIR : -EINVAL;
	if (rq.io_pos >= fs.sb.s_max_size && want > 0)
		return -EFBIG;
	if (rq.io_pos >= fs.sb.s_max_size)
		want = 0; /* nothing to write: the reply says 0 bytes */
	else if (want > fs.sb.s_max_size - rq.io_pos)
		want = fs.sb.s_max_size - rq.io_pos;
	while (done < want && r == 0) {
		size_t chunk = want - done < MFS_IO_CHUNK ? want - done : MFS_IO_CHUNK, put = 0;

		if ((r = sys_safecopyfrom(caller, rq.io_grant, done, iobuf, chunk)) < 0)
			break;
		while (put < chunk) {
			uint64_t pos = rq.io_pos + done + put, off = pos % fs.bs;
			size_t n = fs.bs - off < chunk - put ? fs.bs - off : chunk - put;
			int64_t zone = bmap_at(in, pos / fs.bs, true);
			uint8_t *block;

			if (zone <= 0) {
				r = zone < 0 ? (int)zone : -EIO;
				break;
			}
			/* A whole block is overwritten: no need to read it first. */
			if (!(block = get_block_rw((uint64_t)zone, n != fs.bs))) {
				r = -EIO;
				break;
			}
			memcpy(block + off, iobuf + put, n);
			put += n;
			if (pos + n > in->i_d.i_size)
				in->i_d.i_size = (uint32_t)(pos + n);
		}
		done += put;
	}
	if (write_inode(in) < 0 && r == 0)
		r = -EIO;
	if (done == 0 && r < 0)
		return r;
	/* Part of it went: the bytes that did (the next write meets the error). */
	m->m_fs_io_reply = (struct msg_fs_io_reply){ .r_pos = rq.io_pos + done, .r_bytes = done };
	return 0;
}

/* TRUNCATE to 0 frees every zone; a larger size leaves a hole; shrinking to another size: not yet. */
static int
do_truncate(endpoint_t caller, message *m)
{
	struct inode *in = held_inode(m->m_fs_attr.a_ino);
	uint64_t size = m->m_fs_attr.a_size;

	(void)caller;
	if (!fs.mounted || !in)
		return -EINVAL;
	if (fs.rdonly)
		return -EROFS;
	if (!is_type(in, MFS_S_IFREG))
		return is_type(in, MFS_S_IFDIR) ? -EISDIR : -EINVAL;
	if (size > fs.sb.s_max_size)
		return -EFBIG;
	if (size == 0)
		return free_zones(in);
	if (size < in->i_d.i_size)
		return -ENOSYS;
	in->i_d.i_size = (uint32_t)size;
	return write_inode(in);
}

/*
 * The checks CREATE, MKDIR, UNLINK and RMDIR share: a mounted, writable
 * FS, a held directory, a valid name.  0, the directory in *dirp.
 */
static int
name_request(endpoint_t caller, const struct msg_fs_name *rq, struct inode **dirp, char *name)
{
	if (!fs.mounted || !(*dirp = held_inode(rq->n_dir)))
		return -EINVAL;
	if (fs.rdonly)
		return -EROFS;
	if (!is_type(*dirp, MFS_S_IFDIR))
		return -ENOTDIR;
	return copy_name(caller, rq->n_name, rq->n_len, name);
}

/*
 * A new inode of `mode` with its entry in dir (bit, inode, entry, in this
 * order): 0 and the inode in *ip, or -E with nothing left behind.
 */
static int
make_node(struct inode *dir, const char *name, const struct msg_fs_name *rq, uint16_t mode,
	  struct inode **ip)
{
	int64_t bit, zone = 0, found;
	struct inode *in;
	fs_ino_t dnum = dir->i_num;
	int r;

	if ((found = search_dir(dir, name, strlen(name), NULL)) != -ENOENT)
		return found > 0 ? -EEXIST : (int)found;
	if ((bit = alloc_bit(2, (uint64_t)fs.sb.s_ninodes + 1, &fs.isearch)) < 0)
		return (int)bit;
	if ((r = new_inode((fs_ino_t)bit, &in)) < 0)
		goto undo_bit;
	in->i_d.i_mode = mode;
	in->i_d.i_nlinks = 1;
	in->i_d.i_uid = (uint16_t)rq->n_uid;
	in->i_d.i_gid = (uint16_t)rq->n_gid;
	if ((mode & MFS_S_IFMT) == MFS_S_IFDIR) {
		struct mfs_dirent e[2];
		uint8_t *w;

		if ((zone = alloc_zone()) < 0) {
			r = (int)zone;
			goto undo_inode;
		}
		memset(e, 0, sizeof(e));
		e[0].d_ino = (uint32_t)bit;
		e[0].d_name[0] = '.';
		e[1].d_ino = (uint32_t)dnum;
		e[1].d_name[0] = e[1].d_name[1] = '.';
		if (!(w = get_block_rw((uint64_t)zone, true))) {
			r = -EIO;
			goto undo_inode;
		}
		memcpy(w, e, sizeof(e));
		in->i_d.i_nlinks = 2;
		in->i_d.i_size = sizeof(e);
		in->i_d.i_zone[0] = (uint32_t)zone;
	}
	if ((r = write_inode(in)) < 0 || (r = dir_enter(dir, name, (uint32_t)bit)) < 0)
		goto undo_inode;
	*ip = in;
	return 0;
undo_inode:
	if (zone > 0)
		free_zone((uint32_t)zone);
	memset(&in->i_d, 0, sizeof(in->i_d));
	write_inode(in);
	memset(in, 0, sizeof(*in));
undo_bit:
	free_bit(2, (uint64_t)bit, &fs.isearch);
	return r;
}

static int
do_create(endpoint_t caller, message *m)
{
	struct msg_fs_name rq = m->m_fs_name;
	char name[MFS_NAME_MAX + 1];
	struct inode *dir, *in;
	int r;

	if ((r = name_request(caller, &rq, &dir, name)) < 0)
		return r;
	if ((r = make_node(dir, name, &rq, (uint16_t)(MFS_S_IFREG | (rq.n_mode & 07777)), &in)) < 0)
		return r;
	in->i_count++;
	fill_node(&m->m_fs_node, in);
	return 0;
}

static int
do_mkdir(endpoint_t caller, message *m)
{
	struct msg_fs_name rq = m->m_fs_name;
	char name[MFS_NAME_MAX + 1];
	struct inode *dir, *in;
	fs_ino_t dnum;
	int r;

	if ((r = name_request(caller, &rq, &dir, name)) < 0)
		return r;
	dnum = dir->i_num;
	if (dir->i_d.i_nlinks >= 0xffff)
		return -EMLINK;
	if ((r = make_node(dir, name, &rq, (uint16_t)(MFS_S_IFDIR | (rq.n_mode & 07777)), &in)) < 0)
		return r;
	/* The new ".." links the parent (held, so still in the cache). */
	dir = held_inode(dnum);
	dir->i_d.i_nlinks++;
	return write_inode(dir);
}

/* UNLINK (want_dir false) and RMDIR (true): the entry, then maybe the inode. */
static int
remove_entry(endpoint_t caller, message *m, bool want_dir)
{
	struct msg_fs_name rq = m->m_fs_name;
	char name[MFS_NAME_MAX + 1];
	struct inode *dir, *in;
	fs_ino_t dnum;
	uint64_t where;
	int64_t ino;
	int r;

	if ((r = name_request(caller, &rq, &dir, name)) < 0)
		return r;
	dnum = dir->i_num;
	if ((ino = search_dir(dir, name, strlen(name), &where)) < 0)
		return (int)ino;
	if ((r = get_inode((fs_ino_t)ino, &in)) < 0)
		return r;
	if (!want_dir && is_type(in, MFS_S_IFDIR))
		return -EISDIR;
	if (want_dir) {
		if (!is_type(in, MFS_S_IFDIR))
			return -ENOTDIR;
		if (in->i_count > 0 || in->i_mountpoint)
			return -EBUSY;
		if ((r = dir_empty(in)) <= 0)
			return r < 0 ? r : -ENOTEMPTY;
	}
	dir = held_inode(dnum);
	if ((r = dir_remove(dir, where)) < 0)
		return r;
	if (want_dir) {
		if (dir->i_d.i_nlinks > 0)
			dir->i_d.i_nlinks--; /* its ".." */
		if ((r = write_inode(dir)) < 0)
			return r;
		return release_inode(in);
	}
	if (in->i_d.i_nlinks > 0)
		in->i_d.i_nlinks--;
	if (in->i_d.i_nlinks == 0 && in->i_count == 0)
		return release_inode(in);
	return write_inode(in); /* freed at the last PUTNODE if unlinked */
}

static int
do_unlink(endpoint_t caller, message *m)
{
	return remove_entry(caller, m, false);
}

static int
do_rmdir(endpoint_t caller, message *m)
{
	return remove_entry(caller, m, true);
}

/* Specified, not built yet (docs/files.md). */
static int
do_notyet(endpoint_t caller, message *m)
{
	(void)caller;
	(void)m;
	if (!fs.mounted)
		return -EINVAL;
	return fs.rdonly ? -EROFS : -ENOSYS;
}

static int
do_sync(endpoint_t caller, message *m)
{
	(void)caller;
	(void)m;
	return fs.mounted ? sync_all() : -EINVAL;
}

static void
mfs_dump(struct dump *d)
{
	int held = 0, cached = 0, bufs_valid = 0;

	for (int i = 0; i < MFS_NR_INODES; i++) {
		cached += inodes[i].i_num != 0;
		held += inodes[i].i_count > 0;
	}
	for (int i = 0; i < MFS_NR_BUFS; i++)
		bufs_valid += bufs[i].b_valid;
	if (!fs.mounted) {
		dump_printf(d, "mfs: not mounted\n");
		return;
	}
	dump_printf(d,
		    "mfs: %u-byte blocks, %u zones, %u inodes; cache: %d/%d blocks, "
		    "%d/%d inodes (%d held)\n",
		    fs.bs, fs.sb.s_zones, fs.sb.s_ninodes, bufs_valid, MFS_NR_BUFS, cached,
		    MFS_NR_INODES, held);
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
	[FS_MKNOD - FS_BASE] = do_notyet,
	[FS_UNLINK - FS_BASE] = do_unlink,
	[FS_RMDIR - FS_BASE] = do_rmdir,
	[FS_LINK - FS_BASE] = do_notyet,
	[FS_SYMLINK - FS_BASE] = do_notyet,
	[FS_RENAME - FS_BASE] = do_notyet,
	[FS_CHMOD - FS_BASE] = do_notyet,
	[FS_CHOWN - FS_BASE] = do_notyet,
	[FS_UTIME - FS_BASE] = do_notyet,
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
	sef_startup();
	for (;;) {
		if (sef_receive(ANY, &m) < 0 || m.m_type == NOTIFY_MESSAGE)
			continue;
		dispatch_serve(&mfs_dispatch, m.m_source, &m);
	}
}
