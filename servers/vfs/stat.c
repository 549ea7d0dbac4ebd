/*
 * Attributes: the stat family (stat, fstat, lstat, newfstatat, statx),
 * readlink, access, chmod, chown, truncate, utimensat and statfs.  VFS
 * checks who may change what (the owner or root; chown to another owner:
 * root only) and read-only mounts; the FS stores.
 *
 * Times: Minix v3 keeps seconds.  Every change is stamped with the date
 * (clock.c: PM's CLOCK_REALTIME): chmod, chown and truncate set ctime
 * (truncate mtime too), utimensat the times it is given or the date for
 * UTIME_NOW, and ctime.
 */
#include "vfs_int.h"
#include <string.h>

/* The device number stat reports for a mount: its slot (no block device names it yet). */
static uint64_t
mount_dev(const struct vmnt *m)
{
	return 0x100 + (uint64_t)(m - vmnts);
}

static int
stat_vnode(struct fproc *fp, struct vnode *v, uint64_t ubuf)
{
	struct msg_fs_stat s;
	struct lx_stat st;
	int r;

	if ((r = vnode_stat(v, &s)) < 0)
		return r;
	memset(&st, 0, sizeof(st));
	st.st_dev = mount_dev(v->v_mnt);
	st.st_ino = s.s_ino;
	st.st_nlink = s.s_nlink;
	st.st_mode = s.s_mode;
	st.st_uid = s.s_uid;
	st.st_gid = s.s_gid;
	st.st_rdev = s.s_rdev;
	st.st_size = (int64_t)s.s_size;
	st.st_blksize = s.s_blksize;
	st.st_blocks = s.s_blocks;
	st.st_atime_sec = s.s_atime;
	st.st_mtime_sec = s.s_mtime;
	st.st_ctime_sec = s.s_ctime;
	return copy_to_user(fp, ubuf, &st, sizeof(st));
}

/*
 * The vnode a *at() call with flags names: the path, or with
 * AT_EMPTY_PATH and "" the descriptor itself.  A reference for the caller.
 */
static char apath[LX_PATH_MAX + 1];

static int
at_vnode(struct fproc *fp, int dirfd, uint64_t upath, uint32_t flags, bool follow, struct vnode **v)
{
	int r;

	if ((r = path_copy_in(fp, upath, apath)) < 0)
		return r;
	if (r == 0 && (flags & LX_AT_EMPTY_PATH)) {
		struct filp *f;

		if (dirfd == LX_AT_FDCWD) {
			*v = fp->fp_cwd;
		} else if (!(f = fd_filp(fp, dirfd))) {
			return -EBADF;
		} else {
			*v = f->f_vno;
		}
		vnode_dup(*v);
		return 0;
	}
	return lookup(fp, dirfd, apath, follow ? PATH_FOLLOW : 0, v);
}

int64_t
lx_stat(struct fproc *fp, const uint64_t *arg)
{
	struct vnode *v;
	int r;

	if ((r = lookup_user(fp, LX_AT_FDCWD, arg[0], PATH_FOLLOW, &v)) < 0)
		return r;
	r = stat_vnode(fp, v, arg[1]);
	vnode_put(v);
	return r;
}

int64_t
lx_lstat(struct fproc *fp, const uint64_t *arg)
{
	struct vnode *v;
	int r;

	if ((r = lookup_user(fp, LX_AT_FDCWD, arg[0], 0, &v)) < 0)
		return r;
	r = stat_vnode(fp, v, arg[1]);
	vnode_put(v);
	return r;
}

int64_t
lx_fstat(struct fproc *fp, const uint64_t *arg)
{
	struct filp *f = fd_filp(fp, (int)arg[0]);

	if (!f)
		return -EBADF;
	return stat_vnode(fp, f->f_vno, arg[1]);
}

int64_t
lx_newfstatat(struct fproc *fp, const uint64_t *arg)
{
	uint32_t flags = (uint32_t)arg[3];
	struct vnode *v;
	int r;

	if (flags &
	    ~(uint32_t)(LX_AT_SYMLINK_NOFOLLOW | LX_AT_EMPTY_PATH | 0x800 /* NO_AUTOMOUNT */))
		return -EINVAL;
	if ((r = at_vnode(fp, (int)arg[0], arg[1], flags, !(flags & LX_AT_SYMLINK_NOFOLLOW), &v)) <
	    0)
		return r;
	r = stat_vnode(fp, v, arg[2]);
	vnode_put(v);
	return r;
}

int64_t
lx_statx(struct fproc *fp, const uint64_t *arg)
{
	uint32_t flags = (uint32_t)arg[2];
	struct msg_fs_stat s;
	struct lx_statx sx;
	struct vnode *v;
	int r;

	if (flags & ~(uint32_t)(LX_AT_SYMLINK_NOFOLLOW | LX_AT_EMPTY_PATH | 0x800 | 0x6000))
		return -EINVAL;
	if ((r = at_vnode(fp, (int)arg[0], arg[1], flags, !(flags & LX_AT_SYMLINK_NOFOLLOW), &v)) <
	    0)
		return r;
	r = vnode_stat(v, &s);
	if (r == 0) {
		memset(&sx, 0, sizeof(sx));
		sx.stx_mask = LX_STATX_BASIC_STATS;
		sx.stx_blksize = s.s_blksize;
		sx.stx_nlink = s.s_nlink;
		sx.stx_uid = s.s_uid;
		sx.stx_gid = s.s_gid;
		sx.stx_mode = (uint16_t)s.s_mode;
		sx.stx_ino = s.s_ino;
		sx.stx_size = s.s_size;
		sx.stx_blocks = s.s_blocks;
		sx.stx_atime.tv_sec = s.s_atime;
		sx.stx_mtime.tv_sec = s.s_mtime;
		sx.stx_ctime.tv_sec = s.s_ctime;
		sx.stx_rdev_major = DEV_MAJOR(s.s_rdev);
		sx.stx_rdev_minor = DEV_MINOR(s.s_rdev);
		sx.stx_dev_major = (uint32_t)(mount_dev(v->v_mnt) >> 8);
		sx.stx_dev_minor = (uint32_t)(mount_dev(v->v_mnt) & 0xff);
		r = copy_to_user(fp, arg[4], &sx, sizeof(sx));
	}
	vnode_put(v);
	return r;
}

static int64_t
do_readlink(struct fproc *fp, int dirfd, uint64_t upath, uint64_t ubuf, int64_t size)
{
	uint64_t bytes = 0;
	struct vnode *v;
	grant_id_t g;
	int r;

	if (size <= 0)
		return -EINVAL;
	if ((r = at_vnode(fp, dirfd, upath, LX_AT_EMPTY_PATH, false, &v)) < 0)
		return r;
	if (!LX_ISLNK(v->v_mode)) {
		vnode_put(v);
		return -EINVAL;
	}
	if (size > LX_PATH_MAX)
		size = LX_PATH_MAX;
	g = cpf_grant_magic(v->v_mnt->m_fs, fp->fp_endpt, ubuf, (size_t)size, GRANT_WRITE);
	r = g == GRANT_INVALID ? -EFAULT
			       : fs_io(v, FS_READLINK, 0, g, (uint32_t)size, NULL, &bytes);
	cpf_revoke(g);
	vnode_put(v);
	return r < 0 ? r : (int64_t)bytes;
}

int64_t
lx_readlink(struct fproc *fp, const uint64_t *arg)
{
	return do_readlink(fp, LX_AT_FDCWD, arg[0], arg[1], (int64_t)arg[2]);
}

int64_t
lx_readlinkat(struct fproc *fp, const uint64_t *arg)
{
	return do_readlink(fp, (int)arg[0], arg[1], arg[2], (int64_t)arg[3]);
}

static int64_t
do_access(struct fproc *fp, int dirfd, uint64_t upath, uint32_t mode, uint32_t flags)
{
	struct vnode *v;
	int r;

	if (mode & ~7u)
		return -EINVAL;
	if (flags & ~(uint32_t)(LX_AT_EACCESS | LX_AT_SYMLINK_NOFOLLOW | LX_AT_EMPTY_PATH))
		return -EINVAL;
	if ((r = at_vnode(fp, dirfd, upath, flags, !(flags & LX_AT_SYMLINK_NOFOLLOW), &v)) < 0)
		return r;
	r = may_access(fp, v, (int)mode, !(flags & LX_AT_EACCESS));
	if (r == 0 && (mode & 2) && v->v_mnt->m_rdonly && !LX_ISCHR(v->v_mode) &&
	    !LX_ISBLK(v->v_mode))
		r = -EROFS;
	vnode_put(v);
	return r;
}

int64_t
lx_access(struct fproc *fp, const uint64_t *arg)
{
	return do_access(fp, LX_AT_FDCWD, arg[0], (uint32_t)arg[1], 0);
}

int64_t
lx_faccessat(struct fproc *fp, const uint64_t *arg)
{
	return do_access(fp, (int)arg[0], arg[1], (uint32_t)arg[2], 0);
}

int64_t
lx_faccessat2(struct fproc *fp, const uint64_t *arg)
{
	return do_access(fp, (int)arg[0], arg[1], (uint32_t)arg[2], (uint32_t)arg[3]);
}

/* Only the owner or root changes a file's mode, times or group. */
static int
owner_or_root(struct fproc *fp, struct vnode *v)
{
	if (fp->fp_euid != 0 && fp->fp_euid != v->v_uid)
		return -EPERM;
	return v->v_mnt->m_rdonly ? -EROFS : 0;
}

static int
chmod_vnode(struct fproc *fp, struct vnode *v, uint32_t mode)
{
	message m;
	int r;

	if ((r = owner_or_root(fp, v)) < 0)
		return r;
	mode &= 07777;
	if (fp->fp_euid != 0 && fp->fp_egid != v->v_gid)
		mode &= ~(uint32_t)LX_S_ISGID;
	memset(&m, 0, sizeof(m));
	m.m_fs_attr.a_ino = v->v_ino;
	m.m_fs_attr.a_mode = mode;
	m.m_fs_attr.a_ctime = vfs_now();
	if ((r = fs_call(v->v_mnt, FS_CHMOD, &m)) == 0)
		v->v_mode = (v->v_mode & LX_S_IFMT) | mode;
	return r;
}

static int
chown_vnode(struct fproc *fp, struct vnode *v, uint32_t uid, uint32_t gid)
{
	message m;
	int r;

	if (v->v_mnt->m_rdonly)
		return -EROFS;
	if (uid == (uint32_t)-1)
		uid = v->v_uid;
	if (gid == (uint32_t)-1)
		gid = v->v_gid;
	if (fp->fp_euid != 0 &&
	    (uid != v->v_uid || fp->fp_euid != v->v_uid || (gid != v->v_gid && gid != fp->fp_egid)))
		return -EPERM;
	memset(&m, 0, sizeof(m));
	m.m_fs_attr.a_ino = v->v_ino;
	m.m_fs_attr.a_uid = uid;
	m.m_fs_attr.a_gid = gid;
	m.m_fs_attr.a_ctime = vfs_now();
	if ((r = fs_call(v->v_mnt, FS_CHOWN, &m)) == 0) {
		v->v_uid = uid;
		v->v_gid = gid;
		if (m.m_fs_node.n_mode)
			v->v_mode = m.m_fs_node.n_mode;
	}
	return r;
}

int64_t
lx_chmod(struct fproc *fp, const uint64_t *arg)
{
	struct vnode *v;
	int r;

	if ((r = lookup_user(fp, LX_AT_FDCWD, arg[0], PATH_FOLLOW, &v)) < 0)
		return r;
	r = chmod_vnode(fp, v, (uint32_t)arg[1]);
	vnode_put(v);
	return r;
}

int64_t
lx_fchmod(struct fproc *fp, const uint64_t *arg)
{
	struct filp *f = fd_filp(fp, (int)arg[0]);

	return f ? chmod_vnode(fp, f->f_vno, (uint32_t)arg[1]) : -EBADF;
}

int64_t
lx_fchmodat(struct fproc *fp, const uint64_t *arg)
{
	struct vnode *v;
	int r;

	if ((r = at_vnode(fp, (int)arg[0], arg[1], 0, true, &v)) < 0)
		return r;
	r = chmod_vnode(fp, v, (uint32_t)arg[2]);
	vnode_put(v);
	return r;
}

static int64_t
do_chown(struct fproc *fp, int dirfd, uint64_t upath, uint32_t uid, uint32_t gid, uint32_t flags)
{
	struct vnode *v;
	int r;

	if (flags & ~(uint32_t)(LX_AT_SYMLINK_NOFOLLOW | LX_AT_EMPTY_PATH))
		return -EINVAL;
	if ((r = at_vnode(fp, dirfd, upath, flags, !(flags & LX_AT_SYMLINK_NOFOLLOW), &v)) < 0)
		return r;
	r = chown_vnode(fp, v, uid, gid);
	vnode_put(v);
	return r;
}

int64_t
lx_chown(struct fproc *fp, const uint64_t *arg)
{
	return do_chown(fp, LX_AT_FDCWD, arg[0], (uint32_t)arg[1], (uint32_t)arg[2], 0);
}

int64_t
lx_lchown(struct fproc *fp, const uint64_t *arg)
{
	return do_chown(fp, LX_AT_FDCWD, arg[0], (uint32_t)arg[1], (uint32_t)arg[2],
			LX_AT_SYMLINK_NOFOLLOW);
}

int64_t
lx_fchownat(struct fproc *fp, const uint64_t *arg)
{
	return do_chown(fp, (int)arg[0], arg[1], (uint32_t)arg[2], (uint32_t)arg[3],
			(uint32_t)arg[4]);
}

int64_t
lx_fchown(struct fproc *fp, const uint64_t *arg)
{
	struct filp *f = fd_filp(fp, (int)arg[0]);

	return f ? chown_vnode(fp, f->f_vno, (uint32_t)arg[1], (uint32_t)arg[2]) : -EBADF;
}

static int
truncate_vnode(struct vnode *v, int64_t size)
{
	message m;
	int r;

	if (size < 0)
		return -EINVAL;
	if (LX_ISDIR(v->v_mode))
		return -EISDIR;
	if (!LX_ISREG(v->v_mode))
		return -EINVAL;
	if (v->v_mnt->m_rdonly)
		return -EROFS;
	memset(&m, 0, sizeof(m));
	m.m_fs_attr.a_ino = v->v_ino;
	m.m_fs_attr.a_size = (uint64_t)size;
	m.m_fs_attr.a_ctime = vfs_now();
	if ((r = fs_call(v->v_mnt, FS_TRUNCATE, &m)) == 0)
		v->v_size = (uint64_t)size;
	return r;
}

int64_t
lx_truncate(struct fproc *fp, const uint64_t *arg)
{
	struct vnode *v;
	int r;

	if ((r = lookup_user(fp, LX_AT_FDCWD, arg[0], PATH_FOLLOW, &v)) < 0)
		return r;
	if ((r = may_access(fp, v, 2, false)) == 0)
		r = v->v_exec > 0 ? -ETXTBSY : truncate_vnode(v, (int64_t)arg[1]);
	vnode_put(v);
	return r;
}

int64_t
lx_ftruncate(struct fproc *fp, const uint64_t *arg)
{
	struct filp *f = fd_filp(fp, (int)arg[0]);

	if (!f)
		return -EBADF;
	if ((f->f_flags & LX_O_ACCMODE) == LX_O_RDONLY)
		return -EINVAL;
	return truncate_vnode(f->f_vno, (int64_t)arg[1]);
}

int64_t
lx_utimensat(struct fproc *fp, const uint64_t *arg)
{
	struct lx_timespec ts[2];
	struct vnode *v;
	uint32_t flags = (uint32_t)arg[3];
	bool now_only = true;
	message m;
	int r;

	if (flags & ~(uint32_t)LX_AT_SYMLINK_NOFOLLOW)
		return -EINVAL;
	if (arg[2]) {
		if (copy_from_user(fp, arg[2], ts, sizeof(ts)) < 0)
			return -EFAULT;
		for (int i = 0; i < 2; i++) {
			if (ts[i].tv_nsec == LX_UTIME_NOW || ts[i].tv_nsec == LX_UTIME_OMIT)
				continue;
			if (ts[i].tv_nsec < 0 || ts[i].tv_nsec > 999999999)
				return -EINVAL;
			now_only = false;
		}
	} else {
		ts[0].tv_nsec = ts[1].tv_nsec = LX_UTIME_NOW;
	}
	if (arg[1] == 0) { /* utimensat(fd, NULL, ...): the descriptor */
		struct filp *f = fd_filp(fp, (int)arg[0]);

		if (!f)
			return -EBADF;
		v = f->f_vno;
		vnode_dup(v);
	} else if ((r = at_vnode(fp, (int)arg[0], arg[1], 0, !(flags & LX_AT_SYMLINK_NOFOLLOW),
				 &v)) < 0) {
		return r;
	}
	r = owner_or_root(fp, v);
	if (r == -EPERM && now_only && may_access(fp, v, 2, false) == 0)
		r = 0;
	/* Both omitted: nothing changes, not even ctime (Linux's answer). */
	if (r == 0 && (ts[0].tv_nsec != LX_UTIME_OMIT || ts[1].tv_nsec != LX_UTIME_OMIT)) {
		uint32_t now = vfs_now();

		memset(&m, 0, sizeof(m));
		m.m_fs_attr.a_ino = v->v_ino;
		m.m_fs_attr.a_atime = ts[0].tv_nsec == LX_UTIME_NOW ? now : (uint32_t)ts[0].tv_sec;
		m.m_fs_attr.a_mtime = ts[1].tv_nsec == LX_UTIME_NOW ? now : (uint32_t)ts[1].tv_sec;
		m.m_fs_attr.a_flags = (ts[0].tv_nsec != LX_UTIME_OMIT ? FS_UTIME_ATIME : 0) |
				      (ts[1].tv_nsec != LX_UTIME_OMIT ? FS_UTIME_MTIME : 0);
		m.m_fs_attr.a_ctime = now;
		r = fs_call(v->v_mnt, FS_UTIME, &m);
	}
	vnode_put(v);
	return r;
}

static int
statfs_vnode(struct fproc *fp, struct vnode *v, uint64_t ubuf)
{
	struct fs_statfs fs = { 0 };
	struct lx_statfs out;
	grant_id_t g = cpf_grant_direct(v->v_mnt->m_fs, &fs, sizeof(fs), GRANT_WRITE);
	int r;

	if (g == GRANT_INVALID)
		return -ENOMEM;
	r = fs_io(v, FS_STATFS, 0, g, sizeof(fs), NULL, NULL);
	cpf_revoke(g);
	if (r < 0)
		return r;
	memset(&out, 0, sizeof(out));
	out.f_type = fs.f_magic;
	out.f_bsize = fs.f_bsize;
	out.f_frsize = fs.f_bsize;
	out.f_blocks = fs.f_blocks;
	out.f_bfree = fs.f_bfree;
	out.f_bavail = fs.f_bfree;
	out.f_files = fs.f_files;
	out.f_ffree = fs.f_ffree;
	out.f_namelen = fs.f_namelen;
	out.f_fsid[0] = (int32_t)mount_dev(v->v_mnt);
	out.f_flags = v->v_mnt->m_rdonly ? LX_MS_RDONLY : 0;
	return copy_to_user(fp, ubuf, &out, sizeof(out));
}

int64_t
lx_statfs(struct fproc *fp, const uint64_t *arg)
{
	struct vnode *v;
	int r;

	if ((r = lookup_user(fp, LX_AT_FDCWD, arg[0], PATH_FOLLOW, &v)) < 0)
		return r;
	r = statfs_vnode(fp, v, arg[1]);
	vnode_put(v);
	return r;
}

int64_t
lx_fstatfs(struct fproc *fp, const uint64_t *arg)
{
	struct filp *f = fd_filp(fp, (int)arg[0]);

	return f ? statfs_vnode(fp, f->f_vno, arg[1]) : -EBADF;
}
