/*
 * New names: CREATE (a regular file, returned referenced), MKDIR (a
 * directory with "." and ".."; the parent gains a link), MKNOD (a device,
 * FIFO or socket inode, a device's number in zone 0 as Linux's minix keeps
 * it) and SYMLINK (the target in one data zone, as Linux's minix writes
 * it and fsck.minix checks it).  make_node takes the inode bit, writes the
 * inode with its first zone's contents, then enters the name, and undoes
 * what it did if a later step fails.  Entry points: do_create, do_mkdir,
 * do_mknod, do_symlink.
 */
#include <string.h>
#include "mfs.h"

/* What a new inode holds besides its mode: its first zone's bytes, or a device number. */
struct node_init {
	const void *data; /* NULL: no zone */
	size_t len;       /* <= the block size */
	uint32_t rdev;    /* character and block devices */
};

/*
 * A new inode of `mode` with its entry in dir (bit, inode, entry, in this
 * order): 0 and the inode in *ip, or -E with nothing left behind.  The new
 * inode's times and the directory's mtime and ctime are the request's.
 */
static int
make_node(struct inode *dir, const char *name, const struct msg_fs_name *rq, uint16_t mode,
	  const struct node_init *init, struct inode **ip)
{
	int64_t bit, zone = 0, found;
	struct inode *in;
	uint16_t type = mode & MFS_S_IFMT;
	int r;

	if ((found = search_dir(dir, name, strlen(name), NULL)) != -ENOENT)
		return found > 0 ? -EEXIST : (int)found;
	if ((bit = alloc_bit(2, (uint64_t)fs.sb.s_ninodes + 1, &fs.isearch)) < 0)
		return (int)bit;
	if ((r = new_inode((fs_ino_t)bit, &in)) < 0)
		goto undo_bit;
	in->i_d.i_mode = mode;
	in->i_d.i_nlinks = type == MFS_S_IFDIR ? 2 : 1;
	in->i_d.i_uid = (uint16_t)rq->n_uid;
	in->i_d.i_gid = (uint16_t)rq->n_gid;
	stamp(in, T_ATIME | T_MTIME | T_CTIME, rq->n_time);
	if (type == MFS_S_IFCHR || type == MFS_S_IFBLK)
		in->i_d.i_zone[0] = init->rdev;
	if (init->data) {
		uint8_t *w;

		if ((zone = alloc_zone()) < 0) {
			r = (int)zone;
			goto undo_inode;
		}
		if (!(w = get_block_rw((uint64_t)zone, true))) {
			r = -EIO;
			goto undo_inode;
		}
		memcpy(w, init->data, init->len);
		if (type == MFS_S_IFDIR) /* its "." entry names it: now its number is known */
			memcpy(w, &(uint32_t){ (uint32_t)bit }, sizeof(uint32_t));
		in->i_d.i_size = (uint32_t)init->len;
		in->i_d.i_zone[0] = (uint32_t)zone;
	}
	if ((r = write_inode(in)) < 0 || (r = dir_enter(dir, name, (uint32_t)bit)) < 0)
		goto undo_inode;
	stamp(dir, T_MTIME | T_CTIME, rq->n_time);
	if ((r = write_inode(dir)) < 0)
		return r; /* the name is there: the times are all that is missing */
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

int
do_create(endpoint_t caller, message *m)
{
	struct msg_fs_name rq = m->m_fs_name;
	static const struct node_init none;
	char name[MFS_NAME_MAX + 1];
	struct inode *dir, *in;
	int r;

	if ((r = name_request(caller, &rq, &dir, name)) < 0)
		return r;
	if ((r = make_node(dir, name, &rq, (uint16_t)(MFS_S_IFREG | (rq.n_mode & 07777)), &none,
			   &in)) < 0)
		return r;
	in->i_count++;
	fill_node(&m->m_fs_node, in);
	return 0;
}

int
do_mkdir(endpoint_t caller, message *m)
{
	struct msg_fs_name rq = m->m_fs_name;
	char name[MFS_NAME_MAX + 1];
	struct mfs_dirent e[2];
	struct node_init init = { .data = e, .len = sizeof(e) };
	struct inode *dir, *in;
	int r;

	if ((r = name_request(caller, &rq, &dir, name)) < 0)
		return r;
	if (dir->i_d.i_nlinks >= MFS_LINK_MAX)
		return -EMLINK;
	/* "." gets the new inode's number in make_node. */
	memset(e, 0, sizeof(e));
	e[0].d_name[0] = '.';
	e[1].d_ino = (uint32_t)dir->i_num;
	e[1].d_name[0] = e[1].d_name[1] = '.';
	if ((r = make_node(dir, name, &rq, (uint16_t)(MFS_S_IFDIR | (rq.n_mode & 07777)), &init,
			   &in)) < 0)
		return r;
	/* The new ".." links the parent (held, so still where it was). */
	dir->i_d.i_nlinks++;
	return write_inode(dir);
}

int
do_mknod(endpoint_t caller, message *m)
{
	struct msg_fs_name rq = m->m_fs_name;
	struct node_init init = { .rdev = rq.n_rdev };
	char name[MFS_NAME_MAX + 1];
	struct inode *dir, *in;
	uint32_t type = rq.n_mode & MFS_S_IFMT;
	int r;

	if ((r = name_request(caller, &rq, &dir, name)) < 0)
		return r;
	if (type == 0)
		type = MFS_S_IFREG; /* as mknod(2): no type is a regular file */
	if (type != MFS_S_IFCHR && type != MFS_S_IFBLK && type != MFS_S_IFIFO &&
	    type != MFS_S_IFSOCK && type != MFS_S_IFREG)
		return -EINVAL; /* directories by MKDIR, links by SYMLINK */
	if (type == MFS_S_IFREG)
		init.rdev = 0;
	return make_node(dir, name, &rq, (uint16_t)(type | (rq.n_mode & 07777)), &init, &in);
}

int
do_symlink(endpoint_t caller, message *m)
{
	struct msg_fs_name rq = m->m_fs_name;
	struct node_init init = { .data = iobuf, .len = rq.n_rdev };
	char name[MFS_NAME_MAX + 1];
	struct inode *dir, *in;
	int r;

	if ((r = name_request(caller, &rq, &dir, name)) < 0)
		return r;
	if (rq.n_rdev == 0)
		return -ENOENT; /* symlink("") is ENOENT, as on Linux */
	if (rq.n_rdev >= fs.bs)
		return -ENAMETOOLONG; /* the target and a NUL in one block, as Linux's minix */
	if ((r = sys_safecopystr(caller, (grant_id_t)rq.n_ino, (char *)iobuf, rq.n_rdev)) < 0)
		return r;
	return make_node(dir, name, &rq, (uint16_t)(MFS_S_IFLNK | 0777), &init, &in);
}
