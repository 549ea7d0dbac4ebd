/*
 * libbdev (bdev.h): requests, grants, and recovery from driver restarts.
 *
 * A request is described once (struct bdev_req) and turned into a message
 * with fresh grants for each attempt, because grants name their grantee and
 * a restarted driver has a new endpoint.  The grants of a synchronous call
 * live on its stack; those of an asynchronous one in its slot, until the
 * reply.
 *
 * Recovery polls DS rather than subscribing to the label: a process has
 * one DS subscription and its owner (a file system) may need it, and a
 * bounded poll gives a bounded wait.
 */
#include <bdev.h>
#include <ax/ioctl.h>
#include <string.h>

#define BDEV_ID_SYNC (~(uint64_t)0) /* the id of every synchronous request */

struct open_minor {
	devminor_t minor;
	unsigned count; /* opens not yet closed */
	int access;     /* every access asked for */
};

struct driver {
	char label[DS_MAX_KEYLEN];
	endpoint_t endpt; /* NONE: slot unused */
	unsigned restarts;
	struct open_minor opens[BDEV_OPEN_MINORS];
};

static struct driver drivers[BDEV_DRIVERS];
static uint64_t call_bound = BDEV_BOUND_TICKS; /* bdev_set_bound() */

void
bdev_set_bound(uint64_t ticks)
{
	call_bound = ticks;
}

/* A request, independent of the driver's endpoint. */
struct bdev_req {
	int type;
	bdev_t dev;
	uint64_t pos;
	int flags;
	int access;                 /* open */
	unsigned request;           /* ioctl */
	const struct bdev_buf *vec; /* transfers: the buffers */
	unsigned count;
	bool vector; /* gather, scatter: send an I/O vector */
};

/* The grants of one attempt (and the I/O vector they are listed in). */
struct bdev_grants {
	grant_id_t g[BDEV_NR_IOVEC];
	grant_id_t vec_grant;
	unsigned n;
	struct bdev_iovec iov[BDEV_NR_IOVEC];
};

static struct driver *
driver_of(bdev_t dev)
{
	unsigned d = dev >> 16;

	if (d >= BDEV_DRIVERS || drivers[d].label[0] == '\0')
		return NULL;
	return &drivers[d];
}

static devminor_t
minor_of(bdev_t dev)
{
	return dev & 0xffff;
}

/* ---- grants ---------------------------------------------------------- */

static void
revoke_grants(struct bdev_grants *gr)
{
	for (unsigned i = 0; i < gr->n; i++)
		cpf_revoke(gr->g[i]);
	if (gr->vec_grant != GRANT_INVALID)
		cpf_revoke(gr->vec_grant);
	gr->n = 0;
	gr->vec_grant = GRANT_INVALID;
}

/* Data buffers: GRANT_WRITE for a read (the driver writes them). */
static int
data_access(int type)
{
	return type == BDEV_READ || type == BDEV_GATHER ? GRANT_WRITE : GRANT_READ;
}

/* The ioctl argument: _IOC_WRITE means the driver reads our argument. */
static int
ioctl_access(unsigned request)
{
	int access = 0;

	if (_IOC_DIR(request) & _IOC_WRITE)
		access |= GRANT_READ;
	if (_IOC_DIR(request) & _IOC_READ)
		access |= GRANT_WRITE;
	return _IOC_SIZE(request) > 0 ? access : 0;
}

/* Grants for `to`, and the grant and count fields of the message. */
static int
make_grants(const struct bdev_req *rq, endpoint_t to, struct bdev_grants *gr,
	    struct msg_bdev_request *m)
{
	int access = rq->type == BDEV_IOCTL ? ioctl_access(rq->request) : data_access(rq->type);

	gr->n = 0;
	gr->vec_grant = GRANT_INVALID;
	m->grant = GRANT_INVALID;
	if (rq->count == 0 || access == 0)
		return 0;
	for (unsigned i = 0; i < rq->count; i++) {
		gr->g[i] = cpf_grant_direct(to, rq->vec[i].addr, rq->vec[i].len, access);
		if (gr->g[i] == GRANT_INVALID) {
			revoke_grants(gr);
			return -ENOMEM;
		}
		gr->n++;
	}
	if (!rq->vector) {
		m->grant = gr->g[0];
		m->count = rq->vec[0].len;
		return 0;
	}
	for (unsigned i = 0; i < rq->count; i++) /* the vector the driver reads */
		gr->iov[i] = (struct bdev_iovec){ .grant = gr->g[i], .size = rq->vec[i].len };
	gr->vec_grant = cpf_grant_direct(to, gr->iov, rq->count * sizeof(gr->iov[0]), GRANT_READ);
	if (gr->vec_grant == GRANT_INVALID) {
		revoke_grants(gr);
		return -ENOMEM;
	}
	m->grant = gr->vec_grant;
	m->count = rq->count;
	return 0;
}

static void
build_message(const struct bdev_req *rq, uint64_t id, message *m)
{
	memset(m, 0, sizeof(*m));
	m->m_type = rq->type;
	m->m_bdev.minor = minor_of(rq->dev);
	m->m_bdev.pos = rq->pos;
	m->m_bdev.flags = (uint32_t)rq->flags;
	m->m_bdev.access = (uint32_t)rq->access;
	m->m_bdev.request = rq->request;
	m->m_bdev.user = self_endpoint;
	m->m_bdev.id = id;
}

/* ---- open minors ----------------------------------------------------- */

static struct open_minor *
find_open(struct driver *d, devminor_t minor)
{
	for (int i = 0; i < BDEV_OPEN_MINORS; i++)
		if (d->opens[i].count > 0 && d->opens[i].minor == minor)
			return &d->opens[i];
	return NULL;
}

static int
record_open(struct driver *d, devminor_t minor, int access)
{
	struct open_minor *o = find_open(d, minor);

	for (int i = 0; !o && i < BDEV_OPEN_MINORS; i++) {
		if (d->opens[i].count == 0) {
			o = &d->opens[i];
			*o = (struct open_minor){ .minor = minor };
		}
	}
	if (!o)
		return -ENOSPC;
	o->count++;
	o->access |= access;
	return 0;
}

static void
record_close(struct driver *d, devminor_t minor)
{
	struct open_minor *o = find_open(d, minor);

	if (o)
		o->count--;
}

/* ---- recovery -------------------------------------------------------- */

static void asyn_resend_all(struct driver *d);

/* One message, no grants, to the current endpoint: its status or the IPC error. */
static int64_t
plain_call(struct driver *d, int type, devminor_t minor, int access)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_type = type;
	m.m_bdev.minor = minor;
	m.m_bdev.access = (uint32_t)access;
	m.m_bdev.id = BDEV_ID_SYNC;
	if ((r = ipc_sendrec(d->endpt, &m)) < 0)
		return r;
	return m.m_type == BDEV_REPLY ? m.m_bdev_reply.status : -EIO;
}

/* Open again every minor we hold, as often as we hold it. */
static int
reopen_all(struct driver *d)
{
	for (int i = 0; i < BDEV_OPEN_MINORS; i++) {
		struct open_minor *o = &d->opens[i];

		for (unsigned c = 0; c < o->count; c++) {
			int64_t r = plain_call(d, BDEV_OPEN, o->minor, o->access);

			if (r == -EDEADSRCDST)
				return (int)r;
			if (r < 0)
				printf("%s: bdev: %s minor %u not reopened: %lld\n", self_name,
				       d->label, o->minor, (long long)r);
		}
	}
	return 0;
}

/*
 * The driver's endpoint once DS names another than `old`: a fresh restart.
 * After BDEV_DS_TICKS, what DS names (perhaps `old`: a stateful restart).
 */
static endpoint_t
await_new_endpoint(struct driver *d, endpoint_t old)
{
	endpoint_t e = NONE;

	for (int t = 0; t < BDEV_DS_TICKS; t++) {
		if (ds_retrieve_label(d->label, &e) == 0 && e != old)
			return e;
		tickdelay(1);
	}
	return ds_retrieve_label(d->label, &e) == 0 ? e : NONE;
}

/*
 * Move to the driver's instance at e: reopen our minors there and resend
 * our asynchronous requests.  0, or -EDEADSRCDST if e died meanwhile.
 */
static int
adopt(struct driver *d, endpoint_t e)
{
	d->endpt = e;
	d->restarts++;
	if (reopen_all(d) < 0)
		return -EDEADSRCDST;
	asyn_resend_all(d);
	return 0;
}

/*
 * The driver died: find its new instance and adopt it.  0, or
 * -EDEADSRCDST if it stays away.
 */
static int
recover(struct driver *d)
{
	for (int tries = 0; tries < 3; tries++) {
		endpoint_t e = await_new_endpoint(d, d->endpt);

		if (e == NONE)
			return -EDEADSRCDST;
		if (adopt(d, e) == 0)
			return 0;
	}
	return -EDEADSRCDST;
}

/* ---- synchronous calls ----------------------------------------------- */

/* One attempt: the reply's status, or the IPC error. */
static int64_t
send_sync(struct driver *d, const struct bdev_req *rq)
{
	struct bdev_grants gr;
	message m;
	int r;

	build_message(rq, BDEV_ID_SYNC, &m);
	if ((r = make_grants(rq, d->endpt, &gr, &m.m_bdev)) < 0)
		return r;
	r = ipc_sendrec_bounded(d->endpt, &m, call_bound); /* a hang is a death: retried */
	revoke_grants(&gr);
	if (r < 0)
		return r;
	if (m.m_type < 0) /* not understood at all */
		return m.m_type;
	if (m.m_type != BDEV_REPLY || m.m_bdev_reply.id != BDEV_ID_SYNC)
		return -EIO; /* a protocol error of the driver's */
	return m.m_bdev_reply.status;
}

static int64_t
call_sync(const struct bdev_req *rq)
{
	struct driver *d = driver_of(rq->dev);
	int64_t r = -EDEADSRCDST;

	if (!d)
		return -ENXIO;
	for (int tries = 0; tries < BDEV_DRIVER_TRIES; tries++) {
		r = send_sync(d, rq);
		if (r == -EDEADSRCDST) {
			if (recover(d) < 0)
				return r;
		} else if (r == -ERESTART && rq->type != BDEV_OPEN) {
			/* Restarted in place (same endpoint): reopen, reissue. */
			if (!find_open(d, minor_of(rq->dev)))
				return -EBADF;
			if ((r = reopen_all(d)) < 0 && recover(d) < 0)
				return r;
		} else {
			return r;
		}
	}
	return -EDEADSRCDST;
}

int
bdev_driver(const char *label)
{
	int free_slot = -1;
	endpoint_t e;
	int r;

	for (int i = 0; i < BDEV_DRIVERS; i++) {
		if (strcmp(drivers[i].label, label) == 0) {
			/* Known: has DS a new endpoint for it (a driver-up event)? */
			if (ds_retrieve_label(label, &e) == 0 && e != drivers[i].endpt &&
			    adopt(&drivers[i], e) < 0)
				recover(&drivers[i]);
			return i;
		}
		if (drivers[i].label[0] == '\0' && free_slot < 0)
			free_slot = i;
	}
	if (strlen(label) >= DS_MAX_KEYLEN)
		return -EINVAL;
	if (free_slot < 0)
		return -ENOSPC;
	if ((r = ds_retrieve_label(label, &e)) < 0)
		return r;
	memset(&drivers[free_slot], 0, sizeof(drivers[free_slot]));
	strlcpy(drivers[free_slot].label, label, DS_MAX_KEYLEN);
	drivers[free_slot].endpt = e;
	return free_slot;
}

unsigned
bdev_restarts(int driver)
{
	return driver >= 0 && driver < BDEV_DRIVERS ? drivers[driver].restarts : 0;
}

int
bdev_open(bdev_t dev, int access)
{
	struct bdev_req rq = { .type = BDEV_OPEN, .dev = dev, .access = access };
	struct driver *d = driver_of(dev);
	int64_t r = call_sync(&rq);

	if (r == 0 && record_open(d, minor_of(dev), access) < 0) {
		rq.type = BDEV_CLOSE;
		call_sync(&rq);
		return -ENOSPC;
	}
	return (int)r;
}

int
bdev_close(bdev_t dev)
{
	struct bdev_req rq = { .type = BDEV_CLOSE, .dev = dev };
	int64_t r = call_sync(&rq);

	if (r == 0)
		record_close(driver_of(dev), minor_of(dev));
	return (int)r;
}

static int64_t
transfer(int type, bdev_t dev, uint64_t pos, const struct bdev_buf *vec, unsigned count,
	 bool vector, int flags)
{
	struct bdev_req rq = { .type = type,
			       .dev = dev,
			       .pos = pos,
			       .flags = flags,
			       .vec = vec,
			       .count = count,
			       .vector = vector };

	if (count == 0 || count > BDEV_NR_IOVEC)
		return -EINVAL;
	return call_sync(&rq);
}

int64_t
bdev_read(bdev_t dev, uint64_t pos, void *buf, size_t len, int flags)
{
	struct bdev_buf b = { buf, len };

	return transfer(BDEV_READ, dev, pos, &b, 1, false, flags);
}

int64_t
bdev_write(bdev_t dev, uint64_t pos, const void *buf, size_t len, int flags)
{
	struct bdev_buf b = { (void *)buf, len };

	return transfer(BDEV_WRITE, dev, pos, &b, 1, false, flags);
}

int64_t
bdev_gather(bdev_t dev, uint64_t pos, const struct bdev_buf *vec, unsigned count, int flags)
{
	return transfer(BDEV_GATHER, dev, pos, vec, count, true, flags);
}

int64_t
bdev_scatter(bdev_t dev, uint64_t pos, const struct bdev_buf *vec, unsigned count, int flags)
{
	return transfer(BDEV_SCATTER, dev, pos, vec, count, true, flags);
}

int
bdev_ioctl(bdev_t dev, unsigned request, void *arg)
{
	struct bdev_buf b = { arg, _IOC_SIZE(request) };
	struct bdev_req rq = { .type = BDEV_IOCTL,
			       .dev = dev,
			       .request = request,
			       .vec = &b,
			       .count = ioctl_access(request) ? 1 : 0 };

	return (int)call_sync(&rq);
}

/* ---- asynchronous calls ---------------------------------------------- */

struct asyn_call {
	bool used;
	uint8_t gen; /* bumped at every use: stale ids miss */
	int tries;
	struct bdev_req rq;
	struct bdev_buf vec[BDEV_NR_IOVEC];
	struct bdev_grants gr;
	bdev_callback_t cb;
	void *param;
};

static struct asyn_call calls[BDEV_ASYN_MAX];

static bdev_id_t
asyn_id(const struct asyn_call *c)
{
	return (bdev_id_t)(((unsigned)c->gen << 8) | (unsigned)(c - calls));
}

static struct asyn_call *
asyn_by_id(uint64_t id)
{
	unsigned slot = id & 0xff;

	if (id > 0xffff || slot >= BDEV_ASYN_MAX || !calls[slot].used ||
	    calls[slot].gen != (id >> 8))
		return NULL;
	return &calls[slot];
}

/* End call c with result r: free its slot first, so the callback may reuse it. */
static void
asyn_finish(struct asyn_call *c, int64_t r)
{
	bdev_callback_t cb = c->cb;
	void *param = c->param;
	bdev_t dev = c->rq.dev;
	bdev_id_t id = asyn_id(c);

	revoke_grants(&c->gr);
	c->used = false;
	if (cb)
		cb(dev, id, r, param);
}

/* Send call c (again) to its driver's current endpoint, with new grants. */
static void
asyn_send(struct asyn_call *c)
{
	struct driver *d = driver_of(c->rq.dev);
	message m;
	int r;

	revoke_grants(&c->gr);
	if (++c->tries > BDEV_DRIVER_TRIES) {
		asyn_finish(c, -EDEADSRCDST);
		return;
	}
	build_message(&c->rq, (uint64_t)asyn_id(c), &m);
	if ((r = make_grants(&c->rq, d->endpt, &c->gr, &m.m_bdev)) < 0 ||
	    (r = asynsend(d->endpt, &m)) < 0)
		asyn_finish(c, r);
}

static void
asyn_resend_all(struct driver *d)
{
	for (int i = 0; i < BDEV_ASYN_MAX; i++)
		if (calls[i].used && driver_of(calls[i].rq.dev) == d)
			asyn_send(&calls[i]);
}

static bdev_id_t
asyn_start(int type, bdev_t dev, uint64_t pos, const struct bdev_buf *vec, unsigned count,
	   bool vector, int flags, bdev_callback_t cb, void *param)
{
	struct asyn_call *c = NULL;

	if (!driver_of(dev))
		return -ENXIO;
	if (count == 0 || count > BDEV_NR_IOVEC)
		return -EINVAL;
	for (int i = 0; i < BDEV_ASYN_MAX && !c; i++)
		if (!calls[i].used)
			c = &calls[i];
	if (!c)
		return -ENOSPC;
	c->used = true;
	c->gen++;
	c->tries = 0;
	c->cb = cb;
	c->param = param;
	c->gr.n = 0;
	c->gr.vec_grant = GRANT_INVALID;
	memcpy(c->vec, vec, count * sizeof(vec[0]));
	c->rq = (struct bdev_req){ .type = type,
				   .dev = dev,
				   .pos = pos,
				   .flags = flags,
				   .vec = c->vec,
				   .count = count,
				   .vector = vector };
	bdev_id_t id = asyn_id(c);

	asyn_send(c);
	return id; /* a failed send has already run the callback */
}

bdev_id_t
bdev_read_asyn(bdev_t dev, uint64_t pos, void *buf, size_t len, int flags, bdev_callback_t cb,
	       void *param)
{
	struct bdev_buf b = { buf, len };

	return asyn_start(BDEV_READ, dev, pos, &b, 1, false, flags, cb, param);
}

bdev_id_t
bdev_write_asyn(bdev_t dev, uint64_t pos, const void *buf, size_t len, int flags,
		bdev_callback_t cb, void *param)
{
	struct bdev_buf b = { (void *)buf, len };

	return asyn_start(BDEV_WRITE, dev, pos, &b, 1, false, flags, cb, param);
}

bdev_id_t
bdev_gather_asyn(bdev_t dev, uint64_t pos, const struct bdev_buf *vec, unsigned count, int flags,
		 bdev_callback_t cb, void *param)
{
	return asyn_start(BDEV_GATHER, dev, pos, vec, count, true, flags, cb, param);
}

bdev_id_t
bdev_scatter_asyn(bdev_t dev, uint64_t pos, const struct bdev_buf *vec, unsigned count, int flags,
		  bdev_callback_t cb, void *param)
{
	return asyn_start(BDEV_SCATTER, dev, pos, vec, count, true, flags, cb, param);
}

void
bdev_reply_asyn(const message *m)
{
	struct asyn_call *c = asyn_by_id(m->m_bdev_reply.id);
	struct driver *d;

	if (m->m_type != BDEV_REPLY || !c)
		return;
	d = driver_of(c->rq.dev);
	if (m->m_source != d->endpt)
		return; /* from a dead instance: the request went again */
	if (m->m_bdev_reply.status == -ERESTART) {
		/*
		 * Restarted in place: reopen, and this request goes again.  If
		 * the driver died meanwhile, recover() resends every request.
		 */
		if (reopen_all(d) == 0)
			asyn_send(c);
		else if (recover(d) < 0)
			asyn_finish(c, -EDEADSRCDST);
		return;
	}
	asyn_finish(c, m->m_bdev_reply.status);
}

int
bdev_wait_asyn(bdev_id_t id)
{
	struct asyn_call *c = asyn_by_id((uint64_t)(uint32_t)id);
	struct driver *d;
	uint64_t status;
	message m;
	int r;

	if (id < 0)
		return -EINVAL;
	if (!c)
		return 0; /* done already */
	d = driver_of(c->rq.dev);
	while (asyn_by_id((uint64_t)id) == c) {
		r = ipc_receive(d->endpt, &m, &status);
		if (r == -EDEADSRCDST) {
			if (recover(d) < 0) {
				for (int i = 0; i < BDEV_ASYN_MAX; i++)
					if (calls[i].used && driver_of(calls[i].rq.dev) == d)
						asyn_finish(&calls[i], -EDEADSRCDST);
			}
		} else if (r < 0) {
			return r;
		} else if (!ipc_status_is_notify(status)) {
			bdev_reply_asyn(&m);
		}
	}
	return 0;
}
