/*
 * The inode cache: MFS_NR_INODES in-core inodes, the ones VFS holds
 * references on (i_count) and recently used ones that may be reused, least
 * recently used first.  An inode is checked when it enters the cache
 * (inode_check); a request may name only an inode VFS holds (held_inode).
 * Entry points: get_inode, held_inode, writable_inode, new_inode,
 * write_inode, release_inode, unpin_inode, stamp, and the requests about
 * one inode: PUTNODE, STAT, MOUNTPOINT.
 */
#include <string.h>
#include "mfs.h"

static struct inode inodes[MFS_NR_INODES];

/*
 * Where inode n was last seen (hint[n % INODE_HINTS]): checked against
 * i_num before use, so a stale hint costs a search, never a wrong inode.
 * Every request names an inode (held_inode) and lookups name many: one
 * compare instead of a search of every slot.
 */
#define INODE_HINTS 256

static struct inode *hint[INODE_HINTS];

static struct inode *
cached_inode(fs_ino_t num)
{
	struct inode *in = hint[num % INODE_HINTS];

	if (in && in->i_num == num && num != 0)
		return in;
	for (int i = 0; i < MFS_NR_INODES; i++)
		if (inodes[i].i_num == num && num != 0)
			return hint[num % INODE_HINTS] = &inodes[i];
	return NULL;
}

/* An inode fit to use: a known type, a size its zones can hold (check.c too). */
int
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

/*
 * The cache slot of inode `num`: its own if cached, else the least recently
 * used one no reference holds (or a free one); NULL if every slot is held.
 */
static struct inode *
cache_slot(fs_ino_t num)
{
	struct inode *slot = hint[num % INODE_HINTS];

	if (slot && slot->i_num == num)
		return slot;
	slot = NULL;
	for (int i = 0; i < MFS_NR_INODES; i++) {
		struct inode *in = &inodes[i];

		if (in->i_num == num)
			return hint[num % INODE_HINTS] = in;
		if (in->i_count == 0 &&
		    (!slot || in->i_num == 0 || (slot->i_num != 0 && in->i_used < slot->i_used)))
			slot = in;
	}
	return slot;
}

/* Inode `num`, read in if needed; -EIO for a bad number or a bad inode. */
int
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
	hint[num % INODE_HINTS] = slot;
	slot->i_used = ++use_clock;
	*ip = slot;
	return 0;
}

/* An inode VFS holds a reference on: the only ones a request may name. */
struct inode *
held_inode(fs_ino_t num)
{
	struct inode *in = cached_inode(num);

	return in && in->i_count > 0 ? in : NULL;
}

/*
 * The opening checks every request that changes an inode shares (WRITE,
 * TRUNCATE, CHMOD, CHOWN, UTIME, and through name_request the requests
 * naming an entry of a directory): a mount, an inode VFS holds (EINVAL),
 * a writable mount (EROFS).
 */
int
writable_inode(fs_ino_t num, struct inode **ip)
{
	if (!fs.mounted || !(*ip = held_inode(num)))
		return -EINVAL;
	return fs.rdonly ? -EROFS : 0;
}

/*
 * A request pins an inode it works on (i_count++) while it reads others,
 * which could otherwise take its cache slot; unpinning frees it if that
 * was the last reference to an inode with no links left.
 */
void
unpin_inode(struct inode *in)
{
	if (--in->i_count == 0 && in->i_d.i_nlinks == 0)
		release_inode(in);
}

/* The times `what` (T_*) of an inode set to t, unless VFS gave none (0). */
void
stamp(struct inode *in, unsigned what, uint32_t t)
{
	if (t == 0)
		return;
	if (what & T_ATIME)
		in->i_d.i_atime = t;
	if (what & T_MTIME)
		in->i_d.i_mtime = t;
	if (what & T_CTIME)
		in->i_d.i_ctime = t;
}

/*
 * A read's access time, as Linux's relatime sets it: only on a writable
 * mount, when VFS gave a date, and when atime is not newer than mtime or
 * ctime or is a day old; so a file read again and again is written once.
 */
void
touch_atime(struct inode *in, uint32_t now)
{
	uint32_t a = in->i_d.i_atime;

	if (now == 0 || fs.rdonly || a == now)
		return;
	if (a > in->i_d.i_mtime && a > in->i_d.i_ctime && now - a < 86400 && now > a)
		return;
	in->i_d.i_atime = now;
	write_inode(in);
}

bool
is_type(const struct inode *in, uint16_t type)
{
	return (in->i_d.i_mode & MFS_S_IFMT) == type;
}

/* The in-core inode back into its block of the inode table (marked dirty). */
int
write_inode(const struct inode *in)
{
	uint32_t per_block = fs.bs / sizeof(struct mfs_dinode);
	uint8_t *block = get_block_rw(fs.inode_block + (in->i_num - 1) / per_block, true);

	if (!block)
		return -EIO;
	memcpy(block + ((in->i_num - 1) % per_block) * sizeof(in->i_d), &in->i_d, sizeof(in->i_d));
	return 0;
}

/* The last link and the last reference are gone: zones, inode, bit. */
int
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
int
new_inode(fs_ino_t num, struct inode **ip)
{
	struct inode *slot = cache_slot(num); /* maybe a stale copy of a freed inode */

	if (!slot || slot->i_count > 0)
		return -ENFILE;
	page_drop(num); /* pages of the file that had this number before */
	memset(slot, 0, sizeof(*slot));
	slot->i_num = num;
	slot->i_used = ++use_clock;
	hint[num % INODE_HINTS] = slot;
	*ip = slot;
	return 0;
}

void
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

void
inode_clear(void)
{
	memset(inodes, 0, sizeof(inodes));
	memset(hint, 0, sizeof(hint));
}

/* A reference VFS holds on an inode other than the root (UNMOUNT). */
bool
inode_busy(void)
{
	for (int i = 0; i < MFS_NR_INODES; i++)
		if (inodes[i].i_count > 0 && inodes[i].i_num != MFS_ROOT_INO)
			return true;
	return false;
}

/* The references VFS holds, for a live update (update.c): how many there are. */
int
inode_held_list(struct mfs_held *out, int max)
{
	int n = 0;

	for (int i = 0; i < MFS_NR_INODES && n < max; i++)
		if (inodes[i].i_count > 0)
			out[n++] = (struct mfs_held){
				.ino = (uint32_t)inodes[i].i_num,
				.count = inodes[i].i_count |
					 (inodes[i].i_mountpoint ? MFS_HELD_MOUNTPOINT : 0),
			};
	return n;
}

/* Slots in use and slots VFS holds (DEBUG_DUMP). */
void
inode_in_use(int *cached, int *held)
{
	*cached = *held = 0;
	for (int i = 0; i < MFS_NR_INODES; i++) {
		*cached += inodes[i].i_num != 0;
		*held += inodes[i].i_count > 0;
	}
}

int
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

/*
 * The blocks a file of `size` bytes takes, its indirect blocks counted,
 * as Linux's minix driver counts them for st_blocks (nblocks() in its
 * itree_common.c): from the size, so a hole counts as if written.
 */
static uint64_t
size_blocks(uint64_t size)
{
	uint64_t per = fs.bs / 4, blocks = (size + fs.bs - 1) / fs.bs, total = blocks;
	uint64_t direct = MFS_NR_DZONES;

	for (int level = 0; level < 3 && blocks > direct; level++) {
		blocks = (blocks - direct + per - 1) / per; /* the indirect blocks of this level */
		total += blocks;
		direct = 1;
	}
	return total;
}

/* stat's st_blocks: 512-byte units, the indirect blocks counted (size_blocks). */
uint32_t
stat_blocks(const struct inode *in)
{
	return (uint32_t)(size_blocks(in->i_d.i_size) * (fs.bs / 512));
}

int
do_stat(endpoint_t caller, message *m)
{
	struct inode *in = held_inode(m->m_fs_inode.i_ino);
	struct msg_fs_stat *s = &m->m_fs_stat;

	(void)caller;
	if (!fs.mounted || !in)
		return -EINVAL;
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
	s->s_blocks = stat_blocks(in);
	s->s_blksize = fs.bs;
	return 0;
}

int
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
