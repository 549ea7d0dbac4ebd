/*
 * The process table: slots, endpoint validation, blocking and unblocking,
 * and tearing a process down.
 *
 * Entry points: proc_init, proc_alloc, proc_by_name (proc_lookup is inline in proc.h),
 * proc_block/proc_unblock, proc_clear (proc_dump is in dump.c).
 */
#include "proc.h"
#include "priv.h"
#include "ipc.h"
#include "interrupt.h"
#include "vm.h"
#include "quota.h"
#include "frame.h"
#include "timer.h"
#include "linux.h"

struct proc proc_table[NR_SLOTS];
struct proc *proc_current;

/* clang-format off */
static const char *const kernel_names[NR_KERNEL_SLOTS] = {
	[HARDWARE] = "hardware",
	[SYSTEM] = "system",
	[CLOCK] = "clock",
	[ASYNCM] = "asyncm",
	[CONSOLE] = "console",
};
/* clang-format on */

void
proc_init(void)
{
	priv_init();
	for (int i = 0; i < NR_SLOTS; i++) {
		struct proc *p = proc_addr(i);

		p->p_slot = i;
		p->p_rts_flags = RTS_SLOT_FREE;
		p->p_endpoint = endpoint_make(i, 0);
	}
	for (int i = 1; i < NR_KERNEL_SLOTS; i++) {
		struct proc *p = proc_addr(i);

		p->p_rts_flags = RTS_KERNEL;
		proc_set_name(p, kernel_names[i]);
		if (!priv_alloc(p))
			panic("no privilege structure for kernel identity %s", p->p_name);
	}
}

/*
 * Take a free slot (a given one, or the lowest free one at or above
 * FIRST_FREE_SLOT).  The new endpoint has the slot's next generation, so
 * nothing addressed to the previous occupant can reach the new one.  The
 * process starts blocked (RTS_SLOT_FREE cleared, RTS_DYING not set, but
 * dequeued): the caller makes it runnable with sched_enqueue.
 */
struct proc *
proc_alloc(int slot)
{
	struct proc *p = NULL;

	if (slot >= 0) {
		if (slot < NR_SLOTS && proc_is_free(proc_addr(slot)))
			p = proc_addr(slot);
	} else {
		for (int i = FIRST_FREE_SLOT; i < NR_SLOTS && !p; i++)
			if (proc_is_free(proc_addr(i)))
				p = proc_addr(i);
	}
	if (!p)
		return NULL;

	int gen = endpoint_gen(p->p_endpoint);
	bool used_before = p->p_name[0] != '\0';

	memset(p, 0, sizeof(*p));
	p->p_slot = (int)(p - proc_table);
	p->p_endpoint = endpoint_make(p->p_slot, used_before ? endpoint_next_gen(gen) : gen);
	p->p_priority = USER_Q;
	p->p_quantum = QUANTUM_TICKS;
	p->p_ticks_left = QUANTUM_TICKS;
	p->p_getfrom_e = NONE;
	p->p_sendto_e = NONE;
	p->p_creator = NONE;
	p->p_mem_lender = NONE;
	vm_tlb_forget(p);
	return p;
}

/*
 * The process called `name`.  A process held without privileges (RS's
 * standing clone of a service, or the new version of a live update before
 * the swap) shares its service's name: it is the answer only when no other
 * process has that name.
 */
/*
 * A process's name, zero-padded to PROC_NAME_LEN (cut there), so that
 * getinfo(WHOAMI) hands it over as it lies, with no trace of a longer name
 * its slot held before.
 */
void
proc_set_name(struct proc *p, const char *name)
{
	memset(p->p_name, 0, sizeof(p->p_name));
	strlcpy(p->p_name, name, sizeof(p->p_name));
}

struct proc *
proc_by_name(const char *name)
{
	struct proc *held = NULL;

	for (int i = FIRST_FREE_SLOT; i < NR_SLOTS; i++) {
		struct proc *p = proc_addr(i);

		if (proc_is_free(p) || (p->p_rts_flags & RTS_DYING) ||
		    strncmp(p->p_name, name, PROC_NAME_LEN) != 0)
			continue;
		if (!(p->p_rts_flags & RTS_NO_PRIV))
			return p;
		if (!held)
			held = p;
	}
	return held;
}

void
proc_block(struct proc *p, uint32_t flag)
{
	if (p->p_rts_flags == 0)
		sched_dequeue(p);
	p->p_rts_flags |= flag;
}

void
proc_unblock(struct proc *p, uint32_t flag)
{
	if (!(p->p_rts_flags & flag))
		return;
	p->p_rts_flags &= ~flag;
	if (p->p_rts_flags == 0)
		sched_enqueue(p);
}

/*
 * Release a process's slot (sys_clear, or the kernel when a process has no
 * signal manager): everyone blocked on it learns EDEADSRCDST, its interrupt
 * hooks, alarm and memory are released, and the slot becomes free with the
 * endpoint kept so the next occupant gets a new generation.  Processes it
 * managed that are frozen by a signal go too (signal.c).
 */
void
proc_clear(struct proc *p, const char *why)
{
	assert(!proc_is_free(p) && !proc_is_kernel(p));
	TRACE(SIG, "kernel: %s(%d): cleared: %s\n", p->p_name, p->p_endpoint, why);
	proc_block(p, RTS_DYING);
	ipc_clear_refs(p);
	irq_release_all(p);
	if (p->p_priv)
		priv_free(p->p_priv);
	p->p_priv = NULL;
	vm_destroy(p);
	quota_release(p); /* what it borrowed goes back to its lender */
	arch_proc_released(p);
	p->p_rts_flags = RTS_SLOT_FREE;
	sig_clear_orphans(); /* frozen ones p managed would wait for ever */
}

/* Slots taken by processes (the kernel identities not counted). */
int
proc_count_used(void)
{
	int n = 0;

	for (int i = FIRST_FREE_SLOT; i < NR_SLOTS; i++)
		n += !proc_is_free(proc_addr(i));
	return n;
}

/*
 * Every countable resource, in use and in all (GETINFO_RESOURCES, and the
 * head of the process dump): what a leak would show in.
 */
void
resources_count(struct msg_sys_resources *r)
{
	memset(r, 0, sizeof(*r));
	r->free_frames = frame_free_count();
	r->used_slots = proc_count_used();
	r->nr_slots = NR_SLOTS - FIRST_FREE_SLOT;
	r->used_privs = priv_count_used();
	r->nr_privs = NR_PRIVS;
	r->timers = timers_armed();
	r->irq_hooks = irq_hooks_in_use();
	r->nr_irq_hooks = NR_IRQ_HOOKS;
	r->unknown_calls = linux_unknown_count();
	r->reserve_frames = (uint32_t)QUOTA_RESERVE_FRAMES;
}
