/*
 * Memory quotas (see quota.h): the one check every growth of a user
 * address space goes through before it maps anything, so that a refusal
 * leaves the process as it was (callers: brk, do_brk.c, and program
 * loading, exec.c), and the lending of a limit out of the setter's own
 * (privctl SET by a process that is not a root; proc_clear gives it back).
 */
#include "quota.h"
#include "priv.h"
#include "frame.h"
#include "authority.h"

static uint64_t
limit_of(const struct proc *p)
{
	return p->p_priv ? p->p_priv->s_mem_limit : PRIV_MEM_DEFAULT;
}

/* Bytes p may still take or lend: its limit less what it holds and lent. */
static uint64_t
unused(const struct proc *p)
{
	uint64_t taken = (uint64_t)p->p_pages * FRAME_SIZE + p->p_mem_lent;

	return limit_of(p) > taken ? limit_of(p) - taken : 0;
}

/* At worst, n new pages also need new page tables at each of three levels. */
size_t
quota_frames_needed(size_t pages)
{
	return pages + pages / 512 + pages / (512 * 512) + 6;
}

/*
 * May p's address space take `pages` more pages?  Its limit counts the
 * pages themselves and what it lent (page tables are the kernel's, at most
 * 1/512 more); the free frames must cover the worst case, and only when
 * `reserve` (a root's call) also the frames kept for restarts.  0 or
 * -ENOMEM.
 */
size_t quota_reserve_frames = QUOTA_RESERVE_MAX;

/* The reserve, from the frames the kernel kept at boot (quota.h). */
void
quota_init(size_t kept)
{
	quota_reserve_frames = kept / 16 < QUOTA_RESERVE_MAX ? kept / 16 : QUOTA_RESERVE_MAX;
}

int
quota_may_map(const struct proc *p, size_t pages, bool reserve)
{
	size_t keep = reserve ? 0 : QUOTA_RESERVE_FRAMES;

	if (pages > unused(p) / FRAME_SIZE)
		return -ENOMEM;
	if (frame_free_count() < keep || frame_free_count() - keep < quota_frames_needed(pages))
		return -ENOMEM;
	return 0;
}

/*
 * May `from` lend `bytes` to `to`?  A root lends without limit; anyone
 * else out of what it does not use, counting back what `to` already
 * borrowed from it (a new limit replaces the old).  0 or -EPERM.
 */
int
quota_may_lend(const struct proc *from, const struct proc *to, uint64_t bytes)
{
	uint64_t back = to->p_mem_lender == from->p_endpoint ? to->p_mem_borrowed : 0;

	if (auth_is_root(from))
		return 0;
	return bytes <= unused(from) + back ? 0 : -EPERM;
}

/* `to` now borrows `bytes` from `from` (checked), instead of what it had. */
void
quota_lend(struct proc *from, struct proc *to, uint64_t bytes)
{
	quota_release(to);
	if (auth_is_root(from))
		return;
	from->p_mem_lent += bytes;
	to->p_mem_lender = from->p_endpoint;
	to->p_mem_borrowed = bytes;
}

/* Give back what p borrowed, if its lender is still there. */
void
quota_release(struct proc *p)
{
	struct proc *lender;

	if (p->p_mem_lender != NONE && proc_lookup(p->p_mem_lender, &lender) == 0)
		lender->p_mem_lent -= p->p_mem_borrowed < lender->p_mem_lent ? p->p_mem_borrowed
									     : lender->p_mem_lent;
	p->p_mem_lender = NONE;
	p->p_mem_borrowed = 0;
}
