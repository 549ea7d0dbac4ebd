/*
 * Synchronous client calls of the character protocol (cdev_client.h).
 */
#include "cdev_client.h"
#include <string.h>
#include <ax/ioctl.h>
#include <ax/termios.h>

static cdev_id_t next_id = 1;
static uint64_t bound_prompt = CDEV_BOUND_TICKS; /* cdev_set_bounds() */
static uint64_t bound_suspendable;

void
cdev_set_bounds(uint64_t prompt, uint64_t suspendable)
{
	bound_prompt = prompt;
	bound_suspendable = suspendable;
}

/* A read, write or ioctl the driver may suspend (it waits for input, say). */
static bool
suspendable(const message *m)
{
	return (m->m_type == CDEV_READ || m->m_type == CDEV_WRITE || m->m_type == CDEV_IOCTL) &&
	       !(m->m_cdev.flags & CDEV_NONBLOCK);
}

static void
request(message *m, int type, devminor_t minor)
{
	memset(m, 0, sizeof(*m));
	m->m_type = type;
	m->m_cdev.minor = minor;
	m->m_cdev.id = next_id++;
	m->m_cdev.user = self_endpoint;
	m->m_cdev.grant = GRANT_INVALID;
}

int64_t
cdev_call(endpoint_t driver, message *m)
{
	cdev_id_t id = m->m_cdev.id;
	int r = ipc_sendrec_bounded(driver, m, suspendable(m) ? bound_suspendable : bound_prompt);

	if (r < 0)
		return r;
	if (m->m_type < 0) /* not understood at all */
		return m->m_type;
	if (m->m_type != CDEV_REPLY || m->m_cdev_reply.id != id)
		return -EIO; /* a protocol error of the driver's */
	return m->m_cdev_reply.status;
}

int64_t
cdev_open(endpoint_t driver, devminor_t minor, int access)
{
	message m;

	request(&m, CDEV_OPEN, minor);
	m.m_cdev.access = (uint32_t)access;
	return cdev_call(driver, &m);
}

int64_t
cdev_close(endpoint_t driver, devminor_t minor)
{
	message m;

	request(&m, CDEV_CLOSE, minor);
	return cdev_call(driver, &m);
}

static int64_t
transfer(endpoint_t driver, int type, devminor_t minor, uint64_t pos, void *buf, size_t len,
	 int flags, int access)
{
	grant_id_t g = cpf_grant_direct(driver, buf, len, access);
	message m;
	int64_t r;

	if (g < 0)
		return g;
	request(&m, type, minor);
	m.m_cdev.pos = pos;
	m.m_cdev.count = len;
	m.m_cdev.flags = (uint32_t)flags;
	m.m_cdev.grant = g;
	r = cdev_call(driver, &m); /* the reply overwrites m */
	cpf_revoke(g);
	return r;
}

int64_t
cdev_read(endpoint_t driver, devminor_t minor, uint64_t pos, void *buf, size_t len, int flags)
{
	return transfer(driver, CDEV_READ, minor, pos, buf, len, flags, GRANT_WRITE);
}

int64_t
cdev_write(endpoint_t driver, devminor_t minor, uint64_t pos, const void *buf, size_t len,
	   int flags)
{
	return transfer(driver, CDEV_WRITE, minor, pos, (void *)buf, len, flags, GRANT_READ);
}

int64_t
cdev_ioctl(endpoint_t driver, devminor_t minor, unsigned request_code, void *arg)
{
	unsigned dir = _IOC_DIR(request_code);
	size_t size = _IOC_SIZE(request_code);
	grant_id_t g = GRANT_INVALID;
	int access = 0;
	message m;
	int64_t r;

	/* Linux's terminal codes carry no size or direction: look them up. */
	if (dir == _IOC_NONE) {
		uint32_t tty_size;

		if (tty_ioctl_arg(request_code, &dir, &tty_size))
			size = tty_size;
	}
	/* The caller's view: _IOC_WRITE means the driver reads our argument. */
	if (dir & _IOC_WRITE)
		access |= GRANT_READ;
	if (dir & _IOC_READ)
		access |= GRANT_WRITE;
	if (access && size > 0 && (g = cpf_grant_direct(driver, arg, size, access)) < 0)
		return g;
	request(&m, CDEV_IOCTL, minor);
	m.m_cdev.request = request_code;
	m.m_cdev.grant = g;
	r = cdev_call(driver, &m);
	if (g != GRANT_INVALID)
		cpf_revoke(g);
	return r;
}

int
cdev_select(endpoint_t driver, devminor_t minor, unsigned ops)
{
	message m;
	int r;

	request(&m, CDEV_SELECT, minor);
	m.m_cdev.ops = ops;
	/* Bounded as every prompt request: a driver that never answers must not hang its client. */
	if ((r = ipc_sendrec_bounded(driver, &m, bound_prompt)) < 0)
		return r;
	if (m.m_type < 0)
		return m.m_type;
	if (m.m_type != CDEV_SEL1_REPLY || m.m_cdev_select_reply.minor != minor)
		return -EIO;
	return m.m_cdev_select_reply.status;
}
