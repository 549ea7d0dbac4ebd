/*
 * mfs: the Minix v3 file system server.  One instance serves one mounted
 * device, over libbdev, answering the VFS-FS protocol (ax/vfs_fs.h,
 * docs/files.md).  It is read-only so far: READSUPER, UNMOUNT, LOOKUP,
 * PUTNODE, STAT, READ, GETDENTS, READLINK, STATFS, MOUNTPOINT; the write
 * requests answer EROFS.
 *
 * A block cache (MFS_NR_BUFS blocks, least recently used goes first) and an
 * inode cache (MFS_NR_INODES in-core inodes: the ones VFS holds references
 * on, by count, and recently used ones that may be reused) stand between
 * the requests and the device.
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

#define MFS_NR_BUFS	64
#define MFS_NR_INODES	128
#define MFS_IO_CHUNK	4096	/* bytes one copy moves at most */

struct buf {
	uint64_t b_block;
	uint64_t b_used;	/* last use, for LRU */
	bool b_valid;
	uint8_t b_data[MFS_MAX_BLOCK];
};

struct inode {
	fs_ino_t i_num;		/* 0: a free slot */
	uint32_t i_count;	/* references VFS holds */
	uint64_t i_used;
	bool i_mountpoint;
	struct mfs_dinode i_d;
};

static struct {
	bool mounted;
	bool rdonly;
	bdev_t dev;
	struct mfs_super sb;
	uint32_t bs;			/* block size */
	uint32_t inode_block;		/* first block of the inode table */
	uint64_t dev_blocks;
} fs;

static struct buf bufs[MFS_NR_BUFS];
static struct inode inodes[MFS_NR_INODES];
static uint64_t use_clock;
static uint8_t iobuf[MFS_IO_CHUNK];
static char pathbuf[FS_PATH_MAX + 1];

/* ---- the block cache --------------------------------------------------- */

/* Block `block` of the device, through the cache; NULL on an I/O error. */
static const uint8_t *
get_block(uint64_t block)
{
	struct buf *victim = &bufs[0];
	int64_t r;

	for (int i = 0; i < MFS_NR_BUFS; i++) {
		struct buf *b = &bufs[i];

		if (b->b_valid && b->b_block == block) {
			b->b_used = ++use_clock;
			return b->b_data;
		}
		if (!b->b_valid || b->b_used < victim->b_used)
			victim = b;
	}
	victim->b_valid = false;
	r = bdev_read(fs.dev, block * fs.bs, victim->b_data, fs.bs, 0);
	if (r != (int64_t)fs.bs)
		return NULL;
	victim->b_block = block;
	victim->b_valid = true;
	victim->b_used = ++use_clock;
	return victim->b_data;
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
		return -EINVAL;		/* the file system is larger than its device */
	per_block = bs / sizeof(struct mfs_dinode);
	inode_blocks = (uint32_t)(((uint64_t)sb->s_ninodes + per_block - 1) / per_block);
	map_bits = bs * 8;
	if ((uint64_t)sb->s_imap_blocks * map_bits < (uint64_t)sb->s_ninodes + 1)
		return -EINVAL;
	if ((uint64_t)sb->s_zmap_blocks * map_bits < (uint64_t)sb->s_zones - sb->s_firstdatazone + 1)
		return -EINVAL;
	if ((uint64_t)2 + sb->s_imap_blocks + sb->s_zmap_blocks + inode_blocks > sb->s_firstdatazone)
		return -EINVAL;		/* the data area overlaps the tables */
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
		return 0;	/* no data zones (a device's number is in zone 0) */
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
	for (int i = 0; i < MFS_NR_INODES; i++) {
		struct inode *in = &inodes[i];

		if (in->i_num == num) {
			in->i_used = ++use_clock;
			*ip = in;
			return 0;
		}
		if (in->i_count == 0 && (!slot || in->i_num == 0 ||
					 (slot->i_num != 0 && in->i_used < slot->i_used)))
			slot = in;
	}
	if (!slot)
		return -ENFILE;
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

/*
 * The zone holding block `n` of the file: 0 for a hole, -EIO when a zone
 * number on the way points outside the data area.
 */
static int64_t
bmap(const struct inode *in, uint64_t n)
{
	uint64_t per = fs.bs / 4;
	uint32_t zone;
	int levels;

	if (n < MFS_NR_DZONES) {
		zone = in->i_d.i_zone[n];
		levels = 0;
	} else if ((n -= MFS_NR_DZONES) < per) {
		zone = in->i_d.i_zone[7];
		levels = 1;
	} else if ((n -= per) < per * per) {
		zone = in->i_d.i_zone[8];
		levels = 2;
	} else if ((n -= per * per) < per * per * per) {
		zone = in->i_d.i_zone[9];
		levels = 3;
	} else {
		return -EIO;
	}
	for (;;) {
		const uint8_t *block;
		uint64_t span = 1;

		if (zone == 0)
			return 0;
		if (!zone_ok(zone))
			return -EIO;
		if (levels == 0)
			return zone;
		for (int l = 1; l < levels; l++)
			span *= per;
		if (!(block = get_block(zone)))
			return -EIO;
		memcpy(&zone, block + (n / span) * 4, 4);
		n %= span;
		levels--;
	}
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

/* The inode number `name` has in directory `dir`: > 0, -ENOENT or -EIO. */
static int64_t
search_dir(const struct inode *dir, const char *name, size_t len)
{
	struct mfs_dirent e;
	char found[MFS_NAME_MAX + 1];
	int r;

	for (uint64_t pos = 0; pos < dir->i_d.i_size; pos += sizeof(e)) {
		if ((r = read_bytes(dir, pos, &e, sizeof(e))) < 0)
			return r;
		if (e.d_ino == 0)
			continue;
		if ((r = entry_name(&e, found)) < 0)
			return r;
		if ((size_t)r == len && memcmp(found, name, len) == 0)
			return e.d_ino;
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
	if ((r = bdev_open(fs.dev, BDEV_R_BIT)) < 0)
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
	fs.rdonly = true;	/* write support: not yet */
	cache_clear();
	fs.mounted = true;
	if ((r = get_inode(MFS_ROOT_INO, &root)) < 0 || !is_type(root, MFS_S_IFDIR)) {
		fs.mounted = false;
		r = -EINVAL;	/* a root that is not a directory: no file system */
		goto fail;
	}
	root->i_count++;
	fill_node(&m->m_fs_node, root);
	m->m_fs_node.n_flags = FS_RES_RDONLY;
	return 0;
fail:
	bdev_close(fs.dev);
	return r;
}

static int
do_unmount(endpoint_t caller, message *m)
{
	(void)caller;
	(void)m;
	if (!fs.mounted)
		return -EINVAL;
	for (int i = 0; i < MFS_NR_INODES; i++)
		if (inodes[i].i_count > 0 && inodes[i].i_num != MFS_ROOT_INO)
			return -EBUSY;
	cache_clear();
	fs.mounted = false;
	bdev_close(fs.dev);
	return 0;
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
				continue;	/* the caller's root: ".." stays */
			m->m_fs_lookup_reply = (struct msg_fs_lookup_reply){ .r_offset = start };
			return -ELEAVEMOUNT;
		}
		if ((found = search_dir(cur, pathbuf + start, len)) < 0)
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
	if (in->i_count == 0)
		in->i_mountpoint = false;
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
	s->s_blocks = (uint32_t)(blocks * (fs.bs / 512));	/* data, not counting indirect blocks */
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
		d->d_type = FS_DT_UNKNOWN;	/* as Linux's minix: the inode is not read */
		memset(d->d_name, 0, reclen - name_off);
		memcpy(d->d_name, name, (size_t)len);
		used += reclen;
	}
	if (used == 0 && pos < dir->i_d.i_size)
		return -EINVAL;		/* not even one record fits */
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

/* The write side: a read-only file system for now. */
static int
do_rofs(endpoint_t caller, message *m)
{
	(void)caller;
	(void)m;
	return fs.mounted ? -EROFS : -EINVAL;
}

/* Nothing is ever dirty yet. */
static int
do_sync(endpoint_t caller, message *m)
{
	(void)caller;
	(void)m;
	return fs.mounted ? 0 : -EINVAL;
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
	dump_printf(d, "mfs: %u-byte blocks, %u zones, %u inodes; cache: %d/%d blocks, "
		    "%d/%d inodes (%d held)\n", fs.bs, fs.sb.s_zones, fs.sb.s_ninodes, bufs_valid,
		    MFS_NR_BUFS, cached, MFS_NR_INODES, held);
}

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
	[FS_WRITE - FS_BASE] = do_rofs,
	[FS_TRUNCATE - FS_BASE] = do_rofs,
	[FS_CREATE - FS_BASE] = do_rofs,
	[FS_MKDIR - FS_BASE] = do_rofs,
	[FS_MKNOD - FS_BASE] = do_rofs,
	[FS_UNLINK - FS_BASE] = do_rofs,
	[FS_RMDIR - FS_BASE] = do_rofs,
	[FS_LINK - FS_BASE] = do_rofs,
	[FS_SYMLINK - FS_BASE] = do_rofs,
	[FS_RENAME - FS_BASE] = do_rofs,
	[FS_CHMOD - FS_BASE] = do_rofs,
	[FS_CHOWN - FS_BASE] = do_rofs,
	[FS_UTIME - FS_BASE] = do_rofs,
	[FS_SYNC - FS_BASE] = do_sync,
};
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
