/*
 * Opening files, and the calls that make and remove names: open, openat,
 * creat, mkdir(at), mknod(at), unlink(at), rmdir, rename(at/at2),
 * link(at), symlink(at).  VFS checks permission (write and search on the
 * directory, the sticky bit, read/write on the file) and read-only mounts;
 * the FS checks what only it can see (names, emptiness, links).  What the
 * FS does not serve yet answers its ENOSYS, honestly.
 */
#include "vfs_int.h"
#include <string.h>

static char path1[LX_PATH_MAX + 1], path2[LX_PATH_MAX + 1];
static char last1[256], last2[256];

/*
 * Open v (the caller's reference passes to the description) with the
 * status flags of open(): the description in *out, or -E (the reference
 * is dropped).
 */
int
open_vnode(struct fproc *fp, struct vnode *v, uint32_t flags, struct filp **out)
{
	uint32_t acc = flags & LX_O_ACCMODE;
	int bits = (acc == LX_O_RDONLY ? 4 : acc == LX_O_WRONLY ? 2 : 6);
	struct filp *f;
	int r;

	if (acc == 3) {
		r = -EINVAL;
		goto fail;
	}
	if ((flags & LX_O_DIRECTORY) && !LX_ISDIR(v->v_mode)) {
		r = -ENOTDIR;
		goto fail;
	}
	if (LX_ISDIR(v->v_mode) && (bits & 2)) {
		r = -EISDIR;
		goto fail;
	}
	if ((r = may_access(fp, v, bits, false)) < 0)
		goto fail;
	if ((bits & 2) && v->v_mnt->m_rdonly && (LX_ISREG(v->v_mode) || LX_ISDIR(v->v_mode))) {
		r = -EROFS;
		goto fail;
	}
	if ((bits & 2) && v->v_exec > 0) {
		r = -ETXTBSY; /* a running program's file (exec_id.c) */
		goto fail;
	}
	if ((flags & LX_O_TRUNC) && (bits & 2) && LX_ISREG(v->v_mode)) {
		message m;

		memset(&m, 0, sizeof(m));
		m.m_fs_attr.a_ino = v->v_ino;
		m.m_fs_attr.a_size = 0;
		m.m_fs_attr.a_ctime = vfs_now(); /* mtime and ctime, even if it was empty */
		if ((r = fs_call(v->v_mnt, FS_TRUNCATE, &m)) < 0)
			goto fail;
		v->v_size = 0;
	}
	if ((r = ctty_redirect(fp, &v)) < 0) /* /dev/tty: the caller's terminal */
		goto fail;
	if (!(f = filp_alloc())) {
		r = -ENFILE;
		goto fail;
	}
	f->f_vno = v;
	f->f_flags = flags & ~(uint32_t)(LX_O_CREAT | LX_O_EXCL | LX_O_TRUNC | LX_O_CLOEXEC);
	if (LX_ISCHR(v->v_mode) || LX_ISBLK(v->v_mode)) {
		if ((r = dev_open(fp, f, flags)) < 0) {
			f->f_vno = NULL;
			f->f_count = 0;
			goto fail;
		}
	}
	*out = f;
	return 0;
fail:
	vnode_put(v);
	return r;
}

/* May fp add or remove names in dir?  Write and search permission, a writable mount. */
static int
may_change_dir(struct fproc *fp, struct vnode *dir)
{
	int r;

	if ((r = may_access(fp, dir, 3, false)) < 0)
		return r;
	return dir->v_mnt->m_rdonly ? -EROFS : 0;
}

/* CREATE of a regular file: its vnode (a reference), or -E. */
static int
create_file(struct fproc *fp, struct vnode *dir, const char *name, uint32_t mode,
	    struct vnode **out)
{
	message m;
	int r;

	if ((r = may_change_dir(fp, dir)) < 0)
		return r;
	memset(&m, 0, sizeof(m));
	m.m_fs_name.n_mode = LX_S_IFREG | (mode & 07777 & ~fp->fp_umask);
	m.m_fs_name.n_uid = fp->fp_euid;
	m.m_fs_name.n_gid = fp->fp_egid;
	if ((r = fs_name(dir, FS_CREATE, name, &m)) < 0)
		return r;
	*out = vnode_get(dir->v_mnt, m.m_fs_node.n_ino, m.m_fs_node.n_size, m.m_fs_node.n_mode,
			 m.m_fs_node.n_uid, m.m_fs_node.n_gid, 0);
	return *out ? 0 : -ENFILE;
}

static int64_t
do_open(struct fproc *fp, int dirfd, uint64_t upath, uint32_t flags, uint32_t mode)
{
	struct vnode *v = NULL, *dir;
	struct filp *f;
	int r;

	if ((r = path_copy_in(fp, upath, path1)) < 0)
		return r;
	if (flags & LX_O_CREAT) {
		r = lookup(fp, dirfd, path1, (flags & LX_O_EXCL) ? 0 : PATH_FOLLOW, &v);
		if (r == 0 && (flags & LX_O_EXCL)) {
			vnode_put(v);
			return -EEXIST;
		}
		if (r == -ENOENT) {
			if ((r = lookup_parent(fp, dirfd, path1, &dir, last1)) < 0)
				return r;
			if (path1[strlen(path1) - 1] == '/')
				r = -EISDIR;
			else if (!strcmp(last1, ".") || !strcmp(last1, ".."))
				r = -EISDIR;
			else
				r = create_file(fp, dir, last1, mode, &v);
			vnode_put(dir);
			if (r < 0)
				return r;
			flags &= ~(uint32_t)LX_O_TRUNC; /* new and empty */
			/* The creator may write what it made, whatever the mode. */
			if (!(f = filp_alloc())) {
				vnode_put(v);
				return -ENFILE;
			}
			f->f_vno = v;
			f->f_flags = flags & ~(uint32_t)(LX_O_CREAT | LX_O_EXCL | LX_O_CLOEXEC);
			goto install;
		}
	} else {
		r = lookup(fp, dirfd, path1, (flags & LX_O_NOFOLLOW) ? 0 : PATH_FOLLOW, &v);
	}
	if (r < 0)
		return r;
	if (LX_ISLNK(v->v_mode)) { /* O_NOFOLLOW on a link */
		vnode_put(v);
		return -ELOOP;
	}
	if ((r = open_vnode(fp, v, flags, &f)) < 0)
		return r;
install:
	if ((r = fd_install(fp, f, 0, (flags & LX_O_CLOEXEC) != 0)) < 0) {
		filp_close(f);
		return r;
	}
	if ((f->f_vno->v_mode & LX_S_IFMT) == LX_S_IFIFO) {
		int64_t fr = pipe_fifo_open(fp, f, r);

		if (fr < 0 && fr != LX_NO_REPLY)
			fd_close(fp, r);
		return fr;
	}
	return r;
}

int64_t
lx_open(struct fproc *fp, const uint64_t *arg)
{
	return do_open(fp, LX_AT_FDCWD, arg[0], (uint32_t)arg[1], (uint32_t)arg[2]);
}

int64_t
lx_openat(struct fproc *fp, const uint64_t *arg)
{
	return do_open(fp, (int)arg[0], arg[1], (uint32_t)arg[2], (uint32_t)arg[3]);
}

int64_t
lx_creat(struct fproc *fp, const uint64_t *arg)
{
	return do_open(fp, LX_AT_FDCWD, arg[0], LX_O_CREAT | LX_O_WRONLY | LX_O_TRUNC,
		       (uint32_t)arg[1]);
}

/* The parent directory and last name of a path in the caller's memory. */
static int
parent_user(struct fproc *fp, int dirfd, uint64_t upath, char *buf, struct vnode **dir, char *last)
{
	int r;

	if ((r = path_copy_in(fp, upath, buf)) < 0)
		return r;
	return lookup_parent(fp, dirfd, buf, dir, last);
}

static bool
is_dot(const char *name)
{
	return !strcmp(name, ".") || !strcmp(name, "..");
}

static int64_t
do_mknod(struct fproc *fp, int dirfd, uint64_t upath, uint32_t mode, uint64_t dev)
{
	struct vnode *dir;
	message m;
	uint32_t type = mode & LX_S_IFMT, major, minor;
	int r;

	if (type == 0)
		type = LX_S_IFREG;
	if (type != LX_S_IFREG && type != LX_S_IFCHR && type != LX_S_IFBLK && type != LX_S_IFIFO &&
	    type != LX_S_IFSOCK && type != LX_S_IFDIR)
		return -EINVAL;
	if ((type == LX_S_IFCHR || type == LX_S_IFBLK) && fp->fp_euid != 0)
		return -EPERM;
	major = (uint32_t)((dev >> 8) & 0xfff);
	minor = (uint32_t)((dev & 0xff) | ((dev >> 12) & 0xfff00));
	if (major > 255 || minor > 255)
		return -EINVAL; /* the image keeps 8 + 8 bits */
	if ((r = parent_user(fp, dirfd, upath, path1, &dir, last1)) < 0)
		return r;
	if (is_dot(last1))
		r = -EEXIST;
	else if ((r = may_change_dir(fp, dir)) == 0) {
		memset(&m, 0, sizeof(m));
		m.m_fs_name.n_uid = fp->fp_euid;
		m.m_fs_name.n_gid = fp->fp_egid;
		m.m_fs_name.n_mode =
			(type == LX_S_IFDIR ? LX_S_IFREG : type) | (mode & 07777 & ~fp->fp_umask);
		if (type == LX_S_IFREG || type == LX_S_IFDIR) {
			if ((r = fs_name(dir, FS_CREATE, last1, &m)) == 0) {
				message p;

				memset(&p, 0, sizeof(p));
				p.m_fs_putnode.p_ino = m.m_fs_node.n_ino;
				p.m_fs_putnode.p_count = 1;
				fs_call(dir->v_mnt, FS_PUTNODE, &p);
			}
		} else {
			m.m_fs_name.n_rdev = major << 8 | minor;
			r = fs_name(dir, FS_MKNOD, last1, &m);
		}
	}
	vnode_put(dir);
	return r;
}

int64_t
lx_mknod(struct fproc *fp, const uint64_t *arg)
{
	return do_mknod(fp, LX_AT_FDCWD, arg[0], (uint32_t)arg[1], arg[2]);
}

int64_t
lx_mknodat(struct fproc *fp, const uint64_t *arg)
{
	return do_mknod(fp, (int)arg[0], arg[1], (uint32_t)arg[2], arg[3]);
}

static int64_t
do_mkdir(struct fproc *fp, int dirfd, uint64_t upath, uint32_t mode)
{
	struct vnode *dir;
	message m;
	int r;

	if ((r = parent_user(fp, dirfd, upath, path1, &dir, last1)) < 0)
		return r;
	if (is_dot(last1))
		r = -EEXIST;
	else if ((r = may_change_dir(fp, dir)) == 0) {
		memset(&m, 0, sizeof(m));
		m.m_fs_name.n_mode = LX_S_IFDIR | (mode & 07777 & ~fp->fp_umask);
		m.m_fs_name.n_uid = fp->fp_euid;
		m.m_fs_name.n_gid = fp->fp_egid;
		r = fs_name(dir, FS_MKDIR, last1, &m);
	}
	vnode_put(dir);
	return r;
}

int64_t
lx_mkdir(struct fproc *fp, const uint64_t *arg)
{
	return do_mkdir(fp, LX_AT_FDCWD, arg[0], (uint32_t)arg[1]);
}

int64_t
lx_mkdirat(struct fproc *fp, const uint64_t *arg)
{
	return do_mkdir(fp, (int)arg[0], arg[1], (uint32_t)arg[2]);
}

/*
 * The sticky bit: in such a directory only the owner of the entry, of the
 * directory, or root may remove or rename it (EPERM).
 */
static int
sticky_ok(struct fproc *fp, struct vnode *dir, const char *name)
{
	struct vnode *v;
	int r;

	if (!(dir->v_mode & LX_S_ISVTX) || fp->fp_euid == 0 || fp->fp_euid == dir->v_uid)
		return 0;
	{
		struct vnode *save = fp->fp_cwd; /* name has no slash: looked up in dir */

		fp->fp_cwd = dir;
		r = lookup(fp, LX_AT_FDCWD, name, 0, &v);
		fp->fp_cwd = save;
	}
	if (r < 0)
		return r;
	r = v->v_uid == fp->fp_euid ? 0 : -EPERM;
	vnode_put(v);
	return r;
}

static int64_t
do_unlink(struct fproc *fp, int dirfd, uint64_t upath, bool rmdir)
{
	struct vnode *dir;
	message m;
	int r;

	if ((r = parent_user(fp, dirfd, upath, path1, &dir, last1)) < 0)
		return r;
	if (!strcmp(last1, "."))
		r = rmdir ? -EINVAL : -EISDIR;
	else if (!strcmp(last1, ".."))
		r = rmdir ? -ENOTEMPTY : -EISDIR;
	else if ((r = may_change_dir(fp, dir)) == 0 && (r = sticky_ok(fp, dir, last1)) == 0) {
		memset(&m, 0, sizeof(m));
		if ((r = fs_name(dir, rmdir ? FS_RMDIR : FS_UNLINK, last1, &m)) == 0)
			vnode_forget(dir->v_mnt, m.m_fs_node.n_ino); /* freed now, if only cached */
	}
	vnode_put(dir);
	return r;
}

int64_t
lx_unlink(struct fproc *fp, const uint64_t *arg)
{
	return do_unlink(fp, LX_AT_FDCWD, arg[0], false);
}

int64_t
lx_rmdir(struct fproc *fp, const uint64_t *arg)
{
	return do_unlink(fp, LX_AT_FDCWD, arg[0], true);
}

int64_t
lx_unlinkat(struct fproc *fp, const uint64_t *arg)
{
	if (arg[2] & ~(uint64_t)LX_AT_REMOVEDIR)
		return -EINVAL;
	return do_unlink(fp, (int)arg[0], arg[1], (arg[2] & LX_AT_REMOVEDIR) != 0);
}

static int64_t
do_rename(struct fproc *fp, int odirfd, uint64_t oldp, int ndirfd, uint64_t newp, uint32_t flags)
{
	struct vnode *odir, *ndir, *v;
	grant_id_t g1, g2;
	message m;
	int r;

	if (flags & ~(uint32_t)LX_RENAME_NOREPLACE)
		return -EINVAL;
	if ((r = parent_user(fp, odirfd, oldp, path1, &odir, last1)) < 0)
		return r;
	if ((r = parent_user(fp, ndirfd, newp, path2, &ndir, last2)) < 0) {
		vnode_put(odir);
		return r;
	}
	if (is_dot(last1) || is_dot(last2))
		r = -EBUSY;
	else if (odir->v_mnt != ndir->v_mnt)
		r = -EXDEV;
	else if ((r = may_change_dir(fp, odir)) < 0 || (r = may_change_dir(fp, ndir)) < 0 ||
		 (r = sticky_ok(fp, odir, last1)) < 0)
		;
	else if ((flags & LX_RENAME_NOREPLACE) && lookup(fp, ndirfd, path2, 0, &v) == 0) {
		vnode_put(v);
		r = -EEXIST;
	} else {
		g1 = cpf_grant_direct(odir->v_mnt->m_fs, last1, strlen(last1), GRANT_READ);
		g2 = cpf_grant_direct(odir->v_mnt->m_fs, last2, strlen(last2), GRANT_READ);
		memset(&m, 0, sizeof(m));
		m.m_fs_rename.rn_old_dir = odir->v_ino;
		m.m_fs_rename.rn_new_dir = ndir->v_ino;
		m.m_fs_rename.rn_old_name = g1;
		m.m_fs_rename.rn_old_len = (uint32_t)strlen(last1);
		m.m_fs_rename.rn_new_name = g2;
		m.m_fs_rename.rn_new_len = (uint32_t)strlen(last2);
		m.m_fs_rename.rn_time = vfs_now();
		r = (g1 == GRANT_INVALID || g2 == GRANT_INVALID)
			    ? -ENOMEM
			    : fs_call(odir->v_mnt, FS_RENAME, &m);
		if (r == 0 && m.m_fs_node.n_ino)
			vnode_forget(odir->v_mnt, m.m_fs_node.n_ino); /* the replaced inode */
		cpf_revoke(g1);
		cpf_revoke(g2);
	}
	vnode_put(odir);
	vnode_put(ndir);
	return r;
}

int64_t
lx_rename(struct fproc *fp, const uint64_t *arg)
{
	return do_rename(fp, LX_AT_FDCWD, arg[0], LX_AT_FDCWD, arg[1], 0);
}

int64_t
lx_renameat(struct fproc *fp, const uint64_t *arg)
{
	return do_rename(fp, (int)arg[0], arg[1], (int)arg[2], arg[3], 0);
}

int64_t
lx_renameat2(struct fproc *fp, const uint64_t *arg)
{
	return do_rename(fp, (int)arg[0], arg[1], (int)arg[2], arg[3], (uint32_t)arg[4]);
}

static int64_t
do_link(struct fproc *fp, int odirfd, uint64_t oldp, int ndirfd, uint64_t newp, uint32_t flags)
{
	struct vnode *v, *dir;
	message m;
	int r;

	if (flags & ~(uint32_t)(LX_AT_SYMLINK_FOLLOW | LX_AT_EMPTY_PATH))
		return -EINVAL;
	if ((r = path_copy_in(fp, oldp, path2)) < 0)
		return r;
	if ((r = lookup(fp, odirfd, path2, (flags & LX_AT_SYMLINK_FOLLOW) ? PATH_FOLLOW : 0, &v)) <
	    0)
		return r;
	if (LX_ISDIR(v->v_mode)) {
		vnode_put(v);
		return -EPERM;
	}
	if ((r = parent_user(fp, ndirfd, newp, path1, &dir, last1)) < 0) {
		vnode_put(v);
		return r;
	}
	if (is_dot(last1))
		r = -EEXIST;
	else if (dir->v_mnt != v->v_mnt)
		r = -EXDEV;
	else if ((r = may_change_dir(fp, dir)) == 0) {
		memset(&m, 0, sizeof(m));
		m.m_fs_name.n_ino = v->v_ino;
		r = fs_name(dir, FS_LINK, last1, &m);
	}
	vnode_put(dir);
	vnode_put(v);
	return r;
}

int64_t
lx_link(struct fproc *fp, const uint64_t *arg)
{
	return do_link(fp, LX_AT_FDCWD, arg[0], LX_AT_FDCWD, arg[1], 0);
}

int64_t
lx_linkat(struct fproc *fp, const uint64_t *arg)
{
	return do_link(fp, (int)arg[0], arg[1], (int)arg[2], arg[3], (uint32_t)arg[4]);
}

static int64_t
do_symlink(struct fproc *fp, uint64_t target, int dirfd, uint64_t linkp)
{
	struct vnode *dir;
	grant_id_t g;
	message m;
	int r, len;

	if ((len = path_copy_in(fp, target, path2)) < 0)
		return len;
	if (len == 0)
		return -ENOENT;
	if ((r = parent_user(fp, dirfd, linkp, path1, &dir, last1)) < 0)
		return r;
	if (is_dot(last1))
		r = -EEXIST;
	else if ((r = may_change_dir(fp, dir)) == 0) {
		g = cpf_grant_direct(dir->v_mnt->m_fs, path2, (size_t)len, GRANT_READ);
		memset(&m, 0, sizeof(m));
		m.m_fs_name.n_ino = g;
		m.m_fs_name.n_rdev = (uint32_t)len;
		m.m_fs_name.n_mode = LX_S_IFLNK | 0777;
		m.m_fs_name.n_uid = fp->fp_euid;
		m.m_fs_name.n_gid = fp->fp_egid;
		r = g == GRANT_INVALID ? -ENOMEM : fs_name(dir, FS_SYMLINK, last1, &m);
		cpf_revoke(g);
	}
	vnode_put(dir);
	return r;
}

int64_t
lx_symlink(struct fproc *fp, const uint64_t *arg)
{
	return do_symlink(fp, arg[0], LX_AT_FDCWD, arg[1]);
}

int64_t
lx_symlinkat(struct fproc *fp, const uint64_t *arg)
{
	return do_symlink(fp, arg[0], (int)arg[1], arg[2]);
}
