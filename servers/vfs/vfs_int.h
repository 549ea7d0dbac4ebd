/*
 * VFS's tables and the functions its files share (README.md,
 * docs/files.md).  One process, one thread: every request is served to its
 * end or suspended (a device that waits, later a pipe), never half done
 * while another runs.
 *
 *   mounts (vmnt)       one per mounted file-system server, with its root
 *                       vnode and the vnode it covers
 *   vnodes              one per inode VFS holds, named by (mount, inode);
 *                       v_ref counts VFS's users (open files, working and
 *                       root directories, mounts), v_fs_count the
 *                       references the FS handed out (PUTNODE'd together)
 *   open files (filp)   an open file description: vnode, position,
 *                       status flags; shared by dup and fork
 *   descriptor tables   per process, shared by clone(CLONE_FILES)
 *   processes (fproc)   ids, umask, root and working directory, the table,
 *                       exec slots, and the call suspended in a driver
 *
 * Files: main.c (start, main loop, the Linux-call table), pm.c (PM's
 * requests), path.c (lookup), vnode.c (vnodes, mounts, FS requests),
 * open.c (open, close, creating and removing names), read.c (read, write,
 * lseek, getdents), fd.c (descriptor calls), stat.c (stat family and
 * attributes), misc.c (directories, umask, sync), mount.c, device.c
 * (dmap, character and block devices), lxabi.h (Linux's structures).
 */
#ifndef VFS_INT_H
#define VFS_INT_H

#include <libsys.h>
#include <dispatch.h>
#include <ax/linux.h>
#include <ax/vfs.h>
#include <ax/vfs_fs.h>
#include <ax/cdev.h>
#include <ax/rs.h>
#include "lxabi.h"

#define NR_VMNTS    8
#define NR_VNODES   512
#define NR_FILPS    512
#define NR_FPROCS   128
#define NR_FDTABS   NR_FPROCS
#define OPEN_MAX    64 /* descriptors per process */
#define SYMLOOP_MAX 40 /* symbolic links one call may follow (Linux's) */
#define LABEL_MAX   16

struct vnode;

struct vmnt {
	bool m_used;
	bool m_dead;      /* its FS died: every request is EIO */
	bool m_rdonly;    /* VFS refuses writes (EROFS): mounted or remounted so */
	bool m_fs_rdonly; /* the FS itself was mounted read-only: it holds nothing to write */
	endpoint_t m_fs;  /* the FS server */
	char m_label[LABEL_MAX]; /* the FS server's label */
	char m_dev[64];          /* what was mounted (a device path, "/dev/rootfs") */
	char m_path[64];         /* where, as mount(2) was given it ("/" for the root) */
	struct vnode *m_root;    /* the FS's root (one v_ref held by the mount) */
	struct vnode *m_covered; /* the directory it covers (a v_ref), NULL for / */
	uint32_t m_blksize;      /* st_blksize, from its first STAT (0: not known yet) */
};

struct vnode {
	int v_ref;           /* VFS's users; 0: free */
	uint32_t v_fs_count; /* references held at the FS */
	struct vmnt *v_mnt;
	fs_ino_t v_ino;
	uint32_t v_mode;
	uint32_t v_uid, v_gid;
	uint32_t v_rdev;
	uint64_t v_size;
	struct vmnt *v_mounted; /* a mount covering this directory, or NULL */
	int v_exec; /* programs running it, and exec's opens of it: no writer (ETXTBSY, exec_id.c) */
	void *v_pipe;  /* pipes and FIFOs: their ring (pipe.c) */
	bool v_hashed; /* an FS's: in the hash of (mount, inode) (vnode.c) */
	bool v_gone;   /* unlinked (or a directory removed) while in use: not cached at the end */
	struct vnode *v_hnext;           /* the next of its hash chain */
	struct vnode *v_older, *v_newer; /* unused, with its FS references: the cache's order */
};

struct filp {
	int f_count; /* descriptors (and exec slots) naming it; 0: free */
	struct vnode *f_vno;
	uint64_t f_pos;
	uint32_t f_flags; /* O_ACCMODE, O_APPEND, O_NONBLOCK... as open set them */
	bool f_dev_open;  /* a device open to close at the last close */
	void *f_priv;     /* pipes (pipe.c) */
	bool f_pipe_end;  /* counted as a pipe's reader and/or writer (pipe.c) */
	bool f_dev_dead;  /* its driver came back and it did not reopen: EIO (dev_up.c) */
};

struct fdtable {
	int t_count; /* processes sharing it; 0: free */
	struct filp *t_fd[OPEN_MAX];
	uint8_t t_cloexec[OPEN_MAX];
};

/* fp_blocked: what a process is suspended on. */
enum { BLK_NONE, BLK_CDEV, BLK_OTHER, BLK_PIPE, BLK_POPEN, BLK_SELECT };

/* A read or write suspended on a pipe, or a FIFO open waiting for the other end (pipe.c). */
struct pipe_wait {
	struct filp *pw_filp;
	uint64_t pw_addr, pw_len; /* the caller's buffer */
	uint64_t pw_done;         /* bytes moved so far */
	bool pw_write;
	int pw_fd;       /* a FIFO open: the descriptor to answer */
	uint64_t pw_seq; /* when it began to wait: the oldest goes first */
};

/* A poll or select suspended until something is ready (select.c). */
struct select_wait {
	bool sw_poll;         /* poll/ppoll, else select/pselect6 */
	uint32_t sw_n;        /* pollfd entries, or nfds */
	uint64_t sw_addr[3];  /* poll: the array; select: the in, out and except sets */
	uint64_t sw_deadline; /* clock ticks; ~0: none */
	bool sw_pm;           /* ppoll, pselect6: PM's (VFS_PM_POLL), answered to PM ... */
	uint32_t sw_seq;      /* ... with PM's number of the call */
};

struct fproc {
	bool fp_used;
	endpoint_t fp_endpt;
	int32_t fp_pid;
	uint32_t fp_uid, fp_euid, fp_gid, fp_egid;
	uint32_t fp_umask;
	int32_t fp_pgid, fp_sid; /* its group and session, as PM told (ctty.c) */
	uint32_t fp_jobflags;    /* VFS_JOB_*: SIGTTIN, SIGTTOU ignored or blocked */
	struct fproc *fp_parent; /* the process that forked it, while it lives (ctty.c) */
	struct vnode *fp_root, *fp_cwd;
	struct fdtable *fp_fds;
	struct filp *fp_exec[VFS_EXEC_FILES];
	struct vnode *fp_exe;      /* the program it runs (a v_ref, a v_exec), or NULL */
	struct vnode *fp_exe_next; /* exec's file, closed, until EXEC_DONE makes it fp_exe */
	/* A call suspended in a character driver (device.c). */
	int fp_blocked;
	endpoint_t fp_blk_driver;
	cdev_id_t fp_blk_id;
	grant_id_t fp_blk_grant;
	struct filp *fp_blk_filp; /* its position moves by the bytes done */
	int fp_blk_call;          /* LX_NR_read, write or ioctl */
	unsigned fp_blk_req;      /* ioctl: the request ... */
	struct vnode *fp_blk_vno; /* ... and the node (ctty.c: TIOCSCTTY, TIOCNOTTY) */
	bool fp_blk_cancelled;
	struct pipe_wait fp_pipe;  /* BLK_PIPE, BLK_POPEN */
	struct select_wait fp_sel; /* BLK_SELECT */
};

extern struct vmnt vmnts[NR_VMNTS];
extern struct vnode vnodes[NR_VNODES];
extern struct filp filps[NR_FILPS];
extern struct fproc fprocs[NR_FPROCS];
extern struct vmnt *root_mnt;
extern endpoint_t pm_endpt;
extern int32_t caller_pid; /* whose Linux call VFS is serving now (main.c), 0: none */

/* A Linux call's handler: the result (>= 0 or -E), or LX_NO_REPLY (suspended). */
typedef int64_t lx_fn(struct fproc *fp, const uint64_t *arg);

/* main.c */
void reply_user(endpoint_t e, int64_t result);

/* clock.c: the date in seconds since 1970 (PM's CLOCK_REALTIME), 0 if not known yet */
uint32_t vfs_now(void);
void clock_start(void);

/* pm.c */
void vfs_native(message *m);
void vfs_lx_cancel(const message *m); /* LX_CANCEL (include/ax/linux.h) */
struct fproc *fproc_of(endpoint_t e);
void fproc_dump(struct dump *d);

/* vnode.c: vnodes, mounts, and the requests to an FS. */
struct vnode *vnode_get(struct vmnt *mnt, fs_ino_t ino, uint64_t size, uint32_t mode, uint32_t uid,
			uint32_t gid, uint32_t rdev);
void vnode_dup(struct vnode *v);
void vnode_put(struct vnode *v);
struct vnode *vnode_alloc(void);
void vnode_forget(struct vmnt *mnt, fs_ino_t ino);
void vnode_flush(struct vmnt *mnt, bool dirs_only);
int fs_call(struct vmnt *mnt, int type, message *m);
/* exec_id.c: the ids of executables' contents for VM's page cache (include/ax/vfs.h) */
uint64_t exec_id_of(struct vnode *v);
void vfs_vm_mmap(const message *m); /* mmap.c: VFS_VM_MMAP */
void exec_id_changed(struct vmnt *mnt, fs_ino_t ino);
void exec_id_forget_mount(struct vmnt *mnt);
/* ... and ETXTBSY: a running program's file has no writer, a written file does not run. */
bool exec_has_writer(const struct vnode *v);
void exec_hold(struct vnode **slot, struct vnode *v); /* *slot = v, with a v_ref and a v_exec */
int fs_io(struct vnode *v, int type, uint64_t pos, grant_id_t g, uint32_t size, uint64_t *newpos,
	  uint64_t *bytes);
int fs_name(struct vnode *dir, int type, const char *name, message *m);
int fs_stat(struct vnode *v, struct msg_fs_stat *st);
int vnode_stat(struct vnode *v, struct msg_fs_stat *st); /* from the lookup, or STAT */
int vmnt_mount_fs(struct vmnt *mnt, const char *fs_label, const char *drv_label, int minor,
		  bool rdonly);
void vnode_dump(struct dump *d);

/* path.c */
#define PATH_FOLLOW 0x1 /* follow a symbolic link as the last component */
#define PATH_EXEC   0x2 /* PM's exec lookup: the path is in VFS already */
int path_copy_in(struct fproc *fp, uint64_t addr, char *buf);
int lookup(struct fproc *fp, int dirfd, const char *path, int flags, struct vnode **res);
int lookup_parent(struct fproc *fp, int dirfd, const char *path, struct vnode **dir, char *last);
int lookup_user(struct fproc *fp, int dirfd, uint64_t upath, int flags, struct vnode **res);
/* What the last lookup of this call told of the node it ended on (stat without STAT). */
void lookup_attrs_forget(void);
bool lookup_attrs(const struct vnode *v, struct msg_fs_stat *st);
/* Permission: the bits R_OK 4, W_OK 2, X_OK 1 for the effective (or real) ids. */
int may_access(const struct fproc *fp, const struct vnode *v, int bits, bool real_ids);

/* Copies to and from the caller's memory: 0 or -EFAULT. */
int copy_from_user(struct fproc *fp, uint64_t addr, void *dst, size_t len);
int copy_to_user(struct fproc *fp, uint64_t addr, const void *src, size_t len);

/* fd.c */
struct filp *filp_alloc(void);
struct filp *fd_filp(struct fproc *fp, int fd);
int fd_install(struct fproc *fp, struct filp *f, int min, bool cloexec);
void filp_close(struct filp *f);
int fd_close(struct fproc *fp, int fd);

/* open.c */
int open_vnode(struct fproc *fp, struct vnode *v, uint32_t flags, struct filp **out);

/* device.c */
int dev_open(struct fproc *fp, struct filp *f, uint32_t flags);
void dev_close(struct filp *f);
int64_t dev_io(struct fproc *fp, struct filp *f, bool write, uint64_t addr, uint64_t len,
	       uint64_t pos, bool use_pos);
int64_t dev_ioctl(struct fproc *fp, struct filp *f, unsigned long req, uint64_t arg);
bool dev_reply(message *m);
void dev_cancel(struct fproc *fp, bool answer);
int dmap_add(int type, unsigned major, const char *label);
void dmap_init(void);
int dmap_block(uint32_t rdev, char *label, int *minor);
void dmap_dump(struct dump *d);
int64_t blk_io(struct fproc *fp, struct filp *f, bool write, uint64_t addr, uint64_t len,
	       uint64_t pos);

/* pipe.c */
int64_t pipe_io(struct fproc *fp, struct filp *f, bool write, uint64_t addr, uint64_t len);
int64_t pipe_fifo_open(struct fproc *fp, struct filp *f, int fd);
void pipe_close(struct filp *f);
void pipe_cancel(struct fproc *fp, bool answer);
void pipe_vnode_gone(struct vnode *v);
bool vnode_is_pipe(const struct vnode *v);
unsigned pipe_poll(const struct filp *f);
int pipe_stat(const struct vnode *v, struct msg_fs_stat *s);
int64_t pipe_ioctl(struct fproc *fp, struct filp *f, unsigned long req, uint64_t arg);

/* select.c */
void select_wake(struct vnode *v);
void select_driver_event(void);
void select_alarm(void);
void select_cancel(struct fproc *fp, bool answer);
int select_pm_poll(endpoint_t caller, message *m);   /* VFS_PM_POLL */
int select_pm_cancel(endpoint_t caller, message *m); /* VFS_PM_POLL_CANCEL */

/* dev_up.c, and what it needs of device.c */
void dev_up_init(void);
void dev_up_check(void);
void dmap_each_label(void (*fn)(const char *label));
endpoint_t dmap_endpoint_up(const char *label, endpoint_t e, bool *block);
bool dev_uses_label(const struct filp *f, const char *label);
int dev_reopen(struct filp *f, endpoint_t e);
unsigned dev_select(struct fproc *fp, struct filp *f, unsigned events, bool notify);

/* ctty.c: the controlling terminal of a session, job control */
int ctty_jobctl(endpoint_t caller, message *m);
void ctty_fork(struct fproc *child, struct fproc *parent);
bool ctty_orphaned(const struct fproc *fp); /* its group is orphaned (POSIX) */
void ctty_fill(const struct fproc *fp, struct msg_cdev_request *rq);
bool ctty_may_acquire(const struct fproc *fp);
int ctty_opened(const struct fproc *fp, struct vnode *v, int64_t status);
int ctty_redirect(const struct fproc *fp, struct vnode **v);
void ctty_ioctl_done(const struct fproc *fp, struct vnode *v, unsigned request, int64_t status);
void ctty_exit(const struct fproc *fp);
void ctty_dump(struct dump *d);
int dev_send_detached(struct vnode *v, message *m); /* device.c: a request nobody waits for */

/* lu.c: live update (and what it asks of pm.c, pipe.c, device.c) */
bool vfs_lu_prepare(int state);
int vfs_lu_save(int state);
int vfs_init_lu(int type, const struct msg_rs_init *info);
int lu_copy_from(endpoint_t from, uint64_t addr, void *dst, size_t len);
void fdtab_lu_state(void (*add)(void *addr, size_t size));
void vnode_lu_state(void (*add)(void *addr, size_t size));
void pipe_lu_state(void (*add)(void *addr, size_t size));
int pipe_lu_rings(endpoint_t old);
void dmap_lu_state(void (*add)(void *addr, size_t size));
void ctty_lu_state(void (*add)(void *addr, size_t size));

/* mount.c */
int mount_root(void);
void mount_set_spares(int argc, char **argv);
int64_t lx_mount(struct fproc *fp, const uint64_t *arg);
int64_t lx_umount2(struct fproc *fp, const uint64_t *arg);

/* shutdown.c: every FS synced and unmounted (VFS_PM_SHUTDOWN): 0 or the first error. */
int vfs_shutdown(void);

/* The handlers of the Linux calls, by file. */
lx_fn lx_open, lx_openat, lx_creat, lx_close, lx_mkdir, lx_mkdirat, lx_mknod, lx_mknodat, lx_unlink,
	lx_unlinkat, lx_rmdir, lx_rename, lx_renameat, lx_renameat2, lx_link, lx_linkat, lx_symlink,
	lx_symlinkat;
lx_fn lx_read, lx_write, lx_pread64, lx_pwrite64, lx_readv, lx_writev, lx_lseek, lx_getdents64,
	lx_ioctl;
lx_fn lx_dup, lx_dup2, lx_dup3, lx_fcntl;
lx_fn lx_stat, lx_fstat, lx_lstat, lx_newfstatat, lx_statx, lx_readlink, lx_readlinkat, lx_access,
	lx_faccessat, lx_faccessat2, lx_chmod, lx_fchmod, lx_fchmodat, lx_chown, lx_fchown,
	lx_lchown, lx_fchownat, lx_truncate, lx_ftruncate, lx_utimensat, lx_statfs, lx_fstatfs;
lx_fn lx_pipe, lx_pipe2, lx_poll, lx_ppoll, lx_select, lx_pselect6;
lx_fn lx_chdir, lx_fchdir, lx_getcwd, lx_umask, lx_sync, lx_fsync, lx_chroot;

#endif
