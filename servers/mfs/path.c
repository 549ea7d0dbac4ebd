/*
 * LOOKUP: a path, relative to a directory VFS holds, walked one component
 * at a time (search permission checked in each directory).  It stops, and
 * says so to VFS, at a symbolic link (ESYMLINK), a mount point
 * (EENTERMOUNT) or ".." above this file system's root (ELEAVEMOUNT);
 * r_offset tells VFS how much of the path was used.  A walk takes at most
 * the components of the path it was given, so a loop cannot hang it.
 * Entry point: do_lookup.
 */
#include <string.h>
#include "mfs.h"

static char pathbuf[FS_PATH_MAX + 1];

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
	r->r_nlink = in->i_d.i_nlinks;
	r->r_atime = in->i_d.i_atime;
	r->r_mtime = in->i_d.i_mtime;
	r->r_ctime = in->i_d.i_ctime;
	r->r_blocks = stat_blocks(in);
}

int
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
	if ((r = sys_safecopystr(caller, rq.l_path, pathbuf, rq.l_len)) < 0)
		return r;
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
