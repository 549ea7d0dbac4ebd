/*
 * Open file descriptions (filp) and descriptor tables: allocation, the
 * last close, and the descriptor calls close, dup, dup2, dup3 and fcntl.
 * A description is shared by every descriptor dup or fork made of it (one
 * position, one set of status flags); FD_CLOEXEC belongs to the
 * descriptor.
 */
#include "vfs_int.h"
#include <string.h>

struct filp filps[NR_FILPS];

struct filp *
filp_alloc(void)
{
	for (int i = 0; i < NR_FILPS; i++)
		if (filps[i].f_count == 0) {
			memset(&filps[i], 0, sizeof(filps[i]));
			filps[i].f_count = 1;
			return &filps[i];
		}
	return NULL;
}

struct filp *
fd_filp(struct fproc *fp, int fd)
{
	if (fd < 0 || fd >= OPEN_MAX || !fp->fp_fds)
		return NULL;
	return fp->fp_fds->t_fd[fd];
}

/* The lowest free descriptor >= min gets f (the caller's reference): it, or -EMFILE. */
int
fd_install(struct fproc *fp, struct filp *f, int min, bool cloexec)
{
	struct fdtable *t = fp->fp_fds;

	for (int fd = min < 0 ? 0 : min; fd < OPEN_MAX; fd++)
		if (!t->t_fd[fd]) {
			t->t_fd[fd] = f;
			t->t_cloexec[fd] = cloexec;
			return fd;
		}
	return -EMFILE;
}

/* A reference on f goes; the last one closes the device and the vnode. */
void
filp_close(struct filp *f)
{
	if (--f->f_count > 0)
		return;
	if (f->f_dev_open)
		dev_close(f);
	pipe_close(f);
	vnode_put(f->f_vno);
	f->f_vno = NULL;
}

int
fd_close(struct fproc *fp, int fd)
{
	struct filp *f = fd_filp(fp, fd);

	if (!f)
		return -EBADF;
	fp->fp_fds->t_fd[fd] = NULL;
	fp->fp_fds->t_cloexec[fd] = 0;
	filp_close(f);
	return 0;
}

int64_t
lx_close(struct fproc *fp, const uint64_t *arg)
{
	return fd_close(fp, (int)arg[0]);
}

int64_t
lx_dup(struct fproc *fp, const uint64_t *arg)
{
	struct filp *f = fd_filp(fp, (int)arg[0]);
	int r;

	if (!f)
		return -EBADF;
	if ((r = fd_install(fp, f, 0, false)) >= 0)
		f->f_count++;
	return r;
}

/* dup2 and dup3: newfd names oldfd's description (closing what it named). */
static int64_t
dup_to(struct fproc *fp, int oldfd, int newfd, bool cloexec)
{
	struct filp *f = fd_filp(fp, oldfd);

	if (!f)
		return -EBADF;
	if (newfd < 0 || newfd >= OPEN_MAX)
		return -EBADF;
	if (newfd == oldfd)
		return newfd;
	f->f_count++;
	fd_close(fp, newfd);
	fp->fp_fds->t_fd[newfd] = f;
	fp->fp_fds->t_cloexec[newfd] = cloexec;
	return newfd;
}

int64_t
lx_dup2(struct fproc *fp, const uint64_t *arg)
{
	if ((int)arg[0] == (int)arg[1])
		return fd_filp(fp, (int)arg[0]) ? (int)arg[1] : -EBADF;
	return dup_to(fp, (int)arg[0], (int)arg[1], false);
}

int64_t
lx_dup3(struct fproc *fp, const uint64_t *arg)
{
	if (arg[2] & ~(uint64_t)LX_O_CLOEXEC)
		return -EINVAL;
	if ((int)arg[0] == (int)arg[1])
		return -EINVAL;
	return dup_to(fp, (int)arg[0], (int)arg[1], (arg[2] & LX_O_CLOEXEC) != 0);
}

int64_t
lx_fcntl(struct fproc *fp, const uint64_t *arg)
{
	int fd = (int)arg[0];
	struct filp *f = fd_filp(fp, fd);
	int r;

	if (!f)
		return -EBADF;
	switch ((int)arg[1]) {
	case LX_F_DUPFD:
	case LX_F_DUPFD_CLOEXEC:
		if ((int64_t)arg[2] < 0 || (int64_t)arg[2] >= OPEN_MAX)
			return -EINVAL;
		r = fd_install(fp, f, (int)arg[2], (int)arg[1] == LX_F_DUPFD_CLOEXEC);
		if (r >= 0)
			f->f_count++;
		return r;
	case LX_F_GETFD:
		return fp->fp_fds->t_cloexec[fd] ? LX_FD_CLOEXEC : 0;
	case LX_F_SETFD:
		fp->fp_fds->t_cloexec[fd] = (arg[2] & LX_FD_CLOEXEC) != 0;
		return 0;
	case LX_F_GETFL:
		return f->f_flags;
	case LX_F_SETFL:
		f->f_flags = (f->f_flags & ~(uint32_t)LX_O_SETFL) | ((uint32_t)arg[2] & LX_O_SETFL);
		return 0;
	default:
		return -EINVAL;
	}
}
