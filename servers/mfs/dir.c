/*
 * Directories: arrays of 64-byte entries (struct mfs_dirent), an inode
 * number of 0 for a free slot.  Every entry read is checked (entry_name);
 * every name VFS sends for a new or removed entry too (copy_name).  Entry
 * points: search_dir, dir_enter, dir_set, dir_empty, copy_name,
 * name_request (the checks every request naming an entry shares), and
 * GETDENTS.
 */
#include <string.h>
#include "mfs.h"

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
 * The name cache: (directory, name) -> the entry's offset and inode number,
 * for the names search_dir found, so that a lookup of a recently found
 * name reads one entry instead of scanning the directory.  A hit is only
 * a hint: the entry at that offset is read again from the block cache and
 * must still hold that name and inode number, so nothing that changes a
 * directory (an unlink, a rename, a directory freed and its inode number
 * taken again) needs to tell the cache: the directory's own entry is the
 * truth.  Names are unique in a directory, so an entry that still holds
 * the name is the one a scan would find.  One slot per hash, the newest
 * wins; emptied at mount and unmount (name_cache_clear).
 */
#define NC_SLOTS 256

struct name_slot {
	uint32_t dir; /* 0: empty */
	uint32_t ino;
	uint32_t pos;
	uint8_t len;
	char name[MFS_NAME_MAX];
};

static struct name_slot name_cache[NC_SLOTS];

void
name_cache_clear(void)
{
	memset(name_cache, 0, sizeof(name_cache));
}

static struct name_slot *
nc_slot(uint32_t dir, const char *name, size_t len)
{
	uint32_t h = dir * 2654435761u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)name[i]) * 16777619u;
	return &name_cache[(h ^ (h >> 16)) % NC_SLOTS];
}

/* The entry at pos of dir, if it still names ino as `name`: true. */
static bool
nc_valid(const struct inode *dir, const struct name_slot *c)
{
	const struct mfs_dirent *e;
	const uint8_t *block;
	int64_t zone;

	if ((uint64_t)c->pos + sizeof(*e) > dir->i_d.i_size)
		return false;
	if ((zone = bmap(dir, c->pos / fs.bs)) <= 0 || !(block = get_block((uint64_t)zone)))
		return false;
	e = (const struct mfs_dirent *)(block + c->pos % fs.bs);
	return e->d_ino == c->ino && memcmp(e->d_name, c->name, c->len) == 0 &&
	       (c->len == MFS_NAME_MAX || e->d_name[c->len] == '\0');
}

/*
 * The inode number `name` has in directory `dir`: > 0, -ENOENT or -EIO;
 * *where (if given) is the entry's offset.  The name cache first, then one
 * block at a time.
 */
int64_t
search_dir(const struct inode *dir, const char *name, size_t len, uint64_t *where)
{
	const size_t esize = sizeof(struct mfs_dirent);
	struct name_slot *c = nc_slot(dir->i_num, name, len);
	char found[MFS_NAME_MAX + 1];
	int r;

	if (c->dir == dir->i_num && c->len == len && memcmp(c->name, name, len) == 0) {
		if (nc_valid(dir, c)) {
			if (where)
				*where = c->pos;
			return c->ino;
		}
		c->dir = 0;
	}
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
			const struct mfs_dirent *e = (const struct mfs_dirent *)(block + off);

			if (e->d_ino == 0)
				continue;
			if (e->d_name[0] == name[0] && e->d_ino <= fs.sb.s_ninodes &&
			    memcmp(e->d_name, name, len) == 0 &&
			    (len == MFS_NAME_MAX || e->d_name[len] == '\0')) {
				/* name has no '/' and is not empty: the entry is good */
				if (len <= MFS_NAME_MAX && pos + off <= UINT32_MAX) {
					*c = (struct name_slot){ .dir = dir->i_num,
								 .ino = e->d_ino,
								 .pos = (uint32_t)(pos + off),
								 .len = (uint8_t)len };
					memcpy(c->name, name, len);
				}
				if (where)
					*where = pos + off;
				return e->d_ino;
			}
			if ((r = entry_name(e, found)) < 0)
				return r;
		}
	}
	return -ENOENT;
}

/* A name VFS sent for a new or removed entry: 1..60 bytes, no '/', not "." or "..". */
int
copy_name(endpoint_t caller, grant_id_t grant, uint32_t len, char *name)
{
	int r;

	if (len == 0)
		return -EINVAL;
	if (len > MFS_NAME_MAX)
		return -ENAMETOOLONG;
	if ((r = sys_safecopystr(caller, grant, name, len)) < 0)
		return r;
	if (memchr(name, '/', len) || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return -EINVAL;
	return 0;
}

/* Put `name` -> ino in dir: a free slot, else a new one at the end. */
int
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

/* The entry at `pos` of dir to name inode `ino` (0: the entry is removed). */
int
dir_set(struct inode *dir, uint64_t pos, uint32_t ino)
{
	int64_t zone = bmap(dir, pos / fs.bs);
	uint8_t *w;

	if (zone <= 0)
		return -EIO;
	if (!(w = get_block_rw((uint64_t)zone, true)))
		return -EIO;
	memcpy(w + pos % fs.bs, &ino, sizeof(ino));
	return 0;
}

/* Only "." and ".." in it? 1 yes, 0 no, -EIO. */
int
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

/*
 * May directory `in` go (RMDIR, or replaced by RENAME)?  0 if no mount is
 * on it and it is empty; else -EBUSY, -ENOTEMPTY or -EIO.  One VFS holds
 * (a working directory, an open one) may go, as on Linux: dir_kill.
 */
int
dir_removable(const struct inode *in)
{
	int r;

	if (in->i_mountpoint)
		return -EBUSY;
	if ((r = dir_empty(in)) <= 0)
		return r < 0 ? r : -ENOTEMPTY;
	return 0;
}

/*
 * A directory VFS still holds has lost its name: no links, and its "."
 * and ".." go with its zones, so that nothing is found in it (ENOENT, as
 * Linux's dead directory) and nothing can be made in it (name_request).
 * The inode itself is freed at the last PUTNODE, as an unlinked file's.
 */
int
dir_kill(struct inode *in)
{
	in->i_d.i_nlinks = 0;
	return truncate_to(in, 0);
}

/*
 * The checks every request naming an entry shares (CREATE, MKDIR, MKNOD,
 * SYMLINK, LINK, UNLINK, RMDIR): a mounted, writable FS, a held directory,
 * a valid name.  0, the directory in *dirp.
 */
int
name_request(endpoint_t caller, const struct msg_fs_name *rq, struct inode **dirp, char *name)
{
	int r;

	if ((r = writable_inode(rq->n_dir, dirp)) < 0)
		return r;
	if (!is_type(*dirp, MFS_S_IFDIR))
		return -ENOTDIR;
	if ((*dirp)->i_d.i_nlinks == 0)
		return -ENOENT; /* removed while held (dir_kill) */
	return copy_name(caller, rq->n_name, rq->n_len, name);
}

int
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
	if (dir->i_d.i_nlinks == 0)
		return -ENOENT; /* removed while held: Linux's dead directory */
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
	touch_atime(dir, rq.io_time);
	m->m_fs_io_reply = (struct msg_fs_io_reply){ .r_pos = pos, .r_bytes = used };
	return 0;
}
