/*
 * The scheduler: NR_SCHED_QUEUES ready queues by priority, round robin with
 * a quantum inside each.  A process is in its queue exactly while it is
 * runnable, including while it runs.  The queues are doubly linked and a
 * bitmap of non-empty queues makes picking the next process a single bit
 * scan, so every operation here is O(1) whatever the number of processes.
 *
 * Fairness inside a priority: a process that blocks leaves its queue and
 * one that is released joins it at the back, so a client and a server that
 * hand the processor to each other keep going to the back, and the clock
 * tick (which always picks the head) gives the others at their priority
 * their turn: a hand-off never starves them (sched.no_starvation).
 *
 * switch_to_user() is the kernel's general exit: it picks a process (idling
 * with interrupts on until one is runnable) and hands it to the arch layer.
 * sched_handoff() is IPC's exit when a call released the process its caller
 * now waits for: it runs that one without a pick, unless a process of
 * higher priority is ready.  sched_resume() is a system call's exit
 * otherwise: the caller runs on if it can and nothing of higher priority
 * became ready.
 */
#include "proc.h"

static struct proc *ready_head[NR_SCHED_QUEUES];
static struct proc *ready_tail[NR_SCHED_QUEUES];
static uint32_t ready_mask; /* bit q: queue q is not empty */

static inline void
queue_add(struct proc *p)
{
	int q = p->p_priority;
	struct proc *tail = ready_tail[q];

	assert(p->p_rts_flags == 0 && q < NR_SCHED_QUEUES); /* only the runnable are queued */
	p->p_next_ready = NULL;
	p->p_prev_ready = tail;
	if (tail)
		tail->p_next_ready = p;
	else
		ready_head[q] = p;
	ready_tail[q] = p;
	ready_mask |= 1u << q;
}

/* Requires p to be in its queue (runnable). */
static inline void
queue_remove(struct proc *p)
{
	int q = p->p_priority;
	struct proc *next = p->p_next_ready, *prev = p->p_prev_ready;

	if (prev)
		prev->p_next_ready = next;
	else
		ready_head[q] = next;
	if (next)
		next->p_prev_ready = prev;
	else
		ready_tail[q] = prev;
	p->p_next_ready = p->p_prev_ready = NULL;
	if (!ready_head[q])
		ready_mask &= ~(1u << q);
}

void
sched_enqueue(struct proc *p)
{
	queue_add(p);
}

void
sched_dequeue(struct proc *p)
{
	queue_remove(p);
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

/*
 * The exit of a system call by p (the current process) that may have
 * changed nothing: p runs on unless it blocked or a process of higher
 * priority is ready.  Others at p's priority wait for the clock tick, as
 * they would had p not entered the kernel.
 */
void
sched_resume(struct proc *p)
{
	if (p == proc_current && p->p_rts_flags == 0 && !(ready_mask & ((1u << p->p_priority) - 1)))
		arch_resume(p);
	switch_to_user();
}

/*
 * May p, which entered the kernel last, run on at once (sched_resume's
 * test)?  For the calls that changed only p's rax, rdx and memory (a kernel
 * call made in place, a fast SEND or RECEIVE): its address space, FPU
 * state and slot are as they were, and syscall_entry's quick exit reloads
 * its registers.
 */
bool
sched_runs_on(const struct proc *p)
{
	return p->p_rts_flags == 0 && !(ready_mask & ((1u << p->p_priority) - 1));
}

/*
 * The IPC fast path's exit: out (running) has just blocked and in has just
 * been released; they change places in the queues and in runs now, unless
 * a process of higher priority is ready.  out's and in's p_rts_flags must
 * already say so.  Usually each is alone in its queue (the others at its
 * priority blocked): then that is a few moves each.
 */
void
sched_fast_handoff(struct proc *out, struct proc *in)
{
	unsigned qo = out->p_priority, qi = in->p_priority;
	uint32_t mask = ready_mask;

	/* Each half on its own, so that others ready at either priority cost little. */
	if (!out->p_prev_ready && !out->p_next_ready) { /* out alone: its queue empties */
		ready_head[qo] = ready_tail[qo] = NULL;
		mask &= ~(1u << qo);
	} else {
		queue_remove(out);
		mask = ready_mask;
	}
	if (!ready_tail[qi]) { /* in's queue was empty: in alone */
		ready_head[qi] = ready_tail[qi] = in;
		in->p_next_ready = in->p_prev_ready = NULL;
	} else {
		struct proc *tail = ready_tail[qi];

		in->p_next_ready = NULL;
		in->p_prev_ready = tail;
		tail->p_next_ready = in;
		ready_tail[qi] = in;
	}
	mask |= 1u << qi;
	ready_mask = mask;
	if (mask & ((1u << qi) - 1))
		switch_to_user();
	proc_current = in;
	arch_switch_to(in);
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
