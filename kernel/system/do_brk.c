/*
 * BRK: move the end of the caller's own heap.  Reads: m_sys_brk.addr (the
 * new end; 0 only asks).  Writes: m_sys_brk_reply (start, end, max).
 *
 * The heap begins empty at the page after the program's highest segment
 * (exec.c records it) and may grow to HEAP_MAX bytes, never into the
 * stack.  The end need not be page-aligned: the pages up to it, rounded
 * up, are mapped.  Growing maps zeroed pages; shrinking unmaps pages and
 * frees their frames.  Everything else that handles address spaces already
 * covers the heap: exit and clear free every mapped frame (vm_destroy), and
 * update moves the bounds with the program (do_update.c).
 *
 * Errors: EINVAL for an end below the start; ENOMEM for an end past the
 * maximum, past the process's memory limit, or more frames than are free
 * (less the reserve kept for a root's restarts, quota.h).  Both are found before anything
 * is mapped, so a refused call leaves the heap as it was.
 *
 * A service whose memory VM built has no heap here (start 0 in the
 * answer; -ENOMEM for a move): libsys's brk asks VM instead (VM_BRK,
 * docs/processes.md section 5).
 *
 * This is address-space policy, kept in this one file (with exec.c's
 * init_heap) because there is no VM server yet: when VM takes over
 * address spaces, brk becomes a request to VM, as in MINIX.
 */
#include "system.h"
#include "exec.h"
#include "quota.h"
#include "authority.h"
#include "vm.h"

#define HEAP_MAX  ((vir_addr_t)256 << 20) /* per process */
#define STACK_GAP (1024 * 1024)           /* unmapped, between heap and stack */

static vir_addr_t
page_up(vir_addr_t a)
{
	return (a + PAGE_BYTES - 1) & ~(vir_addr_t)(PAGE_BYTES - 1);
}

/* The largest end p's heap may have. */
static vir_addr_t
heap_max(const struct proc *p)
{
	vir_addr_t limit = USER_STACK_TOP - USER_STACK_SIZE - STACK_GAP;

	return p->p_heap.h_start + HEAP_MAX < limit ? p->p_heap.h_start + HEAP_MAX : limit;
}

/* Map zeroed pages over [from, to) (page-aligned, nothing mapped there yet). */
static int
heap_grow(struct proc *p, vir_addr_t from, vir_addr_t to)
{
	int r;

	if ((r = quota_may_map(p, (to - from) / PAGE_BYTES, auth_is_root(p))) < 0)
		return r;
	if ((r = vm_map_zeroed(p, from, to - from, AS_WRITE)) < 0)
		vm_unmap(p, from, to - from); /* not after the check; never half-grown */
	return r;
}

/* Make `end` the break of p: 0 or -ENOMEM, with nothing changed. */
static int
heap_move(struct proc *p, vir_addr_t end)
{
	vir_addr_t old_top = page_up(p->p_heap.h_end), new_top = page_up(end);
	int r;

	if (new_top > old_top && (r = heap_grow(p, old_top, new_top)) < 0)
		return r;
	if (new_top < old_top)
		vm_unmap(p, new_top, old_top - new_top);
	p->p_heap.h_end = end;
	return 0;
}

int
do_brk(struct proc *caller, message *m)
{
	vir_addr_t end = m->m_sys_brk.addr;
	int r;

	if (end != 0) {
		if (caller->p_heap.h_start == 0)
			return -ENOMEM; /* no heap here: a service VM built asks VM (VM_BRK) */
		if (end < caller->p_heap.h_start)
			return -EINVAL;
		if (end > heap_max(caller))
			return -ENOMEM;
		if ((r = heap_move(caller, end)) < 0)
			return r;
	}
	memset(&m->m_sys_brk_reply, 0, sizeof(m->m_sys_brk_reply));
	m->m_sys_brk_reply.start = caller->p_heap.h_start;
	m->m_sys_brk_reply.end = caller->p_heap.h_end;
	m->m_sys_brk_reply.max = heap_max(caller);
	return 0;
}
