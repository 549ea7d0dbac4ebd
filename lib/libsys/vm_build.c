/*
 * A program from a boot module built through VM (vm_build.h): the requests
 * PM's exec makes (servers/pm/start.c, include/ax/vm.h), for a slot whose
 * image is a boot module read in place.  Used by RS for the services it
 * starts once VM runs (servers/rs/vmspawn.c) and by the test runner for
 * its test processes (tests/guest/testrun.c).
 */
#include "vm_build.h"
#include <ax/vm.h>
#include <string.h>

const struct exec_space vm_build_space = {
	.lo = EXEC_PAGE,
	.hi = VM_BUILD_STACK_TOP - VM_BUILD_STACK_SIZE,
	.pie_base = 0x555555554000,
	.linux_rules = false,
};

int
vm_build_call(endpoint_t vm, int type, endpoint_t e, uint64_t addr, uint64_t len, uint32_t prot,
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

/*
 * The initial stack as the kernel's setup_stack builds it: argc, argv[],
 * NULL, an empty environment, an empty auxiliary vector, then the strings
 * (argv[0] = name, the rest args split at spaces).  Written to buf (its
 * top is VM_BUILD_STACK_TOP); *sp the stack pointer.  0 or -E2BIG.
 */
static int
build_stack(const char *name, const char *args, uint8_t *buf, size_t cap, uint64_t *sp)
{
	char words[SPAWN_ARGS_MAX]; /* as the kernel's spawn */
	char *argv[VM_BUILD_MAX_ARGS + 1];
	uint64_t vec[VM_BUILD_MAX_ARGS + 6];
	size_t top = cap;
	int argc = 0, n = 0;

	if (strlcpy(words, args ? args : "", sizeof(words)) >= sizeof(words))
		return -E2BIG;
	argv[argc++] = (char *)name;
	for (char *s = words; *s;) {
		while (*s == ' ')
			*s++ = '\0';
		if (!*s)
			break;
		if (argc == VM_BUILD_MAX_ARGS + 1)
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
		vec[n++] = VM_BUILD_STACK_TOP - cap + top;
	}
	vec[n++] = 0; /* end of argv */
	vec[n++] = 0; /* end of envp */
	vec[n++] = 0; /* AT_NULL */
	vec[n++] = 0;
	top = (top - n * sizeof(uint64_t)) & ~(size_t)15;
	memcpy(buf + top, vec, n * sizeof(uint64_t));
	*sp = VM_BUILD_STACK_TOP - cap + top;
	return 0;
}

void
vm_file_request(struct msg_vm_request *rq, endpoint_t e, const struct exec_region *rg,
		const struct exec_segment *sg, uint64_t file, uint32_t flags)
{
	memset(rq, 0, sizeof(*rq));
	rq->endpt = e;
	rq->addr = rg->start;
	rq->len = rg->end - rg->start;
	rq->prot = exec_lx_prot(rg->prot);
	rq->flags = flags;
	rq->child = NONE;
	rq->file = file;
	rq->file_off = sg->offset & ~(uint64_t)(EXEC_PAGE - 1);
	rq->file_lo = (uint32_t)(sg->vaddr - rg->start);
	rq->file_end = (uint32_t)(sg->vaddr - rg->start + sg->filesz);
}

/* A request about region rg of e filled by segment sg of the boot module `key` (VM's cache). */
static int
file_call(endpoint_t vm, int type, endpoint_t e, const struct exec_region *rg,
	  const struct exec_segment *sg, uint64_t key, uint32_t flags)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_type = type;
	vm_file_request(&m.m_vm_request, e, rg, sg, key, flags);
	if ((r = ipc_sendrec(vm, &m)) < 0)
		return r;
	return m.m_type;
}

/*
 * The segment whose bytes fill region rg, if its pages can be the boot
 * module's own, shared by every instance of the program: rg is read-only,
 * no other segment has bytes in it, and the segment's address and file
 * offset agree modulo the page (lib/libsys/proc.ld links every system
 * process so).  NULL: the region is copied.
 */
static const struct exec_segment *
shared_segment(const struct exec_elf *plan, const struct exec_region *rg)
{
	const struct exec_segment *found = NULL;

	if (rg->prot & EXEC_PROT_W)
		return NULL;
	for (int i = 0; i < plan->nr_segments; i++) {
		const struct exec_segment *s = &plan->seg[i];

		if (s->filesz == 0 || s->vaddr >= rg->end || s->vaddr + s->filesz <= rg->start)
			continue;
		if (found || s->vaddr < rg->start || s->vaddr + s->filesz > rg->end ||
		    ((s->vaddr - s->offset) & (EXEC_PAGE - 1)) != 0)
			return NULL;
		found = s;
	}
	return found;
}

enum { COPIED, SHARED, FILLED }; /* how a region was made */

/*
 * The plan's regions, the segments' bytes in, then each region's rights.
 * A read-only region of a boot module this process maps in place
 * (key: VM_FILE_MODULE | its index, 0 if it is none) is mapped from VM's
 * page cache (VM_MAP_FILE, present at once); if the cache lacks a page
 * (VM_MAP_FILL), it is filled as any region and handed to the cache
 * (VM_PROT_CACHE) for the next instance.  Every other region is mapped
 * populated and writable, copied into, and given its rights.
 */
static int
build_segments(endpoint_t vm, endpoint_t e, const uint8_t *image, const struct exec_elf *plan,
	       uint64_t key)
{
	const struct exec_segment *by[EXEC_MAX_SEGMENTS];
	int how[EXEC_MAX_SEGMENTS];
	int r;

	for (int i = 0; i < plan->nr_regions; i++) {
		const struct exec_region *rg = &plan->region[i];

		by[i] = key ? shared_segment(plan, rg) : NULL;
		how[i] = COPIED;
		if (by[i]) {
			if ((r = file_call(vm, VM_MAP, e, rg, by[i], key,
					   VM_MAP_FILE | VM_MAP_POPULATE)) < 0)
				return r;
			how[i] = r == VM_MAP_FILL ? FILLED : SHARED;
		} else if ((r = vm_build_call(vm, VM_MAP, e, rg->start, rg->end - rg->start,
					      LX_PROT_READ | LX_PROT_WRITE, VM_MAP_POPULATE,
					      NONE)) < 0) {
			return r;
		}
	}
	for (int i = 0; i < plan->nr_segments; i++) {
		const struct exec_segment *s = &plan->seg[i];
		bool shared = false;

		for (int k = 0; k < plan->nr_regions; k++)
			shared |= by[k] == s && how[k] == SHARED;
		if (!shared && (r = magic_copy_to(e, s->vaddr, image + s->offset, s->filesz)) < 0)
			return r;
	}
	for (int i = 0; i < plan->nr_regions; i++) {
		const struct exec_region *rg = &plan->region[i];

		if (how[i] == FILLED)
			r = file_call(vm, VM_PROTECT, e, rg, by[i], key, VM_PROT_CACHE);
		else if (how[i] == COPIED)
			r = vm_build_call(vm, VM_PROTECT, e, rg->start, rg->end - rg->start,
					  exec_lx_prot(rg->prot), 0, NONE);
		else
			r = 0;
		if (r < 0)
			return r;
	}
	return 0;
}

/* VM's cache key of a boot module this process maps in place, or 0 (copied). */
static uint64_t
module_key(const void *image)
{
	int ix = sys_mapimage_index(image);

	return ix < 0 ? 0 : VM_FILE_MODULE | (uint64_t)ix;
}

int
vm_build_image(endpoint_t vm, endpoint_t e, const char *name, const char *args, const void *image,
	       const struct exec_elf *plan)
{
	return vm_build_image_heap(vm, e, name, args, image, plan, false);
}

/*
 * e's memlimit as the kernel has it in e's privileges, which its builder
 * gave before building (RS's memlimit= of a service, the default for a
 * boot process, none for a root): VM_NEWMEM's len, so that VM keeps it;
 * 0 for none.
 */
static uint64_t
mem_limit_of(endpoint_t e)
{
	struct msg_sys_privinfo info;

	if (sys_getpriv(e, &info) < 0 || info.mem_limit == PRIV_MEM_UNLIMITED)
		return 0;
	return info.mem_limit;
}

int
vm_build_image_heap(endpoint_t vm, endpoint_t e, const char *name, const char *args,
		    const void *image, const struct exec_elf *plan, bool kernel_heap)
{
	static uint8_t stack[4096];
	uint64_t sp;
	int r;

	memset(stack, 0, sizeof(stack));
	if ((r = build_stack(name, args, stack, sizeof(stack), &sp)) < 0 ||
	    (r = vm_build_call(vm, VM_NEWMEM, e, 0, mem_limit_of(e), 0, 0, NONE)) < 0 ||
	    (r = build_segments(vm, e, image, plan, module_key(image))) < 0)
		return r;
	if ((r = vm_build_call(vm, VM_MAP, e, VM_BUILD_STACK_TOP - VM_BUILD_STACK_SIZE,
			       VM_BUILD_STACK_SIZE,
			       LX_PROT_READ | LX_PROT_WRITE | (plan->exec_stack ? LX_PROT_EXEC : 0),
			       VM_MAP_POPULATE | VM_MAP_STACK, NONE)) < 0 ||
	    (r = magic_copy_to(e, VM_BUILD_STACK_TOP - sizeof(stack), stack, sizeof(stack))) < 0)
		return r;
	if (kernel_heap)
		return sys_exec_brk(e, name, plan->entry, sp, plan->brk); /* the kernel's brk */
	if ((r = vm_build_call(vm, VM_SETBRK, e, plan->brk, 0, 0, 0, NONE)) < 0)
		return r;
	return sys_exec_brk(e, name, plan->entry, sp, 0); /* no kernel heap: VM_BRK */
}
