/*
 * A program's image in a user process, built by PM and VM
 * (include/ax/vm.h, docs/processes.md section 4).  pm_build_image() is
 * what comes after exec's point of no return: VM gives the process a
 * fresh space (VM_NEWMEM); a file's segments come from VM's page cache
 * (VM_MAP_FILE: shared frames, nothing copied), and only when VM lacks a
 * page are the segment's bytes read and handed to the cache; otherwise
 * (a boot module, an odd layout) each region of the plan (libexec) is
 * mapped populated and writable, the segments' bytes are copied in
 * through a magic grant, then each region gets its own rights; the heap begins
 * above them (VM_SETBRK); the stack is a region of EXEC_STACK_SIZE whose
 * top holds the initial stack (present: VM_POPULATE, at least
 * STACK_PRESENT bytes); the kernel call exec sets rip and rsp.  Every page
 * is VM's.  execve and PM_START (exec.c's pm_exec_boot: an empty slot
 * from sys_spawn without an image) both come here.
 */
#include "pm.h"
#include "exec.h"
#include <libexec.h>
#include <vm_build.h>
#include <string.h>
#include <stdio.h>

#define STACK_PRESENT (64 * 1024) /* the stack's top bytes present from the start */

static endpoint_t vm_endpt = NONE;

/* m to VM, its answer in m: 0 or -E. */
static int
vm_request(message *m)
{
	int r;

	if (vm_endpt == NONE && sys_lookup("vm", &vm_endpt) < 0)
		return -ENOSYS;
	if ((r = ipc_sendrec(vm_endpt, m)) < 0) {
		vm_endpt = NONE; /* a restarted VM: look it up again next time */
		return r;
	}
	return m->m_type;
}

/* A request to VM about process e: 0 or -E. */
int
pm_vm_call(int type, endpoint_t e, uint64_t addr, uint64_t len, uint32_t prot, uint32_t flags)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_type = type;
	m.m_vm_request.endpt = e;
	m.m_vm_request.addr = addr;
	m.m_vm_request.len = len;
	m.m_vm_request.prot = prot;
	m.m_vm_request.flags = flags;
	return vm_request(&m);
}

/* VM_INFO: VM's counts of frames (sysinfo). */
int
pm_vm_info(struct msg_vm_reply *out)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_type = VM_INFO;
	if ((r = vm_request(&m)) == 0)
		*out = m.m_vm_reply;
	return r;
}

/* VM_FORK: child (made empty by sys_fork) gets parent's space, copy-on-write. */
int
pm_vm_fork(endpoint_t parent, endpoint_t child)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_type = VM_FORK;
	m.m_vm_request.endpt = parent;
	m.m_vm_request.child = child;
	return vm_request(&m);
}

/*
 * May the plan's segments come from VM's page cache?  Each region must be
 * exactly one segment's pages (no page shared by two segments, whose
 * bytes would come from two places), its file bytes within 32-bit
 * offsets of the region (include/ax/vm.h's file fields), its address and
 * offset equal modulo the page size.
 */
static bool
file_mappable(const struct exec_elf *plan)
{
	if (plan->nr_regions != plan->nr_segments)
		return false;
	for (int i = 0; i < plan->nr_segments; i++) {
		const struct exec_segment *s = &plan->seg[i];
		const struct exec_region *rg = &plan->region[i];

		if (rg->start != (s->vaddr & ~(uint64_t)(EXEC_PAGE - 1)) ||
		    s->vaddr - rg->start + s->filesz > rg->end - rg->start ||
		    s->vaddr - rg->start + s->filesz > UINT32_MAX ||
		    (s->offset & (EXEC_PAGE - 1)) != (s->vaddr & (EXEC_PAGE - 1)))
			return false;
	}
	return true;
}

/*
 * Region i of the plan from the page cache of file (VM_MAP_FILE); if VM
 * lacks a page, the segment's bytes are copied in by copy_seg and VM
 * caches them (VM_PROT_CACHE).  0 or -E.
 */
static int
map_file_region(endpoint_t e, const struct exec_elf *plan, int i, uint64_t file,
		exec_copy_fn *copy_seg, void *arg)
{
	const struct exec_region *rg = &plan->region[i];
	const struct exec_segment *s = &plan->seg[i];
	struct msg_vm_request rq;
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_type = VM_MAP;
	vm_file_request(&m.m_vm_request, e, rg, s, file, VM_MAP_FILE);
	rq = m.m_vm_request;
	if ((r = vm_request(&m)) != VM_MAP_FILL)
		return r;
	if ((r = copy_seg(e, s, arg)) < 0)
		return r;
	memset(&m, 0, sizeof(m));
	m.m_type = VM_PROTECT;
	m.m_vm_request = rq;
	m.m_vm_request.flags = VM_PROT_CACHE;
	return vm_request(&m);
}

/* The plan's regions populated and writable, the segments copied in, then their rights. */
static int
map_copied_regions(endpoint_t e, const struct exec_elf *plan, exec_copy_fn *copy_seg, void *arg)
{
	int r;

	for (int i = 0; i < plan->nr_regions; i++) {
		const struct exec_region *rg = &plan->region[i];

		if ((r = pm_vm_call(VM_MAP, e, rg->start, rg->end - rg->start,
				    LX_PROT_READ | LX_PROT_WRITE, VM_MAP_POPULATE)) < 0)
			return r;
	}
	for (int i = 0; i < plan->nr_segments; i++)
		if ((r = copy_seg(e, &plan->seg[i], arg)) < 0)
			return r;
	for (int i = 0; i < plan->nr_regions; i++) {
		const struct exec_region *rg = &plan->region[i];

		if ((r = pm_vm_call(VM_PROTECT, e, rg->start, rg->end - rg->start,
				    exec_lx_prot(rg->prot), 0)) < 0)
			return r;
	}
	return 0;
}

int
pm_build_image(endpoint_t e, const char *name, const struct exec_elf *plan, uint64_t file,
	       exec_copy_fn *copy_seg, void *arg, const uint8_t *stack, size_t stack_len)
{
	uint64_t present = (stack_len + EXEC_PAGE - 1) & ~(uint64_t)(EXEC_PAGE - 1);
	int r = 0;

	if (present < STACK_PRESENT)
		present = STACK_PRESENT;
	if (stack_len > EXEC_STACK_SIZE || present > EXEC_STACK_SIZE)
		return -E2BIG;
	if ((r = pm_vm_call(VM_NEWMEM, e, 0, 0, 0, 0)) < 0)
		return r;
	if (file && file_mappable(plan)) {
		for (int i = 0; i < plan->nr_regions && r == 0; i++)
			r = map_file_region(e, plan, i, file, copy_seg, arg);
	} else {
		r = map_copied_regions(e, plan, copy_seg, arg);
	}
	if (r < 0)
		return r;
	if ((r = pm_vm_call(VM_SETBRK, e, plan->brk, 0, 0, 0)) < 0 ||
	    (r = pm_vm_call(VM_MAP, e, EXEC_STACK_TOP - EXEC_STACK_SIZE, EXEC_STACK_SIZE,
			    LX_PROT_READ | LX_PROT_WRITE | (plan->exec_stack ? LX_PROT_EXEC : 0),
			    VM_MAP_STACK)) < 0 ||
	    (r = pm_vm_call(VM_POPULATE, e, EXEC_STACK_TOP - present, present, 0, VM_POP_WRITE)) <
		    0 ||
	    (r = magic_copy_to(e, EXEC_STACK_TOP - stack_len, stack, stack_len)) < 0)
		return r;
	return sys_exec(e, name, plan->entry, EXEC_STACK_TOP - stack_len);
}
