/*
 * VM, the memory manager of user processes (README.md, include/ax/vm.h,
 * docs/processes.md sections 4-5).  At start it takes the physical memory
 * the kernel handed over (alloc.c) and registers as the owner of the VM
 * class of Linux calls, which also gives it the kernel's mapping call
 * (vmctl) and the page faults of user processes.
 *
 * The messages: the Linux memory calls (linux.c), the kernel's
 * VM_PAGEFAULT and VM_MEMREQ (pagefault.c), the native requests of a
 * space's builder, its signal manager (here), and VFS's answers about a
 * file mmap (mmap.c), with the clock's alarm while one is held.  VM never
 * waits on anyone: its only requests (to VFS, for a file mmap) are
 * asynsends whose answers come through this loop, so PM and VFS may wait
 * on it.
 */
#include "vm.h"
#include <sef.h>
#include <string.h>
#include <stdio.h>

/*
 * May caller build or change the space of e?  Only e's signal manager may
 * (docs/processes.md section 5, "Who may build a space"), the rule the
 * kernel applies to the kernel call exec: PM for user processes, RS for
 * the services it starts, the replica for RS and DS, the test runner for
 * its test processes.  The kernel says who manages e now, so a manager
 * that was replaced (a restarted PM or RS) is none, and nobody builds
 * VM's own space.
 */
static bool
may_build(endpoint_t caller, endpoint_t e)
{
	struct msg_sys_privinfo info;

	return e != self_endpoint && e != caller && sys_getpriv(e, &info) == 0 &&
	       info.sig_mgr == caller;
}

/*
 * May caller build past the limit of the space it builds?  A root may (RS,
 * its replica, the test runner: an image is built whatever the limit, as
 * the kernel's spawn loads a root's); a builder that is not a root may not:
 * the limit is all it lent its child (kernel/quota.h), so the child's
 * memory stays within its own.  Asked only past a limit.
 */
static bool
may_pass_limit(endpoint_t caller)
{
	struct msg_sys_privinfo info;

	return sys_getpriv(caller, &info) == 0 && (info.flags & PRIV_FLAG_ROOT);
}

/* The manager's target: a space VM manages. */
static int
pm_target(endpoint_t caller, const message *m, struct vmproc **vpp)
{
	if (!may_build(caller, m->m_vm_request.endpt))
		return -EPERM;
	if (!(*vpp = vmproc_of(m->m_vm_request.endpt)))
		return -ESRCH;
	return 0;
}

/*
 * May caller (e's manager: pm_target) name this file?  VFS's file ids are
 * PM's alone (exec); a boot module's key is every other builder's (RS,
 * the replica, the test runner: they read the module they build from),
 * never PM's: neither can put pages under the other's keys.
 */
static bool
file_key_ok(endpoint_t caller, uint64_t file)
{
	endpoint_t pm;
	bool from_pm = sys_lookup("pm", &pm) == 0 && caller == pm;

	return (file & VM_FILE_MODULE) ? !from_pm : from_pm;
}

/* A page-aligned user range from the request. */
static int
req_range(const struct msg_vm_request *rq)
{
	if ((rq->addr & (PAGE_SIZE - 1)) || (rq->len & (PAGE_SIZE - 1)) || rq->len == 0 ||
	    rq->addr >= USER_TOP || rq->len > USER_TOP - rq->addr)
		return -EINVAL;
	return 0;
}

static int
do_exit(endpoint_t caller, message *m)
{
	struct vmproc *vp;
	int r;

	if ((r = pm_target(caller, m, &vp)) < 0)
		return r;
	space_drop(vp);
	return 0;
}

static int
do_fork(endpoint_t caller, message *m)
{
	struct vmproc *vp;
	int r;

	if ((r = pm_target(caller, m, &vp)) < 0)
		return r;
	if (m->m_vm_request.child == vp->endpt || vmproc_of(m->m_vm_request.child))
		return -EINVAL;
	if (!may_build(caller, m->m_vm_request.child))
		return -EPERM;
	return vm_fork(vp, m->m_vm_request.child);
}

static int
do_newmem(endpoint_t caller, message *m)
{
	struct vmproc *vp;
	int r;

	if (!may_build(caller, m->m_vm_request.endpt))
		return -EPERM;
	if ((r = space_new(m->m_vm_request.endpt, &vp)) == 0)
		vp->limit_pages =
			m->m_vm_request.len >> PAGE_SHIFT; /* a service's memlimit (vm_build.c) */
	return r;
}

static int
do_map(endpoint_t caller, message *m)
{
	const struct msg_vm_request *rq = &m->m_vm_request;
	struct vmproc *vp;
	int r;

	if ((r = pm_target(caller, m, &vp)) < 0 || (r = req_range(rq)) < 0)
		return r;
	if (rq->prot & ~(uint32_t)(LX_PROT_READ | LX_PROT_WRITE | LX_PROT_EXEC) ||
	    (rq->flags & ~(uint32_t)(VM_MAP_POPULATE | VM_MAP_STACK | VM_MAP_FILE)))
		return -EINVAL;
	if (!range_free(vp, rq->addr, rq->addr + rq->len))
		return -EINVAL;
	if (past_limit(vp, rq->len >> PAGE_SHIFT) && !may_pass_limit(caller))
		return -ENOMEM; /* a non-root's child: no more than the limit it lent */
	if (rq->flags & VM_MAP_FILE) {
		if (!file_key_ok(caller, rq->file))
			return -EPERM;
		return (rq->flags & ~(uint32_t)VM_MAP_POPULATE) == VM_MAP_FILE
			       ? file_map(vp, rq, R_FILE, true)
			       : -EINVAL;
	}
	if ((r = region_add(vp, rq->addr, rq->addr + rq->len, rq->prot,
			    rq->flags & VM_MAP_STACK ? R_STACK : 0)) < 0)
		return r;
	if ((rq->flags & VM_MAP_POPULATE) &&
	    (r = range_populate(vp, rq->addr, rq->addr + rq->len, false, true)) < 0) {
		(void)range_unmap(vp, rq->addr, rq->addr + rq->len);
		return r;
	}
	return 0;
}

static int
do_protect(endpoint_t caller, message *m)
{
	const struct msg_vm_request *rq = &m->m_vm_request;
	struct vmproc *vp;
	int r;

	if ((r = pm_target(caller, m, &vp)) < 0 || (r = req_range(rq)) < 0)
		return r;
	if ((rq->prot & ~(uint32_t)(LX_PROT_READ | LX_PROT_WRITE | LX_PROT_EXEC)) ||
	    (rq->flags & ~(uint32_t)VM_PROT_CACHE))
		return -EINVAL;
	if (rq->flags & VM_PROT_CACHE)
		return file_key_ok(caller, rq->file) ? file_adopt(vp, rq) : -EPERM;
	return range_protect(vp, rq->addr, rq->addr + rq->len, rq->prot);
}

static int
do_populate(endpoint_t caller, message *m)
{
	const struct msg_vm_request *rq = &m->m_vm_request;
	struct vmproc *vp;
	int r;

	if ((r = pm_target(caller, m, &vp)) < 0)
		return r;
	if (rq->len == 0 || rq->addr >= USER_TOP || rq->len > USER_TOP - rq->addr)
		return -EFAULT;
	return range_populate(vp, page_down(rq->addr), page_up(rq->addr + rq->len),
			      rq->flags & VM_POP_WRITE, true);
}

static int
do_setbrk(endpoint_t caller, message *m)
{
	struct vmproc *vp;
	uint64_t base = page_up(m->m_vm_request.addr);
	int r;

	if ((r = pm_target(caller, m, &vp)) < 0)
		return r;
	if (base == 0 || base >= USER_TOP - PAGE_SIZE || vp->brk_base || region_find(vp, base))
		return -EINVAL;
	vp->brk_base = vp->brk_end = base;
	return 0;
}

static int
do_swap(endpoint_t caller, message *m)
{
	endpoint_t a = m->m_vm_request.endpt, b = m->m_vm_request.child;

	if (!may_build(caller, a) || !may_build(caller, b))
		return -EPERM;
	if (a == b || a == NONE || b == NONE || a == ANY || b == ANY || endpoint_slot(a) < 0 ||
	    endpoint_slot(a) >= NR_SLOTS || endpoint_slot(b) < 0 || endpoint_slot(b) >= NR_SLOTS ||
	    endpoint_slot(a) == endpoint_slot(b))
		return -EINVAL;
	space_swap(a, b);
	return 0;
}

/* VM_REAP: the spaces of processes that ended without a VM_EXIT (a dead endpoint). */
static int
do_reap(endpoint_t caller, message *m)
{
	struct msg_sys_privinfo info;
	int n = 0;

	(void)caller;
	(void)m;
	for (int i = 0; i < NR_SLOTS; i++)
		if (vmproc[i].endpt != NONE && vmproc[i].endpt != self_endpoint &&
		    sys_getpriv(vmproc[i].endpt, &info) == -EDEADSRCDST) {
			space_free(&vmproc[i]); /* the kernel dropped its tables at its end */
			n++;
		}
	return n;
}

/* VM_BRK: the caller's own heap (a service VM built; native requests come from system processes only). */
static int
do_service_brk(endpoint_t caller, message *m)
{
	struct vmproc *vp = vmproc_of(caller);
	uint64_t end = m->m_sys_brk.addr;
	int r;

	if (!vp || !vp->brk_base)
		return -ENOSYS;
	if (end && (r = service_brk(vp, end)) < 0)
		return r;
	memset(&m->m_sys_brk_reply, 0, sizeof(m->m_sys_brk_reply));
	m->m_sys_brk_reply.start = vp->brk_base;
	m->m_sys_brk_reply.end = vp->brk_end;
	m->m_sys_brk_reply.max = vp->brk_base + SERVICE_HEAP_MAX;
	return 0;
}

static int
do_info(endpoint_t caller, message *m)
{
	const struct vmproc *vp = m->m_vm_request.endpt ? vmproc_of(m->m_vm_request.endpt) : NULL;
	uint64_t vsize = 0;

	(void)caller;
	for (const struct region *rg = vp ? vp->regions : NULL; rg; rg = rg->next)
		vsize += rg->end - rg->start;
	alloc_info(&m->m_vm_reply);
	m->m_vm_reply.proc_vsize = vsize;
	m->m_vm_reply.proc_pages = vp ? vp->pages : 0;
	return 0;
}

/* VM_PAGE: the frame under a page of a space VM manages, and its references. */
static int
do_page(endpoint_t caller, message *m)
{
	struct vmproc *vp = vmproc_of(m->m_vm_request.endpt);
	uint64_t addr = m->m_vm_request.addr, ix;
	uint32_t *slot;

	(void)caller;
	if (!vp)
		return -ESRCH;
	if (addr >= USER_TOP)
		return -EINVAL;
	slot = frame_slot(vp, page_down(addr), false);
	memset(&m->m_vm_page, 0, sizeof(m->m_vm_page));
	if (slot && *slot && frame_index((uint64_t)*slot << PAGE_SHIFT, &ix) == 0) {
		m->m_vm_page.frame = ix + 1;
		m->m_vm_page.refs = frame_refs((uint64_t)*slot << PAGE_SHIFT);
	}
	return 0;
}

static void
vm_dump(struct dump *d)
{
	struct msg_vm_reply info;

	alloc_info(&info);
	dump_printf(d, "frames: %llu total, %llu free, %llu reserved; %llu user pages\n",
		    (unsigned long long)info.total_pages, (unsigned long long)info.free_pages,
		    (unsigned long long)info.reserved_pages, (unsigned long long)info.user_pages);
	cache_dump(d);
	vm_dump_spaces(d);
}

static dispatch_fn *const vm_calls[VM_NR_REQUESTS] = {
	[VM_EXIT - VM_BASE] = do_exit,         [VM_NEWMEM - VM_BASE] = do_newmem,
	[VM_MAP - VM_BASE] = do_map,           [VM_PROTECT - VM_BASE] = do_protect,
	[VM_POPULATE - VM_BASE] = do_populate, [VM_SETBRK - VM_BASE] = do_setbrk,
	[VM_FORK - VM_BASE] = do_fork,         [VM_INFO - VM_BASE] = do_info,
	[VM_SWAP - VM_BASE] = do_swap,         [VM_BRK - VM_BASE] = do_service_brk,
	[VM_REAP - VM_BASE] = do_reap,         [VM_PAGE - VM_BASE] = do_page,
};

static const struct dispatch vm_dispatch = DISPATCH(VM_BASE, vm_calls, vm_dump);

/*
 * Start: VM's memory and the class.  A VM restarted after a crash would
 * find the memory map again but not which frames are in use: the kernel
 * refuses it the map (EBUSY), and it says so and fails its start, so that
 * user processes are left without a memory server, loudly (README.md,
 * "State and recovery").  A live update's new version comes in through
 * vm_init_lu instead (state.c).
 */
static int
init_fresh(int type, const struct msg_rs_init *info)
{
	int r;

	(void)type;
	(void)info;
	for (int i = 0; i < NR_SLOTS; i++)
		vmproc[i].endpt = NONE;
	if ((r = sys_linuxctl(LINUXCTL_SERVE, LX_OWNER_VM)) < 0)
		return r;
	if ((r = alloc_init()) == -EBUSY)
		printf("vm: restarted after a crash: which frames are in use died with the old VM,"
		       " so this one does not start; user processes have no memory server now"
		       " (their faults are SIGSEGV, their memory calls ENOSYS)\n");
	return r;
}

/*
 * A live update's prepare state: between two requests, and no file mmap
 * held (its answer would come to the new version, which does not know
 * it) nor a message to VFS still in the asynsend table (mmap.c).
 */
static bool
lu_prepare(int state)
{
	return state == SEF_LU_STATE_WORK_FREE && fmap_idle() && !asynsend_pending();
}

int
main(int argc, char **argv)
{
	message m;
	int r;

	(void)argc;
	(void)argv;
	sef_setcb_init_fresh(init_fresh);
	sef_setcb_init_lu(vm_init_lu);
	sef_setcb_lu_state_save(vm_lu_save);
	sef_setcb_before_receive(vm_lu_release);
	sef_setcb_lu_prepare(lu_prepare);
	sef_startup();
	for (;;) {
		if (sef_receive(ANY, &m) < 0)
			continue;
		if (m.m_type == VM_PAGEFAULT) {
			vm_pagefault(m.m_source, &m);
		} else if (m.m_type == VM_VFS_ANSWER) {
			fmap_answer(&m); /* a file mmap's (mmap.c) */
		} else if (m.m_type == NOTIFY_MESSAGE) {
			if (m.m_source == CLOCK)
				fmap_check_vfs();
		} else if (m.m_type == LX_CANCEL) {
			/* A held file mmap ends when VFS answers (mmap.c), as a read on an FS. */
		} else if (m.m_type == VM_MEMREQ) {
			vm_memreq(m.m_source, &m);
		} else if (m.m_type >= LX_CALL_BASE && m.m_type < LX_CALL_BASE + LX_NR_CALLS) {
			vm_linux_call(m.m_source, &m);
		} else if ((r = dispatch(&vm_dispatch, m.m_source, &m)) != EDONTREPLY) {
			m.m_type = r;
			sef_reply(m.m_source, &m);
		}
	}
}
