/*
 * Privilege structures: what a system process may do.
 *
 * Every system process has its own struct priv; the kernel identities have
 * one each so that their notifications can be recorded by priv id.  The
 * bitmaps over priv ids (IPC targets, pending notifications, pending SENDA)
 * are how the kernel keeps per-sender state without per-pair tables.
 *
 * The boot image table (table.c) fills them in for boot processes; privctl
 * (do_privctl.c) lets a privileged process (RS) set them for another.
 */
#ifndef KERNEL_PRIV_H
#define KERNEL_PRIV_H

#include "kernel.h"
#include "timer.h"
#include "proc.h"

#define BITMAP_WORDS(n) (((n) + 63) / 64)
#define NR_IO_RANGES    8
#define NR_MEM_RANGES   4

/* s_flags */
#define PRIV_SYS_PROC     0x01 /* a system process: may use native IPC */
#define PRIV_IN_USE       0x02
#define PRIV_IPC_ALL      0x04  /* may send to everyone, present and future */
#define PRIV_MAGIC_GRANTS 0x100 /* = PRIV_FLAG_MAGIC_GRANTS in kcall.h */
#define PRIV_ROOT         0x200 /* = PRIV_FLAG_ROOT: authority.h */
#define PRIV_ADMIN        0x400 /* = PRIV_FLAG_ADMIN: RS's policy, not the kernel's */

struct io_range {
	uint32_t base;
	uint32_t limit; /* last port, inclusive */
};

struct priv {
	int s_id;        /* index in priv_table; the bit in bitmaps */
	int s_proc_slot; /* the process it belongs to */
	uint32_t s_flags;

	uint64_t s_call_mask;                      /* allowed kernel calls, bit = call number */
	uint64_t s_ipc_to[BITMAP_WORDS(NR_PRIVS)]; /* allowed send targets */

	uint64_t s_notify_pending[BITMAP_WORDS(NR_PRIVS)]; /* by sender id */
	uint64_t s_asyn_pending[BITMAP_WORDS(NR_PRIVS)];   /* by sender id */
	uint64_t s_int_pending;                            /* HARDWARE: notify ids of fired IRQs */


	struct io_range s_io_tab[NR_IO_RANGES];
	int s_nr_io_ranges;
	uint32_t s_irq_mask; /* IRQ lines it may attach to */
	struct mem_range_priv {
		uint64_t base, limit;
	} s_mem_tab[NR_MEM_RANGES];
	int s_nr_mem_ranges;


	endpoint_t s_sig_mgr;   /* gets this process's signals; NONE: the kernel ends it */
	uint64_t s_mem_limit;   /* bytes of user memory it may hold (quota.h) */
	uint64_t s_reply_bound; /* ticks it promises to answer a SENDREC in; 0: no
					   promise, no caller can call it hung (do_setalarm.c) */

	struct timer s_alarm;      /* setalarm */
	struct timer s_call_timer; /* its SENDRECs' bounds (ipc_bound.c) */
};

extern struct priv priv_table[NR_PRIVS];

/* Bits are priv ids, never negative: unsigned, so that / and % are shifts. */
static inline bool
bitmap_test(const uint64_t *map, unsigned bit)
{
	return (map[bit / 64] >> (bit % 64)) & 1;
}

static inline void
bitmap_set(uint64_t *map, unsigned bit)
{
	map[bit / 64] |= (uint64_t)1 << (bit % 64);
}

static inline void
bitmap_clear(uint64_t *map, unsigned bit)
{
	map[bit / 64] &= ~((uint64_t)1 << (bit % 64));
}

struct proc;

#define USER_PRIV_ID (NR_PRIVS - 1) /* the one slot all user processes share */

void priv_init(void);
struct priv *priv_alloc(struct proc *p);
struct priv *priv_user(void);
void priv_free(struct priv *s);
int priv_count_used(void);
bool priv_has_io(const struct priv *s, uint64_t base, uint64_t limit);
bool priv_has_mem(const struct priv *s, uint64_t base, uint64_t limit);

/*
 * May `from` send to `to`?  Masks are directional and name priv ids.  The
 * one exception, the reply to a SENDREC, is not here: it holds only for a
 * message delivered at once (ipc_is_reply in ipc.c), so that nothing queued
 * or pending can outlive the call it answers.  Nobody may send to a user
 * process (the shared slot): the reply to its Linux call is that exception.
 * Inline: every send asks, the IPC fast path included.
 */
static inline bool
priv_may_send(const struct proc *from, const struct proc *to)
{
	if (!from->p_priv || !to->p_priv)
		return false;
	if (!(to->p_priv->s_flags & PRIV_SYS_PROC))
		return false; /* user processes: only the reply to their Linux call */
	return (from->p_priv->s_flags & PRIV_IPC_ALL) ||
	       bitmap_test(from->p_priv->s_ipc_to, to->p_priv->s_id);
}

/* May p make kernel call number kcall (its call mask)?  Inline: every kernel call asks. */
static inline bool
priv_may_call(const struct proc *p, int kcall)
{
	return p->p_priv && ((p->p_priv->s_call_mask >> kcall) & 1);
}

#endif
