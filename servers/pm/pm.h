/*
 * PM's process table and the parts of PM that share it (pm.c: the
 * table, the native requests; linux.c: the Linux calls; fork.c: fork,
 * exit, wait, kill; ids.c: credentials and groups; exec.c: execve;
 * signal.c: POSIX signals; time.c: clocks, timers and limits).  See
 * README.md and docs/processes.md.
 */
#ifndef PM_PM_H
#define PM_PM_H

#include <libsys.h>
#include <ax/linux.h>
#include <ax/pm.h>

#define NR_MPROCS 64 /* table entries: user processes, zombies, native parents */

/* mp_flags */
#define MP_IN_USE      0x01
#define MP_NATIVE      0x02 /* a system process that started programs: a parent only */
#define MP_ZOMBIE      0x04 /* ended; mp_status holds its wait status */
#define MP_WAITING     0x08 /* in wait4 or waitid (mp_wait): answered when a child changes */
#define MP_EXECED      0x10 /* has run execve since fork: setpgid on it is EACCES */
#define MP_STOPPED     0x20 /* stopped by a stop signal (SIGSTOP, SIGTSTP...) until SIGCONT */
#define MP_REPORT_STOP 0x40 /* stopped, not yet reported to a wait with WUNTRACED */
#define MP_REPORT_CONT 0x80 /* continued, not yet reported to a wait with WCONTINUED */

#define LX_NSIG 64

struct mproc;
/*
 * A call PM holds (pause, rt_sigsuspend, nanosleep, wait4, waitid): what
 * the call answers when a signal's handler must run (-EINTR or a restart
 * code, include/ax/linux.h); it also forgets the call's own state.
 */
typedef int64_t pm_cancel_fn(struct mproc *mp);

/* Signal state of a process (signal.c). */
struct mp_sig {
	struct lx_sigaction act[LX_NSIG + 1]; /* by number; handler 0: SIG_DFL */
	uint64_t mask;                        /* blocked */
	uint64_t pending;
	uint64_t saved_mask;      /* rt_sigsuspend: the mask to give back */
	bool suspended;           /* in rt_sigsuspend: saved_mask is the real mask */
	struct lx_stack altstack; /* ss_size 0: none */
	struct {
		int32_t code, pid;
		uint32_t uid;
		int32_t status;
	} info[LX_NSIG + 1];    /* of each pending signal */
	endpoint_t cancel_from; /* LX_CANCEL sent to this owner, SIGLXDONE awaited; else 0 */
};

/* Times, timers and limits of a process (time.c). */
struct mp_time {
	uint64_t alarm_at;       /* ITIMER_REAL: uptime tick it expires at, 0: off */
	uint64_t alarm_interval; /* ...and its period in ticks */
	uint64_t sleep_until;    /* nanosleep: the tick it ends at */
	uint64_t sleep_rem;      /* nanosleep: where the remaining time goes, or 0 */
	int64_t sleep_answer;    /* what the call is answered at sleep_until (0; time_hold's) */
	uint64_t child_utime;    /* ticks of collected children (getrusage, times) */
	uint32_t rlim_set;       /* bit r: rlim[r] was set, else Linux's default */
	struct {
		uint64_t cur, max;
	} rlim[16];
};

#define PM_NGROUPS 32 /* supplementary groups a process may have */
#define INIT_PID   1  /* orphans' parent (fork.c: PM reaps for it while there is none) */

/* What a parent waits for (wait4 or waitid, fork.c). */
struct pm_wait {
	bool w_waitid;      /* waitid: w_status is a siginfo_t *; else wait4 */
	int w_idtype;       /* LX_P_ALL, LX_P_PID, LX_P_PGID */
	int32_t w_id;       /* the pid or group */
	uint32_t w_options; /* LX_W...; LX_WEXITED for wait4 too */
	uint64_t w_status;  /* wait4: int *; waitid: siginfo_t * (0: none) */
	uint64_t w_rusage;  /* struct rusage * (0: none) */
};

struct mproc {
	uint32_t mp_flags;
	int32_t mp_pid;
	int32_t mp_ppid;               /* the parent's pid */
	int32_t mp_pgid;               /* process group */
	int32_t mp_sid;                /* session */
	endpoint_t mp_endpt;           /* the kernel's endpoint while it lives */
	int32_t mp_status;             /* MP_ZOMBIE: Linux's wait status */
	int32_t mp_exit_signal;        /* sent to the parent at its end (clone's CSIGNAL) */
	int32_t mp_stop_sig;           /* MP_STOPPED: the signal that stopped it */
	uint32_t mp_vfs_job[3];        /* pgid, sid, flags as VFS last heard them (vfs.c) */
	uint64_t mp_utime, mp_stime;   /* MP_ZOMBIE: its CPU ticks, user and system */
	uint64_t mp_cutime, mp_cstime; /* ... of the children it collected (theirs too) */
	endpoint_t mp_waiter;          /* a native parent waiting in PM_WAIT, or NONE */
	uint64_t mp_tid_address;       /* set_tid_address / CLONE_CHILD_CLEARTID */
	uint64_t mp_arg_start,
		mp_arg_end;      /* its argument strings, as exec left them (PM_CMDLINE) */
	uint64_t mp_robust_list; /* set_robust_list's head (linux.c) */
	int32_t mp_pdeath_sig;   /* prctl(PR_SET_PDEATHSIG): raised when its parent ends */
	uint32_t mp_ruid, mp_euid, mp_suid; /* real, effective, saved */
	uint32_t mp_rgid, mp_egid, mp_sgid;
	uint32_t mp_ngroups;
	uint32_t mp_groups[PM_NGROUPS];
	struct pm_wait mp_wait;   /* MP_WAITING */
	pm_cancel_fn *mp_cancel;  /* a Linux call PM holds (LX_NO_REPLY), or NULL */
	uint64_t mp_sigwait_set;  /* in rt_sigtimedwait (sigwait.c): the signals it waits for */
	uint64_t mp_sigwait_info; /* ... and where their siginfo goes (0: nowhere) */
	uint32_t mp_poll_seq;     /* its last ppoll or pselect6 handed to VFS (pollmask.c) */
	struct mp_sig mp_sig;
	struct mp_time mp_time;
	char mp_name[PM_PROGRAM_LEN];
};

extern struct mproc mproc[NR_MPROCS];

/* vfs.c: what PM tells VFS (include/ax/vfs.h); VFS's answer, -ENOSYS if it does not run. */
struct msg_vfs_pm;
struct msg_vfs_pm_reply;
int pm_tell_vfs(int type, struct msg_vfs_pm *rq, struct msg_vfs_pm_reply *out);
void pm_vfs_ids(const struct mproc *mp); /* its ids changed */
void pm_vfs_job(struct mproc *mp);       /* its group, session or SIGTTIN/SIGTTOU changed */
struct msg_vfs_poll;
int pm_vfs_poll(int type, const struct msg_vfs_poll *rq, struct msg_vfs_pm_reply *out);

/* pm.c: the table. */
struct mproc *pm_user(endpoint_t e);          /* the live user process with endpoint e, or NULL */
struct mproc *pm_find_pid(int32_t pid);       /* any entry with that pid, or NULL */
struct mproc *pm_alloc(void);                 /* a free entry with a fresh pid, or NULL */
void pm_bind(struct mproc *mp, endpoint_t e); /* mp lives at endpoint e */
void pm_unbind(struct mproc *mp);             /* ... no longer */
void pm_reap(struct mproc *child);            /* its status was collected: the entry goes */
void pm_raise(struct mproc *mp, int sig);     /* PM sends a user process a signal */
void pm_reply_status(endpoint_t waiter, struct mproc *child); /* PM_WAIT's answer */
void pm_end_stranger(endpoint_t e); /* a user process PM does not know ends */

/* the boot module img as the program of the empty process e */

/* fork.c: fork, exit and wait, ids and groups. */
void pm_exit(struct mproc *mp, int status); /* the process ends with this wait status */
void pm_native_child(struct mproc *child, const struct mproc *parent); /* PM_START's ids */
/* child stopped (LX_CLD_STOPPED) or continued (LX_CLD_CONTINUED): its parent's wait, SIGCHLD. */
void pm_child_changed(struct mproc *child, int code);

/* procinfo.c: PM_PROCINFO, the table's snapshot for procfs. */
int do_procinfo(endpoint_t caller, message *m);
/* exec.c: /proc/<pid>/exe (PM_EXE); a fork's child runs its parent's program file */
int do_exe(endpoint_t caller, message *m);
int do_cmdline(endpoint_t caller, message *m);

/* random.c: getrandom and AT_RANDOM from a ChaCha20 generator */
void random_stir(uint64_t v); /* mix v into the key */
void random_bytes(void *out, size_t len);
int64_t lx_getrandom(struct mproc *mp, const uint64_t *arg);
void exec_fork(struct mproc *child, const struct mproc *parent);

/* start.c: memory through VM (include/ax/vm.h), and the image of a new program. */
int pm_vm_call(int type, endpoint_t e, uint64_t addr, uint64_t len, uint32_t prot, uint32_t flags);
int pm_vm_info(struct msg_vm_reply *out);
int pm_vm_fork(endpoint_t parent, endpoint_t child); /* VM_FORK */

/* linux.c */
void pm_linux_call(endpoint_t caller, message *m);       /* answered, or held (LX_NO_REPLY) */
void pm_tty_signal(endpoint_t caller, const message *m); /* tty.c: TTY_SIGNAL */
void pm_lx_reply(struct mproc *mp, int64_t result);      /* answer mp's Linux call */
/* len bytes to / from the process's memory at addr: 0 or -EFAULT, -ENOMEM. */
int pm_copy_to_user(struct mproc *mp, uint64_t addr, const void *src, size_t len);
int pm_copy_from_user(struct mproc *mp, uint64_t addr, void *dst, size_t len);
/* execve (exec.c): the result, or LX_NO_REPLY (the new program runs, or the process ended). */
int64_t pm_execve(struct mproc *mp, const uint64_t *arg);
/* PM_START's program, /boot/<program>, in mp's empty slot (exec.c): 0 or -E. */
int pm_exec_boot(struct mproc *mp, const char *program, const char *args);
/* init's program, a file of the root file system, in mp's empty slot: 0 or -E. */
int pm_exec_file(struct mproc *mp, const char *path, const char *env);

/*
 * lu.c: live update with the tables carried over.  Each file names the
 * tables it keeps (address, size) to `add`; the new version copies them
 * from the old one into the same places.
 */
typedef void pm_lu_add_fn(void *addr, size_t size);
bool pm_lu_prepare(int state);
int pm_lu_save(int state);
int pm_init_lu(int type, const struct msg_rs_init *info);
void table_lu_state(pm_lu_add_fn *add);  /* pm.c */
void exec_lu_state(pm_lu_add_fn *add);   /* exec.c */
void linux_lu_state(pm_lu_add_fn *add);  /* linux.c */
void init_lu_state(pm_lu_add_fn *add);   /* init.c */
void time_lu_state(pm_lu_add_fn *add);   /* time.c */
void random_lu_state(pm_lu_add_fn *add); /* random.c */

/* init.c: pid 1, started in normal mode and again when it ends. */
void init_setup(int argc, char **argv); /* PM's arguments: the program, if any */
void init_notify(void);                 /* DS notified PM: a label init waits for */
void init_died(int status);             /* pid 1 ended (pm_exit) */

/* A Linux call's handler: the result (rax), or LX_NO_REPLY (no answer now: linux.h). */
typedef int64_t lx_fn(struct mproc *mp, const uint64_t *arg);

/* reboot.c */
lx_fn lx_reboot;

/* fork.c */
lx_fn lx_clone, lx_fork, lx_vfork, lx_wait4, lx_waitid, lx_kill;
/* sig (0: only the check) from mp to t with siginfo code: 0, or -EPERM. */
int pm_signal_one(struct mproc *mp, struct mproc *t, int sig, int code);
/* ids.c */
lx_fn lx_getuid, lx_getgid, lx_setuid, lx_setgid, lx_geteuid, lx_getegid, lx_setpgid, lx_getpgrp,
	lx_setsid, lx_setreuid, lx_setregid, lx_getgroups, lx_setgroups, lx_setresuid, lx_getresuid,
	lx_setresgid, lx_getresgid, lx_getpgid, lx_getsid;

/* The rsp of the call being served (sigaltstack), set by pm_linux_call. */
extern uint64_t pm_call_sp;

/* signal.c.  code: the siginfo si_code; pid: the sender's, 0: the kernel's. */
void sig_send(struct mproc *mp, int sig, int code, int32_t pid);
void sig_send_status(struct mproc *mp, int sig, int code, int32_t pid, int32_t status);
int sig_kernel(struct mproc *mp, int sig);            /* a signal the kernel raised */
bool sig_call_done(struct mproc *mp, int64_t result); /* true: answered or ended */
void sig_serving(struct mproc *mp); /* mp's call is being served: signals wait for its end */
void sig_held(struct mproc *mp);    /* mp's call is now held by PM (LX_NO_REPLY) */
void sig_tty(const message *m);     /* TTY_SIGNAL: a signal for a process group */
void sig_fork(struct mproc *child); /* a fork's child: nothing pending */
void sig_exec(struct mproc *mp);    /* exec: handlers back to default */
bool sig_ignores(const struct mproc *mp, int sig); /* its action is SIG_IGN (job control) */
bool pm_pgrp_orphaned(int32_t pgid); /* no member has a parent in another group of its session */
bool sig_has_stopped(int32_t pgid);  /* a member of the group is stopped */
void sig_orphaned(int32_t pgid);     /* the group became orphaned: SIGHUP, SIGCONT if stopped */
lx_fn lx_rt_sigaction, lx_rt_sigprocmask, lx_rt_sigreturn, lx_rt_sigpending, lx_rt_sigsuspend;
lx_fn lx_pause, lx_tkill, lx_tgkill, lx_sigaltstack;

/* sigwait.c: rt_sigtimedwait.  sigwait_wakes: sig was just made pending for mp; true if
 * that answered mp's rt_sigtimedwait (nothing more to do with it). */
lx_fn lx_rt_sigtimedwait;
bool sigwait_wakes(struct mproc *mp, int sig);

/* pollmask.c: ppoll and pselect6 (their signal mask), handed to VFS; PM_POLL_DONE from VFS. */
lx_fn lx_ppoll, lx_pselect6;
int do_poll_done(endpoint_t caller, message *m);

/* time.c */
void time_init(void);
void time_alarm(void);               /* CLOCK notified PM */
void time_publish(bool ds_notified); /* the wall clock, if DS refused it */
void time_exit(struct mproc *mp);    /* before the slot goes: its ticks for the parent */
void time_fork(struct mproc *child); /* a fork's child: no timers, no times */
uint64_t time_now_ticks(void);
lx_fn lx_clock_gettime, lx_clock_getres, lx_gettimeofday, lx_time, lx_nanosleep;
lx_fn lx_clock_nanosleep, lx_alarm, lx_setitimer, lx_getitimer, lx_times, lx_getrusage;
lx_fn lx_sched_yield, lx_getrlimit, lx_setrlimit, lx_prlimit64;
/*
 * Hold mp's call (cancel: its cancel function) until a signal ends it or the
 * relative time of the timespec at user address ts has passed (0: no
 * limit), when it is answered `expired`: LX_NO_REPLY, `expired` at once for
 * a zero time, -EFAULT or -EINVAL for a bad one.  time_unhold: no limit any
 * more (the call ended otherwise).
 */
int64_t time_hold(struct mproc *mp, uint64_t ts, int64_t expired, pm_cancel_fn *cancel);
void time_unhold(struct mproc *mp);
/* The soft limit of resource r for mp (Linux's default unless set). */
uint64_t time_rlimit(const struct mproc *mp, int r);

#endif
