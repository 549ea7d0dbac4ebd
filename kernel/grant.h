/*
 * Grant verification and safecopy (grant.c).  A grant table lives in its
 * owner's memory (include/ax/grant.h); the kernel only remembers where
 * (proc.h: p_grant_table, p_grant_entries, in the program half) and reads the
 * entries it needs on every copy, so revocation takes effect at once.
 *
 * Entry points: grant_verify (where may `grantee` copy, for this grant?),
 * grant_copy (a whole safecopy: verify, then copy), used by the SAFECOPYFROM,
 * SAFECOPYTO and VSAFECOPY handlers.
 */
#ifndef KERNEL_GRANT_H
#define KERNEL_GRANT_H

#include "proc.h"
#include <ax/grant.h>

/* Where a verified grant's bytes are: a range in one process's space. */
struct grant_target {
	struct proc *gt_proc;
	vir_addr_t gt_addr;
};

int grant_verify(endpoint_t owner, endpoint_t grantee, grant_id_t id, uint64_t offset,
		 uint64_t bytes, uint32_t access, struct grant_target *out);
int grant_copy_verified(struct proc *caller, const struct grant_target *t, vir_addr_t addr,
			uint64_t bytes, uint32_t access);
int grant_copy(struct proc *caller, endpoint_t owner, grant_id_t id, uint64_t offset,
	       vir_addr_t addr, uint64_t bytes, uint32_t access); /* or EKCALL_AGAIN */
int grant_copy_share(struct proc *caller, endpoint_t owner, grant_id_t id, uint64_t offset,
		     vir_addr_t addr, uint64_t bytes, uint32_t access, uint64_t *done,
		     uint64_t budget);

#endif
