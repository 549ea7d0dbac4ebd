/*
 * Kernel timers: a sorted list of expiry times in clock ticks.  Each
 * privilege structure has two, its alarm (setalarm) and its call bound
 * (ipc_bound.c); the clock runs expired timers from its tick handler.
 */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include <ax/types.h>

struct timer;
typedef void (*timer_fn)(struct timer *t);

struct timer {
	struct timer *t_next;
	uint64_t t_expiry; /* absolute, in ticks */
	timer_fn t_fn;
	int t_owner; /* process slot, for the callback */
	bool t_armed;
	bool t_uncounted; /* not a resource in use: a lazy call bound's (ipc_bound.c) */
};

extern uint64_t clock_uptime; /* ticks since boot */

void timer_set(struct timer *t, uint64_t expiry, timer_fn fn, int owner);
void timer_cancel(struct timer *t);
void timers_expire(uint64_t now);
int timers_armed(void);

void clock_tick(bool from_user);

#endif
