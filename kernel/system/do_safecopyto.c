/*
 * SAFECOPYTO: the caller, as grantee, copies `bytes` from its own memory at
 * `addr` into grant `grant` owned by `owner`, at `offset`.  The grant must
 * allow GRANT_WRITE.  Reads: m_sys_safecopy.owner, .grant, .offset, .addr,
 * .bytes.  Errors: see grant.c.
 */
#include "system.h"
#include "grant.h"

int
do_safecopyto(struct proc *caller, message *m)
{
	const struct msg_sys_safecopy *req = &m->m_sys_safecopy;

	return grant_copy(caller, req->owner, req->grant, req->offset, req->addr, req->bytes,
			  GRANT_WRITE);
}
