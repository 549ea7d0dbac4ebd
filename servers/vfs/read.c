/*
 * Moving bytes: read, write, pread64, pwrite64, readv, writev, lseek,
 * getdents64 and ioctl.  A regular file's bytes go between the FS's cache
 * and the caller's buffer in one copy: VFS makes a magic grant of the
 * caller's buffer for the FS (docs/processes.md section 3).  Devices go to
 * device.c (a character device may suspend the call); pipes and FIFOs to
 * pipe.c when it exists.
 */
#include "vfs_int.h"
#include <string.h>

#define RW_MAX 0x7ffff000ULL /* Linux's largest transfer in one call */

/* The bytes of a regular file or directory through the FS. */
static int64_t
file_io(struct fproc *fp, struct filp *f, bool write, uint64_t addr, uint64_t len, uint64_t pos,
	bool use_pos)
{
	struct vnode *v = f->f_vno;
	uint64_t newpos = 0, bytes = 0;
	grant_id_t g;
	int r;

	if (len == 0)
		return 0;
	if (!use_pos)
		pos = (write && (f->f_flags & LX_O_APPEND)) ? v->v_size : f->f_pos;
	if ((int64_t)pos < 0)
		return -EINVAL;
	g = cpf_grant_magic(v->v_mnt->m_fs, fp->fp_endpt, addr, len,
			    write ? GRANT_READ : GRANT_WRITE);
	if (g == GRANT_INVALID)
		return -EFAULT;
	r = fs_io(v, write ? FS_WRITE : FS_READ, pos, g, (uint32_t)len, &newpos, &bytes);
	cpf_revoke(g);
	if (r < 0)
		return r;
	if (!use_pos)
		f->f_pos = newpos;
	if (write && newpos > v->v_size)
		v->v_size = newpos;
	return (int64_t)bytes;
}

/* One transfer of len bytes at addr through descriptor fd. */
static int64_t
do_rw(struct fproc *fp, int fd, bool write, uint64_t addr, uint64_t len, uint64_t pos, bool use_pos)
{
	struct filp *f = fd_filp(fp, fd);
	uint32_t acc;
	uint32_t mode;

	if (!f)
		return -EBADF;
	acc = f->f_flags & LX_O_ACCMODE;
	if ((f->f_flags & LX_O_PATH) || (write ? acc == LX_O_RDONLY : acc == LX_O_WRONLY))
		return -EBADF;
	if (len > RW_MAX)
		len = RW_MAX;
	if (use_pos && (int64_t)pos < 0)
		return -EINVAL;
	mode = f->f_vno->v_mode;
	if (LX_ISDIR(mode))
		return -EISDIR;
	if (LX_ISCHR(mode))
		return dev_io(fp, f, write, addr, len, pos, use_pos);
	if (LX_ISBLK(mode)) {
		int64_t r = blk_io(fp, f, write, addr, len, use_pos ? pos : f->f_pos);

		if (r > 0 && !use_pos)
			f->f_pos += (uint64_t)r;
		return r;
	}
	if ((mode & LX_S_IFMT) == LX_S_IFIFO)
		return use_pos ? -ESPIPE : pipe_io(fp, f, write, addr, len);
	if (!LX_ISREG(mode))
		return -EINVAL; /* sockets: not yet */
	return file_io(fp, f, write, addr, len, pos, use_pos);
}

int64_t
lx_read(struct fproc *fp, const uint64_t *arg)
{
	return do_rw(fp, (int)arg[0], false, arg[1], arg[2], 0, false);
}

int64_t
lx_write(struct fproc *fp, const uint64_t *arg)
{
	return do_rw(fp, (int)arg[0], true, arg[1], arg[2], 0, false);
}

int64_t
lx_pread64(struct fproc *fp, const uint64_t *arg)
{
	struct filp *f = fd_filp(fp, (int)arg[0]);

	if (f && LX_ISCHR(f->f_vno->v_mode) == 0 && !LX_ISREG(f->f_vno->v_mode) &&
	    !LX_ISBLK(f->f_vno->v_mode) && !LX_ISDIR(f->f_vno->v_mode))
		return -ESPIPE;
	return do_rw(fp, (int)arg[0], false, arg[1], arg[2], arg[3], true);
}

int64_t
lx_pwrite64(struct fproc *fp, const uint64_t *arg)
{
	struct filp *f = fd_filp(fp, (int)arg[0]);

	if (f && LX_ISCHR(f->f_vno->v_mode) == 0 && !LX_ISREG(f->f_vno->v_mode) &&
	    !LX_ISBLK(f->f_vno->v_mode) && !LX_ISDIR(f->f_vno->v_mode))
		return -ESPIPE;
	return do_rw(fp, (int)arg[0], true, arg[1], arg[2], arg[3], true);
}

/*
 * readv and writev: the vectors in order, stopping at a short transfer.
 * On a character device only the first non-empty vector moves (the call
 * may suspend in the driver): a short count, which callers handle (musl's
 * stdio writes the rest again).  On a pipe only the first may wait: the
 * others go as under O_NONBLOCK, so a call that moved bytes is answered
 * with them and never suspended (its answer would count only the last
 * vector's, and the caller would write bytes twice or lose what it read).
 */
static int64_t
do_rwv(struct fproc *fp, int fd, bool write, uint64_t uiov, uint64_t count)
{
	struct lx_iovec iov[16];
	struct filp *f = fd_filp(fp, fd);
	uint64_t total = 0;
	int64_t r;

	if (!f)
		return -EBADF;
	if (count > LX_IOV_MAX)
		return -EINVAL;
	for (uint64_t i = 0; i < count; i += 16) {
		size_t n = count - i < 16 ? (size_t)(count - i) : 16;

		if (copy_from_user(fp, uiov + i * sizeof(iov[0]), iov, n * sizeof(iov[0])) < 0)
			return total ? (int64_t)total : -EFAULT;
		for (size_t k = 0; k < n; k++) {
			if ((int64_t)iov[k].iov_len < 0)
				return total ? (int64_t)total : -EINVAL;
			if (iov[k].iov_len == 0)
				continue;
			if (total > 0 && (f->f_vno->v_mode & LX_S_IFMT) == LX_S_IFIFO) {
				uint32_t flags = f->f_flags;

				f->f_flags |= LX_O_NONBLOCK;
				r = do_rw(fp, fd, write, iov[k].iov_base, iov[k].iov_len, 0, false);
				f->f_flags = flags;
				if (r < 0)
					return (int64_t)
						total; /* EAGAIN: what moved is the answer */
			} else {
				r = do_rw(fp, fd, write, iov[k].iov_base, iov[k].iov_len, 0, false);
			}
			if (r < 0 || r == LX_NO_REPLY)
				return total && r != LX_NO_REPLY ? (int64_t)total : r;
			total += (uint64_t)r;
			if ((uint64_t)r < iov[k].iov_len || LX_ISCHR(f->f_vno->v_mode))
				return (int64_t)total;
		}
	}
	return (int64_t)total;
}

int64_t
lx_readv(struct fproc *fp, const uint64_t *arg)
{
	return do_rwv(fp, (int)arg[0], false, arg[1], arg[2]);
}

int64_t
lx_writev(struct fproc *fp, const uint64_t *arg)
{
	return do_rwv(fp, (int)arg[0], true, arg[1], arg[2]);
}

int64_t
lx_lseek(struct fproc *fp, const uint64_t *arg)
{
	struct filp *f = fd_filp(fp, (int)arg[0]);
	int64_t off = (int64_t)arg[1], base;
	struct msg_fs_stat st;
	int r;

	if (!f)
		return -EBADF;
	if ((f->f_vno->v_mode & LX_S_IFMT) == LX_S_IFIFO || (f->f_vno->v_mode & LX_S_IFMT) == 0)
		return -ESPIPE;
	switch ((int)arg[2]) {
	case LX_SEEK_SET:
		base = 0;
		break;
	case LX_SEEK_CUR:
		base = (int64_t)f->f_pos;
		break;
	case LX_SEEK_END:
		if (LX_ISREG(f->f_vno->v_mode) && (r = fs_stat(f->f_vno, &st)) < 0)
			return r;
		base = (int64_t)f->f_vno->v_size;
		break;
	default:
		return -EINVAL;
	}
	if ((off > 0 && base > INT64_MAX - off) || base + off < 0)
		return -EINVAL;
	f->f_pos = (uint64_t)(base + off);
	return (int64_t)f->f_pos;
}

int64_t
lx_getdents64(struct fproc *fp, const uint64_t *arg)
{
	struct filp *f = fd_filp(fp, (int)arg[0]);
	uint64_t len = arg[2], newpos = 0, bytes = 0;
	grant_id_t g;
	int r;

	if (!f)
		return -EBADF;
	if (!LX_ISDIR(f->f_vno->v_mode))
		return -ENOTDIR;
	if (len > RW_MAX)
		len = RW_MAX;
	g = cpf_grant_magic(f->f_vno->v_mnt->m_fs, fp->fp_endpt, arg[1], len, GRANT_WRITE);
	if (g == GRANT_INVALID)
		return -EFAULT;
	r = fs_io(f->f_vno, FS_GETDENTS, f->f_pos, g, (uint32_t)len, &newpos, &bytes);
	cpf_revoke(g);
	if (r < 0)
		return r;
	f->f_pos = newpos;
	return (int64_t)bytes;
}

int64_t
lx_ioctl(struct fproc *fp, const uint64_t *arg)
{
	struct filp *f = fd_filp(fp, (int)arg[0]);

	if (!f)
		return -EBADF;
	if ((f->f_vno->v_mode & LX_S_IFMT) == LX_S_IFIFO)
		return pipe_ioctl(fp, f, (unsigned long)arg[1], arg[2]);
	if (!LX_ISCHR(f->f_vno->v_mode))
		return -ENOTTY;
	return dev_ioctl(fp, f, (unsigned long)arg[1], arg[2]);
}
