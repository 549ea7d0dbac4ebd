/*
 * Pipes and FIFOs (docs/files.md, "Pipes and FIFOs"): pipe and pipe2, the
 * opens of a FIFO, reads and writes that wait, and what closing an end
 * does.  The ring and the rules are pipe_buf.c's; this file keeps who
 * waits and does the copies, straight between the caller's memory and the
 * ring (copy_from_user / copy_to_user: one safecopy per contiguous piece).
 *
 * A pipe is a vnode of no file system (pipe_mnt, mode S_IFIFO) holding a
 * struct pipe in v_pipe; a FIFO is an FS's vnode that gets one while it is
 * open.  Each open file description of it is a read end or a write end
 * (O_RDWR, for a FIFO, is both), counted in pb_readers and pb_writers.
 *
 * Waiting: a call that cannot go on is suspended (fp_blocked = BLK_PIPE,
 * its state in fp_pipe) and tried again whenever the pipe changes (bytes
 * moved, an end closed), oldest first; PM's UNPAUSE ends it with the bytes
 * it moved, or EINTR.  A FIFO open waits the same way (BLK_POPEN) for the
 * other end.  A write with no reader is EPIPE, and PM is asked (an
 * asynchronous PM_SIGNAL VFS does not wait for) to send SIGPIPE.
 */
#include "vfs_int.h"
#include "pipe_buf.h"
#include <stdlib.h>
#include <string.h>
#include <ax/pm.h>
#include <ax/signal.h>

#define NR_PIPES 64

struct pipe {
	bool p_used;
	uint32_t p_waiters; /* calls suspended on it (BLK_PIPE, BLK_POPEN): wait_begin, wait_end */
	struct pipe_buf p_buf;
	struct vnode *p_vno;
};

static struct pipe pipes[NR_PIPES];
static uint64_t wait_seq; /* order of the waits: the oldest is tried first */

static struct pipe *
pipe_of(const struct filp *f)
{
	return (struct pipe *)f->f_vno->v_pipe;
}

static bool
reads(const struct filp *f)
{
	return (f->f_flags & LX_O_ACCMODE) != LX_O_WRONLY;
}

static bool
writes(const struct filp *f)
{
	return (f->f_flags & LX_O_ACCMODE) != LX_O_RDONLY;
}

/* Is a FIFO open of f able to finish (the other end is there, or need not be)? */
static bool
fifo_open_ready(const struct filp *f)
{
	const struct pipe *p = pipe_of(f);

	if ((f->f_flags & LX_O_ACCMODE) == LX_O_RDWR)
		return true;
	return reads(f) ? p->p_buf.pb_writers > 0 : p->p_buf.pb_readers > 0;
}

/*
 * The mount of pipes: no file system stands behind it.  It is marked dead,
 * so that any FS request on a pipe's vnode (fchmod, fsync...) answers EIO
 * rather than reaching nobody; what makes sense for a pipe (fstat, poll,
 * FIONREAD) is answered here.
 */
static struct vmnt pipe_mnt = { .m_dead = true, .m_label = "pipefs", .m_dev = "pipe" };

/* A vnode for a new pipe, one reference held; NULL if the table is full. */
static struct vnode *
vnode_anon(uint32_t mode, uint32_t uid, uint32_t gid)
{
	struct vnode *v = vnode_alloc();

	if (!v)
		return NULL;
	v->v_ref = 1;
	v->v_mnt = &pipe_mnt;
	v->v_ino = (fs_ino_t)(v - vnodes + 1);
	v->v_mode = mode;
	v->v_uid = uid;
	v->v_gid = gid;
	return v;
}

/* Is v a pipe's (not a FIFO's, whose node is an FS's)? */
bool
vnode_is_pipe(const struct vnode *v)
{
	return v->v_mnt == &pipe_mnt;
}

static struct pipe *
pipe_alloc(struct vnode *v)
{
	for (int i = 0; i < NR_PIPES; i++) {
		if (!pipes[i].p_used) {
			struct pipe *p = &pipes[i];

			memset(p, 0, sizeof(*p));
			p->p_used = true;
			p->p_vno = v;
			pipe_buf_init(&p->p_buf, NULL);
			v->v_pipe = p;
			return p;
		}
	}
	return NULL;
}

/* The vnode goes (its last reference): so does its pipe and the ring. */
void
pipe_vnode_gone(struct vnode *v)
{
	struct pipe *p = v->v_pipe;

	if (!p)
		return;
	free(p->p_buf.pb_data);
	p->p_used = false;
	v->v_pipe = NULL;
}

/* ---- live update (lu.c) ------------------------------------------------ */

void
pipe_lu_state(void (*add)(void *addr, size_t size))
{
	add(pipes, sizeof(pipes));
	add(&wait_seq, sizeof(wait_seq));
}

/*
 * The new version has the old one's pipes, whose rings are in the old
 * one's heap: each gets one of its own with the old ring's bytes.
 */
int
pipe_lu_rings(endpoint_t old)
{
	for (int i = 0; i < NR_PIPES; i++) {
		struct pipe_buf *b = &pipes[i].p_buf;
		uint64_t from = (uint64_t)b->pb_data;
		int r;

		if (!pipes[i].p_used || !b->pb_data)
			continue;
		b->pb_data = NULL; /* the old heap's: never ours to free */
		if (!(b->pb_data = malloc(PIPE_SIZE)))
			return -ENOMEM;
		if ((r = lu_copy_from(old, from, b->pb_data, PIPE_SIZE)) < 0)
			return r;
	}
	return 0;
}

/* ---- copies ------------------------------------------------------------ */

struct user_buf {
	struct fproc *fp;
	uint64_t addr;
};

static int
from_user(void *ctx, uint8_t *ring, size_t off, size_t len)
{
	struct user_buf *u = ctx;

	return copy_from_user(u->fp, u->addr + off, ring, len);
}

static int
to_user(void *ctx, uint8_t *ring, size_t off, size_t len)
{
	struct user_buf *u = ctx;

	return copy_to_user(u->fp, u->addr + off, ring, len);
}

/* ---- SIGPIPE ----------------------------------------------------------- */

/* PM sends the writer SIGPIPE; VFS does not wait for PM's answer (there is none). */
static void
send_sigpipe(struct fproc *fp)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_type = PM_SIGNAL;
	m.m_pm_signal.endpt = fp->fp_endpt;
	m.m_pm_signal.sig = SIGPIPE;
	if (pm_endpt == NONE || (r = asynsend3(pm_endpt, &m, AMF_NOREPLY)) < 0)
		printf("vfs: no SIGPIPE for %d: PM unreachable\n", fp->fp_endpt);
}

/* ---- one attempt ------------------------------------------------------- */

static int64_t
try_read(struct fproc *fp, struct pipe *p, bool nonblock)
{
	struct user_buf u = { fp, fp->fp_pipe.pw_addr };
	size_t n;

	switch (pipe_read_verdict(&p->p_buf, fp->fp_pipe.pw_len, nonblock, &n)) {
	case PIPE_GO:
		return n == 0 ? 0 : pipe_buf_read(&p->p_buf, n, to_user, &u, 0);
	case PIPE_AGAIN:
		return -EAGAIN;
	default:
		return LX_NO_REPLY;
	}
}

/* A write goes on while it can; after some bytes, a later error is not reported. */
static int64_t
try_write(struct fproc *fp, struct pipe *p, bool nonblock)
{
	struct user_buf u = { fp, fp->fp_pipe.pw_addr };
	uint64_t len = fp->fp_pipe.pw_len, *done = &fp->fp_pipe.pw_done;
	size_t n;
	int64_t r;

	for (;;) {
		switch (pipe_write_verdict(&p->p_buf, len, *done, nonblock, &n)) {
		case PIPE_GO:
			if (n == 0)
				return (int64_t)*done;
			if (!p->p_buf.pb_data && !(p->p_buf.pb_data = malloc(PIPE_SIZE)))
				return *done ? (int64_t)*done : -ENOMEM;
			if ((r = pipe_buf_write(&p->p_buf, n, from_user, &u, *done)) < 0)
				return *done ? (int64_t)*done : r;
			*done += (uint64_t)r;
			break;
		case PIPE_BROKEN: /* SIGPIPE even after some bytes, as Linux */
			send_sigpipe(fp);
			return *done ? (int64_t)*done : -EPIPE;
		case PIPE_AGAIN:
			return *done ? (int64_t)*done : -EAGAIN;
		case PIPE_WAIT:
			return LX_NO_REPLY;
		}
	}
}

/* Go as far as the pipe allows with fp's call: its result, or LX_NO_REPLY. */
static int64_t
pipe_try(struct fproc *fp)
{
	struct filp *f = fp->fp_pipe.pw_filp;
	bool nonblock = (f->f_flags & LX_O_NONBLOCK) != 0;

	if (fp->fp_pipe.pw_write)
		return try_write(fp, pipe_of(f), nonblock);
	return try_read(fp, pipe_of(f), nonblock);
}

/*
 * fp's call is suspended on its pipe, or no longer: the pipe's count of
 * waiters, so that a change nobody waits for needs no look at every
 * process (pipe_wake).  Kept in struct pipe, which a live update carries.
 */
static void
wait_begin(struct fproc *fp, int how)
{
	fp->fp_blocked = how;
	pipe_of(fp->fp_pipe.pw_filp)->p_waiters++;
}

static void
wait_end(struct fproc *fp)
{
	fp->fp_blocked = BLK_NONE;
	pipe_of(fp->fp_pipe.pw_filp)->p_waiters--;
}

/* Does fp wait on pipe p (a read, a write or a FIFO open)? */
static bool
waits_on(const struct fproc *fp, const struct pipe *p)
{
	return fp->fp_used && (fp->fp_blocked == BLK_PIPE || fp->fp_blocked == BLK_POPEN) &&
	       pipe_of(fp->fp_pipe.pw_filp) == p;
}

/*
 * One waiter's turn: a FIFO open finishes once the other end is there; a
 * read or write goes as far as it can.  Did it change anything?
 */
static bool
wake_one(struct fproc *fp)
{
	uint64_t before = fp->fp_pipe.pw_done;
	int64_t r;

	if (fp->fp_blocked == BLK_POPEN) {
		if (!fifo_open_ready(fp->fp_pipe.pw_filp))
			return false;
		wait_end(fp);
		reply_user(fp->fp_endpt, fp->fp_pipe.pw_fd);
		return true;
	}
	if ((r = pipe_try(fp)) != LX_NO_REPLY) {
		wait_end(fp);
		reply_user(fp->fp_endpt, r);
		return true;
	}
	return fp->fp_pipe.pw_done != before;
}

/*
 * The pipe changed: give every call waiting on it a turn, oldest first,
 * and again while any of them moved (each may have made room or bytes
 * for another).  Then select and poll are told.
 */
static void
pipe_wake(struct pipe *p)
{
	struct fproc *order[NR_FPROCS];
	bool moved = true;

	while (moved && p->p_waiters > 0) {
		uint32_t n = 0;

		moved = false;
		for (int i = 0; i < NR_FPROCS && n < p->p_waiters; i++) {
			int k;

			if (!waits_on(&fprocs[i], p))
				continue;
			/* insertion by age */
			for (k = n++;
			     k > 0 && order[k - 1]->fp_pipe.pw_seq > fprocs[i].fp_pipe.pw_seq; k--)
				order[k] = order[k - 1];
			order[k] = &fprocs[i];
		}
		for (uint32_t i = 0; i < n; i++)
			moved |= wake_one(order[i]);
	}
	select_wake(p->p_vno);
}

/* ---- the calls --------------------------------------------------------- */

/* read or write of len bytes at addr through f, a pipe or FIFO. */
int64_t
pipe_io(struct fproc *fp, struct filp *f, bool write, uint64_t addr, uint64_t len)
{
	struct pipe *p = pipe_of(f);
	int64_t r;

	if (!p)
		return -EBADF;
	fp->fp_pipe = (struct pipe_wait){ .pw_filp = f,
					  .pw_addr = addr,
					  .pw_len = len,
					  .pw_write = write,
					  .pw_seq = ++wait_seq };
	r = pipe_try(fp);
	if (r == LX_NO_REPLY)
		wait_begin(fp, BLK_PIPE);
	if (r > 0 || fp->fp_pipe.pw_done > 0)
		pipe_wake(p); /* a reader or writer may go on now */
	return r;
}

/* A new description of pipe p: one more reader and/or writer. */
static void
count_open(struct pipe *p, struct filp *f)
{
	p->p_buf.pb_readers += reads(f);
	p->p_buf.pb_writers += writes(f);
	f->f_pipe_end = true;
}

/* pipe(2), pipe2(2): fds[2] written at arg[0]; flags O_NONBLOCK, O_CLOEXEC. */
static int64_t
do_pipe(struct fproc *fp, uint64_t ufds, uint64_t flags)
{
	struct filp *rf = NULL, *wf = NULL;
	struct vnode *v;
	struct pipe *p;
	int32_t fds[2] = { -1, -1 };
	int r = -ENFILE;

	if (flags & ~(uint64_t)(LX_O_NONBLOCK | LX_O_CLOEXEC))
		return -EINVAL;
	if (!(v = vnode_anon(LX_S_IFIFO | 0600, fp->fp_euid, fp->fp_egid)))
		return -ENFILE;
	if (!(p = pipe_alloc(v)) || !(rf = filp_alloc()) || !(wf = filp_alloc()))
		goto fail;
	rf->f_vno = v;
	rf->f_flags = LX_O_RDONLY | (uint32_t)(flags & LX_O_NONBLOCK);
	vnode_dup(v);
	wf->f_vno = v;
	wf->f_flags = LX_O_WRONLY | (uint32_t)(flags & LX_O_NONBLOCK);
	count_open(p, rf);
	count_open(p, wf);
	if ((r = fds[0] = fd_install(fp, rf, 0, flags & LX_O_CLOEXEC)) < 0)
		goto fail_fds;
	if ((r = fds[1] = fd_install(fp, wf, 0, flags & LX_O_CLOEXEC)) < 0)
		goto fail_fds;
	if ((r = copy_to_user(fp, ufds, fds, sizeof(fds))) < 0)
		goto fail_fds;
	return 0;

fail_fds:
	/* Undo in full: the descriptors, then the descriptions (the pipe goes with the vnode). */
	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0)
			fp->fp_fds->t_fd[fds[i]] = NULL;
	filp_close(rf);
	filp_close(wf);
	return r;
fail:
	if (rf)
		rf->f_count = 0;
	vnode_put(v);
	return r;
}

int64_t
lx_pipe(struct fproc *fp, const uint64_t *arg)
{
	return do_pipe(fp, arg[0], 0);
}

int64_t
lx_pipe2(struct fproc *fp, const uint64_t *arg)
{
	return do_pipe(fp, arg[0], arg[1]);
}

/* ---- FIFOs ------------------------------------------------------------- */

/*
 * open(2) of a FIFO, once descriptor fd names its new description f (v,
 * an FS's S_IFIFO vnode, gets a pipe while it is open): fd; LX_NO_REPLY,
 * a blocking open waiting for the other end (answered fd when it comes);
 * or -E, and the caller takes fd back: ENXIO for a non-blocking
 * write-only open with no reader (Linux's rule).
 */
int64_t
pipe_fifo_open(struct fproc *fp, struct filp *f, int fd)
{
	struct pipe *p = f->f_vno->v_pipe;

	if (!p && !(p = pipe_alloc(f->f_vno)))
		return -ENFILE;
	if ((f->f_flags & LX_O_NONBLOCK) && (f->f_flags & LX_O_ACCMODE) == LX_O_WRONLY &&
	    p->p_buf.pb_readers == 0)
		return -ENXIO;
	count_open(p, f);
	pipe_wake(p); /* FIFO opens waiting for this end */
	if ((f->f_flags & LX_O_NONBLOCK) || fifo_open_ready(f))
		return fd;
	fp->fp_pipe = (struct pipe_wait){ .pw_filp = f, .pw_fd = fd, .pw_seq = ++wait_seq };
	wait_begin(fp, BLK_POPEN);
	return LX_NO_REPLY;
}

/* ---- closing, cancelling ----------------------------------------------- */

/* The last reference on description f of a pipe went. */
void
pipe_close(struct filp *f)
{
	struct pipe *p = pipe_of(f);

	if (!p || !f->f_pipe_end)
		return;
	f->f_pipe_end = false;
	p->p_buf.pb_readers -= reads(f);
	p->p_buf.pb_writers -= writes(f);
	pipe_wake(p); /* readers see the end of file, writers EPIPE */
}

/*
 * fp's suspended pipe call or FIFO open ends (PM's LX_CANCEL or UNPAUSE,
 * answer: with the bytes moved so far, or -ERESTARTSYS: EINTR, or run
 * again under SA_RESTART, as Linux's pipe_read; the process's exit: no
 * answer).
 */
void
pipe_cancel(struct fproc *fp, bool answer)
{
	if (fp->fp_blocked == BLK_PIPE) {
		wait_end(fp);
		if (answer)
			reply_user(fp->fp_endpt, fp->fp_pipe.pw_done ? (int64_t)fp->fp_pipe.pw_done
								     : -LX_ERESTARTSYS);
	} else if (fp->fp_blocked == BLK_POPEN) {
		wait_end(fp);
		fd_close(fp, fp->fp_pipe.pw_fd); /* the open never happened */
		if (answer)
			reply_user(fp->fp_endpt, -LX_ERESTARTSYS);
	}
}

/* poll(2)'s events of description f of a pipe (select.c). */
unsigned
pipe_poll(const struct filp *f)
{
	const struct pipe *p = pipe_of(f);
	unsigned ev = 0;

	if (!p)
		return PIPE_POLLERR;
	if (reads(f))
		ev |= pipe_buf_poll_read(&p->p_buf);
	if (writes(f))
		ev |= pipe_buf_poll_write(&p->p_buf);
	return ev;
}

/* fstat of a pipe (vnode.c's fs_stat asks here: no FS stands behind it). */
int
pipe_stat(const struct vnode *v, struct msg_fs_stat *s)
{
	const struct pipe *p = v->v_pipe;

	memset(s, 0, sizeof(*s));
	s->s_ino = v->v_ino;
	s->s_mode = v->v_mode;
	s->s_nlink = 1;
	s->s_uid = v->v_uid;
	s->s_gid = v->v_gid;
	s->s_size = p ? pipe_buf_used(&p->p_buf) : 0;
	s->s_blksize = PIPE_BUF;
	return 0;
}

/* FIONREAD on a pipe: the bytes a read could take now. */
int64_t
pipe_ioctl(struct fproc *fp, struct filp *f, unsigned long req, uint64_t arg)
{
	const struct pipe *p = pipe_of(f);
	int32_t n;

	if (req != 0x541b /* FIONREAD */ || !p)
		return -ENOTTY;
	n = (int32_t)pipe_buf_used(&p->p_buf);
	return copy_to_user(fp, arg, &n, sizeof(n));
}
