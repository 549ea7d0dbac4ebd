/*
 * libblockdriver: the message loop of a block driver (blockdriver.h).
 *
 * Every request is checked here before a callback sees it, and every reply
 * is built here.  Block requests never wait: each gets exactly one reply,
 * at once.  The checks follow ax/bdev.h: sector alignment, the minor's
 * bounds (a transfer is cut at the end, the only short count), vector
 * length; the driver's transfer then moves the whole range or fails.
 */
#include <blockdriver.h>
#include <driver.h>
#include <sef.h>
#include <string.h>

/*
 * Who holds each open: the BDEV_OPEN's sender, per minor, with a count.
 * A close counts only from a holder, and a holder that died (its endpoint
 * no longer names a live process: sys_getpriv says EDEADSRCDST, and the
 * endpoint's generation keeps a new process in the same slot from passing
 * for it) has its opens closed for it, through bdr_close, before the next
 * open, close or ioctl: a crashed file system's open does not stay for
 * ever.  count 0: the entry is free.
 */
struct opener {
	endpoint_t endpt;
	devminor_t minor;
	unsigned count;
};

static struct opener openers[BLOCKDRIVER_OPENERS];

/*
 * The holder whose transfer last got through: a file system sends one
 * transfer after another for the same minor, so a transfer's check is two
 * compares here, the table's scan only when the sender or the minor
 * changes.  Forgotten (NO_MINOR) at every close, reaping and announce, the
 * only ways a count drops, so it never names an open that is gone.
 */
#define NO_MINOR DRIVER_MINORS /* do_open refuses such minors */
static endpoint_t last_endpt;
static devminor_t last_minor = NO_MINOR;

void
blockdriver_announce(int init_type)
{
	memset(openers, 0, sizeof(openers));
	last_minor = NO_MINOR;
	driver_announce(init_type, "blockdriver");
}

static struct opener *
find_opener(endpoint_t endpt, devminor_t minor)
{
	for (int i = 0; i < BLOCKDRIVER_OPENERS; i++)
		if (openers[i].count > 0 && openers[i].endpt == endpt && openers[i].minor == minor)
			return &openers[i];
	return NULL;
}

/* Does src hold an open of the minor? */
static bool
holds(endpoint_t src, devminor_t minor)
{
	if (minor == last_minor && src == last_endpt)
		return true;
	if (!find_opener(src, minor))
		return false;
	last_endpt = src;
	last_minor = minor;
	return true;
}

int
blockdriver_reap(const struct blockdriver *bdp)
{
	struct msg_sys_privinfo info;
	int closed = 0;

	last_minor = NO_MINOR;
	for (int i = 0; i < BLOCKDRIVER_OPENERS; i++) {
		struct opener *o = &openers[i];

		if (o->count == 0 || sys_getpriv(o->endpt, &info) != -EDEADSRCDST)
			continue;
		/* Each of its opens, as if it had closed them itself. */
		for (; o->count > 0; o->count--, closed++)
			if (bdp->bdr_close)
				bdp->bdr_close(o->minor);
	}
	return closed;
}

static bool
aligned(uint64_t v)
{
	return (v & (BDEV_SECTOR - 1)) == 0;
}

/*
 * Cut the vector (count elements, all sector multiples) to `avail` bytes.
 * Returns the number of elements left; *total becomes their byte total.
 */
static unsigned
cut_vector(struct bdev_iovec *iov, unsigned count, uint64_t avail, uint64_t *total)
{
	unsigned n;

	*total = 0;
	for (n = 0; n < count && avail > 0; n++) {
		if (iov[n].size > avail)
			iov[n].size = avail;
		avail -= iov[n].size;
		*total += iov[n].size;
	}
	return n;
}

/* Check the vector: every size a sector multiple, the total without overflow. */
static int
check_vector(const struct bdev_iovec *iov, unsigned count)
{
	uint64_t total = 0;

	for (unsigned i = 0; i < count; i++) {
		if (!aligned(iov[i].size) || iov[i].size > INT64_MAX - total)
			return -EINVAL;
		total += iov[i].size;
	}
	return 0;
}

static int64_t
do_transfer(const struct blockdriver *bdp, endpoint_t src, const struct msg_bdev_request *rq,
	    bool write, bool vector)
{
	struct bdev_iovec iov[BDEV_NR_IOVEC];
	struct bdev_part *part;
	unsigned count = 1;
	uint64_t total;
	int64_t r;
	int e;

	/*
	 * Only from a holder of the minor's open, as a Linux read needs an
	 * open fd: no process reads or writes a disk another has open because
	 * IPC lets it message the driver.
	 */
	if (!holds(src, rq->minor))
		return -EBADF;
	part = bdp->bdr_part(rq->minor);
	if (vector) {
		if (rq->count == 0 || rq->count > BDEV_NR_IOVEC)
			return -EINVAL;
		count = (unsigned)rq->count;
		/* The vector is the client's: the grant's owner is the sender. */
		if ((e = sys_safecopyfrom(src, rq->grant, 0, iov, count * sizeof(iov[0]))) < 0)
			return e;
	} else {
		iov[0] = (struct bdev_iovec){ .grant = rq->grant, .size = rq->count };
	}
	if ((e = check_vector(iov, count)) < 0)
		return e;
	if (!aligned(rq->pos) || rq->pos > part->size)
		return -EINVAL;
	count = cut_vector(iov, count, part->size - rq->pos, &total);
	if (total == 0)
		return 0; /* at the end of the device */
	r = bdp->bdr_transfer(rq->minor, write, part->base + rq->pos, src, iov, count,
			      (int)rq->flags);
	if (r >= 0 && (uint64_t)r != total) {
		/* Part of the data and no error is not a valid answer. */
		printf("%s: blockdriver: transfer moved %lld of %llu bytes\n", self_name,
		       (long long)r, (unsigned long long)total);
		return -EIO;
	}
	return r;
}

static int
do_open(const struct blockdriver *bdp, endpoint_t src, const struct msg_bdev_request *rq)
{
	struct opener *o = find_opener(src, rq->minor);
	int r;

	if (rq->access & ~(uint32_t)(BDEV_R_BIT | BDEV_W_BIT))
		return -EINVAL;
	if (rq->minor >= DRIVER_MINORS)
		return -ENXIO; /* cannot be tracked */
	for (int i = 0; !o && i < BLOCKDRIVER_OPENERS; i++)
		if (openers[i].count == 0)
			o = &openers[i];
	if (!o || o->count == ~0u)
		return -ENFILE; /* the holders cannot be tracked */
	r = bdp->bdr_open ? bdp->bdr_open(rq->minor, (int)rq->access) : 0;
	if (r >= 0) {
		driver_mark_open(rq->minor);
		o->endpt = src;
		o->minor = rq->minor;
		o->count++;
	}
	return r;
}

/* Only a holder of an open of the minor closes one. */
static int
do_close(const struct blockdriver *bdp, endpoint_t src, const struct msg_bdev_request *rq)
{
	struct opener *o = find_opener(src, rq->minor);
	int r;

	if (!o)
		return -EBADF;
	last_minor = NO_MINOR;
	r = bdp->bdr_close ? bdp->bdr_close(rq->minor) : 0;
	if (r >= 0)
		o->count--;
	return r;
}

static int
do_ioctl(const struct blockdriver *bdp, endpoint_t src, const struct msg_bdev_request *rq)
{
	if (rq->request == DIOCGETP) {
		struct bdev_part part = *bdp->bdr_part(rq->minor);

		return sys_safecopyto(src, rq->grant, 0, &part, sizeof(part));
	}
	if (!bdp->bdr_ioctl)
		return -ENOTTY;
	return bdp->bdr_ioctl(rq->minor, rq->request, src, rq->grant, rq->user);
}

static int64_t
do_request(const struct blockdriver *bdp, endpoint_t src, int type,
	   const struct msg_bdev_request *rq)
{
	if (!bdp->bdr_part(rq->minor))
		return -ENXIO;
	if (type != BDEV_OPEN && !driver_was_opened(rq->minor))
		return -ERESTART;
	/* Where the driver may count opens: dead holders' go first. */
	if (type == BDEV_OPEN || type == BDEV_CLOSE || type == BDEV_IOCTL)
		blockdriver_reap(bdp);
	switch (type) {
	case BDEV_OPEN:
		return do_open(bdp, src, rq);
	case BDEV_CLOSE:
		return do_close(bdp, src, rq);
	case BDEV_READ:
		return do_transfer(bdp, src, rq, false, false);
	case BDEV_WRITE:
		return do_transfer(bdp, src, rq, true, false);
	case BDEV_GATHER:
		return do_transfer(bdp, src, rq, false, true);
	case BDEV_SCATTER:
		return do_transfer(bdp, src, rq, true, true);
	case BDEV_IOCTL:
		/* Only a holder: a stranger resizes no disk another has open. */
		return holds(src, rq->minor) ? do_ioctl(bdp, src, rq) : -EBADF;
	}
	return -ENOSYS;
}

/* What is not a block request: the front half the driver libraries share. */
static void
front_half(const struct blockdriver *bdp, message *m, uint64_t status)
{
	const struct driver_front front = {
		.df_block = true,
		.df_intr = bdp->bdr_intr,
		.df_alarm = bdp->bdr_alarm,
		.df_other = bdp->bdr_other,
		.df_dump = bdp->bdr_dump,
	};

	driver_front(&front, m, status);
}

void
blockdriver_process(const struct blockdriver *bdp, message *m, uint64_t status)
{
	const struct msg_bdev_request rq = m->m_bdev;
	endpoint_t src = m->m_source;
	int64_t r;

	if (ipc_status_is_notify(status) || !IS_BDEV_RQ(m->m_type)) {
		front_half(bdp, m, status);
		return;
	}
	r = do_request(bdp, src, m->m_type, &rq);
	if (bdp->bdr_cleanup)
		bdp->bdr_cleanup();
	*m = (message){ .m_type = BDEV_REPLY };
	m->m_bdev_reply.status = r;
	m->m_bdev_reply.id = rq.id;
	driver_reply(src, m, status, AMF_NOREPLY);
}

void
blockdriver_task(const struct blockdriver *bdp)
{
	message m;
	uint64_t status;

	for (;;)
		if (sef_receive_status(ANY, &m, &status) == 0)
			blockdriver_process(bdp, &m, status);
}
