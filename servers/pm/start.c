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
 * is VM's.
 *
 * pm_start_image() is PM_START's way in: the program is a boot module in
 * PM's memory, its slot is made empty (sys_spawn without an image), and
 * its stack holds its name and words as argv, no environment, and the
 * auxiliary vector.
 */
#include "pm.h"
#include "exec.h"
#include <libexec.h>
#include <string.h>
#include <stdio.h>

#define STACK_PRESENT (64 * 1024) /* the stack's top bytes present from the start */
#define START_ARGS    (PM_PROGRAM_LEN + PM_ARGS_LEN)

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
	    (r = pm_vm_call(VM_POPULATE, e, EXEC_STACK_TOP - present, present, 0,
			    VM_POP_WRITE)) < 0 ||
	    (r = pm_copy_in(e, EXEC_STACK_TOP - stack_len, stack, stack_len)) < 0)
		return r;
	return sys_exec(e, plan->entry, EXEC_STACK_TOP - stack_len);
}

/* PM_START's segments: from the module in PM's memory. */
static int
copy_from_module(endpoint_t e, const struct exec_segment *s, void *arg)
{
	return pm_copy_in(e, s->vaddr, (const uint8_t *)arg + s->offset, s->filesz);
}

int
pm_start_image(endpoint_t e, int32_t pid, const uint8_t *img, size_t size, const char *name,
	       const char *args)
{
	static const struct exec_space space = {
		.lo = 0x10000,
		.hi = EXEC_STACK_TOP - EXEC_STACK_SIZE - EXEC_STACK_GAP,
		.pie_base = 0x555555554000,
		.linux_rules = false, /* boot modules are copied, not mapped */
	};
	static struct exec_elf plan;
	static uint8_t stack[EXEC_PAGE];
	char argv[START_ARGS + 2];
	uint8_t rnd[EXEC_RANDOM_BYTES];
	struct exec_stack_args a;
	size_t len = 0;
	uint64_t sp;
	const char *why;
	int argc = 0, r;

	if ((r = exec_elf_image(img, size, &space, &plan, &why)) < 0) {
		printf("pm: %s: %s\n", name, why);
		return r;
	}
	/* argv: the name, then the words of args, packed. */
	len = strlcpy(argv, name, sizeof(argv)) + 1;
	argc = 1;
	for (const char *s = args; *s;) {
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		while (*s && *s != ' ' && len < sizeof(argv) - 1)
			argv[len++] = *s++;
		argv[len++] = '\0';
		argc++;
	}
	exec_random_bytes(rnd, pid);
	memset(&a, 0, sizeof(a));
	a.argv = argv;
	a.argv_len = len;
	a.argc = argc;
	a.envp = "";
	a.execfn = name;
	a.random = rnd;
	a.phdr = plan.phdr;
	a.phnum = plan.phnum;
	a.entry = plan.entry;
	if ((r = exec_stack_build(&a, EXEC_STACK_TOP, stack, sizeof(stack), &sp)) < 0)
		return r;
	return pm_build_image(e, &plan, copy_from_module, (void *)img,
			      stack + sizeof(stack) - (EXEC_STACK_TOP - sp), EXEC_STACK_TOP - sp);
}
