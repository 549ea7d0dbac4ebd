/*
 * driver: a helper process for the grant tests that behaves like a device
 * driver.  It receives requests from anyone (driver_proto.h) and copies
 * through the grants they name, always with the request's m_source as the
 * grant's owner, then replies with the result.  Two instances run, "driver"
 * and "driver2", so grants can be passed from one to the other.
 */
#include <libsys.h>
#include <string.h>
#include "driver_proto.h"

static uint8_t work[DRV_BUF_SIZE] __attribute__((aligned(4096)));
static uint8_t exposed[DRV_BUF_SIZE] __attribute__((aligned(4096)));

/* Does [off, off+len) fit in one of our buffers? */
static bool
fits(uint64_t off, uint64_t len)
{
	return off <= DRV_BUF_SIZE && len <= DRV_BUF_SIZE - off;
}

static void
set_peek(message *m, const uint8_t *p, uint64_t len)
{
	uint64_t first = 0;

	memcpy(&first, p, len < 8 ? len : 8);
	m->m_u64.v[0] = drv_checksum(p, len);
	m->m_u64.v[1] = first;
}

static int
do_read(endpoint_t owner, grant_id_t g, uint64_t off, uint64_t len, message *m)
{
	int r;

	if (!fits(0, len))
		return -EINVAL;
	memset(work, 0, len);
	r = sys_safecopyfrom(owner, g, off, work, len);
	set_peek(m, work, len);
	return r;
}

static int
do_write(endpoint_t owner, grant_id_t g, uint64_t off, uint64_t len, int byte)
{
	if (!fits(0, len))
		return -EINVAL;
	memset(work, byte, len);
	return sys_safecopyto(owner, g, off, work, len);
}

static int
do_vcopy(endpoint_t owner, grant_id_t src, grant_id_t dst, uint64_t len)
{
	struct vscp_vec v[2] = {
		{ .v_src = owner,
		  .v_dst = SELF,
		  .v_grant = src,
		  .v_addr = (uint64_t)work,
		  .v_bytes = len },
		{ .v_src = SELF,
		  .v_dst = owner,
		  .v_grant = dst,
		  .v_addr = (uint64_t)work,
		  .v_bytes = len },
	};

	if (!fits(0, len))
		return -EINVAL;
	return sys_vsafecopy(v, 2);
}

/* SENDREC target the command cmd with args; its reply replaces *m. */
static int
ask(endpoint_t target, int cmd, const uint64_t *args, int nargs, message *m)
{
	message req;
	int r;

	memset(&req, 0, sizeof(req));
	req.m_type = cmd;
	memcpy(req.m_u64.v, args, (size_t)nargs * sizeof(args[0]));
	if ((r = ipc_sendrec(target, &req)) < 0)
		return r;
	*m = req;
	return req.m_type;
}

static int
do_forward(endpoint_t owner, message *m)
{
	const uint64_t *v = m->m_u64.v;
	endpoint_t target = (endpoint_t)v[1];
	grant_id_t g = cpf_grant_indirect(target, owner, (grant_id_t)v[0]);
	uint64_t args[4] = { (uint64_t)g, v[3], v[4], v[5] };
	int r;

	if (g == GRANT_INVALID)
		return -ENOSPC;
	r = ask(target, (int)v[2], args, 4, m);
	cpf_revoke(g);
	m->m_u64.v[2] = (uint64_t)g;
	return r;
}

static int
grant_reply(grant_id_t g, message *m)
{
	m->m_u64.v[0] = (uint64_t)(int64_t)g;
	return g == GRANT_INVALID ? -ENOSPC : 0;
}

static int
do_peek(message *m)
{
	uint64_t off = m->m_u64.v[0], len = m->m_u64.v[1];

	if (!fits(off, len))
		return -EINVAL;
	set_peek(m, exposed + off, len);
	m->m_u64.v[2] = (uint64_t)exposed;
	return 0;
}

static int
do_exposed_grant(message *m)
{
	const uint64_t *v = m->m_u64.v;

	if (!fits(v[1], v[2]))
		return -EINVAL;
	return grant_reply(cpf_grant_direct((endpoint_t)v[0], exposed + v[1], v[2], (int)v[3]), m);
}

static int
do_fill(const message *m)
{
	const uint64_t *v = m->m_u64.v;

	if (!fits(v[0], v[1]))
		return -EINVAL;
	memset(exposed + v[0], (int)v[2], v[1]);
	return 0;
}

/* Carry out one request; the owner of any grant in it is its sender. */
static int
handle(message *m)
{
	endpoint_t from = m->m_source;
	const uint64_t *v = m->m_u64.v;

	switch (m->m_type) {
	case DRV_READ:
		return do_read(from, (grant_id_t)v[0], v[1], v[2], m);
	case DRV_WRITE:
		return do_write(from, (grant_id_t)v[0], v[1], v[2], (int)v[3]);
	case DRV_VCOPY:
		return do_vcopy(from, (grant_id_t)v[0], (grant_id_t)v[1], v[2]);
	case DRV_FORWARD:
		return do_forward(from, m);
	case DRV_READ_FOR:
		return do_read(from, (grant_id_t)v[1], v[2], v[3], m);
	case DRV_WRITE_FOR:
		return do_write(from, (grant_id_t)v[1], v[2], v[3], (int)v[4]);
	case DRV_GRANT:
		return do_exposed_grant(m);
	case DRV_REGRANT:
		return grant_reply(cpf_grant_indirect((endpoint_t)v[1], from, (grant_id_t)v[0]), m);
	case DRV_MAGIC:
		return grant_reply(
			cpf_grant_magic((endpoint_t)v[0], (endpoint_t)v[1], v[2], v[3], (int)v[4]),
			m);
	case DRV_REVOKE:
		return cpf_revoke((grant_id_t)v[0]);
	case DRV_ASK:
		return ask((endpoint_t)v[0], (int)v[1], &v[2], 5, m);
	case DRV_PEEK:
		return do_peek(m);
	case DRV_FILL:
		return do_fill(m);
	default:
		return -ENOSYS;
	}
}

int
main(int argc, char **argv)
{
	endpoint_t from;
	message m;
	uint64_t status;

	(void)argc;
	(void)argv;
	for (;;) {
		if (ipc_receive(ANY, &m, &status) < 0 || ipc_status_is_notify(status))
			continue;
		from = m.m_source;
		m.m_type = handle(&m);
		ipc_send(from, &m);
	}
}
