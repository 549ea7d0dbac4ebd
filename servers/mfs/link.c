/*
 * Hard links: LINK gives an inode VFS holds one more name; UNLINK and
 * RMDIR clear an entry, then drop a link; an inode with no links left is
 * freed at once, or at the last PUTNODE if VFS still holds it.  RMDIR
 * takes an empty directory; one VFS holds is emptied of "." and ".."
 * and freed at the last PUTNODE (dir_kill).  Entry points: do_link,
 * do_unlink, do_rmdir.
 */
#include <string.h>
#include "mfs.h"

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
	/* The answer names the inode: VFS lets go of it if it only caches it. */
	m->m_fs_node = (struct msg_fs_node){ .n_ino = (fs_ino_t)ino };
	if (!want_dir && is_type(in, MFS_S_IFDIR))
		return -EISDIR;
	if (want_dir) {
		if (!is_type(in, MFS_S_IFDIR))
			return -ENOTDIR;
		if ((r = dir_removable(in)) < 0)
			return r;
	}
	dir = held_inode(dnum);
	if ((r = dir_set(dir, where, 0)) < 0)
		return r;
	stamp(dir, T_MTIME | T_CTIME, rq.n_time);
	stamp(in, T_CTIME, rq.n_time);
	if (want_dir) {
		if (dir->i_d.i_nlinks > 0)
			dir->i_d.i_nlinks--; /* its ".." */
		if ((r = write_inode(dir)) < 0)
			return r;
		if (in->i_count > 0)
			return dir_kill(in); /* held: freed at the last PUTNODE */
		return release_inode(in);
	}
	if ((r = write_inode(dir)) < 0)
		return r;
	if (in->i_d.i_nlinks > 0)
		in->i_d.i_nlinks--;
	if (in->i_d.i_nlinks == 0 && in->i_count == 0)
		return release_inode(in);
	return write_inode(in); /* freed at the last PUTNODE if unlinked */
}

/* LINK: the held inode n_ino gets the name too (not a directory: EPERM, as Linux). */
int
do_link(endpoint_t caller, message *m)
{
	struct msg_fs_name rq = m->m_fs_name;
	char name[MFS_NAME_MAX + 1];
	struct inode *dir, *in;
	int64_t found;
	int r;

	if ((r = name_request(caller, &rq, &dir, name)) < 0)
		return r;
	if (!(in = held_inode(rq.n_ino)))
		return -EINVAL;
	if (is_type(in, MFS_S_IFDIR))
		return -EPERM;
	if (in->i_d.i_nlinks == 0)
		return -ENOENT; /* unlinked while held: no name to add to */
	if (in->i_d.i_nlinks >= MFS_LINK_MAX)
		return -EMLINK;
	if ((found = search_dir(dir, name, strlen(name), NULL)) != -ENOENT)
		return found > 0 ? -EEXIST : (int)found;
	/* The count first: a crash in between leaves one too many, which fsck mends. */
	in->i_d.i_nlinks++;
	if ((r = write_inode(in)) < 0 || (r = dir_enter(dir, name, (uint32_t)in->i_num)) < 0) {
		in->i_d.i_nlinks--;
		write_inode(in);
		return r;
	}
	stamp(in, T_CTIME, rq.n_time);
	stamp(dir, T_MTIME | T_CTIME, rq.n_time);
	if ((r = write_inode(in)) < 0)
		return r;
	return write_inode(dir);
}

int
do_unlink(endpoint_t caller, message *m)
{
	return remove_entry(caller, m, false);
}

int
do_rmdir(endpoint_t caller, message *m)
{
	return remove_entry(caller, m, true);
}
