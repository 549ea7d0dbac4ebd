/*
 * The native protocol between PM and VFS (servers/vfs/README.md,
 * docs/processes.md section 4): what PM tells VFS about user processes and
 * what it asks of VFS for exec.  Only PM may send these (VFS checks
 * m_source against PM's endpoint and answers anyone else EPERM); user
 * processes reach VFS through their Linux calls (linux_calls.def, owner
 * VFS).
 *
 * Transport: one SENDREC from PM per request, answered at once: VFS never
 * sends to PM and never waits for PM, so PM may wait for VFS.  VFS may wait
 * for a file system or a driver while serving one of these (exec's reads,
 * an exit's closes); those waits are bounded by the FS's and driver's own
 * reply bounds.  A request names the process by its endpoint (v_endpt);
 * one for a process VFS does not know answers ESRCH (START and FORK's
 * child excepted).  The reply's m_type is 0 or -E, its payload
 * msg_vfs_pm_reply.
 *
 *   VFS_PM_START   a user process PM made without fork (PM_START, from the
 *                  boot image): v_endpt, v_pid, v_uid, v_gid.  Its root and
 *                  working directory are "/", umask 022, descriptors 0, 1
 *                  and 2 are /dev/console opened read-write (none if the
 *                  console cannot be opened: the program still runs).
 *   VFS_PM_FORK    v_endpt the parent, v_child, v_pid the child's pid,
 *                  v_flags VFS_FORK_FILES to share the descriptor table
 *                  itself (clone's CLONE_FILES), else the child gets a copy
 *                  of the table whose descriptors share the parent's open
 *                  file descriptions (offsets, status flags), as Linux's
 *                  fork; ids, umask, root and working directory are copied.
 *                  Must come after the child's slot exists and before it
 *                  runs.  ENFILE/ENOMEM: no room; nothing was made.
 *   VFS_PM_EXIT    v_endpt: the process ends.  A call it has suspended in
 *                  VFS is cancelled and never answered (grants on its memory
 *                  are revoked before this reply), every descriptor is
 *                  closed, its directories are released.  PM sends it after
 *                  stopping the process and before sys_clear (a driver may
 *                  still be copying to it).  Always 0 for a known process.
 *   VFS_PM_EXEC_OPEN  v_endpt, v_grant: a grant on PM's own memory holding
 *                  v_len bytes of a path (no NUL), resolved as the process
 *                  would (its root, working directory, effective ids).  The
 *                  file must be a regular file the process may execute
 *                  (EACCES otherwise; ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG
 *                  as for open).  VFS keeps it open for PM in one of the
 *                  process's VFS_EXEC_FILES exec slots (not a descriptor):
 *                  the reply gives r_handle, r_size, r_mode, r_uid, r_gid
 *                  (for set-user-ID and set-group-ID).  EMFILE if both
 *                  slots are taken.  r_file_id names the file's content
 *                  (servers/vfs/exec_id.c): the same id while the file is
 *                  not written or truncated, a new one after, never one
 *                  given before (a restarted VFS too): VM's page cache of
 *                  executables is keyed by it (servers/vm/cache.c).
 *   VFS_PM_EXEC_READ  v_endpt, v_handle, v_pos, v_grant, v_len: read the
 *                  exec file into the grant, which PM owns: a direct grant
 *                  on PM's memory, or a magic grant PM made on the new
 *                  image of the process (VFS passes it on to the FS, so the
 *                  bytes go straight from the FS's cache into the process).
 *                  r_bytes: bytes read (0 at the end of the file).
 *   VFS_PM_EXEC_CLOSE v_endpt, v_handle: the exec slot is released.
 *   VFS_PM_EXEC_DONE  v_endpt: the exec has passed its point of no return:
 *                  descriptors with FD_CLOEXEC are closed (the exec slots
 *                  are not touched: PM closes them).
 *   VFS_PM_SETIDS  v_endpt, v_uid/v_euid, v_gid/v_egid: the process's real
 *                  and effective ids (setuid, setgid, setresuid, exec of a
 *                  set-ID file...).  Permission checks use the effective
 *                  ids, access() and faccessat() the real ones.
 *   VFS_PM_JOBCTL  v_endpt, v_pgid, v_sid, v_flags (VFS_JOB_*): the process's
 *                  group and session (it leads the session when its pid is
 *                  v_sid) and whether it ignores SIGTTIN and SIGTTOU, as a
 *                  terminal needs them for job control (docs/files.md,
 *                  "Terminals"): sent after START, and whenever one of
 *                  them changes (setsid, setpgid, rt_sigaction); a fork's
 *                  child has its parent's.  VFS names them in each
 *                  character request (ax/cdev.h).
 *   VFS_PM_UNPAUSE v_endpt: PM has a signal for the process and wants its
 *                  blocked call ended (docs/processes.md section 2).  If it
 *                  is suspended in VFS (a terminal read, a pipe, poll...),
 *                  VFS cancels it: the call then answers -EINTR, or the
 *                  bytes it had moved, as soon as the driver confirms (for
 *                  a pipe or poll: before this reply); r_blocked = 1.  If it
 *                  is not suspended in VFS, r_blocked = 0 and nothing
 *                  changes.  A call that is waiting on a file system (not a
 *                  device) is not suspended: it completes normally.
 *   VFS_PM_SHUTDOWN  reboot(2) (servers/pm/reboot.c): every file system
 *                  is synced and unmounted, the mounts on top first: each
 *                  FS gets back every reference VFS holds (PUTNODE), then
 *                  FS_UNMOUNT, so that it writes its dirty blocks and its
 *                  clean flag and closes its device.  Processes keep their
 *                  descriptors, but every request to a file system answers
 *                  EIO from then on: the system is going down.  The reply
 *                  is 0, or the first error an FS answered (the others
 *                  were unmounted all the same).
 *   VFS_PM_POLL    m_vfs_poll: ppoll or pselect6 (call: LX_NR_ppoll or
 *                  LX_NR_pselect6, its arguments in arg[]) of the process
 *                  endpt, which PM owns because of their signal mask
 *                  (servers/pm/pollmask.c): VFS looks at the descriptors
 *                  once.  r_blocked = 0: the call is done, r_bytes its
 *                  result (a count or -E, as int64_t); r_blocked = 1: it
 *                  waits in VFS, and when it ends (a descriptor ready, the
 *                  timeout) VFS sends PM an asynchronous PM_POLL_DONE with
 *                  seq and the result (include/ax/pm.h).
 *   VFS_PM_POLL_CANCEL  m_vfs_poll endpt, seq: the waiting call of that
 *                  seq is dropped without an answer (a signal's handler
 *                  interrupts it: PM answers the process itself).  A seq
 *                  that does not wait (its PM_POLL_DONE crossed this) is
 *                  ignored.
 */
#ifndef AX_VFS_H
#define AX_VFS_H

#include <ax/types.h>
#include <ax/grant.h>

#define VFS_BASE 0x0D00

enum {
	VFS_PM_START = VFS_BASE,
	VFS_PM_FORK,
	VFS_PM_EXIT,
	VFS_PM_EXEC_OPEN,
	VFS_PM_EXEC_READ,
	VFS_PM_EXEC_CLOSE,
	VFS_PM_EXEC_DONE,
	VFS_PM_SETIDS,
	VFS_PM_JOBCTL,
	VFS_PM_UNPAUSE,
	VFS_PM_SHUTDOWN,
	VFS_PM_POLL,
	VFS_PM_POLL_CANCEL,
	VFS_END
};

/*
 * VM's request for a file mmap (servers/vm/mmap.c, servers/vfs/mmap.c;
 * docs/processes.md section 4, "File mmap"): not in PM's range above.
 * Only VM may send it (VFS checks m_source against the process the kernel
 * names "vm"; anyone else is ignored).  Transport: VM asynsends it and
 * never waits; VFS serves it to its end (it may wait on the file's FS, as
 * a read does) and asynsends VM the answer, VM_VFS_ANSWER
 * (include/ax/vm.h), the same struct with v_result, and the request's
 * seq, endpt and flags.
 *
 *   VFS_VM_MMAP    endpt, fd, flags (VFS_VM_*), off.  The descriptor must
 *                  name a regular file open for reading (EBADF, EACCES;
 *                  a pipe, terminal, directory or socket: ENODEV;
 *                  /dev/zero answers id 0: anonymous memory), and
 *                  for VFS_VM_SHARED with VFS_VM_WRITE open for writing too
 *                  (EACCES; then ENODEV: a writable shared file mapping is
 *                  not served).  Answer: id, the file's content id
 *                  (exec_id.c: the key of VM's page cache), size, its size.
 *                  With VFS_VM_FILL also: len bytes of the file from off
 *                  are read into [addr, addr + len) of endpt (present and
 *                  writable: VM made it so), straight from the FS's cache;
 *                  len is then the bytes read, and id the content they are
 *                  of (no write can come between: VFS serves one request at
 *                  a time).
 */
#define VFS_VM_MMAP (VFS_BASE + 0x40)

/* VFS_VM_MMAP's flags */
#define VFS_VM_WRITE  0x1 /* PROT_WRITE asked */
#define VFS_VM_SHARED 0x2 /* MAP_SHARED */
#define VFS_VM_FILL   0x4 /* read the bytes into the process */

struct msg_vfs_vm {
	endpoint_t endpt; /* the user process that called mmap */
	int32_t fd;
	uint32_t seq; /* VM's number of the request, in the answer too */
	union {
		uint32_t flags;   /* VFS_VM_* */
		int32_t v_result; /* VM_VFS_ANSWER: 0 or -E (VM keeps what it asked) */
	};
	uint64_t off;  /* the file offset (page-aligned) */
	uint64_t addr; /* VFS_VM_FILL: where the bytes go in endpt */
	uint64_t len;  /* VFS_VM_FILL: bytes asked; the answer: bytes read */
	uint64_t id;   /* answer: the content id of the file (never 0; 0: /dev/zero) */
	uint64_t size; /* answer: the file's size */
};

#define VFS_NR_REQUESTS (VFS_END - VFS_BASE)

/* VFS_PM_FORK's v_flags */
#define VFS_FORK_FILES 0x1 /* share the descriptor table (CLONE_FILES) */

/* VFS_PM_JOBCTL's v_flags */
#define VFS_JOB_TTIN_IGN 0x1 /* SIGTTIN is ignored (SIG_IGN) or blocked */
#define VFS_JOB_TTOU_IGN 0x2 /* SIGTTOU is ignored (SIG_IGN) or blocked */

#define VFS_EXEC_FILES 2 /* exec slots per process: the program and its interpreter */

/* Every request from PM. */
struct msg_vfs_pm {
	endpoint_t v_endpt; /* the process */
	endpoint_t v_child; /* FORK: the child */
	int32_t v_pid;      /* START, FORK: the (child's) pid */
	uint32_t v_flags;   /* FORK: VFS_FORK_*; JOBCTL: VFS_JOB_* */
	uint32_t v_uid;     /* START, SETIDS: the real uid */
	uint32_t v_euid;    /* SETIDS: the effective uid (START: = v_uid) */
	uint32_t v_gid;     /* START, SETIDS: the real gid */
	uint32_t v_egid;    /* SETIDS: the effective gid (START: = v_gid) */
	uint64_t v_pos;     /* EXEC_READ: the file position */
	grant_id_t v_grant; /* EXEC_OPEN: the path; EXEC_READ: the buffer */
	uint32_t v_len;     /* EXEC_OPEN: the path's length; EXEC_READ: bytes */
	union {
		int32_t v_handle; /* EXEC_READ, EXEC_CLOSE: the exec slot */
		int32_t v_sid;    /* JOBCTL: the session */
	};
	int32_t v_pgid; /* JOBCTL: the process group */
};

struct msg_vfs_pm_reply {
	uint64_t r_size;  /* EXEC_OPEN: the file's size */
	uint64_t r_bytes; /* EXEC_READ: bytes read */
	int32_t r_handle; /* EXEC_OPEN: the exec slot */
	uint32_t r_mode;  /* EXEC_OPEN: S_IF* | permission bits (set-ID bits too) */
	uint32_t r_uid;   /* EXEC_OPEN: the file's owner */
	uint32_t r_gid;
	uint32_t r_blocked; /* UNPAUSE: 1 if a suspended call was cancelled */
	uint8_t pad[4];
	uint64_t r_file_id; /* EXEC_OPEN: the id of the file's content (below) */
	uint8_t pad2[8];
};

/* VFS_PM_POLL, VFS_PM_POLL_CANCEL, and PM_POLL_DONE (include/ax/pm.h). */
struct msg_vfs_poll {
	endpoint_t endpt; /* the user process */
	int32_t call;     /* LX_NR_ppoll or LX_NR_pselect6 */
	uint32_t seq;     /* PM's number of this call of the process */
	uint32_t pad;
	uint64_t arg[5]; /* POLL: the call's arguments; PM_POLL_DONE: arg[0] the result */
};

#endif
