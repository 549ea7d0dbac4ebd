/*
 * PM's process table and the parts of PM that share it (pm.c: the
 * native requests, start and end of processes, signals; linux.c: the
 * Linux calls; exec.c: execve).  See README.md and docs/processes.md.
 */
#ifndef PM_PM_H
#define PM_PM_H

#include <libsys.h>
#include <ax/linux.h>
#include <ax/pm.h>

#define NR_MPROCS 64 /* table entries: user processes, zombies, native parents */

/* mp_flags */
#define MP_IN_USE 0x01
#define MP_NATIVE 0x02 /* a system process that started programs: a parent only */
#define MP_ZOMBIE 0x04 /* ended; mp_status holds its wait status */

struct mproc {
	uint32_t mp_flags;
	int32_t mp_pid;
	int32_t mp_ppid;         /* the parent's pid */
	endpoint_t mp_endpt;     /* the kernel's endpoint while it lives */
	int32_t mp_status;       /* MP_ZOMBIE: Linux's wait status */
	endpoint_t mp_waiter;    /* a parent waiting in PM_WAIT, or NONE */
	uint64_t mp_tid_address; /* set_tid_address: cleared at exit (threads: later) */
	char mp_name[PM_PROGRAM_LEN];
};

extern struct mproc mproc[NR_MPROCS];

/* The live user process with endpoint e, or NULL. */
struct mproc *pm_user(endpoint_t e);
/* The process ends with wait status `status` (pm.c). */
void pm_exit(struct mproc *mp, int status);
/* Serve a Linux call of a user process (linux.c); EDONTREPLY or the reply is sent. */
void pm_linux_call(endpoint_t caller, message *m);
/* len bytes to / from the process's memory at addr (linux.c): 0 or -EFAULT, -ENOMEM. */
int pm_copy_to_user(struct mproc *mp, uint64_t addr, const void *src, size_t len);
int pm_copy_from_user(struct mproc *mp, uint64_t addr, void *dst, size_t len);
/* execve (exec.c): the result, or EDONTREPLY (the new program runs, or the process ended). */
int64_t pm_execve(struct mproc *mp, const uint64_t *arg);

#endif
