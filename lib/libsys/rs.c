/*
 * Requests to RS (include/ax/rs.h) for administrators: the service command
 * and the tests.  rs_request() names a service by label; the reply's
 * payload (endpoint, restarts) goes to *reply when given.  rs_update()
 * live-updates a service and returns when the update is over;
 * rs_update_send() only asks.
 */
#include "libsys.h"
#include <ax/rs.h>
#include <string.h>

/* A request to RS and its reply, in *m; the reply's status, or the IPC error. */
static int
rs_call(message *m)
{
	endpoint_t rs;
	int r;

	if ((r = sys_lookup("rs", &rs)) < 0)
		return r;
	if ((r = ipc_sendrec(rs, m)) < 0)
		return r;
	return m->m_type;
}

int
rs_request(int request, const char *label, struct msg_rs_reply *reply)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_type = request;
	strlcpy(m.m_rs_request.label, label, sizeof(m.m_rs_request.label));
	r = rs_call(&m);
	if (r >= 0 && reply)
		*reply = m.m_rs_reply;
	return r;
}

static void
update_request(message *m, const char *label, const char *program, int state, uint32_t maxtime,
	       uint32_t flags)
{
	memset(m, 0, sizeof(*m));
	m->m_type = RS_UPDATE;
	strlcpy(m->m_rs_update.label, label, sizeof(m->m_rs_update.label));
	strlcpy(m->m_rs_update.program, program, sizeof(m->m_rs_update.program));
	m->m_rs_update.state = state;
	m->m_rs_update.maxtime = maxtime;
	m->m_rs_update.flags = flags;
}

/* Live-update `label` to boot module `program`; returns when it is over. */
int
rs_update(const char *label, const char *program, int state, uint32_t maxtime, uint32_t flags)
{
	message m;

	update_request(&m, label, program, state, maxtime, flags);
	return rs_call(&m);
}

/*
 * The same request, without waiting: RS's answer comes later as a message
 * from RS (m_type 0, or the error that made it roll back).
 */
int
rs_update_send(const char *label, const char *program, int state, uint32_t maxtime, uint32_t flags)
{
	endpoint_t rs;
	message m;
	int r;

	if ((r = sys_lookup("rs", &rs)) < 0)
		return r;
	update_request(&m, label, program, state, maxtime, flags);
	return ipc_send(rs, &m);
}
