/*
 * cdevpipe: a byte pipe on libchardriver, so that the guest tests can
 * exercise what hello cannot: reads that wait, cancel, select with later
 * notification, ioctls in both directions (cdevpipe.h).
 */
#include <libsys.h>
#include <sef.h>
#include <chardriver.h>
#include <string.h>
#include "cdevpipe.h"

static char data[CDEVPIPE_SIZE];
static size_t avail;
static uint32_t mark;

static struct { /* the one reader waiting, if any */
	bool waiting;
	endpoint_t endpt;
	grant_id_t grant;
	size_t size;
	cdev_id_t id;
} reader;

static endpoint_t selector = NONE; /* waits for CDEV_OP_RD */

/* Hand up to `size` bytes to a reader's grant; the count, or -E. */
static int64_t
take(endpoint_t endpt, grant_id_t grant, size_t size)
{
	size_t n = size < avail ? size : avail;
	int r;

	if ((r = sys_safecopyto(endpt, grant, 0, data, n)) < 0)
		return r;
	memmove(data, data + n, avail - n);
	avail -= n;
	return (int64_t)n;
}

static int
pipe_open(devminor_t minor, int access, const struct cdev_user *user)
{
	(void)access;
	(void)user;
	return minor == 0 ? 0 : -ENXIO;
}

static int64_t
pipe_read(devminor_t minor, uint64_t pos, endpoint_t endpt, grant_id_t grant, size_t size,
	  int flags, cdev_id_t id, const struct cdev_user *user)
{
	(void)minor;
	(void)pos;
	(void)user;
	if (size == 0)
		return 0;
	if (avail > 0)
		return take(endpt, grant, size);
	if (flags & CDEV_NONBLOCK)
		return -EAGAIN;
	if (reader.waiting)
		return -EBUSY;
	reader.waiting = true;
	reader.endpt = endpt;
	reader.grant = grant;
	reader.size = size;
	reader.id = id;
	return -EDONTREPLY;
}

static int64_t
pipe_write(devminor_t minor, uint64_t pos, endpoint_t endpt, grant_id_t grant, size_t size,
	   int flags, cdev_id_t id, const struct cdev_user *user)
{
	int r;

	(void)minor;
	(void)pos;
	(void)flags;
	(void)id;
	(void)user;
	if (size > CDEVPIPE_SIZE - avail)
		return avail == CDEVPIPE_SIZE ? -EAGAIN : -E2BIG;
	if ((r = sys_safecopyfrom(endpt, grant, 0, data + avail, size)) < 0)
		return r;
	avail += size;
	if (reader.waiting) {
		reader.waiting = false;
		chardriver_reply_task(reader.endpt, reader.id,
				      take(reader.endpt, reader.grant, reader.size));
	}
	if (avail > 0 && selector != NONE) {
		chardriver_reply_select(selector, 0, CDEV_OP_RD);
		selector = NONE;
	}
	return (int64_t)size;
}

static int
pipe_ioctl(devminor_t minor, unsigned long request, endpoint_t endpt, grant_id_t grant, int flags,
	   const struct cdev_user *user, cdev_id_t id)
{
	uint32_t n = (uint32_t)avail;

	(void)minor;
	(void)flags;
	(void)user;
	(void)id;
	switch (request) {
	case CDEVPIPE_IOC_AVAIL:
		return sys_safecopyto(endpt, grant, 0, &n, sizeof(n));
	case CDEVPIPE_IOC_SETMARK:
		return sys_safecopyfrom(endpt, grant, 0, &mark, sizeof(mark));
	case CDEVPIPE_IOC_GETMARK:
		return sys_safecopyto(endpt, grant, 0, &mark, sizeof(mark));
	}
	return -ENOTTY;
}

static int
pipe_cancel(devminor_t minor, endpoint_t endpt, cdev_id_t id)
{
	(void)minor;
	if (!reader.waiting || reader.endpt != endpt || reader.id != id)
		return -EDONTREPLY; /* answered already */
	reader.waiting = false;
	return -EINTR;
}

static int
pipe_select(devminor_t minor, unsigned ops, endpoint_t endpt)
{
	unsigned ready = CDEV_OP_WR * (avail < CDEVPIPE_SIZE) | CDEV_OP_RD * (avail > 0);

	(void)minor;
	if ((ops & CDEV_NOTIFY) && (ops & CDEV_OP_RD) && !(ready & CDEV_OP_RD))
		selector = endpt;
	return (int)(ready & ops & CDEV_OP_MASK);
}

static int
init(int type, const struct msg_rs_init *info)
{
	(void)info;
	chardriver_announce(type);
	return 0;
}

static const struct chardriver pipe_tab = {
	.cdr_open = pipe_open,
	.cdr_read = pipe_read,
	.cdr_write = pipe_write,
	.cdr_ioctl = pipe_ioctl,
	.cdr_cancel = pipe_cancel,
	.cdr_select = pipe_select,
};

int
main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	sef_setcb_init_fresh(init);
	sef_startup();
	chardriver_task(&pipe_tab);
}
