/*
 * Vnodes, mounts and the requests VFS sends to file-system servers
 * (docs/files.md, the VFS-FS protocol).  A vnode stands for one inode of
 * one mount while VFS uses it; the FS's references on that inode are
 * counted in v_fs_count and given back in one PUTNODE (MINIX's
 * v_ref_count / v_fs_count), not when VFS's last user lets go but when
 * the vnode leaves the cache below.  A request to a dead FS marks
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
 * The vnode cache.  A vnode of an FS is found by a hash of (mount, inode)
 * (vhash, chained through v_hnext).  When its last user lets go it is not
 * given back at once: up to NR_CACHED such vnodes keep the FS's references
 * (v_fs_count) in use order (the list through v_older/v_newer, the oldest
 * first to go), so that the next lookup ending on the same inode, an
 * open after a close or a second stat, costs no PUTNODE now and none
 * later.  A small number: each one keeps an inode in the FS's own cache.
 * The cache lets go of an inode when the FS needs it back: an unlinked
 * file (vnode_forget), a directory to remove, a mount to take down
 * (vnode_flush).  The pointers are VFS's own and come over a live update
 * with the tables (lu.c).
 */
#define VHASH     256 /* a power of two */
#define NR_CACHED 32

static struct vnode *vhash[VHASH];
static struct vnode cached = { .v_older = &cached, .v_newer = &cached }; /* oldest: v_newer */
static int nr_cached;
static int free_hint;

static struct vnode **
vh_head(const struct vmnt *mnt, fs_ino_t ino)
{
	return &vhash[(ino * 7 + (uint64_t)(mnt - vmnts)) & (VHASH - 1)];
}

static void
vh_remove(struct vnode *v)
{
	struct vnode **pp = vh_head(v->v_mnt, v->v_ino);

	while (*pp && *pp != v)
		pp = &(*pp)->v_hnext;
	if (*pp)
		*pp = v->v_hnext;
	v->v_hnext = NULL;
}

static void
cached_remove(struct vnode *v)
{
	v->v_older->v_newer = v->v_newer;
	v->v_newer->v_older = v->v_older;
	v->v_older = v->v_newer = NULL;
	nr_cached--;
}

/* v, unused, gives the FS its references back and becomes free. */
static void
vnode_release(struct vnode *v)
{
	message m;

	if (v->v_older)
		cached_remove(v);
	if (v->v_fs_count > 0 && !v->v_mnt->m_dead) {
		memset(&m, 0, sizeof(m));
		m.m_fs_putnode.p_ino = v->v_ino;
		m.m_fs_putnode.p_count = v->v_fs_count;
		fs_call(v->v_mnt, FS_PUTNODE, &m);
	}
	if (v->v_hashed)
		vh_remove(v);
	v->v_hashed = false;
	v->v_fs_count = 0;
	v->v_mnt = NULL;
}

/* A free vnode (a cached one given back if none is free), zeroed, or NULL. */
struct vnode *
vnode_alloc(void)
{
	struct vnode *v = NULL;

	for (int n = 0; n < NR_VNODES && !v; n++) {
		int i = (free_hint + n) % NR_VNODES;

		if (vnodes[i].v_ref == 0 && !vnodes[i].v_mnt) {
			v = &vnodes[i];
			free_hint = i + 1;
		}
	}
	if (!v && nr_cached > 0) {
		v = cached.v_newer;
		vnode_release(v);
	}
	if (v)
		memset(v, 0, sizeof(*v));
	return v;
}

/*
 * The vnode of (mnt, ino), for a reference the FS has just handed out:
 * the existing one (in use or cached) gains a user and an FS reference,
 * or a free one is filled.  NULL if the table is full (the reference goes
 * back to the FS at once).
 */
struct vnode *
vnode_get(struct vmnt *mnt, fs_ino_t ino, uint64_t size, uint32_t mode, uint32_t uid, uint32_t gid,
	  uint32_t rdev)
{
	struct vnode **head = vh_head(mnt, ino), *v;

	for (v = *head; v; v = v->v_hnext)
		if (v->v_mnt == mnt && v->v_ino == ino)
			break;
	if (v) {
		if (v->v_ref == 0)
			cached_remove(v);
		v->v_ref++;
		v->v_fs_count++;
	} else if ((v = vnode_alloc())) {
		v->v_ref = 1;
		v->v_fs_count = 1;
		v->v_mnt = mnt;
		v->v_ino = ino;
		v->v_rdev = rdev;
		v->v_hashed = true;
		v->v_hnext = *head;
		*head = v;
	} else {
		message m;

		/* No room: the reference goes back at once. */
		memset(&m, 0, sizeof(m));
		m.m_fs_putnode.p_ino = ino;
		m.m_fs_putnode.p_count = 1;
		fs_call(mnt, FS_PUTNODE, &m);
		return NULL;
	}
	v->v_size = size;
	v->v_mode = mode;
	v->v_uid = uid;
	v->v_gid = gid;
	return v;
}

/* The cache's own state, for a live update (lu.c). */
void
vnode_lu_state(void (*add)(void *addr, size_t size))
{
	add(vhash, sizeof(vhash));
	add(&cached, sizeof(cached));
	add(&nr_cached, sizeof(nr_cached));
}

void
vnode_dup(struct vnode *v)
{
	v->v_ref++;
}

/*
 * One user lets go.  The last one keeps the FS's references in the cache
 * (an FS's vnode, the newest cached) or gives them back (a dead mount).
 */
void
vnode_put(struct vnode *v)
{
	if (!v)
		return;
	if (v->v_ref <= 0)
		panic("vfs: vnode_put of a free vnode");
	if (--v->v_ref > 0)
		return;
	pipe_vnode_gone(v);
	if (!v->v_hashed || v->v_fs_count == 0 || v->v_mnt->m_dead || v->v_gone) {
		vnode_release(v);
		return;
	}
	v->v_newer = &cached;
	v->v_older = cached.v_older;
	cached.v_older->v_newer = v;
	cached.v_older = v;
	if (++nr_cached > NR_CACHED)
		vnode_release(cached.v_newer);
}

/*
 * The FS unlinked inode ino of mnt: a cached vnode of it lets go (the FS
 * frees it now); one in use lets go at its last vnode_put instead of
 * going to the cache, so that the FS frees it then.
 */
void
vnode_forget(struct vmnt *mnt, fs_ino_t ino)
{
	for (struct vnode *v = *vh_head(mnt, ino); v; v = v->v_hnext)
		if (v->v_mnt == mnt && v->v_ino == ino) {
			if (v->v_ref == 0)
				vnode_release(v);
			else
				v->v_gone = true;
			return;
		}
}

/* Every cached vnode of mnt (only its directories: dirs_only) lets go. */
void
vnode_flush(struct vmnt *mnt, bool dirs_only)
{
	struct vnode *v = cached.v_newer, *next;

	for (; v != &cached; v = next) {
		next = v->v_newer;
		if (v->v_mnt == mnt && (!dirs_only || LX_ISDIR(v->v_mode)))
			vnode_release(v);
	}
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
	/* A file's bytes change: an exec of it must not map the old ones. */
	if (type == FS_WRITE)
		exec_id_changed(mnt, m->m_fs_io.io_ino);
	else if (type == FS_TRUNCATE)
		exec_id_changed(mnt, m->m_fs_attr.a_ino);
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
	m.m_fs_io.io_pid = caller_pid;
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
		v->v_mnt->m_blksize = st->s_blksize;
		v->v_size = st->s_size;
		v->v_mode = st->s_mode;
		v->v_uid = st->s_uid;
		v->v_gid = st->s_gid;
	}
	return r;
}

/* stat of v: from the lookup that just found it if it said enough, else STAT. */
int
vnode_stat(struct vnode *v, struct msg_fs_stat *st)
{
	if (lookup_attrs(v, st))
		return 0;
	return fs_stat(v, st);
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

	exec_id_forget_mount(mnt); /* a new file system in the slot: new contents */
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
	mnt->m_rdonly = mnt->m_fs_rdonly = (m.m_fs_node.n_flags & FS_RES_RDONLY) != 0;
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
	dump_printf(d, "  vnodes: %d of %d in use, %d cached\n", used, NR_VNODES, nr_cached);
}
