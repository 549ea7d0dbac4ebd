/*
 * An inode's attributes: CHMOD (the permission bits; the type stays),
 * CHOWN (owner and group, FS_ID_KEEP for "unchanged"; the set-user-ID bit
 * goes, and the set-group-ID bit of a group-executable file, as Linux
 * does for a non-directory) and UTIME (atime and mtime as a_flags says:
 * VFS has resolved UTIME_NOW and UTIME_OMIT).  Who may do what (owner,
 * root) is VFS's decision; the file system stores.  Each stamps ctime
 * with a_ctime (change_attr, the part they share).  Entry points:
 * do_chmod, do_chown, do_utime.
 */
#include <string.h>
#include "mfs.h"

#define S_ISUID 04000
#define S_ISGID 02000
#define S_IXGRP 00010

typedef int attr_change(struct inode *in, const struct msg_fs_attr *rq);

/* What the three share: the checks, the change, ctime, the write, the answer. */
static int
change_attr(message *m, attr_change *change, bool answer_node)
{
	struct msg_fs_attr rq = m->m_fs_attr;
	struct inode *in;
	int r;

	if ((r = writable_inode(rq.a_ino, &in)) < 0 || (r = change(in, &rq)) < 0)
		return r;
	stamp(in, T_CTIME, rq.a_ctime);
	if ((r = write_inode(in)) < 0)
		return r;
	if (answer_node)
		fill_node(&m->m_fs_node, in);
	return 0;
}

static int
chmod_change(struct inode *in, const struct msg_fs_attr *rq)
{
	in->i_d.i_mode = (uint16_t)((in->i_d.i_mode & MFS_S_IFMT) | (rq->a_mode & 07777));
	return 0;
}

static int
chown_change(struct inode *in, const struct msg_fs_attr *rq)
{
	/* Minix v3 keeps 16-bit ids: a larger one cannot be stored. */
	if ((rq->a_uid != FS_ID_KEEP && rq->a_uid > 0xffff) ||
	    (rq->a_gid != FS_ID_KEEP && rq->a_gid > 0xffff))
		return -EINVAL;
	if (rq->a_uid != FS_ID_KEEP)
		in->i_d.i_uid = (uint16_t)rq->a_uid;
	if (rq->a_gid != FS_ID_KEEP)
		in->i_d.i_gid = (uint16_t)rq->a_gid;
	if (!is_type(in, MFS_S_IFDIR)) {
		uint16_t kill = S_ISUID | ((in->i_d.i_mode & S_IXGRP) ? S_ISGID : 0);

		in->i_d.i_mode &= (uint16_t)~kill;
	}
	return 0;
}

static int
utime_change(struct inode *in, const struct msg_fs_attr *rq)
{
	if (rq->a_flags & ~(uint32_t)(FS_UTIME_ATIME | FS_UTIME_MTIME))
		return -EINVAL;
	if (rq->a_flags & FS_UTIME_ATIME)
		in->i_d.i_atime = rq->a_atime;
	if (rq->a_flags & FS_UTIME_MTIME)
		in->i_d.i_mtime = rq->a_mtime;
	return 0;
}

int
do_chmod(endpoint_t caller, message *m)
{
	(void)caller;
	return change_attr(m, chmod_change, true);
}

int
do_chown(endpoint_t caller, message *m)
{
	(void)caller;
	return change_attr(m, chown_change, true);
}

int
do_utime(endpoint_t caller, message *m)
{
	(void)caller;
	return change_attr(m, utime_change, false);
}
