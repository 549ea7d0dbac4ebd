/*
 * The shared dispatcher (dispatch.h): a request number to its handler
 * through a server's table, ENOSYS without one, and DEBUG_DUMP for every
 * table.
 */
#include "dispatch.h"
#include <ax/debug.h>
#include <string.h>

static int
do_debug_dump(const struct dispatch *d, endpoint_t caller, message *m)
{
	const struct msg_debug_dump rq = m->m_debug_dump;
	struct dump out = { .d_to = caller, .d_grant = rq.grant, .d_size = rq.size };

	if (rq.flags & ~DEBUG_NOREPLY)
		return -EINVAL;
	dump_run(&out, d->d_dump);
	if (rq.flags & DEBUG_NOREPLY)
		return EDONTREPLY;
	memset(&m->m_debug_dump_reply, 0, sizeof(m->m_debug_dump_reply));
	m->m_debug_dump_reply.len = out.d_len;
	return out.d_error;
}

int
dispatch(const struct dispatch *d, endpoint_t caller, message *m)
{
	int nr = m->m_type - d->d_base;

	if (m->m_type == DEBUG_DUMP)
		return do_debug_dump(d, caller, m);
	if (nr < 0 || nr >= d->d_count || d->d_calls[nr] == NULL)
		return -ENOSYS;
	return d->d_calls[nr](caller, m);
}

void
dispatch_reply(endpoint_t caller, message *m, int r)
{
	if (r == EDONTREPLY)
		return;
	m->m_type = r;
	ipc_sendnb(caller, m); /* the caller waits in SENDREC; never block a server */
}

void
dispatch_serve(const struct dispatch *d, endpoint_t caller, message *m)
{
	dispatch_reply(caller, m, dispatch(d, caller, m));
}
