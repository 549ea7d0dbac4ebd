/*
 * Endpoints: the names processes use for one another in IPC.
 *
 * An endpoint is (generation << ENDPT_SLOT_BITS) | slot.  The slot indexes the
 * kernel's process table; the generation changes every time the slot is given
 * to a new process, so a message to a dead process's endpoint fails with
 * EDEADSRCDST instead of reaching a stranger in the same slot.  A stateful
 * restart or a live update keeps the endpoint (the slots are swapped).
 *
 * Slot 0 is never used, so a zeroed field never names a live process.  The
 * kernel identities have fixed slots with generation 0, which makes their
 * endpoints small constants.  Every process, the boot processes included,
 * takes a free slot from FIRST_FREE_SLOT on: find it by name (sys_lookup).
 */
#ifndef AX_ENDPOINT_H
#define AX_ENDPOINT_H

#include <ax/types.h>

#define ENDPT_SLOT_BITS 10
#define ENDPT_SLOT_MASK ((1 << ENDPT_SLOT_BITS) - 1)
#define ENDPT_MAX_GEN   ((1 << (31 - ENDPT_SLOT_BITS)) - 1)

#define NR_SLOTS 256 /* process-table size, kernel identities included */

/* Special values: slots that never exist, so they never equal a real endpoint. */
#define ANY  ((endpoint_t)1023) /* receive from anyone */
#define NONE ((endpoint_t)1022) /* no process */
#define SELF ((endpoint_t)1021) /* the caller itself */

/* Kernel identities: senders of kernel notifications, target of kernel calls. */
#define HARDWARE        ((endpoint_t)1) /* interrupt notifications */
#define SYSTEM          ((endpoint_t)2) /* kernel calls; signal notifications */
#define CLOCK           ((endpoint_t)3) /* alarm notifications */
#define ASYNCM          ((endpoint_t)4) /* SENDA completion notifications */
#define CONSOLE         ((endpoint_t)5) /* the dump key on the console (to RS) */
#define NR_KERNEL_SLOTS 6               /* slots 0..5 */

/* Processes, boot modules first, take slots from here on; find them by name. */
#define FIRST_FREE_SLOT NR_KERNEL_SLOTS

static inline endpoint_t
endpoint_make(int slot, int gen)
{
	return (endpoint_t)((gen << ENDPT_SLOT_BITS) | slot);
}

static inline int
endpoint_slot(endpoint_t e)
{
	return e & ENDPT_SLOT_MASK;
}

static inline int
endpoint_gen(endpoint_t e)
{
	return (int)((uint32_t)e >> ENDPT_SLOT_BITS);
}

/* The next generation for a slot being reused: wraps to 1, never back to 0. */
static inline int
endpoint_next_gen(int gen)
{
	return gen >= ENDPT_MAX_GEN ? 1 : gen + 1;
}

#endif
