/*
 * The process's grant table (include/ax/grant.h): a static array in its own
 * memory, registered with the kernel (sys_setgrant) the first time a grant
 * is made.  The kernel reads an entry on every safecopy, so filling one in
 * is all it takes to grant, and clearing it is all it takes to revoke.
 *
 *   cpf_grant_direct    a range of our memory, for one grantee (or ANY)
 *   cpf_grant_indirect  pass on a grant we received from `from`
 *   cpf_grant_magic     a range of another process (needs PRIV_MAGIC_GRANTS)
 *   cpf_revoke          end a grant at once
 *   cpf_reload          register the table again (after a sys_setgrant of
 *                       someone else's choosing, or a live update)
 *   cpf_table           the table itself, for a live update that carries
 *                       the grants in flight over (servers/vfs/lu.c)
 *
 * Entries are handed out lowest index first.  Revoking clears the entry and
 * then bumps its sequence, so the id of a revoked grant never matches the
 * entry's next use, and a fresh process's first grant is always id 0.
 */
#include "libsys.h"
#include <string.h>

/*
 * Enough for a block client's full I/O vector (BDEV_NR_IOVEC buffers and
 * the vector itself) with other grants still live beside it.
 */
#define NR_GRANTS 256

static grant_entry_t grant_table[NR_GRANTS];
static bool registered;

int
cpf_reload(void)
{
	int r = sys_setgrant(grant_table, NR_GRANTS);

	registered = r == 0;
	return r;
}

grant_entry_t *
cpf_table(size_t *entries)
{
	*entries = NR_GRANTS;
	return grant_table;
}

/* The lowest free entry, or -1 if none (or the table cannot be registered). */
static int
grant_alloc(void)
{
	if (!registered && cpf_reload() < 0)
		return -1;
	for (int i = 0; i < NR_GRANTS; i++)
		if (!(grant_table[i].cp_flags & GRANT_VALID))
			return i;
	return -1;
}

/* Fill in entry i (its sequence stays) and make it valid last. */
static grant_id_t
grant_set(int i, const grant_entry_t *g)
{
	grant_entry_t *e = &grant_table[i];

	e->cp_grantee = g->cp_grantee;
	e->cp_from = g->cp_from;
	e->cp_grant = g->cp_grant;
	e->cp_addr = g->cp_addr;
	e->cp_len = g->cp_len;
	__atomic_store_n(&e->cp_flags, g->cp_flags | GRANT_VALID, __ATOMIC_RELEASE);
	return grant_make_id(i, (int)e->cp_seq);
}

static bool
access_ok(int access)
{
	return access != 0 && (access & ~(GRANT_READ | GRANT_WRITE)) == 0;
}

/* grantee may read and/or write [addr, addr+len) of our memory. */
grant_id_t
cpf_grant_direct(endpoint_t grantee, const void *addr, size_t len, int access)
{
	grant_entry_t g = { .cp_flags = GRANT_DIRECT | (uint32_t)access,
			    .cp_grantee = grantee,
			    .cp_addr = (uint64_t)addr,
			    .cp_len = len };
	int i;

	if (!access_ok(access) || (i = grant_alloc()) < 0)
		return GRANT_INVALID;
	return grant_set(i, &g);
}

/*
 * grantee may use grant `grant` that `from` gave us, with the access that
 * grant allows.  Nothing is checked now; every use checks the whole chain.
 */
grant_id_t
cpf_grant_indirect(endpoint_t grantee, endpoint_t from, grant_id_t grant)
{
	grant_entry_t g = { .cp_flags = GRANT_INDIRECT | GRANT_READ | GRANT_WRITE,
			    .cp_grantee = grantee,
			    .cp_from = from,
			    .cp_grant = grant };
	int i;

	if ((i = grant_alloc()) < 0)
		return GRANT_INVALID;
	return grant_set(i, &g);
}

/* grantee may use [addr, addr+len) of process `from`; only privileged owners' work. */
grant_id_t
cpf_grant_magic(endpoint_t grantee, endpoint_t from, uint64_t addr, size_t len, int access)
{
	grant_entry_t g = { .cp_flags = GRANT_MAGIC | (uint32_t)access,
			    .cp_grantee = grantee,
			    .cp_from = from,
			    .cp_addr = addr,
			    .cp_len = len };
	int i;

	if (!access_ok(access) || (i = grant_alloc()) < 0)
		return GRANT_INVALID;
	return grant_set(i, &g);
}

/* End grant id: 0, or -EINVAL if it is not a live grant of ours. */
int
cpf_revoke(grant_id_t id)
{
	grant_entry_t *e;

	if (id < 0 || grant_index(id) >= NR_GRANTS)
		return -EINVAL;
	e = &grant_table[grant_index(id)];
	if (!(e->cp_flags & GRANT_VALID) || e->cp_seq != (uint32_t)grant_seq(id))
		return -EINVAL;
	__atomic_store_n(&e->cp_flags, 0, __ATOMIC_RELEASE);
	e->cp_seq = e->cp_seq >= GRANT_MAX_SEQ ? 0 : e->cp_seq + 1;
	return 0;
}

int
magic_copy_to(endpoint_t e, uint64_t addr, const void *buf, size_t len)
{
	grant_id_t g;
	int r;

	if (len == 0)
		return 0;
	if ((g = cpf_grant_magic(self_endpoint, e, addr, len, GRANT_WRITE)) == GRANT_INVALID)
		return -ENOMEM;
	r = sys_safecopyto(self_endpoint, g, 0, buf, len);
	cpf_revoke(g);
	return r;
}
