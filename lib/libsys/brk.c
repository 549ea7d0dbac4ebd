/*
 * brk and sbrk (declared in <unistd.h>) over the BRK kernel call, or, in a
 * service whose memory VM built (docs/processes.md section 5), over VM's
 * VM_BRK: the kernel says such a process has no heap of its own (start 0).
 *
 * The break is remembered here after the first call, so sbrk(0) and
 * malloc's questions cost no kernel call.  The copy lives in the program's
 * memory, which is what moves in a live update, so it stays true for the
 * program that owns it.
 */
#include "libsys.h"
#include <ax/vm.h>
#include <unistd.h>
#include <string.h>

static uintptr_t current_break;   /* 0: not asked yet */
static endpoint_t vm_heap = NONE; /* VM, if it keeps our heap */

/* VM_BRK: VM moves our heap's end to end (0: only asks). */
static int
vm_brk(void *end, struct msg_sys_brk_reply *out)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_type = VM_BRK;
	m.m_sys_brk.addr = (uint64_t)(uintptr_t)end;
	if ((r = ipc_sendrec(vm_heap, &m)) < 0)
		return r == -EDEADSRCDST ? -ENOMEM : r;
	if (m.m_type < 0)
		return m.m_type;
	*out = m.m_sys_brk_reply;
	return 0;
}

static int
learn_break(void)
{
	struct msg_sys_brk_reply reply;
	int r;

	if (current_break)
		return 0;
	if ((r = sys_brk(NULL, &reply)) < 0)
		return r;
	if (reply.start == 0) {
		if (sys_lookup("vm", &vm_heap) < 0)
			return -ENOMEM;
		if ((r = vm_brk(NULL, &reply)) < 0)
			return r;
	}
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
	if ((r = learn_break()) < 0)
		return r;
	if ((r = vm_heap != NONE ? vm_brk(end, &reply) : sys_brk(end, &reply)) < 0)
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
