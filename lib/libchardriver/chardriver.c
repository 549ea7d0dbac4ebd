/*
 * libchardriver: the message loop of a character driver.
 *
 * Every request is checked here before a callback sees it, and every reply
 * is built here, so a driver is only its device logic.  How a reply goes
 * back depends on how the request came.  A client in SENDREC is waiting in
 * its receive: a non-blocking send reaches it, made by SEF together with
 * our next receive (sef_reply, REPLYRECV), and a late reply to a request
 * it is still waiting for goes by plain asynsend.  Anything else
 * (requests sent asynchronously, as VFS will) is answered by asynsend with
 * AMF_NOREPLY, so that the answer can never end some unrelated SENDREC the
 * client has outstanding to this driver: it takes it with a receive.
 */
#include <chardriver.h>
#include <driver.h>
#include <sef.h>

void
chardriver_announce(int init_type)
{
	driver_announce(init_type, "chardriver");
}

/*
 * The suspended requests whose clients wait in SENDREC: their late replies
 * must be able to end that SENDREC.  Others need no record.
 */
#define CHARDRIVER_WAITERS 64

static struct waiter {
	bool used;
	endpoint_t endpt;
	cdev_id_t id;
} waiters[CHARDRIVER_WAITERS];

static void
waiter_add(endpoint_t endpt, cdev_id_t id)
{
	for (size_t i = 0; i < ARRAY_SIZE(waiters); i++) {
		if (!waiters[i].used) {
			waiters[i] = (struct waiter){ true, endpt, id };
			return;
		}
	}
	/* No room: its late reply will not be NOREPLY, which it wants anyway. */
	printf("%s: chardriver: more than %d clients waiting\n", self_name, CHARDRIVER_WAITERS);
}

/* Forget a waiter; was it one? */
static bool
waiter_remove(endpoint_t endpt, cdev_id_t id)
{
	for (size_t i = 0; i < ARRAY_SIZE(waiters); i++) {
		if (waiters[i].used && waiters[i].endpt == endpt && waiters[i].id == id) {
			waiters[i].used = false;
			return true;
		}
	}
	return false;
}

/* status: the receive status of the request, or 0 for a late reply. */
static void
send_reply(endpoint_t dst, message *m, uint64_t status, bool waiting)
{
	driver_reply(dst, m, status, waiting ? 0 : AMF_NOREPLY);
}

static void
reply_status(endpoint_t dst, cdev_id_t id, int64_t result, uint64_t status, bool waiting)
{
	message m = { .m_type = CDEV_REPLY };

	m.m_cdev_reply.status = result;
	m.m_cdev_reply.id = id;
	send_reply(dst, &m, status, waiting);
}

void
chardriver_reply_task(endpoint_t endpt, cdev_id_t id, int64_t result)
{
	if (result == -EDONTREPLY)
		panic("chardriver: EDONTREPLY as a late reply");
	reply_status(endpt, id, result, 0, waiter_remove(endpt, id));
}

void
chardriver_reply_select(endpoint_t endpt, devminor_t minor, unsigned ops)
{
	message m = { .m_type = CDEV_SEL2_REPLY };

	m.m_cdev_select_reply.minor = minor;
	m.m_cdev_select_reply.status = (int32_t)(ops & CDEV_OP_MASK);
	send_reply(endpt, &m, 0, false);
}

/* The end user as the callbacks see it. */
static struct cdev_user
user_of(const struct msg_cdev_request *rq)
{
	return (struct cdev_user){ .endpt = rq->user,
				   .pgid = rq->pgid,
				   .sid = rq->sid,
				   .leader = (rq->flags & CDEV_LEADER) != 0,
				   .ttin_ignored = (rq->flags & CDEV_TTIN_IGN) != 0,
				   .ttou_ignored = (rq->flags & CDEV_TTOU_IGN) != 0,
				   .orphaned = (rq->flags & CDEV_ORPHANED) != 0,
				   .euid = rq->euid };
}

static int64_t
do_open(const struct chardriver *cdp, const struct msg_cdev_request *rq)
{
	const struct cdev_user user = user_of(rq);
	int r = cdp->cdr_open ? cdp->cdr_open(rq->minor, (int)rq->access, &user) : 0;

	if (r >= 0) {
		if (rq->minor >= DRIVER_MINORS) {
			/* Cannot be tracked: refuse rather than ERESTART it later. */
			if (cdp->cdr_close)
				cdp->cdr_close(rq->minor);
			return -ENXIO;
		}
		driver_mark_open(rq->minor);
	}
	return r;
}

static int64_t
do_transfer(const struct chardriver *cdp, endpoint_t src, const struct msg_cdev_request *rq,
	    bool write)
{
	int64_t (*transfer)(devminor_t, uint64_t, endpoint_t, grant_id_t, size_t, int, cdev_id_t,
			    const struct cdev_user *) = write ? cdp->cdr_write : cdp->cdr_read;
	const struct cdev_user user = user_of(rq);

	if (rq->count > INT64_MAX)
		return -EINVAL;
	if (!transfer)
		return -EIO;
	return transfer(rq->minor, rq->pos, src, rq->grant, rq->count, (int)rq->flags, rq->id,
			&user);
}

static int64_t
do_request(const struct chardriver *cdp, endpoint_t src, int type,
	   const struct msg_cdev_request *rq)
{
	switch (type) {
	case CDEV_OPEN:
		return do_open(cdp, rq);
	case CDEV_CLOSE:
		return cdp->cdr_close ? cdp->cdr_close(rq->minor) : 0;
	case CDEV_READ:
		return do_transfer(cdp, src, rq, false);
	case CDEV_WRITE:
		return do_transfer(cdp, src, rq, true);
	case CDEV_IOCTL: {
		const struct cdev_user user = user_of(rq);

		if (!cdp->cdr_ioctl)
			return -ENOTTY;
		return cdp->cdr_ioctl(rq->minor, rq->request, src, rq->grant, (int)rq->flags, &user,
				      rq->id);
	}
	case CDEV_CANCEL:
		return cdp->cdr_cancel ? cdp->cdr_cancel(rq->minor, src, rq->id) : -EDONTREPLY;
	}
	return -ENOSYS;
}

static void
do_select(const struct chardriver *cdp, endpoint_t src, const struct msg_cdev_request *rq,
	  uint64_t status)
{
	message m = { .m_type = CDEV_SEL1_REPLY };
	int r;

	if (!driver_was_opened(rq->minor))
		r = -ERESTART;
	else if (rq->ops & ~(CDEV_OP_MASK | CDEV_NOTIFY))
		r = -EINVAL;
	else
		r = cdp->cdr_select ? cdp->cdr_select(rq->minor, rq->ops, src) : -EBADF;
	m.m_cdev_select_reply.minor = rq->minor;
	m.m_cdev_select_reply.status = r;
	send_reply(src, &m, status, false);
}

/* What is not a character request: the front half the driver libraries share. */
static void
front_half(const struct chardriver *cdp, message *m, uint64_t status)
{
	const struct driver_front front = {
		.df_block = false,
		.df_intr = cdp->cdr_intr,
		.df_alarm = cdp->cdr_alarm,
		.df_other = cdp->cdr_other,
		.df_dump = cdp->cdr_dump,
	};

	driver_front(&front, m, status);
}

void
chardriver_process(const struct chardriver *cdp, message *m, uint64_t status)
{
	const struct msg_cdev_request rq = m->m_cdev;
	endpoint_t src = m->m_source;
	int64_t r;

	if (ipc_status_is_notify(status) || !IS_CDEV_RQ(m->m_type)) {
		front_half(cdp, m, status);
		return;
	}
	if (m->m_type == CDEV_SELECT) {
		do_select(cdp, src, &rq, status);
		return;
	}

	if (m->m_type != CDEV_OPEN && !driver_was_opened(rq.minor))
		r = m->m_type == CDEV_CANCEL ? -EDONTREPLY : -ERESTART;
	else
		r = do_request(cdp, src, m->m_type, &rq);
	if (r == -EDONTREPLY) {
		if (m->m_type != CDEV_READ && m->m_type != CDEV_WRITE && m->m_type != CDEV_IOCTL &&
		    m->m_type != CDEV_CANCEL)
			panic("chardriver: request %#x may not be suspended", m->m_type);
		if (m->m_type != CDEV_CANCEL && ipc_status_is_sendrec(status))
			waiter_add(src, rq.id);
		return;
	}
	if (m->m_type == CDEV_CANCEL)
		waiter_remove(src, rq.id); /* this reply ends the request */
	reply_status(src, rq.id, r, status, false);
}

void
chardriver_task(const struct chardriver *cdp)
{
	message m;
	uint64_t status;

	for (;;)
		if (sef_receive_status(ANY, &m, &status) == 0)
			chardriver_process(cdp, &m, status);
}
