/*
 * Error numbers shared by the kernel and every system process.
 *
 * Calls return 0 (or a non-negative count) on success and a negative error
 * number on failure.  The standard numbers are Linux's, because user programs
 * speak the Linux ABI and servers pass these values straight through to them.
 * The Axolotl-specific ones sit above Linux's range (which ends near 133).
 */
#ifndef AX_ERRNO_H
#define AX_ERRNO_H

#define EPERM        1 /* not allowed: masks, privileges */
#define ENOENT       2
#define ESRCH        3
#define EINTR        4
#define EIO          5
#define ENXIO        6 /* no such device (minor), or the wrong protocol */
#define E2BIG        7
#define ENOEXEC      8 /* not a valid executable */
#define EBADF        9
#define ECHILD       10 /* no such child (wait) */
#define EAGAIN       11
#define ENOMEM       12
#define EACCES       13
#define EFAULT       14 /* bad address in the caller's space */
#define ENOTBLK      15 /* mount: not a block device */
#define EBUSY        16
#define ENODEV       19
#define ENOTDIR      20
#define EISDIR       21
#define EEXIST       17
#define EXDEV        18
#define ENFILE       23
#define EMFILE       24 /* the process has no free descriptor */
#define ETXTBSY      26 /* a running program's file opened for writing, or the reverse */
#define EINVAL       22 /* malformed argument */
#define ENOTTY       25 /* unknown ioctl */
#define EFBIG        27
#define ENOSPC       28
#define ESPIPE       29 /* lseek on a pipe */
#define EROFS        30
#define EMLINK       31
#define EPIPE        32 /* write to a pipe with no reader */
#define EDOM         33
#define ERANGE       34
#define EOVERFLOW    75 /* mmap: the offset plus the length wraps */
#define ENAMETOOLONG 36
#define ENOSYS       38 /* unknown call number */
#define ENOTEMPTY    39
#define ELOOP        40
#define ENOTSUP      95
#define ETIMEDOUT    110

/* Axolotl-specific. */
#define EDEADSRCDST  200 /* IPC peer is dead or its endpoint is stale */
#define ELOCKED      201 /* the blocking IPC would deadlock */
#define ENOTREADY    202 /* a non-blocking send found no receiver */
#define EDONTREPLY   203 /* internal: the handler must not reply */
#define EDEADEPT     204 /* an endpoint named in a message is not alive */
#define EBADEPT      205 /* an endpoint named in a message is malformed */
#define ERESTART     206 /* the driver restarted: reopen, then reissue */
#define EKCALL_AGAIN 207 /* internal: a kernel call did its share; it runs again */
#define EENTERMOUNT  208 /* FS lookup: the path goes on in a file system mounted here */
#define ELEAVEMOUNT  209 /* FS lookup: ".." leaves this file system's root */
#define ESYMLINK     210 /* FS lookup: a symbolic link VFS must expand */

#endif
