/*
 * Memory quotas (see quota.h): the one check every growth of a user
 * address space goes through before it maps anything, so that a refusal
 * leaves the process as it was.  Callers: brk (do_brk.c) and program
 * loading (exec.c, for boot processes and sys_spawn).
 */
#include "quota.h"
#include "priv.h"
#include "frame.h"

/* At worst, n new pages also need new page tables at each of three levels. */
size_t
quota_frames_needed(size_t pages)
{
	return pages + pages / 512 + pages / (512 * 512) + 6;
}

/*
 * May p's address space take `pages` more pages?  Its limit counts the
 * pages themselves (page tables are the kernel's, at most 1/512 more); the
 * free frames must cover the worst case, and only when `reserve` (a root's
 * call) also the frames kept for restarts.  0 or -ENOMEM.
 */
int
quota_may_map(const struct proc *p, size_t pages, bool reserve)
{
	uint64_t limit = p->p_priv ? p->p_priv->s_mem_limit : PRIV_MEM_DEFAULT;
	size_t keep = reserve ? 0 : QUOTA_RESERVE_FRAMES;

	if (pages > limit / FRAME_SIZE || p->p_pages > limit / FRAME_SIZE - pages)
		return -ENOMEM;
	if (frame_free_count() < keep || frame_free_count() - keep < quota_frames_needed(pages))
		return -ENOMEM;
	return 0;
}
