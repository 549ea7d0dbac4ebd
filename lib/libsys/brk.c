/*
 * brk and sbrk (declared in <unistd.h>) over the BRK kernel call.
 *
 * The break is remembered here after the first call, so sbrk(0) and
 * malloc's questions cost no kernel call.  The copy lives in the program's
 * memory, which is what moves in a live update, so it stays true for the
 * program that owns it.
 */
#include "libsys.h"
#include <unistd.h>

static uintptr_t current_break; /* 0: not asked yet */

static int
learn_break(void)
{
	struct msg_sys_brk_reply reply;
	int r;

	if (current_break)
		return 0;
	if ((r = sys_brk(NULL, &reply)) < 0)
		return r;
	current_break = reply.end;
	return 0;
}

int
brk(void *end)
{
	struct msg_sys_brk_reply reply;
	int r;

	if (!end)
		return -EINVAL; /* 0 would only ask */
	if ((r = sys_brk(end, &reply)) < 0)
		return r;
	current_break = reply.end;
	return 0;
}

void *
sbrk(intptr_t inc)
{
	uintptr_t old;

	if (learn_break() < 0)
		return (void *)-1;
	old = current_break;
	if (inc == 0)
		return (void *)old;
	if ((inc > 0 && old + (uintptr_t)inc < old) || (inc < 0 && (uintptr_t)-inc > old))
		return (void *)-1; /* would wrap around */
	if (brk((void *)(old + (uintptr_t)inc)) < 0)
		return (void *)-1;
	return (void *)old;
}
