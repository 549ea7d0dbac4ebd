/*
 * A program's image in a user process, built by PM and VM
 * (include/ax/vm.h, docs/processes.md section 4).  pm_build_image() is
 * what comes after exec's point of no return: VM gives the process a
 * fresh space (VM_NEWMEM); each region of the plan (libexec) is mapped
 * populated and writable, the segments' bytes are copied in through a
 * magic grant, then each region gets its own rights; the heap begins
 * above them (VM_SETBRK); the stack is a region of EXEC_STACK_SIZE whose
 * top holds the initial stack (present: VM_POPULATE, at least
 * STACK_PRESENT bytes); the kernel call exec sets rip and rsp.  Every page
 * is VM's.  execve and PM_START (exec.c's pm_exec_boot: an empty slot
 * from sys_spawn without an image) both come here.
 */
#include "pm.h"
#include "exec.h"
#include <libexec.h>
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

int
pm_copy_in(endpoint_t e, uint64_t addr, const void *buf, size_t len)
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

static uint32_t
lx_prot(unsigned prot)
{
	return (prot & EXEC_PROT_R ? LX_PROT_READ : 0) | (prot & EXEC_PROT_W ? LX_PROT_WRITE : 0) |
	       (prot & EXEC_PROT_X ? LX_PROT_EXEC : 0);
}

int
pm_build_image(endpoint_t e, const struct exec_elf *plan, exec_copy_fn *copy_seg, void *arg,
	       const uint8_t *stack, size_t stack_len)
{
	uint64_t present = (stack_len + EXEC_PAGE - 1) & ~(uint64_t)(EXEC_PAGE - 1);
	int r;

	if (present < STACK_PRESENT)
		present = STACK_PRESENT;
	if (stack_len > EXEC_STACK_SIZE || present > EXEC_STACK_SIZE)
		return -E2BIG;
	if ((r = pm_vm_call(VM_NEWMEM, e, 0, 0, 0, 0)) < 0)
		return r;
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
				    lx_prot(rg->prot), 0)) < 0)
			return r;
	}
	if ((r = pm_vm_call(VM_SETBRK, e, plan->brk, 0, 0, 0)) < 0 ||
	    (r = pm_vm_call(VM_MAP, e, EXEC_STACK_TOP - EXEC_STACK_SIZE, EXEC_STACK_SIZE,
			    LX_PROT_READ | LX_PROT_WRITE | (plan->exec_stack ? LX_PROT_EXEC : 0),
			    VM_MAP_STACK)) < 0 ||
	    (r = pm_vm_call(VM_POPULATE, e, EXEC_STACK_TOP - present, present, 0, VM_POP_WRITE)) <
		    0 ||
	    (r = pm_copy_in(e, EXEC_STACK_TOP - stack_len, stack, stack_len)) < 0)
		return r;
	return sys_exec(e, plan->entry, EXEC_STACK_TOP - stack_len);
}
