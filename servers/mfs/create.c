/*
 * New names: CREATE (a regular file, returned referenced) and MKDIR (a
 * directory with "." and ".."; the parent gains a link).  make_node takes
 * the inode bit, writes the inode, then enters the name, and undoes what
 * it did if a later step fails.  Entry points: do_create, do_mkdir.
 */
#include <string.h>
#include "mfs.h"

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

int
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

int
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
