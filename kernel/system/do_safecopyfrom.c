/*
 * SAFECOPYFROM: the caller, as grantee, copies `bytes` at `offset` of grant
 * `grant` owned by `owner` into its own memory at `addr`.  The grant must
 * allow GRANT_READ.  Reads: m_sys_safecopy.owner, .grant, .offset, .addr,
 * .bytes.  Errors: see grant.c.
 */
#include "system.h"
#include "grant.h"

int
do_safecopyfrom(struct proc *caller, message *m)
{
	const struct msg_sys_safecopy *req = &m->m_sys_safecopy;

	return grant_copy(caller, req->owner, req->grant, req->offset, req->addr, req->bytes,
			  GRANT_READ);
}
