/*
 * VMCTL: the VM server's mapping interface (docs/processes.md section 5).
 * Reads: m_sys_vmctl (op, endpt, va, pa, src, pages, flags).  Writes:
 * m_sys_vmctl_reply for GETMEM.
 *
 * Only the process registered as the VM class of Linux calls may use it
 * (EPERM), and only on a live user process (the shared user slot) or a
 * service whose space VM made (MF_VM_SPACE): NEWAS makes one of a service
 * RS holds before its first run (RTS_NO_PRIV), and marks it so; any other
 * system process is EPERM (its memory is the kernel's).  The
 * kernel keeps the mechanism alone: the page-table walk and the tables'
 * own pages, which it allocates from what it keeps: all user processes
 * together at most vm_pt_budget (a quarter of what the kernel kept at
 * boot), one process at most half of that, and never the last
 * QUOTA_RESERVE_FRAMES (ENOMEM): sparse mappings cannot starve the system
 * processes, and a dense one of all VM's memory fits (2 MiB per table).  Frames
 * must be VM's (frame_is_vm: those frame_split gave it at boot), pages
 * aligned and in the user half (EINVAL).  Regions, rights policy,
 * allocation and sharing are VM's.
 *
 *   GETMEM   range `pages` (an index) of VM's physical memory: base, end.
 *            Only the first VM that asks gets it (EBUSY for any other): a
 *            restarted VM would hand out frames that are in use.
 *   NEWAS    a fresh empty space for endpt; the old one is destroyed (the
 *            kernel's frames in it are freed, VM's are left to VM).
 *   MAP      frame pa at va, with VMCTL_F_WRITE/EXEC; VMCTL_F_ZERO zeroes
 *            the frame first, VMCTL_F_COPY copies frame src into it first.
 *   UNMAP    `pages` pages from va (at most VMCTL_MAX_PAGES per call).
 *   PROTECT  the rights of the mapped pages among `pages` from va.
 */
#include "system.h"
#include "linux.h"
#include "frame.h"
#include "quota.h"
#include "vm.h"

static endpoint_t mem_holder; /* the VM that took the memory map (GETMEM) */

#define VMCTL_MAX_PAGES 4096 /* per UNMAP or PROTECT call: the call stays short */

static bool
page_aligned(uint64_t a)
{
	return (a & (FRAME_SIZE - 1)) == 0;
}

static int
user_target(endpoint_t e, int op, struct proc **pp)
{
	struct proc *p;
	int r;

	if ((r = proc_lookup(e, &p)) < 0)
		return r;
	if (proc_is_kernel(p) || !p->p_priv || p->p_arch.cr3 == 0)
		return -EPERM;
	if (!linux_is_user(p) && !(p->p_misc_flags & MF_VM_SPACE) &&
	    !(op == VMCTL_NEWAS && (p->p_rts_flags & RTS_NO_PRIV)))
		return -EPERM;
	*pp = p;
	return 0;
}

/*
 * The kernel's frames p's tables may not take: the reserve kept for a
 * root's restarts (quota.h) is closed to user processes, open to a
 * service RS has VM build (its start or restart, as RS's kernel spawn).
 */
static size_t
reserve_for(const struct proc *p)
{
	return linux_is_user(p) ? QUOTA_RESERVE_FRAMES : 0;
}

/* VM's frames are VM's to free; one of the kernel's (never mapped by VM) goes back. */
static void
unmap_page(struct proc *p, vir_addr_t va)
{
	phys_addr_t f = arch_as_unmap(p->p_arch.cr3, va);

	if (f != AS_NO_PAGE && !frame_is_vm(f)) {
		frame_free(f);
		p->p_pages--;
	}
}

static int
vmctl_map(struct proc *p, const struct msg_sys_vmctl *rq)
{
	unsigned rights = AS_VM | (rq->flags & VMCTL_F_WRITE ? AS_WRITE : 0) |
			  (rq->flags & VMCTL_F_EXEC ? AS_EXEC : 0);
	int made;

	if (!page_aligned(rq->pa) || !frame_is_vm(rq->pa))
		return -EINVAL;
	if ((rq->flags & VMCTL_F_COPY) && (!page_aligned(rq->src) || !frame_is_vm(rq->src)))
		return -EINVAL;
	if (vm_pt_used + 3 > vm_pt_budget || p->p_pt_pages + 3 > vm_pt_budget / 2 ||
	    frame_free_count() < reserve_for(p) + 3)
		return -ENOMEM;
	if (rq->flags & VMCTL_F_COPY)
		memcpy(phys_to_virt(rq->pa), phys_to_virt(rq->src), FRAME_SIZE);
	else if (rq->flags & VMCTL_F_ZERO)
		memset(phys_to_virt(rq->pa), 0, FRAME_SIZE);
	vm_tlb_forget(p);
	if ((made = arch_as_map(p->p_arch.cr3, rq->va, rq->pa, rights)) < 0)
		return made;
	p->p_pt_pages += (uint32_t)made;
	vm_pt_used += (size_t)made;
	return 0;
}

int
do_vmctl(struct proc *caller, message *m)
{
	struct msg_sys_vmctl rq = m->m_sys_vmctl;
	struct proc *p;
	phys_addr_t base, end;
	int r;

	if (!linux_is_owner(caller, LX_OWNER_VM))
		return -EPERM;
	if (rq.op == VMCTL_GETMEM) {
		/* One VM gets the memory: a restarted one cannot know what is in use. */
		if (mem_holder == 0)
			mem_holder = caller->p_endpoint;
		if (mem_holder != caller->p_endpoint)
			return -EBUSY;
		if ((r = frame_vm_range((int)(rq.pages > 1024 ? 1024 : rq.pages), &base, &end)) < 0)
			return r;
		memset(&m->m_sys_vmctl_reply, 0, sizeof(m->m_sys_vmctl_reply));
		m->m_sys_vmctl_reply.base = base;
		m->m_sys_vmctl_reply.end = end;
		return 0;
	}
	if ((r = user_target(rq.endpt, rq.op, &p)) < 0)
		return r;
	if (rq.op == VMCTL_NEWAS) {
		if (frame_free_count() < reserve_for(p) + 1)
			return -ENOMEM;
		vm_destroy(p);
		if ((r = vm_create(p)) == 0)
			p->p_misc_flags |= MF_VM_SPACE;
		return r;
	}
	if (!page_aligned(rq.va) || rq.va >= ARCH_USER_TOP)
		return -EINVAL;
	switch (rq.op) {
	case VMCTL_MAP:
		return vmctl_map(p, &rq);
	case VMCTL_UNMAP:
	case VMCTL_PROTECT:
		if (rq.pages > VMCTL_MAX_PAGES || rq.pages > (ARCH_USER_TOP - rq.va) / FRAME_SIZE)
			return -EINVAL;
		vm_tlb_forget(p);
		for (uint64_t i = 0; i < rq.pages; i++) {
			vir_addr_t va = rq.va + i * FRAME_SIZE;

			if (rq.op == VMCTL_UNMAP)
				unmap_page(p, va);
			else
				(void)arch_as_protect(
					p->p_arch.cr3, va,
					(rq.flags & VMCTL_F_WRITE ? AS_WRITE : 0) |
						(rq.flags & VMCTL_F_EXEC ? AS_EXEC : 0));
		}
		return 0;
	default:
		return -EINVAL;
	}
}
