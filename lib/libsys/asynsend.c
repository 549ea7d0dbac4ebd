/*
 * asynsend(): send a message without ever blocking and without losing it
 * when the receiver is busy: the message goes into this process's SENDA
 * table and the kernel delivers it as soon as the receiver receives.  For
 * servers (RS) that must not block on the processes they serve.  The table
 * is re-registered on every call, which also lets the kernel reuse entries
 * it has finished.
 */
#include "libsys.h"
#include <string.h>

#define ASYN_ENTRIES SENDA_MAX

static asynmsg_t asyn_table[ASYN_ENTRIES] __attribute__((aligned(16)));

/* Is a message still waiting for its receiver (a live update must wait for it)? */
bool
asynsend_pending(void)
{
	for (int i = 0; i < ASYN_ENTRIES; i++)
		if ((__atomic_load_n(&asyn_table[i].flags, __ATOMIC_ACQUIRE) &
		     (AMF_VALID | AMF_DONE)) == AMF_VALID)
			return true;
	return false;
}

int
asynsend(endpoint_t dst, const message *m)
{
	return asynsend3(dst, m, 0);
}

/* flags: AMF_NOREPLY keeps the message from ending a SENDREC of dst's. */
int
asynsend3(endpoint_t dst, const message *m, uint32_t flags)
{
	for (int i = 0; i < ASYN_ENTRIES; i++) {
		asynmsg_t *a = &asyn_table[i];

		if ((a->flags & AMF_VALID) && !(a->flags & AMF_DONE))
			continue;
		a->msg = *m;
		a->dst = dst;
		a->result = 0;
		__atomic_store_n(&a->flags, AMF_VALID | (flags & AMF_NOREPLY), __ATOMIC_RELEASE);
		return ipc_senda(asyn_table, ASYN_ENTRIES);
	}
	return -ENOSPC;
}
