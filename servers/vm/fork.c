/*
 * VM_FORK (include/ax/vm.h, docs/processes.md section 4): the child, whose
 * slot the kernel made with an empty space (sys_fork FORK_EMPTY_MEM),
 * gets a copy of the parent's space that shares every frame
 * copy-on-write: the same regions and break, each present frame one
 * reference more and mapped read-only in both (region.c's rights: a
 * shared frame is never writable); the first write on either side copies
 * it (page_fault_in).  A frame shared too often (frame_ref refuses) is
 * copied now.  From PM alone; on failure the child's space is freed and
 * PM fails the fork (-ENOMEM), the parent unchanged but for rights that a
 * fault restores.
 */
#include "vm.h"
#include <string.h>

struct fork_job {
	struct vmproc *child;
	int error;
};

/* Share (or copy) the present frames of [from, to) in the parent's leaf l. */
static void
share_leaf(struct vmproc *parent, struct leaf *l, uint64_t from, uint64_t to, void *arg)
{
	struct fork_job *job = arg;
	struct region *rg = region_find(parent, from);

	for (uint64_t va = from; va < to && !job->error; va += PAGE_SIZE) {
		uint32_t f = l->frame[(va >> PAGE_SHIFT) % LEAF_PAGES];
		uint64_t pa = (uint64_t)f << PAGE_SHIFT, copy;
		uint32_t *slot;
		struct leaf *cl;
		int r;

		if (!f)
			continue;
		if (!(slot = frame_slot(job->child, va, true))) {
			job->error = -ENOMEM;
			return;
		}
		cl = leaf_of(job->child, va);
		if (frame_ref(pa)) {
			/*
			 * PROT_NONE: referenced, mapped by the fault after an
			 * mprotect.  A file region's pages too are mapped at the
			 * child's first touch: a child that execs soon (a shell's)
			 * touches few of them.
			 */
			r = rg->prot == LX_PROT_NONE || (rg->flags & R_FILE)
				    ? 0
				    : map_page(job->child, va, pa, rg->prot, 0);
			if (r == 0 && (rg->prot & LX_PROT_WRITE))
				r = protect_page(parent, va, rg->prot & ~(uint32_t)LX_PROT_WRITE);
			if (r < 0) {
				frame_unref(pa);
				job->error = -ENOMEM;
				return;
			}
		} else {
			if (!(copy = frame_alloc(true)) ||
			    map_page_from(job->child, va, copy, rg->prot, pa) < 0) {
				if (copy)
					frame_unref(copy);
				job->error = -ENOMEM;
				return;
			}
			pa = copy;
		}
		*slot = (uint32_t)(pa >> PAGE_SHIFT);
		cl->used++;
		job->child->pages++;
		user_pages++;
	}
}

int
vm_fork(struct vmproc *parent, endpoint_t child_e)
{
	struct fork_job job = { NULL, 0 };
	int r;

	if ((r = space_new(child_e, &job.child)) < 0)
		return r;
	job.child->brk_base = parent->brk_base;
	job.child->brk_end = parent->brk_end;
	for (struct region *rg = parent->regions; rg; rg = rg->next)
		if ((r = region_add(job.child, rg->start, rg->end, rg->prot, rg->flags)) < 0) {
			space_drop(job.child);
			return r;
		}
	for_leaves(parent, 0, USER_TOP, share_leaf, &job);
	if (job.error) {
		space_drop(job.child);
		return job.error;
	}
	return 0;
}
