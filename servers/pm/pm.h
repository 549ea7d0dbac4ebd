/*
 * PM's process table and the parts of PM that share it (pm.c: the
 * table, the native requests, signals; linux.c: the Linux calls; fork.c:
 * fork, exit, wait, kill; ids.c: credentials and groups; exec.c: execve).  See README.md and docs/processes.md.
 */
#ifndef PM_PM_H
#define PM_PM_H

#include <libsys.h>
#include <ax/linux.h>
#include <ax/pm.h>

#define NR_MPROCS 64 /* table entries: user processes, zombies, native parents */

/* mp_flags */
#define MP_IN_USE  0x01
#define MP_NATIVE  0x02 /* a system process that started programs: a parent only */
#define MP_ZOMBIE  0x04 /* ended; mp_status holds its wait status */
#define MP_WAITING 0x08 /* in wait4 or waitid (mp_wait): answered when a child changes */
#define MP_EXECED  0x10 /* has run execve since fork: setpgid on it is EACCES */

#define PM_NGROUPS 32 /* supplementary groups a process may have */
#define INIT_PID   1  /* orphans' parent (fork.c: PM reaps for it while there is none) */

/* What a parent waits for (wait4 or waitid, fork.c). */
struct pm_wait {
	bool w_waitid;     /* waitid: w_status is a siginfo_t *; else wait4 */
	int w_idtype;      /* LX_P_ALL, LX_P_PID, LX_P_PGID */
	int32_t w_id;      /* the pid or group */
	uint32_t w_options; /* LX_W...; LX_WEXITED for wait4 too */
	uint64_t w_status; /* wait4: int *; waitid: siginfo_t * (0: none) */
	uint64_t w_rusage; /* struct rusage * (0: none) */
};

struct mproc {
	uint32_t mp_flags;
	int32_t mp_pid;
	int32_t mp_ppid;         /* the parent's pid */
	int32_t mp_pgid;         /* process group */
	int32_t mp_sid;          /* session */
	endpoint_t mp_endpt;     /* the kernel's endpoint while it lives */
	int32_t mp_status;       /* MP_ZOMBIE: Linux's wait status */
	int32_t mp_exit_signal;  /* sent to the parent at its end (clone's CSIGNAL) */
	uint64_t mp_utime, mp_stime;   /* MP_ZOMBIE: its CPU ticks, user and system */
	uint64_t mp_cutime, mp_cstime; /* ... of the children it collected (theirs too) */
	endpoint_t mp_waiter;    /* a native parent waiting in PM_WAIT, or NONE */
	uint64_t mp_tid_address; /* set_tid_address / CLONE_CHILD_CLEARTID */
	uint32_t mp_ruid, mp_euid, mp_suid; /* real, effective, saved */
	uint32_t mp_rgid, mp_egid, mp_sgid;
	uint32_t mp_ngroups;
	uint32_t mp_groups[PM_NGROUPS];
	struct pm_wait mp_wait; /* MP_WAITING */
	char mp_name[PM_PROGRAM_LEN];
};

extern struct mproc mproc[NR_MPROCS];

/* vfs.c: what PM tells VFS (include/ax/vfs.h); VFS's answer, -ENOSYS if it does not run. */
struct msg_vfs_pm;
struct msg_vfs_pm_reply;
int pm_tell_vfs(int type, struct msg_vfs_pm *rq, struct msg_vfs_pm_reply *out);
void pm_vfs_ids(const struct mproc *mp);    /* its ids changed */
void pm_vfs_setsid(const struct mproc *mp); /* it became a session leader */

/* pm.c: the table. */
struct mproc *pm_user(endpoint_t e);     /* the live user process with endpoint e, or NULL */
struct mproc *pm_find_pid(int32_t pid);  /* any entry with that pid, or NULL */
struct mproc *pm_alloc(void);            /* a free entry with a fresh pid, or NULL */
void pm_bind(struct mproc *mp, endpoint_t e); /* mp lives at endpoint e */
void pm_unbind(struct mproc *mp);             /* ... no longer */
void pm_reap(struct mproc *child);       /* its status was collected: the entry goes */
void pm_raise(struct mproc *mp, int sig); /* PM sends a user process a signal */
void pm_reply_status(endpoint_t waiter, struct mproc *child); /* PM_WAIT's answer */

/* fork.c: fork, exit and wait, ids and groups. */
void pm_exit(struct mproc *mp, int status); /* the process ends with this wait status */
void pm_native_child(struct mproc *child, const struct mproc *parent); /* PM_START's ids */

/* procinfo.c: PM_PROCINFO, the table's snapshot for procfs. */
int do_procinfo(endpoint_t caller, message *m);

/* linux.c */
void pm_linux_call(endpoint_t caller, message *m); /* answered, or held (LX_NO_REPLY) */
void pm_lx_reply(struct mproc *mp, int64_t result); /* answer mp's Linux call */
/* len bytes to / from the process's memory at addr: 0 or -EFAULT, -ENOMEM. */
int pm_copy_to_user(struct mproc *mp, uint64_t addr, const void *src, size_t len);
int pm_copy_from_user(struct mproc *mp, uint64_t addr, void *dst, size_t len);
/* execve (exec.c): the result, or LX_NO_REPLY (the new program runs, or the process ended). */
int64_t pm_execve(struct mproc *mp, const uint64_t *arg);

/* A Linux call's handler: the result (rax), or LX_NO_REPLY (no answer now: linux.h). */
typedef int64_t lx_fn(struct mproc *mp, const uint64_t *arg);

/* fork.c */
lx_fn lx_clone, lx_fork, lx_vfork, lx_wait4, lx_waitid, lx_kill;
/* ids.c */
lx_fn lx_getuid, lx_getgid, lx_setuid, lx_setgid, lx_geteuid, lx_getegid, lx_setpgid,
	lx_getpgrp, lx_setsid, lx_setreuid, lx_setregid, lx_getgroups, lx_setgroups,
	lx_setresuid, lx_getresuid, lx_setresgid, lx_getresgid, lx_getpgid, lx_getsid;
#endif
