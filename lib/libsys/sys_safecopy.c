/*
 * Wrappers for KCALL_SETGRANT, KCALL_SAFECOPYFROM, KCALL_SAFECOPYTO and
 * KCALL_VSAFECOPY.  The caller of a safecopy is always the grantee; `owner`
 * must be the endpoint the grant came from, which for a request is its
 * m_source and never a field of its body (the confused-deputy rule).
 */
#include "libsys.h"
#include <string.h>

int
sys_setgrant(const grant_entry_t *table, size_t entries)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_sys_setgrant.addr = (uint64_t)table;
	m.m_sys_setgrant.entries = entries;
	return kernel_call(KCALL_SETGRANT, &m);
}

static int
safecopy(int type, endpoint_t owner, grant_id_t grant, uint64_t offset, void *addr, size_t bytes)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_sys_safecopy.owner = owner;
	m.m_sys_safecopy.grant = grant;
	m.m_sys_safecopy.offset = offset;
	m.m_sys_safecopy.addr = (uint64_t)addr;
	m.m_sys_safecopy.bytes = bytes;
	return kernel_call(type, &m);
}

/* Copy bytes at offset of owner's grant into addr. */
int
sys_safecopyfrom(endpoint_t owner, grant_id_t grant, uint64_t offset, void *addr, size_t bytes)
{
	return safecopy(KCALL_SAFECOPYFROM, owner, grant, offset, addr, bytes);
}

/* Copy bytes from addr into owner's grant at offset. */
int
sys_safecopyto(endpoint_t owner, grant_id_t grant, uint64_t offset, const void *addr, size_t bytes)
{
	return safecopy(KCALL_SAFECOPYTO, owner, grant, offset, (void *)addr, bytes);
}

/*
 * A string of len bytes from owner's grant into buf (len + 1 bytes): the
 * bytes copied, a NUL put after them, and -EINVAL if one of them is a NUL
 * (a name or path never holds one; the sender gives lengths without it).
 * Bounds on len are the caller's: each protocol has its own limit and error.
 */
int
sys_safecopystr(endpoint_t owner, grant_id_t grant, char *buf, size_t len)
{
	int r;

	if ((r = sys_safecopyfrom(owner, grant, 0, buf, len)) < 0)
		return r;
	buf[len] = '\0';
	return memchr(buf, '\0', len) ? -EINVAL : 0;
}

/* count safecopies; in each element exactly one of v_src and v_dst is SELF. */
int
sys_vsafecopy(const struct vscp_vec *vec, size_t count)
{
	message m;

	if (count > UINT32_MAX)
		return -EINVAL;
	memset(&m, 0, sizeof(m));
	m.m_sys_vsafecopy.vec_addr = (uint64_t)vec;
	m.m_sys_vsafecopy.count = (uint32_t)count;
	return kernel_call(KCALL_VSAFECOPY, &m);
}
