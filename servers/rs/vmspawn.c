/*
 * Services' memory from VM (docs/processes.md section 5, "services'
 * memory from VM"; include/ax/vm.h).  Once VM runs, RS has it build a
 * service's image instead of the kernel: the slot is made empty (spawn
 * without an image, as PM's PM_START does), gets its privileges (so RS is
 * its signal manager), and then the same requests PM's exec uses
 * (servers/pm/start.c): VM_NEWMEM, each region of libexec's plan mapped
 * populated and writable, the segments' bytes copied in from the boot
 * module RS maps read-only through a magic grant, VM_PROTECT to each
 * region's rights, a stack of STACK_SIZE mapped whole with argc and argv
 * as the kernel lays them out (kernel/exec.c), and the kernel call exec.
 * Every page is present before the service runs: the kernel writes
 * messages into a system process's memory at any time and cannot wait for
 * VM there.  The heap is VM's too: it begins above the segments
 * (VM_SETBRK), the kernel gives the process none (exec's brk 0), and
 * libsys's brk asks VM (VM_BRK, every page present at once); so every
 * service may send to VM (rs_set_priv adds it to a narrow ipc list).
 *
 * The lifecycle: a death is VM_EXIT before sys_clear (rs_release), and
 * every swap of two programs by the kernel's update (a live update, its
 * roll-back, a stateful restart) is VM_SWAP first (rs_update_swap), so
 * VM's bookkeeping follows the spaces.  VM is asked only while it runs
 * (RP_RUNNING): not while it starts (it is in its init handshake with RS,
 * and the two would wait on each other), is updated, or is down; then the
 * kernel builds the image, as for the services started before VM, VM's
 * own new version and the replica.  RS's and DS's new versions too: the
 * replica restarts them with the kernel's spawn into, which knows nothing
 * of VM.
 */
#include "rs.h"
#include <ax/vm.h>
#include <libexec.h>
#include <string.h>
#include <stdio.h>

#define STACK_TOP  0x00007ffffffff000ull /* kernel/exec.h's USER_STACK_TOP */
#define STACK_SIZE (16 * 1024)           /* ... and USER_STACK_SIZE: do_brk.c keeps below */
#define MAX_ARGS   16                    /* kernel/exec.h's EXEC_MAX_ARGS */

/* Where a service's image may lie: as the kernel's exec_kernel_space. */
static const struct exec_space service_space = {
	.lo = EXEC_PAGE,
	.hi = STACK_TOP - STACK_SIZE,
	.pie_base = 0x555555554000,
	.linux_rules = false,
};

/* VM's endpoint if it runs and may be asked now, else NONE. */
static endpoint_t
vm_now(void)
{
	struct rproc *vm = rs_by_label("vm");
	endpoint_t e;

	if (!vm || vm->state != RP_RUNNING || vm->endpt == NONE || sys_lookup("vm", &e) < 0 ||
	    e != vm->endpt)
		return NONE;
	return e;
}

/* A request to VM about e (and child): 0 or -E. */
static int
vm_call(endpoint_t vm, int type, endpoint_t e, uint64_t addr, uint64_t len, uint32_t prot,
	uint32_t flags, endpoint_t child)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_type = type;
	m.m_vm_request.endpt = e;
	m.m_vm_request.addr = addr;
	m.m_vm_request.len = len;
	m.m_vm_request.prot = prot;
	m.m_vm_request.flags = flags;
	m.m_vm_request.child = child;
	if ((r = ipc_sendrec(vm, &m)) < 0)
		return r;
	return m.m_type;
}

/* len bytes of buf to addr in e (mapped writable there), through a magic grant. */
static int
copy_to(endpoint_t e, uint64_t addr, const void *buf, size_t len)
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

/*
 * The initial stack as the kernel's setup_stack builds it: argc, argv[],
 * NULL, an empty environment, an empty auxiliary vector, then the strings;
 * argv[0] is the label, the rest rp's arguments split at spaces.  Written
 * to buf (its top is STACK_TOP); *sp the stack pointer.  0 or -E2BIG.
 */
static int
build_stack(const struct rproc *rp, uint8_t *buf, size_t cap, uint64_t *sp)
{
	char args[sizeof(rp->args)];
	char *argv[MAX_ARGS + 1];
	uint64_t vec[MAX_ARGS + 6];
	size_t top = cap;
	int argc = 0, n = 0;

	strlcpy(args, rp->args, sizeof(args));
	argv[argc++] = (char *)rp->label;
	for (char *s = args; *s;) {
		while (*s == ' ')
			*s++ = '\0';
		if (!*s)
			break;
		if (argc == MAX_ARGS + 1)
			return -E2BIG;
		argv[argc++] = s;
		while (*s && *s != ' ')
			s++;
	}
	vec[n++] = (uint64_t)argc;
	for (int i = 0; i < argc; i++) {
		size_t len = strlen(argv[i]) + 1;

		if (len > top - 512)
			return -E2BIG;
		top -= len;
		memcpy(buf + top, argv[i], len);
		vec[n++] = STACK_TOP - cap + top;
	}
	vec[n++] = 0; /* end of argv */
	vec[n++] = 0; /* end of envp */
	vec[n++] = 0; /* AT_NULL */
	vec[n++] = 0;
	top = (top - n * sizeof(uint64_t)) & ~(size_t)15;
	memcpy(buf + top, vec, n * sizeof(uint64_t));
	*sp = STACK_TOP - cap + top;
	return 0;
}

/* rp's image into e (empty, held, RS its manager) by VM, and started there: 0 or -E. */
static int
build(endpoint_t vm, const struct rproc *rp, const uint8_t *image, const struct exec_elf *plan,
      endpoint_t e)
{
	static uint8_t stack[4096];
	uint64_t sp;
	int r;

	if ((r = vm_call(vm, VM_NEWMEM, e, 0, 0, 0, 0, NONE)) < 0)
		return r;
	for (int i = 0; i < plan->nr_regions; i++) {
		const struct exec_region *rg = &plan->region[i];

		if ((r = vm_call(vm, VM_MAP, e, rg->start, rg->end - rg->start,
				 LX_PROT_READ | LX_PROT_WRITE, VM_MAP_POPULATE, NONE)) < 0)
			return r;
	}
	for (int i = 0; i < plan->nr_segments; i++) {
		const struct exec_segment *s = &plan->seg[i];

		if ((r = copy_to(e, s->vaddr, image + s->offset, s->filesz)) < 0)
			return r;
	}
	for (int i = 0; i < plan->nr_regions; i++) {
		const struct exec_region *rg = &plan->region[i];

		if ((r = vm_call(vm, VM_PROTECT, e, rg->start, rg->end - rg->start,
				 lx_prot(rg->prot), 0, NONE)) < 0)
			return r;
	}
	memset(stack, 0, sizeof(stack));
	if ((r = build_stack(rp, stack, sizeof(stack), &sp)) < 0 ||
	    (r = vm_call(vm, VM_MAP, e, STACK_TOP - STACK_SIZE, STACK_SIZE,
			 LX_PROT_READ | LX_PROT_WRITE | (plan->exec_stack ? LX_PROT_EXEC : 0),
			 VM_MAP_POPULATE | VM_MAP_STACK, NONE)) < 0 ||
	    (r = copy_to(e, STACK_TOP - sizeof(stack), stack, sizeof(stack))) < 0)
		return r;
	if ((r = vm_call(vm, VM_SETBRK, e, plan->brk, 0, 0, 0, NONE)) < 0)
		return r;
	return sys_exec_brk(e, rp->label, plan->entry, sp, 0); /* no kernel heap: VM_BRK */
}

/*
 * A new, held instance of rp running `image` (its own, or a live update's
 * new version) built by VM, with its privileges (rs_set_priv);
 * -ENOSYS when VM cannot be asked now or the image is one the kernel
 * should judge (its diagnostics name what is wrong), or VM could not build
 * it (out of memory: the half-built instance is killed, reaped as a
 * stranger by rs_release): the caller then spawns through the kernel.
 */
int
rs_vm_spawn(struct rproc *rp, const uint8_t *image, size_t size, endpoint_t *e)
{
	struct exec_elf plan;
	const char *why;
	endpoint_t vm;
	int r;

	if (strcmp(rp->label, "vm") == 0 || strcmp(rp->label, "rs") == 0 ||
	    strcmp(rp->label, "ds") == 0 || !image || (vm = vm_now()) == NONE ||
	    exec_elf_image(image, size, &service_space, &plan, &why) < 0)
		return -ENOSYS;
	if ((r = sys_spawn_prio(NULL, 0, rp->label, NULL, rp->priority, e)) < 0)
		return r;
	if ((r = rs_set_priv(rp, *e)) < 0)
		return sys_kill(*e, SIGKILL), r;
	if ((r = build(vm, rp, image, &plan, *e)) < 0) {
		/* Reaped as a stranger (VM_EXIT, sys_clear); the kernel builds another. */
		printf("rs: VM could not build %s (%d): the kernel builds it\n", rp->label, r);
		sys_kill(*e, SIGKILL);
		return -ENOSYS;
	}
	return 0;
}

/* e has ended: VM frees the space it made for it, if any (before sys_clear). */
void
rs_vm_exit(endpoint_t e)
{
	endpoint_t vm = vm_now();

	if (vm != NONE && e != vm)
		(void)vm_call(vm, VM_EXIT, e, 0, 0, 0, 0, NONE);
}

/*
 * The kernel's update (sys_update) swapping the programs of a and b, VM's
 * bookkeeping of their spaces first (VM_SWAP), and back if the kernel
 * refuses.
 */
int
rs_update_swap(endpoint_t a, endpoint_t b, int flags)
{
	endpoint_t vm = vm_now();
	bool told = vm != NONE && a != vm && b != vm && vm_call(vm, VM_SWAP, a, 0, 0, 0, 0, b) == 0;
	int r;

	if ((r = sys_update(a, b, flags)) < 0 && told)
		(void)vm_call(vm, VM_SWAP, a, 0, 0, 0, 0, b);
	return r;
}
