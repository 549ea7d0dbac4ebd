/*
 * Vnodes, mounts and the requests VFS sends to file-system servers
 * (docs/files.md, the VFS-FS protocol).  A vnode stands for one inode of
 * one mount while VFS uses it; the FS's references on that inode are
 * counted in v_fs_count and given back in one PUTNODE when VFS's last user
 * lets go (MINIX's v_ref_count / v_fs_count).  A request to a dead FS marks
 * its mount dead: from then on every request to it is EIO (the mount stays
 * until it is unmounted; nothing is resent).
 */
#include "vfs_int.h"
#include <string.h>
#include <stdio.h>
#include <dispatch.h>

struct vmnt vmnts[NR_VMNTS];
struct vnode vnodes[NR_VNODES];
struct vmnt *root_mnt;

/*
 * The vnode of (mnt, ino), for a reference the FS has just handed out:
 * the existing one gains a user and an FS reference, or a free one is
 * filled.  NULL if the table is full (the caller gives the FS reference
 * back: vnode_drop_fs_ref).
 */
struct vnode *
vnode_get(struct vmnt *mnt, fs_ino_t ino, uint64_t size, uint32_t mode, uint32_t uid, uint32_t gid,
	  uint32_t rdev)
{
	struct vnode *free_v = NULL;

	for (int i = 0; i < NR_VNODES; i++) {
		struct vnode *v = &vnodes[i];

		if (v->v_ref > 0 && v->v_mnt == mnt && v->v_ino == ino) {
			v->v_ref++;
			v->v_fs_count++;
			v->v_size = size;
			v->v_mode = mode;
			v->v_uid = uid;
			v->v_gid = gid;
			return v;
		}
		if (v->v_ref == 0 && !free_v)
			free_v = v;
	}
	if (!free_v) {
		message m;

		/* No room: the reference goes back at once. */
		memset(&m, 0, sizeof(m));
		m.m_fs_putnode.p_ino = ino;
		m.m_fs_putnode.p_count = 1;
		fs_call(mnt, FS_PUTNODE, &m);
		return NULL;
	}
	memset(free_v, 0, sizeof(*free_v));
	free_v->v_ref = 1;
	free_v->v_fs_count = 1;
	free_v->v_mnt = mnt;
	free_v->v_ino = ino;
	free_v->v_size = size;
	free_v->v_mode = mode;
	free_v->v_uid = uid;
	free_v->v_gid = gid;
	free_v->v_rdev = rdev;
	return free_v;
}

void
vnode_dup(struct vnode *v)
{
	v->v_ref++;
}

/* One user lets go; the last one gives the FS its references back. */
void
vnode_put(struct vnode *v)
{
	message m;

	if (!v)
		return;
	if (v->v_ref <= 0)
		panic("vfs: vnode_put of a free vnode");
	if (--v->v_ref > 0)
		return;
	pipe_vnode_gone(v);
	if (v->v_fs_count > 0 && !v->v_mnt->m_dead) {
		memset(&m, 0, sizeof(m));
		m.m_fs_putnode.p_ino = v->v_ino;
		m.m_fs_putnode.p_count = v->v_fs_count;
		fs_call(v->v_mnt, FS_PUTNODE, &m);
	}
	v->v_fs_count = 0;
	v->v_mnt = NULL;
}

/*
 * One request to mnt's FS: its answer (0, -E, or a lookup's E* codes
 * given as negative values), -EIO if the FS is dead.  ERESTART from an FS
 * means nothing to a user: EIO.
 */
int
fs_call(struct vmnt *mnt, int type, message *m)
{
	int r;

	if (mnt->m_dead)
		return -EIO;
	m->m_type = type;
	if ((r = ipc_sendrec(mnt->m_fs, m)) < 0) {
		printf("vfs: the file system %s (%s) is gone: %d\n", mnt->m_label, mnt->m_dev, r);
		mnt->m_dead = true;
		return -EIO;
	}
	if (m->m_type == -ERESTART)
		return -EIO;
	return m->m_type;
}

/*
 * READ, WRITE, GETDENTS, READLINK, STATFS of v through grant g (owned by
 * VFS).  WRITE carries the date for mtime and ctime; READ and GETDENTS
 * carry it on a writable mount for atime, which the FS updates as Linux's
 * relatime does (docs/files.md, "Times").
 */
int
fs_io(struct vnode *v, int type, uint64_t pos, grant_id_t g, uint32_t size, uint64_t *newpos,
      uint64_t *bytes)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_fs_io.io_ino = v->v_ino;
	m.m_fs_io.io_pos = pos;
	m.m_fs_io.io_grant = g;
	m.m_fs_io.io_size = size;
	if (type == FS_WRITE || ((type == FS_READ || type == FS_GETDENTS) && !v->v_mnt->m_rdonly))
		m.m_fs_io.io_time = vfs_now(); /* mtime and ctime; atime (relatime) */
	r = fs_call(v->v_mnt, type, &m);
	if (r == 0) {
		if (newpos)
			*newpos = m.m_fs_io_reply.r_pos;
		if (bytes)
			*bytes = m.m_fs_io_reply.r_bytes;
	}
	return r;
}

/*
 * A request naming `name` in directory dir (CREATE, MKDIR, MKNOD, UNLINK,
 * RMDIR, LINK, SYMLINK): m holds the other fields; the name is granted
 * and the request stamped with the date here.
 */
int
fs_name(struct vnode *dir, int type, const char *name, message *m)
{
	size_t len = strlen(name);
	grant_id_t g = cpf_grant_direct(dir->v_mnt->m_fs, name, len, GRANT_READ);
	int r;

	if (g == GRANT_INVALID)
		return -ENOMEM;
	m->m_fs_name.n_dir = dir->v_ino;
	m->m_fs_name.n_name = g;
	m->m_fs_name.n_len = (uint32_t)len;
	m->m_fs_name.n_time = vfs_now();
	r = fs_call(dir->v_mnt, type, m);
	cpf_revoke(g);
	return r;
}

int
fs_stat(struct vnode *v, struct msg_fs_stat *st)
{
	message m;
	int r;

	if (vnode_is_pipe(v))
		return pipe_stat(v, st);
	memset(&m, 0, sizeof(m));
	m.m_fs_inode.i_ino = v->v_ino;
	if ((r = fs_call(v->v_mnt, FS_STAT, &m)) == 0) {
		*st = m.m_fs_stat;
		v->v_size = st->s_size;
		v->v_mode = st->s_mode;
		v->v_uid = st->s_uid;
		v->v_gid = st->s_gid;
	}
	return r;
}

/*
 * READSUPER on the FS server fs_label of the driver drv_label's minor: the
 * mount gets its root vnode.  The FS's endpoint comes from DS (RS
 * publishes every service's label).
 */
int
vmnt_mount_fs(struct vmnt *mnt, const char *fs_label, const char *drv_label, int minor, bool rdonly)
{
	size_t len = strlen(drv_label);
	grant_id_t g;
	message m;
	int r;

	memset(mnt, 0, sizeof(*mnt));
	strlcpy(mnt->m_label, fs_label, sizeof(mnt->m_label));
	if ((r = ds_retrieve_label(fs_label, &mnt->m_fs)) < 0)
		return r == -ESRCH ? -ENODEV : r;
	if ((g = cpf_grant_direct(mnt->m_fs, drv_label, len, GRANT_READ)) == GRANT_INVALID)
		return -ENOMEM;
	memset(&m, 0, sizeof(m));
	m.m_fs_readsuper.rs_label = g;
	m.m_fs_readsuper.rs_label_len = (uint32_t)len;
	m.m_fs_readsuper.rs_minor = minor;
	m.m_fs_readsuper.rs_flags = rdonly ? FS_RDONLY : 0;
	r = fs_call(mnt, FS_READSUPER, &m);
	cpf_revoke(g);
	if (r < 0)
		return r;
	mnt->m_used = true;
	mnt->m_rdonly = (m.m_fs_node.n_flags & FS_RES_RDONLY) != 0;
	mnt->m_root = vnode_get(mnt, m.m_fs_node.n_ino, m.m_fs_node.n_size, m.m_fs_node.n_mode,
				m.m_fs_node.n_uid, m.m_fs_node.n_gid, 0);
	if (!mnt->m_root) {
		memset(&m, 0, sizeof(m));
		fs_call(mnt, FS_UNMOUNT, &m);
		mnt->m_used = false;
		return -ENFILE;
	}
	return 0;
}

void
vnode_dump(struct dump *d)
{
	int used = 0;

	for (int i = 0; i < NR_VMNTS; i++) {
		struct vmnt *m = &vmnts[i];

		if (m->m_used)
			dump_printf(d, "  mount %d: %s on %s (fs %s, ep %d)%s%s\n", i, m->m_dev,
				    m->m_covered ? "a directory" : "/", m->m_label, m->m_fs,
				    m->m_rdonly ? " ro" : "", m->m_dead ? " DEAD" : "");
	}
	for (int i = 0; i < NR_VNODES; i++)
		used += vnodes[i].v_ref > 0;
	dump_printf(d, "  vnodes: %d of %d in use\n", used, NR_VNODES);
}
