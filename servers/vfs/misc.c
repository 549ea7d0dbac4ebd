/*
 * Per-process directory state and the rest: chdir, fchdir, chroot,
 * getcwd, umask, sync, fsync and fdatasync.  getcwd walks up from the
 * working directory, naming each directory by the entry of its parent
 * whose inode is its own (the FS keeps no names of directories), and
 * crosses a mount at its root to the directory it covers.
 */
#include "vfs_int.h"
#include <string.h>

static int
set_dir(struct fproc *fp, struct vnode *v, struct vnode **slot)
{
	int r;

	if (!LX_ISDIR(v->v_mode))
		r = -ENOTDIR;
	else if ((r = may_access(fp, v, 1, false)) == 0) {
		vnode_put(*slot);
		*slot = v;
		return 0;
	}
	vnode_put(v);
	return r;
}

int64_t
lx_chdir(struct fproc *fp, const uint64_t *arg)
{
	struct vnode *v;
	int r;

	if ((r = lookup_user(fp, LX_AT_FDCWD, arg[0], PATH_FOLLOW, &v)) < 0)
		return r;
	return set_dir(fp, v, &fp->fp_cwd);
}

int64_t
lx_fchdir(struct fproc *fp, const uint64_t *arg)
{
	struct filp *f = fd_filp(fp, (int)arg[0]);

	if (!f)
		return -EBADF;
	vnode_dup(f->f_vno);
	return set_dir(fp, f->f_vno, &fp->fp_cwd);
}

int64_t
lx_chroot(struct fproc *fp, const uint64_t *arg)
{
	struct vnode *v;
	int r;

	if (fp->fp_euid != 0)
		return -EPERM;
	if ((r = lookup_user(fp, LX_AT_FDCWD, arg[0], PATH_FOLLOW, &v)) < 0)
		return r;
	return set_dir(fp, v, &fp->fp_root);
}

/* The name of dir's entry for inode ino, into name (256 bytes): 0 or -E. */
static int
name_in_dir(struct vnode *dir, fs_ino_t ino, char *name)
{
	static uint8_t buf[2048];
	uint64_t pos = 0;

	for (;;) {
		grant_id_t g = cpf_grant_direct(dir->v_mnt->m_fs, buf, sizeof(buf), GRANT_WRITE);
		uint64_t next = 0, bytes = 0;
		int r;

		if (g == GRANT_INVALID)
			return -ENOMEM;
		r = fs_io(dir, FS_GETDENTS, pos, g, sizeof(buf), &next, &bytes);
		cpf_revoke(g);
		if (r < 0)
			return r;
		if (bytes == 0)
			return -ENOENT;
		for (uint64_t off = 0; off + sizeof(struct fs_dirent64) <= bytes;) {
			struct fs_dirent64 *d = (struct fs_dirent64 *)(buf + off);

			if (d->d_reclen == 0 || off + d->d_reclen > bytes)
				return -EIO;
			if (d->d_ino == ino && strcmp(d->d_name, ".") && strcmp(d->d_name, "..")) {
				strlcpy(name, d->d_name, 256);
				return 0;
			}
			off += d->d_reclen;
		}
		pos = next;
	}
}

int64_t
lx_getcwd(struct fproc *fp, const uint64_t *arg)
{
	static char out[LX_PATH_MAX + 1];
	char name[256];
	size_t start = LX_PATH_MAX; /* out[start..] is the path so far */
	struct vnode *cur = fp->fp_cwd, *parent, *save;
	int r = 0;

	out[LX_PATH_MAX] = '\0';
	vnode_dup(cur);
	while (cur != fp->fp_root) {
		size_t len;

		if (cur == cur->v_mnt->m_root) {
			if (!cur->v_mnt->m_covered)
				break; /* the top of everything */
			parent = cur->v_mnt->m_covered;
			vnode_dup(parent);
			vnode_put(cur);
			cur = parent;
			continue;
		}
		save = fp->fp_cwd;
		fp->fp_cwd = cur;
		r = lookup(fp, LX_AT_FDCWD, "..", 0, &parent);
		fp->fp_cwd = save;
		if (r < 0)
			break;
		r = name_in_dir(parent, cur->v_ino, name);
		vnode_put(cur);
		cur = parent;
		if (r < 0)
			break;
		len = strlen(name);
		if (len + 1 > start) {
			r = -ENAMETOOLONG;
			break;
		}
		start -= len;
		memcpy(out + start, name, len);
		out[--start] = '/';
	}
	vnode_put(cur);
	if (r < 0)
		return r;
	if (start == LX_PATH_MAX)
		out[--start] = '/';
	if (LX_PATH_MAX - start + 1 > arg[1])
		return -ERANGE;
	if (copy_to_user(fp, arg[0], out + start, LX_PATH_MAX - start + 1) < 0)
		return -EFAULT;
	return (int64_t)(LX_PATH_MAX - start + 1);
}

int64_t
lx_umask(struct fproc *fp, const uint64_t *arg)
{
	uint32_t old = fp->fp_umask;

	fp->fp_umask = (uint32_t)arg[0] & 0777;
	return old;
}

int64_t
lx_sync(struct fproc *fp, const uint64_t *arg)
{
	message m;

	(void)fp;
	(void)arg;
	for (int i = 0; i < NR_VMNTS; i++)
		if (vmnts[i].m_used && !vmnts[i].m_fs_rdonly) {
			memset(&m, 0, sizeof(m));
			fs_call(&vmnts[i], FS_SYNC, &m);
		}
	return 0;
}

/* fsync and fdatasync: the file's FS writes every dirty block (Minix keeps no finer unit). */
int64_t
lx_fsync(struct fproc *fp, const uint64_t *arg)
{
	struct filp *f = fd_filp(fp, (int)arg[0]);
	message m;

	if (!f)
		return -EBADF;
	if (!LX_ISREG(f->f_vno->v_mode) && !LX_ISDIR(f->f_vno->v_mode))
		return LX_ISBLK(f->f_vno->v_mode) ? 0 : -EINVAL;
	if (f->f_vno->v_mnt->m_fs_rdonly)
		return 0;
	memset(&m, 0, sizeof(m));
	return fs_call(f->f_vno->v_mnt, FS_SYNC, &m);
}
