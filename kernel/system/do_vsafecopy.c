/*
 * VSAFECOPY: up to VSCP_MAX safecopies in one call.  Reads:
 * m_sys_vsafecopy.vec_addr, .count: an array of struct vscp_vec in the
 * caller.  In each element exactly one of v_src and v_dst is SELF (the
 * caller's v_addr); the other names the grant's owner: v_src an owner means
 * copy from the grant (GRANT_READ), v_dst an owner means copy into it
 * (GRANT_WRITE).
 *
 * Every element is checked and its grant verified before anything is
 * copied, so a bad element (EINVAL, or the grant errors of grant.c) leaves
 * all memory as it was; the copies then run in order, and only a missing
 * page, or a grant revoked meanwhile, can stop them part-way.
 *
 * Bounded work (system.h): each entry copies at most KCALL_WORK_BYTES,
 * verifying the grant of each piece again, and the call resumes after the
 * r_done bytes of the vector (in element order) already copied.
 */
#include "system.h"
#include "grant.h"
#include "vm.h"

/* Kernel calls never nest, so one set of buffers serves every call. */
static struct vscp_vec vec[VSCP_MAX];
static struct grant_target target[VSCP_MAX];

static uint32_t
element_access(const struct vscp_vec *v)
{
	if (v->v_src == SELF && v->v_dst != SELF)
		return GRANT_WRITE;
	if (v->v_dst == SELF && v->v_src != SELF)
		return GRANT_READ;
	return 0;
}

static int
verify_element(struct proc *caller, const struct vscp_vec *v, struct grant_target *t)
{
	uint32_t access = element_access(v);
	endpoint_t owner = access == GRANT_READ ? v->v_src : v->v_dst;

	if (!access)
		return -EINVAL;
	return grant_verify(owner, caller->p_endpoint, v->v_grant, v->v_offset, v->v_bytes, access,
			    t);
}

/* Copy this entry's share, from r_done bytes into the vector on. */
static int
copy_share(struct proc *caller, uint32_t count)
{
	uint64_t skip = caller->p_resume.r_done, budget = KCALL_WORK_BYTES;
	int r;

	for (uint32_t i = 0; i < count; i++) {
		const struct vscp_vec *v = &vec[i];
		uint32_t access = element_access(v);
		uint64_t done = skip < v->v_bytes ? skip : v->v_bytes, before = done;

		skip -= done;
		if (done == v->v_bytes)
			continue;
		if (!access)
			return -EINVAL; /* the vector changed under the call */
		if (budget == 0)
			return EKCALL_AGAIN;
		r = grant_copy_share(caller, access == GRANT_READ ? v->v_src : v->v_dst, v->v_grant,
				     v->v_offset, v->v_addr, v->v_bytes, access, &done, budget);
		if (r < 0)
			return r;
		caller->p_resume.r_done += done - before;
		budget -= done - before;
		if (done < v->v_bytes)
			return EKCALL_AGAIN;
	}
	return 0;
}

int
do_vsafecopy(struct proc *caller, message *m)
{
	uint32_t count = m->m_sys_vsafecopy.count;
	int r;

	if (count > VSCP_MAX)
		return -EINVAL;
	if ((r = vm_copy_from_user(caller, vec, m->m_sys_vsafecopy.vec_addr,
				   count * sizeof(vec[0]))) < 0)
		return r;
	for (uint32_t i = 0; caller->p_resume.r_done == 0 && i < count; i++)
		if ((r = verify_element(caller, &vec[i], &target[i])) < 0)
			return r;
	return copy_share(caller, count);
}
