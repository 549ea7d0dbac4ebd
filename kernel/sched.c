/*
 * The scheduler: NR_SCHED_QUEUES ready queues by priority, round robin with
 * a quantum inside each.  A process is in its queue exactly while it is
 * runnable and not running: the process that runs (proc_current, while it
 * is in user mode or in a system call) is in no queue, and goes back into
 * its queue only when it stops running while still runnable (running_stops).
 * So the IPC fast path, which blocks the running process and runs the one
 * it released, touches no queue at all.  The queues are doubly linked and a
 * bitmap of non-empty queues makes picking the next process a single bit
 * scan, so every operation here is O(1) whatever the number of processes.
 *
 * Fairness inside a priority: a process that blocks leaves the processor
 * (or its queue), and one that is released joins its queue at the back.  A
 * process that stops running while runnable goes back to the front of its
 * queue (it was preempted, and keeps its turn), or to the back once the
 * clock has used up its quantum (sched_tick).  A client and a server that
 * hand the processor to each other directly are therefore one running
 * process to the others at their priority, with one quantum between them
 * (sched_fast_handoff), and lose the processor to them when it is spent: a
 * hand-off never starves them (sched.no_starvation).
 *
 * switch_to_user() is the kernel's general exit: it picks a process (idling
 * with interrupts on until one is runnable) and hands it to the arch layer.
 * sched_handoff() is IPC's exit when a call released the process its caller
 * now waits for: it runs that one without a pick, unless a process of
 * higher priority is ready (sched_fast_handoff(), inline in proc.h, is the
 * same for the fast path).  sched_resume() is a system call's exit
 * otherwise: the caller runs on if it can and nothing of higher priority
 * became ready.
 */
#include "proc.h"

static struct proc *ready_head[NR_SCHED_QUEUES];
static struct proc *ready_tail[NR_SCHED_QUEUES];
uint32_t sched_ready_mask; /* bit q: queue q is not empty (proc.h) */

/* The bits of the queues above q, (1 << q) - 1, by table: one load. */
const uint32_t sched_above[NR_SCHED_QUEUES] = {
#define ABOVE(q) [q] = (1u << (q)) - 1
	ABOVE(0), ABOVE(1), ABOVE(2),  ABOVE(3),  ABOVE(4),  ABOVE(5),  ABOVE(6),  ABOVE(7),
	ABOVE(8), ABOVE(9), ABOVE(10), ABOVE(11), ABOVE(12), ABOVE(13), ABOVE(14), ABOVE(15),
#undef ABOVE
};
AX_STATIC_ASSERT(NR_SCHED_QUEUES == 16, "sched_above lists every queue");

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
	sched_ready_mask |= 1u << q;
}

/* p, which stopped running with its quantum left, keeps its turn. */
static inline void
queue_add_front(struct proc *p)
{
	int q = p->p_priority;
	struct proc *head = ready_head[q];

	assert(p->p_rts_flags == 0 && q < NR_SCHED_QUEUES);
	p->p_prev_ready = NULL;
	p->p_next_ready = head;
	if (head)
		head->p_prev_ready = p;
	else
		ready_tail[q] = p;
	ready_head[q] = p;
	sched_ready_mask |= 1u << q;
}

/* Requires p to be in its queue (runnable, not running). */
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
		sched_ready_mask &= ~(1u << q);
}

/* p became runnable: into its queue, unless it is the one running. */
void
sched_enqueue(struct proc *p)
{
	if (p != proc_current)
		queue_add(p);
}

/* p (runnable) blocks: out of its queue, unless it is the one running. */
void
sched_dequeue(struct proc *p)
{
	if (p != proc_current)
		queue_remove(p);
}

struct proc *
sched_pick(void)
{
	if (!sched_ready_mask)
		return NULL;
	return ready_head[__builtin_ctz(sched_ready_mask)];
}

/*
 * A clock tick charged to p, the process that runs: when it uses up its
 * quantum, p_ticks_left stays 0 until it stops running (the tick's exit is
 * switch_to_user), and running_stops puts it at the back of its queue.
 */
void
sched_tick(struct proc *p, bool user)
{
	if (user)
		p->p_user_ticks++;
	else
		p->p_sys_ticks++;
	if (p->p_rts_flags == 0 && p->p_ticks_left > 0)
		p->p_ticks_left--;
}

/*
 * The running process leaves the processor: back into its queue if it is
 * still runnable, at the front if it was preempted, at the back with a
 * fresh quantum if its quantum is used up.  Nobody runs until a process is
 * picked.
 */
static void
running_stops(void)
{
	struct proc *p = proc_current;

	proc_current = NULL;
	if (!p || p->p_rts_flags != 0)
		return;
	if (p->p_ticks_left == 0) {
		p->p_ticks_left = p->p_quantum;
		queue_add(p);
	} else {
		queue_add_front(p);
	}
}

/* next, taken from its queue, runs. */
static inline void __attribute__((noreturn)) run(struct proc *next)
{
	queue_remove(next);
	proc_current = next;
	arch_switch_to(next);
}

void
switch_to_user(void)
{
	struct proc *next;

	running_stops();
	while (!(next = sched_pick()))
		arch_idle();
	run(next);
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
	if (p == proc_current && p->p_rts_flags == 0 && !sched_higher_ready(p))
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
	return p->p_rts_flags == 0 && !sched_higher_ready(p);
}

/*
 * sched_fast_handoff's (proc.h) way out when a process of higher priority
 * than p, just released, is ready: p joins the back of its queue, as any
 * released process, and the scheduler picks.
 */
void
sched_released_waits(struct proc *p)
{
	queue_add(p);
	switch_to_user();
}

/*
 * p, just released (its p_rts_flags 0, in no queue) with a higher priority
 * than the running process, which stays runnable: p runs now, and the
 * running process keeps its turn at the front of its queue.  A process of
 * higher priority still runs first.
 */
void
sched_preempt_by(struct proc *p)
{
	if (sched_higher_ready(p)) {
		queue_add(p);
		switch_to_user();
	}
	running_stops();
	proc_current = p;
	arch_switch_to(p);
}

/* The general path's hand-off: p, released (so in its queue), runs now. */
void
sched_handoff(struct proc *p)
{
	bool higher_ready = sched_higher_ready(p);

	if (p->p_rts_flags != 0 || higher_ready)
		switch_to_user();
	running_stops();
	run(p);
}
