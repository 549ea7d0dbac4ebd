/*
 * Page faults of user processes, and the kernel's requests for pages a
 * server's copy needs (VM_MEMREQ, below).  A fault is forwarded as VM_PAGEFAULT
 * on the faulting process's behalf (docs/processes.md section 5): the
 * process waits for the answer.  0: the page is there now and the
 * instruction runs again; -EFAULT: no region, or one without the rights
 * (the kernel raises SIGSEGV in it, PM ends it as Linux would); -EIO: a
 * page of a file mapping past the file's end (SIGBUS, as Linux); -ENOMEM:
 * no frame left (SIGKILL, Linux's out-of-memory kill).
 *
 * x86 cannot map a page write-only or execute-only: a read of a page with
 * PROT_WRITE or PROT_EXEC is allowed, as on Linux.
 */
#include "vm.h"
#include <sef.h>
#include <string.h>

static int
resolve(struct vmproc *vp, uint64_t addr, uint64_t error)
{
	struct region *rg;
	bool write = error & VM_PF_WRITE;

	if (!vp || addr >= USER_TOP || !(rg = region_find(vp, addr)))
		return -EFAULT;
	if (rg->prot == LX_PROT_NONE || (write && !(rg->prot & LX_PROT_WRITE)) ||
	    ((error & VM_PF_EXEC) && !(rg->prot & LX_PROT_EXEC)))
		return -EFAULT;
	if (rg->flags & R_BUS)
		return -EIO; /* past the end of a mapped file: the kernel raises SIGBUS (mmap.c) */
	return page_fault_in(vp, rg, page_down(addr), write, false);
}

void
vm_pagefault(endpoint_t caller, message *m)
{
	int r = resolve(vmproc_of(caller), m->m_vm_fault.addr, m->m_vm_fault.error);

	memset(m, 0, sizeof(*m));
	m->m_type = r;
	sef_reply(caller, m);
}

/*
 * VM_MEMREQ: a kernel call of m_source (a server copying through a grant)
 * stopped at a page of user process endpt that is not present (or shared,
 * for a write).  Make the range present, at most MEMREQ_MAX bytes of it
 * (the call asks again further on), as a fault of the process would; the
 * answer releases the caller, whose call runs again.
 */
#define MEMREQ_MAX ((uint64_t)1 << 20)

void
vm_memreq(endpoint_t caller, message *m)
{
	const struct msg_vm_request *rq = &m->m_vm_request;
	struct vmproc *vp = vmproc_of(rq->endpt);
	uint64_t len = rq->len < MEMREQ_MAX ? rq->len : MEMREQ_MAX;
	int r = -EFAULT;

	if (vp && rq->addr < USER_TOP && len > 0)
		r = range_populate(vp, page_down(rq->addr),
				   page_up(len < USER_TOP - rq->addr ? rq->addr + len : USER_TOP),
				   rq->flags & VM_POP_WRITE, false);
	memset(m, 0, sizeof(*m));
	m->m_type = r;
	sef_reply(caller, m);
}
