/*
 * Devices: the dmap table (a major number to a driver's label, for
 * character and for block devices), and I/O on device nodes.
 *
 * Character devices speak the character protocol (ax/cdev.h).  Open and
 * close are answered at once (a bounded SENDREC); read, write and ioctl
 * are sent asynchronously and the caller is suspended until the driver's
 * CDEV_REPLY comes back to VFS's main loop (a terminal read may wait for
 * ever; VFS serves others meanwhile).  The driver copies straight to or
 * from the caller's memory through a magic grant VFS made for it; the
 * grant is revoked when the reply comes, or when the call is cancelled
 * (PM's UNPAUSE, the process's exit).
 *
 * Block devices go through libbdev (which finds a restarted driver by
 * itself and resends): whole sectors only (EINVAL otherwise), through a
 * bounce buffer in VFS.
 *
 * mapdriver() adds a dmap entry, as the seed's VFS does; the driver's
 * endpoint is looked up in DS by label when a device is opened, and again
 * after it was found dead.  Restarting a driver under open files (dev_up)
 * is not here yet: a request to a dead driver fails EIO.
 *
 * Device nodes carry the driver's own minor, except where a dmap entry
 * says otherwise (the console, 5:1, is the tty's minor 0).
 */
#include "vfs_int.h"
#include <string.h>
#include <stdio.h>
#include <cdev_client.h>
#include <bdev.h>
#include <ax/termios.h>

#define NR_MAJORS 256

struct dmap {
	char d_label[LABEL_MAX]; /* "" : no driver */
	endpoint_t d_endpt;      /* NONE until looked up */
	int d_minor_base;        /* the node's minor - this = the driver's minor */
};

static struct dmap cdmap[NR_MAJORS], bdmap[NR_MAJORS];
static cdev_id_t next_id = 1;

/* The device tables, for a live update (lu.c). */
void
dmap_lu_state(void (*add)(void *addr, size_t size))
{
	add(cdmap, sizeof(cdmap));
	add(bdmap, sizeof(bdmap));
	add(&next_id, sizeof(next_id));
}

/* Add (or replace) the driver of major for character ('c') or block ('b') devices. */
static int
mapdriver(int type, unsigned major, const char *label, int minor_base)
{
	struct dmap *d;

	if (major >= NR_MAJORS || (type != 'c' && type != 'b'))
		return -EINVAL;
	d = type == 'c' ? &cdmap[major] : &bdmap[major];
	strlcpy(d->d_label, label, sizeof(d->d_label));
	d->d_endpt = NONE;
	d->d_minor_base = minor_base;
	return 0;
}

int
dmap_add(int type, unsigned major, const char *label)
{
	return mapdriver(type, major, label, 0);
}

/* The devices of the system (Linux's numbers where Linux has them). */
void
dmap_init(void)
{
	mapdriver('c', 1, "memory", 0);  /* /dev/null 1:32, /dev/zero 1:33 (memory's minors) */
	mapdriver('c', 4, "tty", 64);    /* /dev/ttyS0 4:64 */
	mapdriver('c', 5, "tty", 1);     /* /dev/console 5:1 */
	mapdriver('c', 240, "hello", 0); /* /dev/hello 240:0 (a local major) */
	mapdriver('c', 241, "rs", 0);    /* /dev/service 241:0: RS itself */
	mapdriver('b', 1, "memory", 0);  /* RAM disks and the boot drives */
}

static struct dmap *
dmap_of(uint32_t rdev, bool block)
{
	struct dmap *d = block ? &bdmap[DEV_MAJOR(rdev)] : &cdmap[DEV_MAJOR(rdev)];

	if (!d->d_label[0])
		return NULL;
	if (d->d_endpt == NONE && ds_retrieve_label(d->d_label, &d->d_endpt) < 0)
		d->d_endpt = NONE;
	return d;
}

static devminor_t
drv_minor(const struct dmap *d, uint32_t rdev)
{
	return (devminor_t)((int)DEV_MINOR(rdev) - d->d_minor_base);
}

/* The label and minor of a block device (mount). */
int
dmap_block(uint32_t rdev, char *label, int *minor)
{
	struct dmap *d = &bdmap[DEV_MAJOR(rdev)];

	if (!d->d_label[0])
		return -ENXIO;
	strlcpy(label, d->d_label, LABEL_MAX);
	*minor = drv_minor(d, rdev);
	return 0;
}

/* A prompt request (open, close): a bounded SENDREC; the driver's answer or -E. */
static int64_t
cdev_prompt(struct dmap *d, message *m)
{
	int64_t r;

	if (d->d_endpt == NONE)
		return -ENXIO;
	r = cdev_call(d->d_endpt, m);
	if (r == -EDEADSRCDST || r == -ERESTART) {
		d->d_endpt = NONE; /* looked up again at the next open */
		return -EIO;
	}
	return r;
}

int
dev_open(struct fproc *fp, struct filp *f, uint32_t flags)
{
	uint32_t rdev = f->f_vno->v_rdev;
	struct dmap *d;
	message m;
	int64_t r;

	if (LX_ISBLK(f->f_vno->v_mode)) {
		int drv;

		if (!(d = dmap_of(rdev, true)))
			return -ENXIO;
		if ((drv = bdev_driver(d->d_label)) < 0)
			return -ENXIO;
		r = bdev_open(bdev_dev(drv, drv_minor(d, rdev)),
			      ((flags & LX_O_ACCMODE) != LX_O_WRONLY ? BDEV_R_BIT : 0) |
				      ((flags & LX_O_ACCMODE) != LX_O_RDONLY ? BDEV_W_BIT : 0));
		if (r < 0)
			return (int)r;
		f->f_dev_open = true;
		return 0;
	}
	if (!(d = dmap_of(rdev, false)))
		return -ENXIO;
	memset(&m, 0, sizeof(m));
	m.m_type = CDEV_OPEN;
	m.m_cdev.minor = drv_minor(d, rdev);
	m.m_cdev.id = next_id++;
	m.m_cdev.user = fp->fp_endpt;
	m.m_cdev.euid = fp->fp_euid;
	m.m_cdev.grant = GRANT_INVALID;
	m.m_cdev.access = ((flags & LX_O_ACCMODE) != LX_O_WRONLY ? CDEV_R_BIT : 0) |
			  ((flags & LX_O_ACCMODE) != LX_O_RDONLY ? CDEV_W_BIT : 0) |
			  ((flags & LX_O_NOCTTY) || !ctty_may_acquire(fp) ? CDEV_NOCTTY : 0);
	ctty_fill(fp, &m.m_cdev);
	if ((r = ctty_opened(fp, f->f_vno, cdev_prompt(d, &m))) < 0)
		return (int)r;
	f->f_dev_open = true;
	return 0;
}

void
dev_close(struct filp *f)
{
	uint32_t rdev = f->f_vno->v_rdev;
	struct dmap *d;
	message m;

	f->f_dev_open = false;
	if (LX_ISBLK(f->f_vno->v_mode)) {
		int drv;

		if ((d = dmap_of(rdev, true)) && (drv = bdev_driver(d->d_label)) >= 0)
			bdev_close(bdev_dev(drv, drv_minor(d, rdev)));
		return;
	}
	if (!(d = dmap_of(rdev, false)))
		return;
	memset(&m, 0, sizeof(m));
	m.m_type = CDEV_CLOSE;
	m.m_cdev.minor = drv_minor(d, rdev);
	m.m_cdev.id = next_id++;
	m.m_cdev.grant = GRANT_INVALID;
	cdev_prompt(d, &m);
}

/*
 * Send a read, write or ioctl to the driver and suspend fp until it
 * answers: LX_NO_REPLY, or -E if it could not be sent (the grant is gone).
 */
static int64_t
cdev_suspend(struct fproc *fp, struct dmap *d, message *m, grant_id_t g, struct filp *pos_filp,
	     int call)
{
	int r;

	m->m_cdev.id = next_id++;
	m->m_cdev.user = fp->fp_endpt;
	m->m_cdev.euid = fp->fp_euid;
	m->m_cdev.grant = g;
	ctty_fill(fp, &m->m_cdev);
	if ((r = asynsend(d->d_endpt, m)) < 0) {
		if (g != GRANT_INVALID)
			cpf_revoke(g);
		d->d_endpt = NONE;
		return -EIO;
	}
	fp->fp_blocked = BLK_CDEV;
	fp->fp_blk_driver = d->d_endpt;
	fp->fp_blk_id = m->m_cdev.id;
	fp->fp_blk_grant = g;
	fp->fp_blk_filp = pos_filp;
	fp->fp_blk_call = call;
	fp->fp_blk_req = call == LX_NR_ioctl ? m->m_cdev.request : 0;
	fp->fp_blk_cancelled = false;
	return LX_NO_REPLY;
}

int64_t
dev_io(struct fproc *fp, struct filp *f, bool write, uint64_t addr, uint64_t len, uint64_t pos,
       bool use_pos)
{
	struct dmap *d = dmap_of(f->f_vno->v_rdev, false);
	grant_id_t g;
	message m;

	if (f->f_dev_dead)
		return -EIO;
	if (!d || d->d_endpt == NONE)
		return -ENXIO;
	if (len == 0)
		return 0;
	g = cpf_grant_magic(d->d_endpt, fp->fp_endpt, addr, len, write ? GRANT_READ : GRANT_WRITE);
	if (g == GRANT_INVALID)
		return -EFAULT;
	memset(&m, 0, sizeof(m));
	m.m_type = write ? CDEV_WRITE : CDEV_READ;
	m.m_cdev.minor = drv_minor(d, f->f_vno->v_rdev);
	m.m_cdev.pos = use_pos ? pos : f->f_pos;
	m.m_cdev.count = len;
	m.m_cdev.flags = (f->f_flags & LX_O_NONBLOCK) ? CDEV_NONBLOCK : 0;
	return cdev_suspend(fp, d, &m, g, use_pos ? NULL : f, write ? LX_NR_write : LX_NR_read);
}

int64_t
dev_ioctl(struct fproc *fp, struct filp *f, unsigned long req, uint64_t arg)
{
	struct dmap *d = dmap_of(f->f_vno->v_rdev, false);
	unsigned code = (unsigned)req, dir = _IOC_DIR(code);
	size_t size = _IOC_SIZE(code);
	grant_id_t g = GRANT_INVALID;
	int access = 0;
	message m;

	if (f->f_dev_dead)
		return -EIO;
	if (!d || d->d_endpt == NONE)
		return -ENXIO;
	if (dir == _IOC_NONE) {
		uint32_t tty_size;

		if (tty_ioctl_arg(code, &dir, &tty_size))
			size = tty_size;
	}
	if (dir & _IOC_WRITE)
		access |= GRANT_READ;
	if (dir & _IOC_READ)
		access |= GRANT_WRITE;
	if (access && size > 0) {
		g = cpf_grant_magic(d->d_endpt, fp->fp_endpt, arg, size, access);
		if (g == GRANT_INVALID)
			return -EFAULT;
	}
	memset(&m, 0, sizeof(m));
	m.m_type = CDEV_IOCTL;
	m.m_cdev.minor = drv_minor(d, f->f_vno->v_rdev);
	m.m_cdev.request = code;
	m.m_cdev.flags = (f->f_flags & LX_O_NONBLOCK) ? CDEV_NONBLOCK : 0;
	fp->fp_blk_vno = f->f_vno;
	return cdev_suspend(fp, d, &m, g, NULL, LX_NR_ioctl);
}

/*
 * A message from a driver: the CDEV_REPLY of a suspended call ends it
 * (true).  A reply nobody waits for (the process exited) is dropped.
 */
bool
dev_reply(message *m)
{
	if (m->m_type == CDEV_SEL2_REPLY) {
		select_driver_event();
		return true;
	}
	if (m->m_type != CDEV_REPLY)
		return false;
	for (int i = 0; i < NR_FPROCS; i++) {
		struct fproc *fp = &fprocs[i];
		int64_t status = m->m_cdev_reply.status;

		if (!fp->fp_used || fp->fp_blocked != BLK_CDEV ||
		    fp->fp_blk_driver != m->m_source || fp->fp_blk_id != m->m_cdev_reply.id)
			continue;
		if (fp->fp_blk_grant != GRANT_INVALID)
			cpf_revoke(fp->fp_blk_grant);
		if (status > 0 && fp->fp_blk_filp)
			fp->fp_blk_filp->f_pos += (uint64_t)status;
		if (status == -ERESTART)
			status = -EIO;
		if (status == -EINTR && fp->fp_blk_cancelled)
			status =
				-LX_ERESTARTSYS; /* a signal's (LX_CANCEL): SA_RESTART restarts it */
		if (fp->fp_blk_call == LX_NR_ioctl)
			ctty_ioctl_done(fp, fp->fp_blk_vno, fp->fp_blk_req, status);
		fp->fp_blocked = BLK_NONE;
		reply_user(fp->fp_endpt, status);
		return true;
	}
	return true;
}

/*
 * Cancel fp's suspended call.  answer: the driver's reply to the CANCEL
 * will end the call (its result, or EINTR, which goes to the process as
 * -ERESTARTSYS: a handler with SA_RESTART has the kernel run the call
 * again, as Linux's tty and pipe calls; include/ax/linux.h); otherwise (exit) the
 * call is forgotten now and its grant revoked, so the driver can no longer
 * touch the process's memory.
 */
void
dev_cancel(struct fproc *fp, bool answer)
{
	message m;

	if (fp->fp_blocked != BLK_CDEV)
		return;
	if (!fp->fp_blk_cancelled) {
		memset(&m, 0, sizeof(m));
		m.m_type = CDEV_CANCEL;
		m.m_cdev.id = fp->fp_blk_id;
		m.m_cdev.grant = GRANT_INVALID;
		asynsend(fp->fp_blk_driver, &m);
		fp->fp_blk_cancelled = true;
	}
	if (!answer) {
		if (fp->fp_blk_grant != GRANT_INVALID)
			cpf_revoke(fp->fp_blk_grant);
		fp->fp_blocked = BLK_NONE;
	}
}

/*
 * A request to the character driver of node v that nobody waits for
 * (ctty.c: an ended leader's TIOCNOTTY): its reply matches no call and is
 * dropped.  0 or -E.
 */
int
dev_send_detached(struct vnode *v, message *m)
{
	struct dmap *d = dmap_of(v->v_rdev, false);

	if (!d || d->d_endpt == NONE)
		return -ENXIO;
	m->m_cdev.minor = drv_minor(d, v->v_rdev);
	m->m_cdev.id = next_id++;
	return asynsend(d->d_endpt, m);
}

/* Block device files: whole sectors through a bounce buffer. */
int64_t
blk_io(struct fproc *fp, struct filp *f, bool write, uint64_t addr, uint64_t len, uint64_t pos)
{
	static uint8_t bounce[64 * 1024];
	struct dmap *d = dmap_of(f->f_vno->v_rdev, true);
	uint64_t done = 0;
	int drv;
	bdev_t dev;

	if (!d || (drv = bdev_driver(d->d_label)) < 0)
		return -ENXIO;
	if (pos % 512 || len % 512)
		return -EINVAL;
	dev = bdev_dev(drv, drv_minor(d, f->f_vno->v_rdev));
	while (done < len) {
		size_t chunk = len - done < sizeof(bounce) ? (size_t)(len - done) : sizeof(bounce);
		int64_t r;

		if (write && copy_from_user(fp, addr + done, bounce, chunk) < 0) {
			r = -EFAULT;
		} else {
			r = write ? bdev_write(dev, pos + done, bounce, chunk, 0)
				  : bdev_read(dev, pos + done, bounce, chunk, 0);
			if (r > 0 && !write && copy_to_user(fp, addr + done, bounce, (size_t)r) < 0)
				r = -EFAULT;
		}
		if (r <= 0) {
			if (done == 0)
				return r;
			break;
		}
		done += (uint64_t)r;
		if ((size_t)r < chunk)
			break;
	}
	return (int64_t)done;
}

void
dmap_dump(struct dump *dd)
{
	for (int i = 0; i < NR_MAJORS; i++) {
		if (cdmap[i].d_label[0])
			dump_printf(dd, "  c %3d -> %s (ep %d)\n", i, cdmap[i].d_label,
				    cdmap[i].d_endpt);
		if (bdmap[i].d_label[0])
			dump_printf(dd, "  b %3d -> %s\n", i, bdmap[i].d_label);
	}
}

/* ---- dev_up (dev_up.c) and select (select.c) ------------------------------ */

/* fn for every label in the dmap, once each. */
void
dmap_each_label(void (*fn)(const char *label))
{
	for (int i = 0; i < 2 * NR_MAJORS; i++) {
		const struct dmap *d = i < NR_MAJORS ? &cdmap[i] : &bdmap[i - NR_MAJORS];
		bool seen = false;

		for (int k = 0; k < i && !seen && d->d_label[0]; k++) {
			const struct dmap *e = k < NR_MAJORS ? &cdmap[k] : &bdmap[k - NR_MAJORS];

			seen = strcmp(e->d_label, d->d_label) == 0;
		}
		if (d->d_label[0] && !seen)
			fn(d->d_label);
	}
}

/*
 * The driver of label is now at e: every dmap entry of it moves there.
 * The character entries' old endpoint (NONE if none had been looked up);
 * *block: the label drives block devices too.
 */
endpoint_t
dmap_endpoint_up(const char *label, endpoint_t e, bool *block)
{
	endpoint_t old = NONE;

	for (int i = 0; i < NR_MAJORS; i++) {
		if (strcmp(cdmap[i].d_label, label) == 0) {
			if (cdmap[i].d_endpt != NONE)
				old = cdmap[i].d_endpt;
			cdmap[i].d_endpt = e;
		}
		if (strcmp(bdmap[i].d_label, label) == 0) {
			bdmap[i].d_endpt = e;
			*block = true;
		}
	}
	return old;
}

/* Is description f a character device of the driver named label? */
bool
dev_uses_label(const struct filp *f, const char *label)
{
	const struct dmap *d;

	if (!LX_ISCHR(f->f_vno->v_mode))
		return false;
	d = &cdmap[DEV_MAJOR(f->f_vno->v_rdev)];
	return strcmp(d->d_label, label) == 0;
}

/* Open description f again at the driver's new instance e: 0 or -E. */
int
dev_reopen(struct filp *f, endpoint_t e)
{
	struct dmap *d = &cdmap[DEV_MAJOR(f->f_vno->v_rdev)];
	message m;
	int64_t r;

	memset(&m, 0, sizeof(m));
	m.m_type = CDEV_OPEN;
	m.m_cdev.minor = drv_minor(d, f->f_vno->v_rdev);
	m.m_cdev.id = next_id++;
	m.m_cdev.grant = GRANT_INVALID;
	m.m_cdev.access = ((f->f_flags & LX_O_ACCMODE) != LX_O_WRONLY ? CDEV_R_BIT : 0) |
			  ((f->f_flags & LX_O_ACCMODE) != LX_O_RDONLY ? CDEV_W_BIT : 0) |
			  CDEV_NOCTTY; /* the terminal's session survived in the driver */
	r = cdev_call(e, &m);
	return r < 0 ? (int)r : 0;
}

/*
 * poll events ready on character device f (select.c): CDEV_SELECT to its
 * driver, with CDEV_NOTIFY when the caller will wait.  A driver without
 * select (EBADF) is always ready; one that is gone, or a dead
 * description, is in error.
 */
unsigned
dev_select(struct fproc *fp, struct filp *f, unsigned events, bool notify)
{
	struct dmap *d = dmap_of(f->f_vno->v_rdev, false);
	unsigned ops = 0, ready = 0;
	int r;

	(void)fp;
	if (!d || d->d_endpt == NONE || f->f_dev_dead)
		return 0x008 /* POLLERR */;
	if (events & 0x001 /* POLLIN */)
		ops |= CDEV_OP_RD;
	if (events & 0x004 /* POLLOUT */)
		ops |= CDEV_OP_WR;
	if (!ops)
		return 0;
	r = cdev_select(d->d_endpt, drv_minor(d, f->f_vno->v_rdev),
			ops | (notify ? CDEV_NOTIFY : 0));
	if (r == -EBADF || r == -ENOSYS)
		return 0x001 | 0x004; /* no select: always ready, as Linux's default */
	if (r < 0)
		return 0x008;
	if (r & CDEV_OP_RD)
		ready |= 0x001;
	if (r & CDEV_OP_WR)
		ready |= 0x004;
	if (r & CDEV_OP_ERR)
		ready |= 0x008;
	return ready;
}
