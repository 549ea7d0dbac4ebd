/*
 * The kernel-call protocol: a kernel call is a SENDREC to SYSTEM whose m_type
 * is KCALL_BASE + the call's number (kcall.def).  The kernel checks the
 * number against the caller's call mask (EPERM), runs the handler, and
 * replies in the same message buffer: m_type is 0 or -E, and the payload is
 * the call's reply struct.  Unknown numbers get ENOSYS.
 *
 * Every request and reply payload is declared here, one struct per message,
 * each checked against the 56-byte payload in message.h.
 */
#ifndef AX_KCALL_H
#define AX_KCALL_H

#include <ax/types.h>

#define KCALL_BASE  0x600
#define KCALL_LIMIT 0x700 /* m_type in [BASE, LIMIT) is a kernel call */

enum kcall_nr {
#define KCALL(nr, NAME, name) KCALL_##NAME = KCALL_BASE + (nr),
#include <ax/kcall.def>
#undef KCALL
};

#define KCALL_COUNT 64 /* room in the call mask; numbers < this */

#define PROC_NAME_LEN 16 /* process names, NUL included */

/* A call's bit in a call mask; what every system process may call. */
#define KCALL_BIT(NAME) ((uint64_t)1 << (KCALL_##NAME - KCALL_BASE))
#define KCALL_BASIC_CALLS                                                                \
	(KCALL_BIT(GETINFO) | KCALL_BIT(SETALARM) | KCALL_BIT(TIMES) | KCALL_BIT(EXIT) | \
	 KCALL_BIT(DIAGCTL) | KCALL_BIT(STATECTL) | KCALL_BIT(SETGRANT) |                \
	 KCALL_BIT(SAFECOPYFROM) | KCALL_BIT(SAFECOPYTO) | KCALL_BIT(VSAFECOPY) | KCALL_BIT(BRK))

/* getinfo: what to get. */
enum getinfo_what {
	GETINFO_WHOAMI = 1,    /* reply: msg_sys_whoami */
	GETINFO_KINFO = 2,     /* reply: msg_sys_kinfo */
	GETINFO_LOOKUP = 3,    /* request names a process; reply: msg_sys_lookup (a process
				   held without privileges only if no other has the name) */
	GETINFO_IMAGE = 4,     /* boot module `index` from byte `offset` on copied to addr
				   (at most len bytes); reply: msg_sys_image */
	GETINFO_PRIV = 5,      /* the privileges and state of endpt; reply: msg_sys_privinfo */
	GETINFO_RESOURCES = 6, /* what is in use; reply: msg_sys_resources */
	GETINFO_PRIV_DESC = 7, /* all of endpt's privileges as a struct priv_desc at
				   addr (len its size): what a test reads back */
};

struct msg_sys_getinfo {
	int32_t what;             /* enum getinfo_what */
	char name[PROC_NAME_LEN]; /* GETINFO_LOOKUP: whom to find */
	int32_t index;            /* GETINFO_IMAGE: which module */
	uint64_t addr;            /* GETINFO_IMAGE: where to */
	uint64_t len;
	endpoint_t endpt; /* GETINFO_PRIV: whose */
	uint32_t offset;  /* GETINFO_IMAGE: from which byte (EINVAL past the end) */
	uint8_t pad[8];
};

struct msg_sys_privinfo {
	uint64_t call_mask;
	uint32_t flags; /* PRIV_FLAG_SYS_PROC, _MAGIC_GRANTS, _ROOT, _ADMIN */
	endpoint_t sig_mgr;
	uint32_t state;      /* PROC_STATE_*: why it does not run */
	uint32_t ipc;        /* PROC_IPC_SENDING, PROC_IPC_RECEIVING, or 0 */
	uint64_t mem_limit;  /* bytes (priv_desc.mem_limit) */
	uint64_t mem_used;   /* bytes its address space holds now */
	endpoint_t ipc_peer; /* blocked in IPC: to or from whom (ANY); else NONE */
	uint8_t pad[12];
};

#define PROC_STATE_FROZEN   0x01 /* stopped by a signal its manager has not ended */
#define PROC_STATE_HELD     0x02 /* not allowed to run (privctl) */
#define PROC_STATE_SENDING  0x04 /* blocked in a send */
#define PROC_STATE_AWAITING 0x08 /* blocked waiting for the reply to its SENDREC */

/* Blocked in IPC: what a test waits for before it counts on a peer's state. */
#define PROC_IPC_SENDING   0x01 /* in SEND, or SENDREC's send half, to ipc_peer */
#define PROC_IPC_RECEIVING 0x02 /* in RECEIVE, or SENDREC's reply half, from ipc_peer */

#define PRIV_FLAG_SYS_PROC 0x01 /* a system process (own privileges) */

struct msg_sys_image {
	uint64_t size;               /* the module's whole size */
	char program[PROC_NAME_LEN]; /* its program name (file name without .elf) */
	uint8_t pad[32];
};

struct msg_sys_whoami {
	endpoint_t endpt;
	uint32_t priv_flags;
	char name[PROC_NAME_LEN];
	uint8_t pad[32];
};

enum boot_mode {
	BOOT_NORMAL = 0, /* init, /etc/rc, a shell */
	BOOT_TEST = 1,   /* the in-guest test runner */
	BOOT_BENCH = 2,  /* the benchmark runner */
};

struct msg_sys_kinfo {
	uint32_t hz;        /* clock ticks per second */
	uint32_t boot_mode; /* enum boot_mode, from the kernel command line */
	uint32_t nr_slots;
	uint32_t pad0;
	uint64_t uptime; /* ticks since boot */
	char args[32];   /* kernel command line after the mode word */
};

/*
 * The kernel's countable resources, in use and in all: what a failure or a
 * restart could leak, so tests can show that cycles of them give
 * everything back (docs/self-repair.md).
 */
struct msg_sys_resources {
	uint64_t free_frames; /* physical page frames not allocated */
	uint32_t used_slots;  /* process slots taken (kernel identities not counted) */
	uint32_t nr_slots;    /* ...of these (all slots but the kernel's) */
	uint32_t used_privs;  /* privilege structures taken (the kernel's and the user one too) */
	uint32_t nr_privs;
	uint32_t timers;    /* kernel timers armed (alarms) */
	uint32_t irq_hooks; /* interrupt hooks in use */
	uint32_t nr_irq_hooks;
	uint32_t unknown_calls;  /* system-call numbers logged as unknown (once each) */
	uint32_t reserve_frames; /* of free_frames, those only a root may take (quota.h) */
	uint8_t pad[12];
};

struct msg_sys_lookup {
	endpoint_t endpt; /* NONE if no live process has the name */
	uint8_t pad[52];
};

/* setalarm: one alarm per process; expiry is a NOTIFY from CLOCK. */
struct msg_sys_setalarm {
	uint64_t ticks; /* relative: 0 cancels; absolute: a tick count */
	int32_t absolute;
	uint8_t pad[44];
};

/*
 * A SENDREC's bound (its third argument, ax/ipc.h; libsys's
 * ipc_sendrec_bounded): if it still waits then (to send, or for the
 * answer), the process it waits for gets SIGHUNG (its signal manager
 * decides: RS restarts it, and the caller is released with EDEADSRCDST).
 * The client's bound is only a request: the callee is called hung only if
 * its own configuration promises an answer (priv_desc.reply_bound, N
 * ticks) and the caller has waited at least N ticks since its SENDREC
 * began; a callee that promises nothing (a tty, whose reads wait for a
 * line) never is, and its caller simply goes on waiting.  Nor is any bound
 * below CALL_BOUND_MIN.  A bound above REPLY_BOUND_MAX is EINVAL.
 */
#define CALL_BOUND_MIN  10                  /* ticks */
#define REPLY_BOUND_MAX ((uint64_t)1 << 32) /* ticks: a bound's largest */

struct msg_sys_setalarm_reply {
	uint64_t prev_left; /* ticks left on the alarm this replaced, or 0 */
	uint64_t now;       /* uptime in ticks */
	uint8_t pad[40];
};

/* times: CPU time of a process (SELF allowed) and the uptime. */
struct msg_sys_times {
	endpoint_t endpt;
	uint8_t pad[52];
};

struct msg_sys_times_reply {
	uint64_t user_ticks;
	uint64_t sys_ticks;
	uint64_t uptime;   /* ticks since boot */
	uint64_t tsc;      /* time-stamp counter at the call */
	uint32_t sleeping; /* nonzero: it waits, its request taken (ps's S; do_times.c) */
	uint8_t pad[20];
};

/* irqctl: attach this process to an interrupt line. */
enum irqctl_request {
	IRQ_SETPOLICY = 1, /* irq, policy, notify_id -> hook_id */
	IRQ_RMPOLICY = 2,  /* hook_id */
	IRQ_ENABLE = 3,    /* hook_id: unmask the line again */
	IRQ_DISABLE = 4,   /* hook_id */
};

#define IRQ_REENABLE 0x1 /* policy: unmask the line after notifying */

struct msg_sys_irqctl {
	int32_t request; /* enum irqctl_request */
	int32_t irq;
	int32_t policy;
	int32_t notify_id; /* SETPOLICY: bit (0..63) set in the notification */
	int32_t hook_id;   /* other requests: from SETPOLICY's reply */
	uint8_t pad[36];
};

struct msg_sys_irqctl_reply {
	int32_t hook_id;
	uint8_t pad[52];
};

/* devio: one port access, checked against the caller's I/O ranges. */
enum devio_request {
	DIO_IN_BYTE = 1,
	DIO_IN_WORD,
	DIO_IN_LONG,
	DIO_OUT_BYTE,
	DIO_OUT_WORD,
	DIO_OUT_LONG,
};

struct msg_sys_devio {
	int32_t request; /* enum devio_request */
	uint32_t port;
	uint32_t value; /* for output */
	uint8_t pad[44];
};

struct msg_sys_devio_reply {
	uint32_t value; /* for input */
	uint8_t pad[52];
};

struct msg_sys_exit {
	int32_t status;
	uint8_t pad[52];
};

enum abort_how {
	ABORT_HALT = 1,     /* stop the machine */
	ABORT_POWEROFF = 2, /* leave QEMU with the exit status below */
	ABORT_RESTART = 3,  /* reset the machine (QEMU's -no-reboot: QEMU exits) */
};

struct msg_sys_abort {
	int32_t how;    /* enum abort_how */
	int32_t status; /* 0 success, other failure */
	uint8_t pad[48];
};

enum diagctl_code {
	DIAG_PRINT = 1,       /* addr, len: text for the kernel console */
	DIAG_DUMP_PROCS = 2,  /* print the process table */
	DIAG_DUMP_TABLES = 3, /* addr, len: every kernel table as text into the caller's
				   buffer (at most len bytes); returns the whole text's length */
	DIAG_FASTPATH = 4,    /* len 0: IPC fast path off, 1: on, else unchanged;
				   reply: addr the times it was taken, len 1 if on */
};

struct msg_sys_diagctl {
	int32_t code; /* enum diagctl_code */
	uint32_t pad0;
	uint64_t addr;
	uint64_t len;
	uint8_t pad[32];
};

#define DIAG_PRINT_MAX 1024 /* longest DIAG_PRINT accepted */

/*
 * probe (debug, for authority.smep_smap_nx; no service's configuration
 * lists it): make the kernel itself attempt an access the hardware must
 * refuse, and say whether it faulted.  Reply: m_type 0 if the access went
 * through (the protection is missing), -EFAULT if it faulted.
 */
enum probe_kind {
	PROBE_READ_USER = 1,  /* addr: a byte of the caller's memory, read by the kernel (SMAP) */
	PROBE_EXEC_USER = 2,  /* addr: the caller's code (a `ret`), called by the kernel (SMEP) */
	PROBE_WRITE_TEXT = 3, /* a byte of kernel text written back unchanged (read-only text) */
	PROBE_EXEC_DATA = 4,  /* a `ret` in kernel data, called by the kernel (NX) */
};

struct msg_sys_probe {
	int32_t kind; /* enum probe_kind */
	uint32_t pad0;
	uint64_t addr;
	uint8_t pad[40];
};

/* privctl: the caller (with PRIVCTL in its call mask) configures endpt. */
enum privctl_request {
	PRIVCTL_SET = 1,       /* full description at addr (struct priv_desc) */
	PRIVCTL_SET_USER = 2,  /* share the unprivileged user slot */
	PRIVCTL_ADD_IO = 3,    /* base, limit: one more I/O port range */
	PRIVCTL_ADD_IRQ = 4,   /* base: one more IRQ line */
	PRIVCTL_ADD_MEM = 5,   /* base, limit: one more physical memory range */
	PRIVCTL_QUERY_MEM = 6, /* base, limit: 0 if within endpt's ranges, else EPERM */
	PRIVCTL_ALLOW = 7,     /* let endpt run */
	PRIVCTL_DISALLOW = 8,  /* stop endpt from running */
};

struct msg_sys_privctl {
	endpoint_t endpt;
	int32_t request; /* enum privctl_request */
	uint64_t addr;
	uint64_t base;
	uint64_t limit; /* inclusive */
	uint8_t pad[24];
};

#define PRIV_DESC_IPC 32 /* IPC targets in one description */
#define PRIV_DESC_IO  8
#define PRIV_DESC_MEM 4

/* What PRIVCTL_SET gives a process (read from the caller's memory). */
struct priv_desc {
	uint32_t flags;     /* PRIV_* flags below */
	uint32_t irq_mask;  /* bit per IRQ line */
	uint64_t call_mask; /* bit per kernel-call number */
	endpoint_t sig_mgr; /* who gets its signals; NONE: the kernel ends it */
	uint32_t nr_ipc;    /* ipc_to[] entries used; ~0: all */
	endpoint_t ipc_to[PRIV_DESC_IPC];
	uint32_t nr_io;
	uint32_t nr_mem;
	struct {
		uint32_t base, limit;
	} io[PRIV_DESC_IO];
	struct {
		uint64_t base, limit;
	} mem[PRIV_DESC_MEM];
	uint64_t mem_limit;   /* bytes of memory its address space may hold
					   (image, stack, heap); 0: PRIV_MEM_DEFAULT */
	uint64_t reply_bound; /* ticks within which it answers every SENDREC
					   (a bounded one); 0: none, or CALL_BOUND_MIN..
					   REPLY_BOUND_MAX */
};

#define PRIV_MEM_DEFAULT   ((uint64_t)64 << 20)
#define PRIV_MEM_UNLIMITED (~(uint64_t)0)

#define PRIV_DESC_ALL_IPC      0xffffffffu
#define PRIV_FLAG_MAGIC_GRANTS 0x100 /* may create magic grants (VFS) */
#define PRIV_FLAG_ROOT \
	0x200 /* the root of authority: responsible for every
					   process, holds every resource (RS, its replica;
					   test harnesses).  Only a root may give it. */
/*
 * RS obeys this process's requests (servers/rs/README.md): the stand-in for
 * an administrator (root through the service command) until PM knows users.
 * The kernel gives it no power; privctl passes it on only from a holder
 * (or a root).
 */
#define PRIV_FLAG_ADMIN 0x400

/*
 * linuxctl: the caller serves a class of Linux calls (enum lx_owner in
 * linux.h; docs/processes.md).  SERVE makes it the class's owner; for PM it
 * also becomes the signal manager of the shared user slot.
 */
enum linuxctl_request {
	LINUXCTL_SERVE = 1,   /* owner: LX_OWNER_PM, _VM or _VFS */
	LINUXCTL_RELEASE = 2, /* the owner gives the class back to the server it
				 took it from, if that one still lives (a test
				 that stood in for VM) */
};

struct msg_sys_linuxctl {
	int32_t request; /* enum linuxctl_request */
	int32_t owner;   /* enum lx_owner */
	uint8_t pad[48];
};

/* setgrant: the caller's table, entries at addr (grant.h). */
struct msg_sys_setgrant {
	uint64_t addr;
	uint64_t entries;
	uint8_t pad[40];
};

/* safecopyfrom / safecopyto: owner is the grant's owner (the requester). */
struct msg_sys_safecopy {
	endpoint_t owner;
	int32_t grant;
	uint64_t offset; /* into the grant */
	uint64_t addr;   /* in the caller */
	uint64_t bytes;
	uint8_t pad[24];
};

struct msg_sys_vsafecopy {
	uint64_t vec_addr; /* struct vscp_vec[count] in the caller */
	uint32_t count;
	uint8_t pad[44];
};

/* update: swap the slots of src and dst. */
#define UPDATE_ROLLBACK 0x1 /* undoing an earlier swap: abort src's pending send */

struct msg_sys_update {
	endpoint_t src;
	endpoint_t dst;
	int32_t flags;
	uint8_t pad[44];
};

enum statectl_request {
	STATECTL_CLEAR_IPC_REFS = 1, /* release everyone blocked on me (EDEADSRCDST) */
};

struct msg_sys_statectl {
	int32_t request;
	uint8_t pad[52];
};

/* spawn: a new process running the ELF image at image[0..size). */
struct msg_sys_spawn {
	uint64_t image;
	uint64_t size;            /* at most 1 MiB */
	char name[PROC_NAME_LEN]; /* NUL-terminated; also argv[0] */
	uint64_t args;            /* more arguments: words separated by spaces, or 0 */
	uint64_t args_len;        /* less than SPAWN_ARGS_MAX */
	int32_t priority;         /* 0 (highest) .. 15; -1: the creator's.  Never above it. */
	endpoint_t into;          /* 0: a new process; else a dead one, restarted in its slot */
};

struct msg_sys_spawn_reply {
	endpoint_t endpt; /* the new process: not yet allowed to run */
	uint8_t pad[52];
};

#define SPAWN_ARGS_MAX 128

/*
 * fork: a new user process as a copy of one that waits in a Linux call
 * (kernel/system/do_fork.c, docs/processes.md section 4).  flags must be
 * FORK_EMPTY_MEM: the child's space is empty and VM fills it (VM_FORK,
 * include/ax/vm.h).  (0x1, the kernel's copy of every page, is gone.)
 */
#define FORK_EMPTY_MEM 0x2

struct msg_sys_fork {
	endpoint_t parent;
	uint32_t flags;
	uint8_t pad[48];
};

struct msg_sys_fork_reply {
	endpoint_t endpt; /* the child: held (RTS_NO_PRIV) until privctl ALLOW */
	uint8_t pad[52];
};

/*
 * sigctl: the signal manager of user processes (PM) acts on one of them
 * (docs/processes.md section 6, kernel/system/do_sigctl.c).
 *   STOP    freeze it (it runs again only after FRAME or RESUME); the reply
 *           names the server that holds its Linux call (NONE: none).  A
 *           call not yet received by its server is taken back: it runs
 *           again when the process resumes.
 *   FRAME   build the signal frame described by the lx_sigframe_req at
 *           `req` in the caller's memory and let the process run the
 *           handler; with `complete`, the process's Linux call, held by the
 *           caller, is answered with `result` first (a restart code is
 *           resolved by the action's SA_RESTART).  sig is the signal.
 *   RESUME  let it run again without a handler (a restart code restarts).
 */
enum sigctl_op { SIGCTL_STOP = 1, SIGCTL_FRAME = 2, SIGCTL_RESUME = 3 };

struct msg_sys_sigctl {
	int32_t op;
	endpoint_t endpt;
	uint64_t req;   /* FRAME: address of a struct lx_sigframe_req */
	int64_t result; /* FRAME with complete: the held call's result */
	int32_t complete;
	int32_t sig;
	uint8_t pad[24];
};

struct msg_sys_sigctl_reply {
	endpoint_t held_by; /* STOP: the server holding its Linux call, or NONE */
	uint8_t pad[52];
};

/* clear, kill, getksig, endksig: a process and a signal. */
struct msg_sys_signal {
	endpoint_t endpt; /* getksig reply: NONE when nothing is pending */
	int32_t sig;      /* kill */
	uint64_t sigs;    /* getksig reply: the pending set */
	uint8_t pad[40];
};


/*
 * brk: move the end of the caller's own heap (0: only ask).  The heap is
 * [start, end), from the page after the program's highest segment; the
 * pages under it are mapped, zero when new.  Moves to VM later.
 */
struct msg_sys_brk {
	uint64_t addr; /* the new end, or 0 */
	uint8_t pad[48];
};

struct msg_sys_brk_reply {
	uint64_t start; /* where the heap begins */
	uint64_t end;   /* its end now */
	uint64_t max;   /* the largest end allowed */
	uint8_t pad[32];
};

/*
 * mapimage: boot module `index`, mapped writable (a data module) or
 * read-only (a program) into the caller's space in place at MAPIMAGE_BASE +
 * index * MAPIMAGE_STRIDE (the reply's addr), its frames the module's own:
 * nothing is copied, and they outlive the mapping (kernel/system/do_mapimage.c).
 */
#define MAPIMAGE_BASE   0x0000500000000000ull
#define MAPIMAGE_STRIDE 0x0000000100000000ull /* 4 GiB a module */

struct msg_sys_mapimage {
	int32_t index;
	uint8_t pad[52];
};

struct msg_sys_mapimage_reply {
	uint64_t addr; /* where it is mapped */
	uint64_t size; /* its bytes (the pages up to page_up(size) are mapped) */
	uint8_t pad[40];
};

/*
 * vmctl: the mapping interface of the VM server (kernel/system/do_vmctl.c,
 * docs/processes.md section 5).  Only the process registered as the VM
 * class of Linux calls (linuxctl) may use it, and only on user processes
 * (the shared user slot).  Frames must be VM's: those the kernel handed
 * over at boot (VMCTL_GETMEM).  Addresses are page-aligned user addresses.
 */
enum vmctl_op {
	VMCTL_GETMEM = 1,  /* range `index` of VM's physical memory: reply base, end
			      (-ENOENT past the last) */
	VMCTL_NEWAS = 2,   /* endpt gets a fresh empty address space; the old one is
			      destroyed (its VM frames are VM's to free) */
	VMCTL_MAP = 3,     /* map frame pa at va of endpt with flags (VMCTL_F_*); what
			      was mapped there is replaced */
	VMCTL_UNMAP = 4,   /* unmap `pages` pages from va of endpt */
	VMCTL_PROTECT = 5, /* set the rights (VMCTL_F_WRITE/EXEC) of the mapped pages
			      among `pages` pages from va */
};

#define VMCTL_F_WRITE 0x1 /* the user may write */
#define VMCTL_F_EXEC  0x2 /* the user may execute */
#define VMCTL_F_ZERO  0x4 /* MAP: zero the frame first */
#define VMCTL_F_COPY  0x8 /* MAP: copy frame src into it first */

struct msg_sys_vmctl {
	int32_t op;       /* enum vmctl_op */
	endpoint_t endpt; /* the user process */
	uint64_t va;
	uint64_t pa;
	uint64_t src;   /* VMCTL_F_COPY: the frame copied */
	uint64_t pages; /* UNMAP, PROTECT; GETMEM: the range's index */
	uint32_t flags; /* VMCTL_F_* */
	uint8_t pad[12];
};

struct msg_sys_vmctl_reply {
	uint64_t base; /* GETMEM */
	uint64_t end;
	uint8_t pad[40];
};

/*
 * exec: the caller, the signal manager of user process endpt, starts its
 * new program: registers cleared, rip = ip, rsp = sp, FS/GS base 0, a clean
 * FPU; a Linux call the process waited in (execve) ends without a reply.
 * Its memory was made by VM beforehand (include/ax/vm.h).
 */
struct msg_sys_exec {
	endpoint_t endpt;
	uint32_t pad0;
	uint64_t ip;
	uint64_t sp;
	char name[PROC_NAME_LEN]; /* the process's new name (its log lines, dumps) */
	uint64_t brk; /* a service VM built: where the kernel's brk heap starts (0: none) */
	uint8_t pad[8];
};

#endif
