/*
 * The process manager's native protocol (servers/pm/README.md): what a
 * system process asks PM, beside the Linux calls user processes make
 * (linux.h).  Until VFS exists, programs come from the boot image (issue 14
 * item 5): a privileged harness starts one and waits for its end.
 *
 *   PM_START   program (a boot module's program name) and args (words
 *              separated by spaces, in the text): a new user process, a
 *              child of the caller in PM's table, running as uid (and
 *              gid) `uid` (0: root), with descriptors 0, 1 and 2 on
 *              /dev/console (VFS_PM_START, include/ax/vfs.h).  Reply: pid, endpt, and
 *              ppid (the caller's own pid in PM's table).  Errors: EINVAL
 *              (no name), ENOENT (no such module), E2BIG, ENOEXEC, EAGAIN
 *              (no free pid or slot), ENOMEM.
 *   PM_WAIT    pid: a child of the caller; the reply comes when it has
 *              ended: status (Linux's wait status).  ECHILD for a pid that is
 *              not the caller's child, EBUSY if someone already waits for it.
 *              The child's entry is released once the status is collected.
 *   PM_PROCINFO  (system processes: procfs) grant, size: a snapshot of the
 *              process table, one struct pm_procinfo per user process
 *              (zombies included), copied to the grant, as many as fit;
 *              the reply's m_type is how many were copied.  EPERM for a
 *              user process.  servers/pm/procinfo.c.
 *   PM_SIGNAL  endpt, sig: raise sig in the user process endpt, as if the
 *              kernel had (a write to a pipe with no reader: SIGPIPE).
 *              Only VFS may ask, and it sends it by asynsend with
 *              AMF_NOREPLY: there is no reply, and VFS never waits for PM.
 *              Anyone else gets EPERM.
 *   PM_EXE     (system processes: procfs) pid, grant, size: the path of
 *              the program pid runs (what its last exec opened: the
 *              interpreter for a #! script; /boot/<program> for PM_START's),
 *              without a NUL, copied to the grant as far as it fits; the
 *              reply's m_type is its whole length.  ENOENT for a zombie or
 *              a path PM did not keep (longer than 255 bytes), ESRCH for no
 *              such process, EPERM for a user process.  servers/pm/exec.c.
 *   PM_CMDLINE (system processes: procfs) pid, grant, size: the argument
 *              strings of pid, each NUL-terminated, read from its memory
 *              where its last exec put them (Linux's arg_start to
 *              arg_end: a program that writes over its argv changes
 *              them), copied to the grant as far as it fits; the reply's
 *              m_type is how many bytes were copied.  0 for a zombie or
 *              an argument area the process unmapped; ESRCH, EPERM as
 *              PM_EXE's.  servers/pm/exec.c.
 *   PM_POLL_DONE  (VFS only, asynsend with AMF_NOREPLY) m_vfs_poll: the
 *              ppoll or pselect6 that PM handed to VFS with VFS_PM_POLL
 *              (include/ax/vfs.h) and that waited there has ended: endpt,
 *              seq, its result in arg[0].  PM answers the process and
 *              gives it back its signal mask (servers/pm/pollmask.c).
 *
 * The wall clock in DS: PM publishes PM_CLOCK_KEY (a public memory
 * entry, struct pm_clock) when it has read the CMOS clock, and again
 * whenever it sets it, so that servers that stamp times (VFS) tell the
 * same time as CLOCK_REALTIME without asking PM: the date is
 * c_sec + (uptime - c_tick) / c_hz seconds since 1970 (uptime in the
 * kernel's ticks, sys_times).  c_sec is 0 if the CMOS clock could not be
 * read (then the date is the uptime, as CLOCK_REALTIME's).
 */
#ifndef AX_PM_H
#define AX_PM_H

#include <ax/types.h>
#include <ax/grant.h>

#define PM_BASE        0x0A00
#define PM_START       (PM_BASE + 0)
#define PM_WAIT        (PM_BASE + 1)
#define PM_PROCINFO    (PM_BASE + 2)
#define PM_SIGNAL      (PM_BASE + 3)
#define PM_EXE         (PM_BASE + 4)
#define PM_CMDLINE     (PM_BASE + 5)
#define PM_POLL_DONE   (PM_BASE + 6)
#define PM_NR_REQUESTS 7

#define PM_PROGRAM_LEN 16
#define PM_ARGS_LEN    32

struct msg_pm_request {
	char program[PM_PROGRAM_LEN]; /* PM_START */
	char args[PM_ARGS_LEN];       /* PM_START */
	int32_t pid;                  /* PM_WAIT */
	uint32_t uid;                 /* PM_START: its uid and gid */
};

struct msg_pm_procinfo {
	grant_id_t grant; /* written by PM */
	uint32_t size;    /* bytes */
	int32_t pid;      /* PM_EXE, PM_CMDLINE */
	uint8_t pad[44];
};

/*
 * One process as PM_PROCINFO describes it: what /proc/<pid>/stat and
 * status show.  Fields PM does not keep yet are 0 (docs/processes.md).
 */
struct pm_procinfo {
	int32_t pid;
	int32_t ppid;
	int32_t pgid;
	int32_t sid;
	uint32_t uid, euid, gid, egid;
	endpoint_t endpt;
	uint32_t
		state; /* 'R' running or ready, 'S' waiting (a child, a call), 'T' stopped, 'Z' zombie */
	uint64_t user_ticks, sys_ticks;
	uint64_t start_ticks; /* uptime when it started (0: unknown) */
	char name[PM_PROGRAM_LEN];
};
AX_STATIC_ASSERT(sizeof(struct pm_procinfo) == 80, "pm_procinfo is 80 bytes");

struct msg_pm_reply {
	int32_t pid;
	int32_t ppid;
	endpoint_t endpt;
	int32_t status; /* PM_WAIT: the wait status */
	uint8_t pad[40];
};

struct msg_pm_signal {
	endpoint_t endpt;
	int32_t sig;
	uint8_t pad[48];
};

#define PM_CLOCK_KEY "pm.clock"

struct pm_clock {
	uint64_t c_sec;  /* seconds since 1970 at tick c_tick */
	uint64_t c_tick; /* the kernel's uptime in ticks when c_sec was true */
	uint64_t c_hz;   /* ticks a second */
};

#endif
