/*
 * The Linux ABI between the kernel and the servers that own Linux calls
 * (docs/processes.md).  A user process's `syscall` with a Linux number
 * becomes a request to the call's owner (include/ax/linux_calls.def):
 * m_source the process, m_type LX_CALL_BASE + number, the six arguments in
 * m_lx_call.  The owner answers the process's endpoint with an ordinary
 * native reply that the kernel turns into rax: m_type LX_REPLY and the
 * 64-bit result in m_lx_reply, or a plain 0 / -E in m_type.
 *
 * Message types: 0x4000 + Linux number (< LX_NR_CALLS) requests; 0x4200 the
 * reply.  The values of everything Linux defines here are Linux's.
 */
#ifndef AX_LINUX_H
#define AX_LINUX_H

#include <ax/types.h>

#define LX_CALL_BASE 0x4000
#define LX_NR_CALLS  512 /* Linux numbers the table may name */
#define LX_REPLY     0x4200
#define LX_ERRNO_MAX 4095 /* results -4095..-1 are errors */
/*
 * What a server's Linux-call handler returns for "no answer now" (the
 * caller waits on, or ended).  No result can take this value: results are
 * -4095..-1 or any non-negative number (a pid, a byte count, an address),
 * which is why a small code such as EDONTREPLY (203) must not serve: a
 * call whose answer is 203 would never be answered.
 */
#define LX_NO_REPLY  INT64_MIN

/* Call numbers as constants: LX_NR_getpid... */
enum {
#define LINUX_CALL(nr, name, owner) LX_NR_##name = (nr),
#include <ax/linux_calls.def>
#undef LINUX_CALL
};

/* Who owns a call: linuxctl's class, and the .def's OWNER column. */
enum lx_owner {
	LX_OWNER_NONE = 0,
	LX_OWNER_KERNEL = 1,
	LX_OWNER_PM = 2,
	LX_OWNER_VM = 3,
	LX_OWNER_VFS = 4,
	LX_NR_OWNERS = 5,
	LX_OWNER_ENOSYS = LX_NR_OWNERS /* known and not served, on purpose: -ENOSYS, not logged */
};

struct msg_lx_call {
	uint64_t arg[6]; /* rdi, rsi, rdx, r10, r8, r9 */
	uint64_t sp;     /* the caller's rsp (sigaltstack's SS_ONSTACK) */
};

struct msg_lx_reply {
	int64_t result; /* what rax becomes */
	uint8_t pad[48];
};

/*
 * Cancelling a call a server holds (docs/processes.md sections 2 and 6).
 * A signal that must interrupt a user process's Linux call: PM freezes the
 * process (sigctl STOP), which tells it which server holds the call, and
 * sends that server LX_CANCEL {endpt} (asynsend: PM never waits for it).
 * The server answers the held call as soon as it can, with -EINTR, the
 * bytes it had moved, or one of the restart codes below (as a Linux driver
 * returns -ERESTARTSYS); it sends nothing back to PM.  A server that holds
 * no call of endpt (its answer crossed the request) ignores LX_CANCEL.
 * The kernel tells PM when the call has ended (the kernel signal
 * SIGLXDONE, include/ax/signal.h), also when the server died meanwhile
 * (-EIO); PM then builds the signal frame.  The kernel turns a restart
 * code into a restart of the call (rip back over `syscall`, rax the number
 * again) or into -EINTR, as the handler's SA_RESTART says: a restart code
 * never reaches the program.  Every Linux-call owner that can hold a call
 * answers LX_CANCEL; VM, which holds only a file mmap until VFS answers
 * (servers/vm/mmap.c), ignores it: that call ends with VFS's answer, as a
 * read waiting on a file system does.
 */
#define LX_CANCEL 0x4201 /* PM -> the owner holding a call */

struct msg_lx_cancel {
	endpoint_t endpt; /* the user process whose call is cancelled */
	uint8_t pad[52];
};

/* Restart codes (Linux's own values): results of a cancelled call only. */
#define LX_ERESTARTSYS    512 /* restart if no handler runs or it has SA_RESTART */
#define LX_ERESTARTNOINTR 513 /* restart always */
#define LX_ERESTARTNOHAND 514 /* restart if no handler runs, else -EINTR */
#define LX_ERESTARTBLOCK  516 /* as NOHAND (Linux: restart_syscall) */
#define LX_IS_RESTART(r)  ((r) <= -LX_ERESTARTSYS && (r) >= -LX_ERESTARTBLOCK)

/* arch_prctl codes (kernel-local). */
#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

/* uname: struct new_utsname. */
#define LX_UTSNAME_LEN 65
struct lx_utsname {
	char sysname[LX_UTSNAME_LEN];
	char nodename[LX_UTSNAME_LEN];
	char release[LX_UTSNAME_LEN];
	char version[LX_UTSNAME_LEN];
	char machine[LX_UTSNAME_LEN];
	char domainname[LX_UTSNAME_LEN];
};

/* sysinfo: struct sysinfo of x86-64 (112 bytes); memory in units of mem_unit bytes. */
struct lx_sysinfo {
	int64_t uptime; /* seconds */
	uint64_t loads[3];
	uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	uint16_t procs, pad;
	uint64_t totalhigh, freehigh;
	uint32_t mem_unit;
	char reserved[4];
};
_Static_assert(sizeof(struct lx_sysinfo) == 112, "struct sysinfo of x86-64");

/* Linux wait statuses, as wait4 reports them. */
#define LX_W_EXITCODE(code) (((code)&0xff) << 8)
#define LX_W_TERMSIG(sig)   ((sig)&0x7f)
#define LX_W_STOPCODE(sig)  (((sig) << 8) | 0x7f)
#define LX_W_CONTINUED      0xffff

#define LX_SIGCHLD 17 /* the signal a child's end sends its parent (fork) */

/* wait4 and waitid options. */
#define LX_WNOHANG    0x00000001
#define LX_WUNTRACED  0x00000002 /* wait4; waitid's WSTOPPED */
#define LX_WEXITED    0x00000004 /* waitid */
#define LX_WCONTINUED 0x00000008
#define LX_WNOWAIT    0x01000000 /* waitid: leave the child waitable */
#define LX_WNOTHREAD  0x20000000
#define LX_WALL       0x40000000
#define LX_WCLONE     0x80000000

/* waitid's idtype, and the si_code of its SIGCHLD siginfo. */
#define LX_P_ALL         0
#define LX_P_PID         1
#define LX_P_PGID        2
#define LX_P_PIDFD       3
#define LX_CLD_EXITED    1
#define LX_CLD_KILLED    2
#define LX_CLD_DUMPED    3
#define LX_CLD_STOPPED   5
#define LX_CLD_CONTINUED 6
#define LX_W_COREFLAG    0x80

/*
 * Signals as the kernel ABI has them (x86-64): struct sigaction as
 * rt_sigaction takes it, stack_t, the 128-byte siginfo, and the request
 * by which PM has the kernel build a frame (sigctl FRAME).
 */
#define LX_SIG_DFL 0
#define LX_SIG_IGN 1

#define LX_SA_NOCLDSTOP 0x00000001
#define LX_SA_NOCLDWAIT 0x00000002
#define LX_SA_SIGINFO   0x00000004
#define LX_SA_RESTORER  0x04000000
#define LX_SA_ONSTACK   0x08000000
#define LX_SA_RESTART   0x10000000
#define LX_SA_NODEFER   0x40000000
#define LX_SA_RESETHAND 0x80000000

#define LX_SS_ONSTACK  1
#define LX_SS_DISABLE  2
#define LX_MINSIGSTKSZ 2048

#define LX_SIG_BLOCK   0
#define LX_SIG_UNBLOCK 1
#define LX_SIG_SETMASK 2

/* siginfo si_code values. */
#define LX_SI_USER   0
#define LX_SI_KERNEL 0x80
#define LX_SI_TKILL  (-6)

struct lx_sigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	uint64_t mask;
};

struct lx_stack {
	uint64_t ss_sp;
	int32_t ss_flags;
	int32_t pad;
	uint64_t ss_size;
};

struct lx_siginfo {
	int32_t si_signo;
	int32_t si_errno;
	int32_t si_code;
	int32_t pad0;
	union {
		struct {
			int32_t pid;
			uint32_t uid;
			int32_t status; /* SIGCHLD */
		} kill;
		uint64_t addr; /* SIGSEGV, SIGBUS, ... */
		uint8_t bytes[112];
	} u;
};

AX_STATIC_ASSERT(sizeof(struct lx_siginfo) == 128, "Linux's siginfo is 128 bytes");

/* struct rusage: two timevals and 14 longs. */
struct lx_rusage {
	int64_t ru_utime[2];
	int64_t ru_stime[2];
	int64_t ru_rest[14];
};
AX_STATIC_ASSERT(sizeof(struct lx_rusage) == 144, "Linux's struct rusage");

/* clone flags (the low byte is the signal the child's end sends). */
#define LX_CSIGNAL              0x000000ff
#define LX_CLONE_VM             0x00000100
#define LX_CLONE_FS             0x00000200
#define LX_CLONE_FILES          0x00000400
#define LX_CLONE_SIGHAND        0x00000800
#define LX_CLONE_PIDFD          0x00001000
#define LX_CLONE_PTRACE         0x00002000
#define LX_CLONE_VFORK          0x00004000
#define LX_CLONE_PARENT         0x00008000
#define LX_CLONE_THREAD         0x00010000
#define LX_CLONE_SETTLS         0x00080000
#define LX_CLONE_PARENT_SETTID  0x00100000
#define LX_CLONE_CHILD_CLEARTID 0x00200000
#define LX_CLONE_DETACHED       0x00400000
#define LX_CLONE_UNTRACED       0x00800000
#define LX_CLONE_CHILD_SETTID   0x01000000

/*
 * sigctl FRAME: what PM decided, for the kernel to build the frame of
 * Linux's x86-64 rt_sigframe from (kernel/arch/x86_64/sigframe.c).
 */
struct lx_sigframe_req {
	uint64_t handler;
	uint64_t restorer;        /* the handler's return address (SA_RESTORER) */
	uint64_t flags;           /* the action's SA_ flags: ONSTACK, RESTART, SIGINFO */
	uint64_t mask;            /* uc_sigmask: the mask rt_sigreturn gives back */
	struct lx_stack altstack; /* the process's sigaltstack (SS_DISABLE: none) */
	struct lx_siginfo info;
};

#endif
