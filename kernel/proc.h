/*
 * The process table.
 *
 * A slot holds one process: its saved context (arch part), scheduling state,
 * IPC state and accounting.  Slots 1..NR_KERNEL_SLOTS-1 are the kernel's own
 * identities (HARDWARE, SYSTEM, CLOCK, ASYNCM, CONSOLE): they never run, but they have
 * privilege structures so they can send notifications.
 *
 * p_rts_flags says why a process cannot run; it is runnable (and sits in a
 * ready queue) exactly when p_rts_flags is 0.  Blocking and unblocking only go
 * through proc_block() / proc_unblock(), which keep the queues in step.
 */
#ifndef KERNEL_PROC_H
#define KERNEL_PROC_H

#include "kernel.h"
#include "arch.h"

/* Why a process is not runnable. */
#define RTS_SLOT_FREE   0x01 /* no process in this slot */
#define RTS_SENDING     0x02 /* blocked in a send to p_sendto_e */
#define RTS_RECEIVING   0x04 /* blocked in a receive from p_getfrom_e */
#define RTS_KERNEL      0x08 /* a kernel identity: never runs */
#define RTS_DYING       0x10 /* being torn down */
#define RTS_SIG_PENDING 0x20 /* frozen: its signal manager has not ended the signal */
#define RTS_NO_PRIV     0x40 /* not allowed to run (privctl DISALLOW) */
#define RTS_MGR_STOP    0x80 /* a user process its signal manager stopped (sigctl) */

/* Other per-process flags. */
#define MF_REPLY_PEND  0x01 /* in SENDREC: only the reply may end the receive */
#define MF_SIG_FETCHED 0x02 /* its manager took the signals (getksig), endksig is due */
#define MF_LINUX_CALL  0x04 /* a user process in a Linux call: the reply goes to rax (linux.c) */
#define MF_PAGEFAULT   0x08 /* ... waiting for VM to resolve its page fault (linux.c) */
#define MF_VMREQ       0x10 /* a kernel call waits for VM to make user memory present (linux.c) */
#define MF_VM_SPACE    0x20 /* its address space is VM's (vmctl NEWAS): a service RS had VM build */

struct priv;

/*
 * A process's heap (kernel/system/do_brk.c): [h_start, h_end), and the pages
 * under it (h_end rounded up to a page) are mapped.  Part of the program:
 * it moves with the address space in an update.
 */
struct proc_heap {
	vir_addr_t h_start; /* the page after the program's highest segment */
	vir_addr_t h_end;   /* the break */
};

/*
 * The kernel's translation caches of a process (vm.c): one page for its
 * message buffer, one for its tables (grants, asynchronous sends), one for
 * the data of its last grant copy, so that none evicts another.  va
 * TLB_NONE: nothing cached.
 */
enum vm_tlb_slot { TLB_MSG, TLB_TABLE, TLB_DATA, NR_TLB_SLOTS };

struct vm_tlbs {
	struct vm_tlb {
		vir_addr_t va;
		uint8_t *k; /* the page in the kernel's map (the direct map) */
		bool write;
	} slot[NR_TLB_SLOTS];
};

/*
 * A kernel call that did a bounded share of its work and runs again from
 * the same system-call instruction (system.h): which call, and how far it
 * got.  Another call (number or buffer) starts afresh.
 */
struct kcall_resume {
	int r_call; /* the call's number + 1; 0: none under way */
	vir_addr_t r_msgbuf;
	uint64_t r_done; /* the handler's measure: bytes copied */
};

/*
 * The program half of a process: what belongs to the program that runs in
 * a slot, not to the slot's endpoint.  update (do_update.c) swaps it
 * between two slots as one structure, so a field added here moves with its
 * program and nothing else needs to change; everything else in struct proc
 * (and the privileges) stays with the endpoint.  The list is written once
 * and used twice: as struct proc_program, which update copies, and as the
 * anonymous first member of struct proc, so that code says p->p_arch.
 */
#define PROC_PROGRAM_FIELDS                                                            \
	struct arch_proc p_arch; /* registers, FPU, address space; keep first */       \
	uint32_t p_rts_flags;    /* its blocked state moves with it */                 \
	uint32_t p_misc_flags;                                                         \
	char p_name[PROC_NAME_LEN];                                                    \
	endpoint_t p_getfrom_e; /* RTS_RECEIVING: from whom, or ANY */                 \
	vir_addr_t p_msgbuf;    /* where its last receive (a kernel call's reply */    \
				/* too) puts the message: RTS_RECEIVING's buffer */    \
	message *p_msgbuf_k;    /* ...in the kernel's map, when it was known as the */ \
				/* receive began (ipc_wait_into); NULL: translate.  */ \
				/* vm_tlb_forget drops it with p's translations.    */ \
	struct vm_tlbs p_tlb;   /* user pages the kernel translated lately (vm.c) */   \
	struct proc_heap p_heap;                                                       \
	size_t p_pages;          /* user pages mapped (vm.c); quota.h checks it */     \
	uint32_t p_pt_pages;     /* page tables made for VM's mappings (do_vmctl.c) */ \
	uint64_t p_pending_sigs; /* kernel signals for its manager (signal.h bits) */  \
	vir_addr_t p_asyntab;    /* registered SENDA table, in its memory */           \
	size_t p_asynsize;                                                             \
	vir_addr_t p_grant_table; /* registered with setgrant, in its memory */        \
	size_t p_grant_entries;                                                        \
	struct kcall_resume p_resume; /* a kernel call under way (system.h) */         \
	uint64_t p_user_ticks;        /* accounting */                                 \
	uint64_t p_sys_ticks;                                                          \
	uint64_t p_lx_nr;     /* the number of its last Linux call (a restart) */      \
	int32_t p_lx_restart; /* a restart code its cancelled call ended with */

struct proc_program {
	PROC_PROGRAM_FIELDS
};

struct proc {
	union {
		struct proc_program p_program; /* update swaps this */
		struct {
			PROC_PROGRAM_FIELDS
		};
	};

	/* The endpoint half. */
	endpoint_t p_endpoint;
	int p_slot;
	struct priv *p_priv;
	endpoint_t p_creator; /* who spawned it (NONE: the kernel); authority.c */

	/* Limits lent out of limits (privctl SET by a non-root: quota.c). */
	endpoint_t p_mem_lender; /* who lent it its limit (NONE: a root or the kernel) */
	uint64_t p_mem_borrowed; /* ...and how many bytes */
	uint64_t p_mem_lent;     /* bytes it lent to others out of its own limit */

	/* Scheduling. */
	uint8_t p_priority; /* ready-queue index */
	uint8_t p_quantum;  /* ticks per turn */
	uint8_t p_ticks_left;
	struct proc *p_next_ready; /* ready queue: doubly linked, so that taking */
	struct proc *p_prev_ready; /* a process off is O(1); meaningful only in it */

	/* IPC. */
	endpoint_t p_sendto_e;    /* RTS_SENDING: to whom */
	struct proc *p_caller_q;  /* processes blocked sending to me, FIFO */
	struct proc *p_q_link;    /* next in the caller queue I am on */
	message p_sendmsg;        /* RTS_SENDING: the message, m_source set */
	uint32_t p_send_call;     /* RTS_SENDING: SEND or SENDREC (status word) */
	uint64_t p_call_start;    /* the tick its last SENDREC began: a callee's
					   reply bound counts from it (ipc_bound.c) */
	uint64_t p_call_deadline; /* ...and the tick its own bound ends, 0: none */
	endpoint_t p_vmreq_e;     /* the user page its last kernel call asked VM */
	vir_addr_t p_vmreq_va;    /* for (linux_vm_request: once per page) */
};

AX_STATIC_ASSERT(offsetof(struct proc, p_arch) == 0, "the arch layer finds p_arch at offset 0");
AX_STATIC_ASSERT(sizeof(struct proc_program) == offsetof(struct proc, p_endpoint),
		 "struct proc_program and struct proc's first member have one layout");

extern struct proc proc_table[NR_SLOTS];
extern struct proc *proc_current; /* the process that runs, or entered the kernel; in no ready
				   queue (sched.c); NULL while the kernel idles */

static inline struct proc *
proc_addr(int slot)
{
	return &proc_table[slot];
}

static inline bool
proc_is_free(const struct proc *p)
{
	return p->p_rts_flags & RTS_SLOT_FREE;
}

static inline bool
proc_is_kernel(const struct proc *p)
{
	return p->p_rts_flags & RTS_KERNEL;
}

/*
 * Validate an endpoint that came from outside the kernel: every one goes
 * through this (or proc_by_name).  Inline: IPC and grants ask it on every
 * call.
 *   -EINVAL:      not an endpoint at all (slot out of range, slot 0)
 *   -EDEADSRCDST: a well-formed endpoint whose process is gone or was
 *                 replaced (generation mismatch)
 */
static inline int
proc_lookup(endpoint_t e, struct proc **pp)
{
	int slot = endpoint_slot(e);
	struct proc *p;

	if (e < 0 || slot == 0 || slot >= NR_SLOTS)
		return -EINVAL;
	p = proc_addr(slot);
	if (proc_is_free(p) || (p->p_rts_flags & RTS_DYING) || p->p_endpoint != e)
		return -EDEADSRCDST;
	*pp = p;
	return 0;
}

struct proc *proc_by_name(const char *name);
void proc_set_name(struct proc *p, const char *name);

void proc_init(void);
struct proc *proc_alloc(int slot); /* a free slot (slot < 0: any) */
void proc_block(struct proc *p, uint32_t flag);
void proc_unblock(struct proc *p, uint32_t flag);
void proc_clear(struct proc *p, const char *why);
void console_write_from(const struct proc *p, const char *s, size_t len); /* console.c */
void console_driver_byte(char c); /* a driver's byte to the console's port (DEVIO) */
int proc_count_used(void);
struct msg_sys_resources;
void resources_count(struct msg_sys_resources *r);

/* Scheduling (sched.c). */
void sched_enqueue(struct proc *p);
void sched_dequeue(struct proc *p);
struct proc *sched_pick(void);
void sched_tick(struct proc *p, bool user);
void switch_to_user(void) __attribute__((noreturn));
void sched_handoff(struct proc *p) __attribute__((noreturn));
void sched_resume(struct proc *p) __attribute__((noreturn));
bool sched_runs_on(const struct proc *p);
void sched_released_waits(struct proc *p) __attribute__((noreturn));

extern uint32_t sched_ready_mask;                   /* sched.c: bit q, ready queue q is not empty */
extern const uint32_t sched_above[NR_SCHED_QUEUES]; /* sched.c: the bits of queues above q */

/* Is a process of higher priority than p ready? */
static inline bool
sched_higher_ready(const struct proc *p)
{
	return sched_ready_mask & sched_above[p->p_priority];
}

/*
 * The IPC fast path's exit (inline, it is most of the fast path's way
 * out): out, which ran, has just blocked and `in` has just been released
 * (their p_rts_flags say so), and `in` runs now, in no queue, unless a
 * process of higher priority is ready (sched_released_waits).  At one
 * priority `in` runs on the rest of out's quantum: a client and a server
 * that hand off to each other are one turn to the others there, as one
 * process would be (sched.c).
 */
static inline __attribute__((always_inline, noreturn)) void
sched_fast_handoff(struct proc *out, struct proc *in)
{
	if (in->p_priority == out->p_priority)
		in->p_ticks_left = out->p_ticks_left;
	if (sched_higher_ready(in))
		sched_released_waits(in);
	proc_current = in;
	arch_switch_to(in);
}
void sched_preempt_by(struct proc *p) __attribute__((noreturn));

/* After the arch layer saved a process's registers (syscall.c). */
void syscall_dispatch(struct proc *p) __attribute__((noreturn)); /* the general path */
void user_fault(struct proc *p, int sig, const char *what) __attribute__((noreturn));

/* Kernel signals (signal.c). */
void sig_raise(struct proc *p, int sig, const char *why);
bool sig_mgr_able(const struct proc *mgr, const struct proc *p);
struct proc *sig_next_pending(const struct proc *mgr);
void sig_end(struct proc *p, struct proc *mgr);
void sig_clear_orphans(void);

#endif
