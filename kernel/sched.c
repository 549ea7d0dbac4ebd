/*
 * The scheduler: NR_SCHED_QUEUES ready queues by priority, round robin with
 * a quantum inside each.  A process is in its queue exactly while it is
 * runnable, including while it runs.  A bitmap of non-empty queues makes
 * picking the next process a single bit scan.
 *
 * switch_to_user() is the kernel's exit: it picks a process (idling with
 * interrupts on until one is runnable) and hands it to the arch layer.
 * sched_handoff() is the IPC fast path's exit: it runs a given process
 * without a pick, unless a process of higher priority is ready.
 */
#include "proc.h"

static struct proc *ready_head[NR_SCHED_QUEUES];
static struct proc *ready_tail[NR_SCHED_QUEUES];
static uint32_t ready_mask;	/* bit q: queue q is not empty */

void
sched_enqueue(struct proc *p)
{
	int q = p->p_priority;

	assert(p->p_rts_flags == 0 && q < NR_SCHED_QUEUES);	/* only the runnable are queued */
	p->p_next_ready = NULL;
	if (ready_head[q])
		ready_tail[q]->p_next_ready = p;
	else
		ready_head[q] = p;
	ready_tail[q] = p;
	ready_mask |= 1u << q;
}

void
sched_dequeue(struct proc *p)
{
	int q = p->p_priority;
	struct proc **xpp, *prev = NULL;

	for (xpp = &ready_head[q]; *xpp; prev = *xpp, xpp = &(*xpp)->p_next_ready) {
		if (*xpp != p)
			continue;
		*xpp = p->p_next_ready;
		if (ready_tail[q] == p)
			ready_tail[q] = prev;
		break;
	}
	p->p_next_ready = NULL;
	if (!ready_head[q])
		ready_mask &= ~(1u << q);
}

struct proc *
sched_pick(void)
{
	if (!ready_mask)
		return NULL;
	return ready_head[__builtin_ctz(ready_mask)];
}

/* A clock tick charged to p: at the end of its quantum it goes to the back. */
void
sched_tick(struct proc *p, bool user)
{
	if (user)
		p->p_user_ticks++;
	else
		p->p_sys_ticks++;
	if (p->p_rts_flags != 0 || --p->p_ticks_left > 0)
		return;
	p->p_ticks_left = p->p_quantum;
	sched_dequeue(p);
	sched_enqueue(p);
}

void
switch_to_user(void)
{
	struct proc *next;

	while (!(next = sched_pick()))
		arch_idle();
	proc_current = next;
	arch_switch_to(next);
}

void
sched_handoff(struct proc *p)
{
	bool higher_ready = ready_mask & ((1u << p->p_priority) - 1);

	if (p->p_rts_flags != 0 || higher_ready)
		switch_to_user();
	proc_current = p;
	arch_switch_to(p);
}
