/*
 * Requests to RS (include/ax/rs.h) for administrators: the service command
 * and the tests.  rs_request() names a service by label; the reply's
 * payload (endpoint, restarts) goes to *reply when given.
 */
#include "libsys.h"
#include <ax/rs.h>
#include <string.h>

int
rs_request(int request, const char *label, struct msg_rs_reply *reply)
{
	endpoint_t rs;
	message m;
	int r;

	if ((r = sys_lookup("rs", &rs)) < 0)
		return r;
	memset(&m, 0, sizeof(m));
	m.m_type = request;
	strlcpy(m.m_rs_request.label, label, sizeof(m.m_rs_request.label));
	if ((r = ipc_sendrec(rs, &m)) < 0)
		return r;
	if (reply)
		*reply = m.m_rs_reply;
	return m.m_type;
}
