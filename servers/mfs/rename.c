/*
 * RENAME, as POSIX says: the old name's inode gets the new name, an
 * existing target is replaced (a non-directory by a non-directory, an
 * empty directory by a directory), a directory moved into
 * itself or below is EINVAL, and the same inode under both names is left
 * alone.  A directory that changes parents has its ".." rewritten, and
 * the link counts of both parents follow.  The order: the new entry, the
 * old one cleared, "..", the counts; the replaced inode is freed last.
 * Entry point: do_rename.
 */
#include <string.h>
#include "mfs.h"

/*
 * Is `dir` the directory `top` or below it?  1 yes, 0 no, -EIO.  The walk
 * goes up through ".." to the root; a corrupt image whose ".." entries
 * loop cannot hang it: it is bounded by the number of inodes.
 */
static int
is_below(fs_ino_t dir, fs_ino_t top)
{
	for (uint32_t steps = 0; steps <= fs.sb.s_ninodes; steps++) {
		struct inode *in;
		int64_t up;
		int r;

		if (dir == top)
			return 1;
		if (dir == MFS_ROOT_INO)
			return 0;
		if ((r = get_inode(dir, &in)) < 0)
			return r == -ENFILE ? r : -EIO;
		if (!is_type(in, MFS_S_IFDIR) || (up = search_dir(in, "..", 2, NULL)) <= 0)
			return -EIO;
		dir = (fs_ino_t)up;
	}
	return -EIO;
}

/*
 * May `in` (a directory or not) replace `tgt`?  0, or the error POSIX
 * gives: a directory only over an empty directory (one VFS holds dies:
 * dir_kill), a non-directory only over a non-directory.
 */
static int
may_replace(const struct inode *in, const struct inode *tgt)
{
	if (!is_type(in, MFS_S_IFDIR))
		return is_type(tgt, MFS_S_IFDIR) ? -EISDIR : 0;
	if (!is_type(tgt, MFS_S_IFDIR))
		return -ENOTDIR;
	return dir_removable(tgt);
}

/* The rename itself, with `in` (and `tgt`, if there is one) pinned by the caller. */
static int
move(struct inode *odir, uint64_t opos, struct inode *ndir, const char *nname, uint64_t npos,
     struct inode *in, struct inode *tgt, uint32_t t)
{
	bool is_dir = is_type(in, MFS_S_IFDIR), reparent = is_dir && odir != ndir;
	uint64_t dotdot;
	int r;

	if (reparent && !tgt && ndir->i_d.i_nlinks >= MFS_LINK_MAX)
		return -EMLINK;
	if (reparent && search_dir(in, "..", 2, &dotdot) <= 0)
		return -EIO;
	if (tgt)
		r = dir_set(ndir, npos, (uint32_t)in->i_num);
	else
		r = dir_enter(ndir, nname, (uint32_t)in->i_num);
	if (r < 0 || (r = dir_set(odir, opos, 0)) < 0)
		return r;
	if (reparent) {
		if ((r = dir_set(in, dotdot, (uint32_t)ndir->i_num)) < 0)
			return r;
		odir->i_d.i_nlinks--;
		ndir->i_d.i_nlinks++;
	}
	if (tgt) {
		if (is_type(tgt, MFS_S_IFDIR)) {
			tgt->i_d.i_nlinks = 0;
			ndir->i_d.i_nlinks--; /* the replaced directory's ".." */
		} else if (tgt->i_d.i_nlinks > 0) {
			tgt->i_d.i_nlinks--;
		}
		stamp(tgt, T_CTIME, t);
		if ((r = write_inode(tgt)) < 0)
			return r;
		/* Held beyond rename's pin: it lives on empty until the last PUTNODE. */
		if (is_type(tgt, MFS_S_IFDIR) && tgt->i_count > 1 && (r = dir_kill(tgt)) < 0)
			return r;
	}
	stamp(in, T_CTIME, t);
	stamp(odir, T_MTIME | T_CTIME, t);
	stamp(ndir, T_MTIME | T_CTIME, t);
	if ((r = write_inode(in)) < 0 || (r = write_inode(odir)) < 0)
		return r;
	return write_inode(ndir);
}

int
do_rename(endpoint_t caller, message *m)
{
	struct msg_fs_rename rq = m->m_fs_rename;
	char oname[MFS_NAME_MAX + 1], nname[MFS_NAME_MAX + 1];
	struct inode *odir, *ndir, *in, *tgt = NULL;
	uint64_t opos, npos = 0;
	int64_t ino, tino;
	int r;

	if ((r = writable_inode(rq.rn_old_dir, &odir)) < 0 ||
	    (r = writable_inode(rq.rn_new_dir, &ndir)) < 0)
		return r;
	if (!is_type(odir, MFS_S_IFDIR) || !is_type(ndir, MFS_S_IFDIR))
		return -ENOTDIR;
	if (odir->i_d.i_nlinks == 0 || ndir->i_d.i_nlinks == 0)
		return -ENOENT; /* removed while held (dir_kill) */
	if ((r = copy_name(caller, rq.rn_old_name, rq.rn_old_len, oname)) < 0 ||
	    (r = copy_name(caller, rq.rn_new_name, rq.rn_new_len, nname)) < 0)
		return r;
	if ((ino = search_dir(odir, oname, strlen(oname), &opos)) < 0)
		return (int)ino;
	if ((r = get_inode((fs_ino_t)ino, &in)) < 0)
		return r;
	if (in->i_mountpoint)
		return -EBUSY;
	in->i_count++; /* pinned: the walk below reads other inodes */
	if (is_type(in, MFS_S_IFDIR) && odir != ndir &&
	    (r = is_below(ndir->i_num, in->i_num)) != 0) {
		r = r > 0 ? -EINVAL : r; /* into itself or below */
		goto out;
	}
	if ((tino = search_dir(ndir, nname, strlen(nname), &npos)) < 0 && tino != -ENOENT) {
		r = (int)tino;
		goto out;
	}
	/* The answer names the replaced inode (0: none), which VFS may only cache. */
	m->m_fs_node = (struct msg_fs_node){ .n_ino = tino > 0 ? (fs_ino_t)tino : 0 };
	if (tino == (int64_t)in->i_num) {
		r = 0; /* two names of one inode: POSIX says nothing happens */
		goto out;
	}
	if (tino > 0) {
		if ((r = get_inode((fs_ino_t)tino, &tgt)) < 0)
			goto out;
		tgt->i_count++;
		if ((r = may_replace(in, tgt)) < 0)
			goto out;
	}
	r = move(odir, opos, ndir, nname, npos, in, tgt, rq.rn_time);
out:
	if (tgt)
		unpin_inode(tgt); /* freed here if that was its last name and nobody holds it */
	unpin_inode(in);
	return r;
}
