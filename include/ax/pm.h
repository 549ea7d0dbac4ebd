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
 */
#ifndef AX_PM_H
#define AX_PM_H

#include <ax/types.h>

#define PM_BASE        0x0A00
#define PM_START       (PM_BASE + 0)
#define PM_WAIT        (PM_BASE + 1)
#define PM_NR_REQUESTS 2

#define PM_PROGRAM_LEN 16
#define PM_ARGS_LEN    32

struct msg_pm_request {
	char program[PM_PROGRAM_LEN]; /* PM_START */
	char args[PM_ARGS_LEN];       /* PM_START */
	int32_t pid;                  /* PM_WAIT */
	uint32_t uid;                 /* PM_START: its uid and gid */
};

struct msg_pm_reply {
	int32_t pid;
	int32_t ppid;
	endpoint_t endpt;
	int32_t status; /* PM_WAIT: the wait status */
	uint8_t pad[40];
};

#endif
