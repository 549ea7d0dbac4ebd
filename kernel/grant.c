/*
 * Grant verification: may `grantee` copy `bytes` at `offset` of grant `id`
 * owned by `owner`, with this access, and if so, from or to where?
 *
 * Every step reads the owner's entry from the owner's own memory and checks
 * it: owner alive, table registered, index in range, entry valid with the
 * id's sequence, grantee is us (or ANY), access bits allowed.  An indirect
 * entry sends us on to the grant it passes on, with the owner as the new
 * grantee; at most GRANT_MAX_DEPTH of them (ELOOP).  The last entry is
 * direct (a range of its owner's memory) or magic (a range of a third
 * process, only for owners with PRIV_MAGIC_GRANTS, or of a process its
 * owner builds through VM: builds()).
 *
 * The caller of a safecopy is always the grantee, and the owner is whoever
 * the caller names: a driver names its requester's m_source, so it can
 * never be made to use a third party's grant (the confused-deputy rule).
 *
 * Errors: -EINVAL malformed id or owner endpoint; -EDEADSRCDST the owner
 * (or a magic grant's process) is dead; -EPERM everything the owner did not
 * allow; -EFAULT outside the grant or unmapped memory; -ELOOP too deep.
 */
#include "grant.h"
#include "priv.h"
#include "system.h"
#include "vm.h"

/*
 * Everything here is inline into grant_verify: a safecopy's grant check is
 * most of an 8-byte copy (make bench's safecopy_8_insns).
 */
#define GRANT_INLINE static inline __attribute__((always_inline))

/* Entry `id` of owner's table: 0, or -EPERM if there is no such valid entry. */
GRANT_INLINE int
read_entry(struct proc *owner, grant_id_t id, grant_entry_t *g)
{
	size_t index = (size_t)grant_index(id);

	if (!owner->p_priv || owner->p_grant_entries == 0)
		return -EPERM;
	if (index >= owner->p_grant_entries)
		return -EPERM;
	if (vm_copy_from_table(owner, g, owner->p_grant_table + index * sizeof(*g), sizeof(*g)) < 0)
		return -EPERM; /* the owner's table, not the caller's fault */
	if (!(g->cp_flags & GRANT_VALID) || g->cp_seq != (uint32_t)grant_seq(id))
		return -EPERM;
	return 0;
}

/* The checks every entry on the way must pass. */
GRANT_INLINE int
check_entry(const grant_entry_t *g, endpoint_t grantee, uint32_t access)
{
	uint32_t type = g->cp_flags & (GRANT_DIRECT | GRANT_INDIRECT | GRANT_MAGIC);

	if (type != GRANT_DIRECT && type != GRANT_INDIRECT && type != GRANT_MAGIC)
		return -EPERM;
	if (g->cp_grantee != grantee && g->cp_grantee != ANY)
		return -EPERM;
	if ((g->cp_flags & access) != access)
		return -EPERM;
	return 0;
}

/*
 * Follow indirect entries from (owner, id) to the direct or magic entry at
 * the end; *g is that entry and *ownerp its owner.
 */
GRANT_INLINE int
resolve(endpoint_t owner_e, endpoint_t grantee, grant_id_t id, uint32_t access, grant_entry_t *g,
	struct proc **ownerp)
{
	int r;

	for (int hops = 0;; hops++) {
		if (id < 0)
			return -EINVAL;
		if ((r = proc_lookup(owner_e, ownerp)) < 0)
			return r;
		if ((r = read_entry(*ownerp, id, g)) < 0)
			return r;
		if ((r = check_entry(g, grantee, access)) < 0)
			return r;
		if (!(g->cp_flags & GRANT_INDIRECT))
			return 0;
		if (hops == GRANT_MAX_DEPTH)
			return -ELOOP;
		grantee = owner_e;
		owner_e = g->cp_from;
		id = g->cp_grant;
	}
}

/*
 * May `builder` make magic grants of p's memory without PRIV_MAGIC_GRANTS?
 * Only while it builds p's program through VM (libsys's vm_build_image):
 * p is a system process held before its first run (RTS_NO_PRIV), its
 * space VM's (MF_VM_SPACE), and builder its signal manager -- what the
 * kernel call exec asks too (docs/processes.md section 5).
 */
GRANT_INLINE bool
builds(const struct proc *builder, const struct proc *p)
{
	return p != builder && p->p_priv && p->p_priv != priv_user() &&
	       p->p_priv->s_sig_mgr == builder->p_endpoint && (p->p_misc_flags & MF_VM_SPACE) &&
	       (p->p_rts_flags & RTS_NO_PRIV);
}

/*
 * Requires access to be GRANT_READ (the grantee copies from the grant) or
 * GRANT_WRITE (into it).  On success *out names the process and address of
 * the grant's bytes at `offset`; nothing is copied.
 */
int
grant_verify(endpoint_t owner_e, endpoint_t grantee, grant_id_t id, uint64_t offset, uint64_t bytes,
	     uint32_t access, struct grant_target *out)
{
	grant_entry_t g;
	struct proc *owner;
	int r;

	if ((r = resolve(owner_e, grantee, id, access, &g, &owner)) < 0)
		return r;
	if (g.cp_flags & GRANT_MAGIC) {
		bool magic = owner->p_priv->s_flags & PRIV_MAGIC_GRANTS;
		const struct proc *builder = owner;

		if ((r = proc_lookup(g.cp_from, &owner)) < 0)
			return magic ? r : -EPERM;
		if (proc_is_kernel(owner) || (!magic && !builds(builder, owner)))
			return -EPERM;
	}
	if (offset > g.cp_len || bytes > g.cp_len - offset)
		return -EFAULT;
	out->gt_proc = owner;
	out->gt_addr = g.cp_addr + offset;
	return 0;
}

/* Copy between a verified target and the caller's addr, in access's direction. */
int
grant_copy_verified(struct proc *caller, const struct grant_target *t, vir_addr_t addr,
		    uint64_t bytes, uint32_t access)
{
	if (access == GRANT_READ)
		return vm_copy_proc(caller, addr, t->gt_proc, t->gt_addr, bytes);
	return vm_copy_proc(t->gt_proc, t->gt_addr, caller, addr, bytes);
}

/*
 * The next share of a copy of `bytes` at `offset` of a grant, *done of it
 * made already: at most `budget` bytes, verified again (the grant may have
 * been revoked since the last share).  Adds what it copied to *done.
 */
int
grant_copy_share(struct proc *caller, endpoint_t owner, grant_id_t id, uint64_t offset,
		 vir_addr_t addr, uint64_t bytes, uint32_t access, uint64_t *done, uint64_t budget)
{
	uint64_t n = bytes - *done < budget ? bytes - *done : budget;
	struct grant_target t;
	int r;

	if (*done > bytes || offset + *done < offset)
		return -EFAULT;
	r = grant_verify(owner, caller->p_endpoint, id, offset + *done, n, access, &t);
	if (r == 0)
		r = grant_copy_verified(caller, &t, addr + *done, n, access);
	if (r == 0)
		*done += n;
	return r;
}

/*
 * The usual safecopy in one pass: a direct grant of a live owner's, found
 * through the owner's table cache (TLB_TABLE), made to the caller (or
 * ANY), whose range holds the copy, nothing resumed and one share enough.
 * Its checks are resolve's and grant_verify's for that case, in the same
 * terms; when one of them fails, or the entry is not in the cached page,
 * it returns GRANT_SLOW having changed nothing, and the general path runs
 * (and gives the error).  The copy itself is vm_copy_proc's, whose result
 * is the call's.
 */
#define GRANT_SLOW 1

GRANT_INLINE int
grant_copy_direct(struct proc *caller, endpoint_t owner_e, grant_id_t id, uint64_t offset,
		  vir_addr_t addr, uint64_t bytes, uint32_t access)
{
	int slot = endpoint_slot(owner_e);
	size_t index = (size_t)grant_index(id);
	const grant_entry_t *g;
	struct proc *owner;
	int r;

	if (owner_e < 0 || slot == 0 || slot >= NR_SLOTS || id < 0 || bytes > KCALL_WORK_BYTES ||
	    caller->p_resume.r_done != 0)
		return GRANT_SLOW;
	owner = proc_addr(slot);
	if (owner->p_endpoint != owner_e || (owner->p_rts_flags & (RTS_SLOT_FREE | RTS_DYING)) ||
	    !owner->p_priv || index >= owner->p_grant_entries)
		return GRANT_SLOW;
	g = vm_user_ptr_in(owner, TLB_TABLE, owner->p_grant_table + index * sizeof(*g), sizeof(*g),
			   false);
	if (!g ||
	    (g->cp_flags & (GRANT_VALID | GRANT_DIRECT | GRANT_INDIRECT | GRANT_MAGIC | access)) !=
		    (GRANT_VALID | GRANT_DIRECT | access) ||
	    g->cp_seq != (uint32_t)grant_seq(id) ||
	    (g->cp_grantee != caller->p_endpoint && g->cp_grantee != ANY) || offset > g->cp_len ||
	    bytes > g->cp_len - offset)
		return GRANT_SLOW;
	if (access == GRANT_READ)
		r = vm_copy_proc(caller, addr, owner, g->cp_addr + offset, bytes);
	else
		r = vm_copy_proc(owner, g->cp_addr + offset, caller, addr, bytes);
	if (r == 0)
		caller->p_resume.r_done = bytes;
	return r;
}

/*
 * A whole safecopy for caller, the grantee, in shares of KCALL_WORK_BYTES
 * (system.h): the first entry verifies the whole range once and copies its
 * first share from that verification (an 8-byte copy reads the grant entry
 * once); each later entry verifies its share again before copying it.
 * 0, -E, or EKCALL_AGAIN while bytes remain.
 */
int
grant_copy(struct proc *caller, endpoint_t owner, grant_id_t id, uint64_t offset, vir_addr_t addr,
	   uint64_t bytes, uint32_t access)
{
	uint64_t *done = &caller->p_resume.r_done;
	uint64_t n = bytes < KCALL_WORK_BYTES ? bytes : KCALL_WORK_BYTES;
	struct grant_target t;
	int r;

	if ((r = grant_copy_direct(caller, owner, id, offset, addr, bytes, access)) != GRANT_SLOW)
		return r;
	if (*done > 0) {
		r = grant_copy_share(caller, owner, id, offset, addr, bytes, access, done,
				     KCALL_WORK_BYTES);
	} else if ((r = grant_verify(owner, caller->p_endpoint, id, offset, bytes, access, &t)) ==
			   0 &&
		   (r = grant_copy_verified(caller, &t, addr, n, access)) == 0) {
		*done = n;
	}
	TRACE(KCALL, "grant: %s(%d) grant %d of %d: %d\n", caller->p_name, caller->p_endpoint, id,
	      owner, r);
	return r == 0 && *done < bytes ? EKCALL_AGAIN : r;
}
