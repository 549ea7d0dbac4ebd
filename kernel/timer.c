/*
 * Kernel timers and the clock tick.  Timers sit on one list sorted by expiry,
 * so the tick handler looks only at the head.  The tick also charges the
 * running process, runs the scheduler's quantum accounting and looks for
 * the console's dump key (dump.c).
 */
#include "kernel.h"
#include "dump.h"
#include "timer.h"
#include "proc.h"

uint64_t clock_uptime;
static struct timer *timer_list;

void
timer_cancel(struct timer *t)
{
	struct timer **tp;

	if (!t->t_armed)
		return;
	for (tp = &timer_list; *tp; tp = &(*tp)->t_next) {
		if (*tp == t) {
			*tp = t->t_next;
			break;
		}
	}
	t->t_armed = false;
	t->t_next = NULL;
}

void
timer_set(struct timer *t, uint64_t expiry, timer_fn fn, int owner)
{
	struct timer **tp;

	timer_cancel(t);
	assert(!t->t_armed); /* on the list at most once */
	t->t_expiry = expiry;
	t->t_fn = fn;
	t->t_owner = owner;
	for (tp = &timer_list; *tp && (*tp)->t_expiry <= expiry; tp = &(*tp)->t_next)
		;
	t->t_next = *tp;
	*tp = t;
	t->t_armed = true;
}

void
timers_expire(uint64_t now)
{
	while (timer_list && timer_list->t_expiry <= now) {
		struct timer *t = timer_list;

		timer_list = t->t_next;
		t->t_next = NULL;
		t->t_armed = false;
		t->t_fn(t);
	}
}

/* Timers on the list, for the resource counters (getinfo): the alarms. */
int
timers_armed(void)
{
	int n = 0;

	for (struct timer *t = timer_list; t; t = t->t_next)
		n += !t->t_uncounted;
	return n;
}

/*
 * One clock interrupt.  from_user says whether it interrupted a process (it
 * is charged user time) or the kernel's idle loop (nobody is charged).
 */
void
clock_tick(bool from_user)
{
	clock_uptime++;
	if (from_user && proc_current && !proc_is_free(proc_current))
		sched_tick(proc_current, true);
	timers_expire(clock_uptime);
	dump_key_poll();
}
