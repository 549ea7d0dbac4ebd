/*
 * The processes VFS knows, and PM's requests about them (include/ax/vfs.h):
 * start, fork, exit, exec's open/read/close/done, ids, setsid, unpause,
 * shutdown (shutdown.c).
 * Each is answered at once; only PM may send them.
 */
#include "vfs_int.h"
#include <string.h>
#include <stdio.h>

struct fproc fprocs[NR_FPROCS];
static struct fdtable fdtabs[NR_FDTABS];
endpoint_t pm_endpt = NONE;

/* The descriptor tables, for a live update (lu.c). */
void
fdtab_lu_state(void (*add)(void *addr, size_t size))
{
	add(fdtabs, sizeof(fdtabs));
}

/*
 * The process of endpoint e, or NULL.  Every Linux call asks: a hint per
 * kernel slot (checked before use, so a stale one only costs the search)
 * spares it a search of the table.
 */
struct fproc *
fproc_of(endpoint_t e)
{
	static struct fproc *by_slot[NR_SLOTS];
	struct fproc *fp = by_slot[endpoint_slot(e) % NR_SLOTS];

	if (fp && fp->fp_used && fp->fp_endpt == e)
		return fp;
	for (int i = 0; i < NR_FPROCS; i++)
		if (fprocs[i].fp_used && fprocs[i].fp_endpt == e)
			return by_slot[endpoint_slot(e) % NR_SLOTS] = &fprocs[i];
	return NULL;
}

static struct fdtable *
fdtab_alloc(void)
{
	for (int i = 0; i < NR_FDTABS; i++)
		if (fdtabs[i].t_count == 0) {
			memset(&fdtabs[i], 0, sizeof(fdtabs[i]));
			fdtabs[i].t_count = 1;
			return &fdtabs[i];
		}
	return NULL;
}

/* A fresh entry for endpoint e (an old one of e, if any, is dropped first). */
static struct fproc *
fproc_alloc(endpoint_t e)
{
	struct fproc *old = fproc_of(e);

	if (old) {
		printf("vfs: endpoint %d started again without an exit\n", e);
		return NULL;
	}
	for (int i = 0; i < NR_FPROCS; i++)
		if (!fprocs[i].fp_used) {
			memset(&fprocs[i], 0, sizeof(fprocs[i]));
			fprocs[i].fp_used = true;
			fprocs[i].fp_endpt = e;
			return &fprocs[i];
		}
	return NULL;
}

static void
fproc_free(struct fproc *fp)
{
	ctty_exit(fp);
	dev_cancel(fp, false);
	pipe_cancel(fp, false);
	select_cancel(fp, false);
	for (int i = 0; i < VFS_EXEC_FILES; i++)
		if (fp->fp_exec[i]) {
			fp->fp_exec[i]->f_vno->v_exec--;
			filp_close(fp->fp_exec[i]);
		}
	exec_hold(&fp->fp_exe, NULL);
	exec_hold(&fp->fp_exe_next, NULL);
	if (fp->fp_fds && --fp->fp_fds->t_count == 0) {
		fp->fp_fds->t_count = 1; /* fd_close needs the table alive */
		for (int fd = 0; fd < OPEN_MAX; fd++)
			fd_close(fp, fd);
		fp->fp_fds->t_count = 0;
	}
	vnode_put(fp->fp_root);
	vnode_put(fp->fp_cwd);
	memset(fp, 0, sizeof(*fp));
}

/* Only PM (looked up again in DS if the sender is not the one we know). */
static bool
from_pm(endpoint_t caller)
{
	if (caller == pm_endpt)
		return true;
	if (ds_retrieve_label("pm", &pm_endpt) < 0)
		pm_endpt = NONE;
	return caller == pm_endpt;
}

static int
do_start(endpoint_t caller, message *m)
{
	struct msg_vfs_pm rq = m->m_vfs_pm;
	struct fproc *fp;
	struct vnode *con;
	struct filp *f;

	(void)caller;
	if (!root_mnt)
		return -EIO;
	if (!(fp = fproc_alloc(rq.v_endpt)))
		return -ENFILE;
	if (!(fp->fp_fds = fdtab_alloc())) {
		memset(fp, 0, sizeof(*fp));
		return -ENFILE;
	}
	fp->fp_pid = rq.v_pid;
	fp->fp_uid = fp->fp_euid = rq.v_uid;
	fp->fp_gid = fp->fp_egid = rq.v_gid;
	fp->fp_umask = 022;
	fp->fp_root = fp->fp_cwd = root_mnt->m_root;
	vnode_dup(fp->fp_root);
	vnode_dup(fp->fp_cwd);
	/*
	 * 0, 1 and 2 on the console, opened by the system for the process
	 * (as root: the node is root's, as on Linux, where init hands the
	 * terminal down).
	 */
	fp->fp_euid = fp->fp_egid = 0;
	if (lookup(fp, LX_AT_FDCWD, "/dev/console", PATH_FOLLOW, &con) == 0 &&
	    open_vnode(fp, con, LX_O_RDWR, &f) == 0) {
		for (int fd = 0; fd < 3; fd++)
			fp->fp_fds->t_fd[fd] = f;
		f->f_count = 3;
	}
	fp->fp_euid = rq.v_uid;
	fp->fp_egid = rq.v_gid;
	memset(&m->m_vfs_pm_reply, 0, sizeof(m->m_vfs_pm_reply));
	return 0;
}

static int
do_fork(endpoint_t caller, message *m)
{
	struct msg_vfs_pm rq = m->m_vfs_pm;
	struct fproc *parent = fproc_of(rq.v_endpt), *child;

	(void)caller;
	if (!parent)
		return -ESRCH;
	if (!(child = fproc_alloc(rq.v_child)))
		return -ENFILE;
	if (rq.v_flags & VFS_FORK_FILES) {
		child->fp_fds = parent->fp_fds;
		child->fp_fds->t_count++;
	} else {
		if (!(child->fp_fds = fdtab_alloc())) {
			memset(child, 0, sizeof(*child));
			return -ENFILE;
		}
		for (int fd = 0; fd < OPEN_MAX; fd++) {
			struct filp *f = parent->fp_fds->t_fd[fd];

			child->fp_fds->t_fd[fd] = f;
			child->fp_fds->t_cloexec[fd] = parent->fp_fds->t_cloexec[fd];
			if (f)
				f->f_count++;
		}
	}
	child->fp_pid = rq.v_pid;
	ctty_fork(child, parent);
	child->fp_uid = parent->fp_uid;
	child->fp_euid = parent->fp_euid;
	child->fp_gid = parent->fp_gid;
	child->fp_egid = parent->fp_egid;
	child->fp_umask = parent->fp_umask;
	child->fp_root = parent->fp_root;
	child->fp_cwd = parent->fp_cwd;
	exec_hold(&child->fp_exe, parent->fp_exe);
	vnode_dup(child->fp_root);
	vnode_dup(child->fp_cwd);
	memset(&m->m_vfs_pm_reply, 0, sizeof(m->m_vfs_pm_reply));
	return 0;
}

static int
do_exit(endpoint_t caller, message *m)
{
	struct fproc *fp = fproc_of(m->m_vfs_pm.v_endpt);

	(void)caller;
	if (!fp)
		return -ESRCH;
	fproc_free(fp);
	memset(&m->m_vfs_pm_reply, 0, sizeof(m->m_vfs_pm_reply));
	return 0;
}

static int
do_exec_open(endpoint_t caller, message *m)
{
	static char path[LX_PATH_MAX + 1];
	struct msg_vfs_pm rq = m->m_vfs_pm;
	struct fproc *fp = fproc_of(rq.v_endpt);
	struct msg_fs_stat st;
	struct vnode *v;
	struct filp *f;
	int slot, r;

	if (!fp)
		return -ESRCH;
	if (rq.v_len == 0)
		return -ENOENT;
	if (rq.v_len >= LX_PATH_MAX)
		return -ENAMETOOLONG;
	if ((r = sys_safecopystr(caller, rq.v_grant, path, rq.v_len)) < 0)
		return r;
	for (slot = 0; slot < VFS_EXEC_FILES && fp->fp_exec[slot]; slot++)
		;
	if (slot == VFS_EXEC_FILES)
		return -EMFILE;
	if ((r = lookup(fp, LX_AT_FDCWD, path, PATH_FOLLOW, &v)) < 0)
		return r;
	if ((r = fs_stat(v, &st)) < 0 || !LX_ISREG(v->v_mode) || may_access(fp, v, 1, false) < 0) {
		vnode_put(v);
		return r < 0 ? r : -EACCES;
	}
	if (exec_has_writer(v)) {
		vnode_put(v);
		return -ETXTBSY; /* Linux's deny_write_access (exec_id.c) */
	}
	if (!(f = filp_alloc())) {
		vnode_put(v);
		return -ENFILE;
	}
	exec_hold(&fp->fp_exe_next, NULL); /* a script's, once its interpreter opens */
	v->v_exec++;                       /* the slot's hold, until EXEC_CLOSE */
	f->f_vno = v;
	f->f_flags = LX_O_RDONLY;
	fp->fp_exec[slot] = f;
	memset(&m->m_vfs_pm_reply, 0, sizeof(m->m_vfs_pm_reply));
	m->m_vfs_pm_reply.r_handle = slot;
	m->m_vfs_pm_reply.r_size = st.s_size;
	m->m_vfs_pm_reply.r_mode = st.s_mode;
	m->m_vfs_pm_reply.r_uid = st.s_uid;
	m->m_vfs_pm_reply.r_gid = st.s_gid;
	m->m_vfs_pm_reply.r_file_id = exec_id_of(v);
	return 0;
}

static struct filp *
exec_slot(struct fproc *fp, int handle)
{
	if (!fp || handle < 0 || handle >= VFS_EXEC_FILES)
		return NULL;
	return fp->fp_exec[handle];
}

static int
do_exec_read(endpoint_t caller, message *m)
{
	struct msg_vfs_pm rq = m->m_vfs_pm;
	struct filp *f = exec_slot(fproc_of(rq.v_endpt), rq.v_handle);
	uint64_t bytes = 0;
	grant_id_t g;
	int r;

	if (!f)
		return -EBADF;
	g = cpf_grant_indirect(f->f_vno->v_mnt->m_fs, caller, rq.v_grant);
	if (g == GRANT_INVALID)
		return -ENOMEM;
	r = fs_io(f->f_vno, FS_READ, rq.v_pos, g, rq.v_len, NULL, &bytes);
	cpf_revoke(g);
	memset(&m->m_vfs_pm_reply, 0, sizeof(m->m_vfs_pm_reply));
	m->m_vfs_pm_reply.r_bytes = bytes;
	return r;
}

static int
do_exec_close(endpoint_t caller, message *m)
{
	struct fproc *fp = fproc_of(m->m_vfs_pm.v_endpt);
	struct filp *f = exec_slot(fp, m->m_vfs_pm.v_handle);

	(void)caller;
	if (!f)
		return -EBADF;
	fp->fp_exec[m->m_vfs_pm.v_handle] = NULL;
	exec_hold(&fp->fp_exe_next, f->f_vno); /* what EXEC_DONE may make its program */
	f->f_vno->v_exec--;
	filp_close(f);
	return 0;
}

static int
do_exec_done(endpoint_t caller, message *m)
{
	struct fproc *fp = fproc_of(m->m_vfs_pm.v_endpt);

	(void)caller;
	if (!fp)
		return -ESRCH;
	for (int fd = 0; fd < OPEN_MAX; fd++)
		if (fp->fp_fds->t_cloexec[fd])
			fd_close(fp, fd);
	exec_hold(&fp->fp_exe, fp->fp_exe_next); /* NULL: a program of the boot image */
	exec_hold(&fp->fp_exe_next, NULL);
	return 0;
}

static int
do_setids(endpoint_t caller, message *m)
{
	struct fproc *fp = fproc_of(m->m_vfs_pm.v_endpt);

	(void)caller;
	if (!fp)
		return -ESRCH;
	fp->fp_uid = m->m_vfs_pm.v_uid;
	fp->fp_euid = m->m_vfs_pm.v_euid;
	fp->fp_gid = m->m_vfs_pm.v_gid;
	fp->fp_egid = m->m_vfs_pm.v_egid;
	return 0;
}

/* fp's suspended call ends (EINTR, or the bytes it moved): true if it had one. */
static bool
unpause(struct fproc *fp)
{
	bool blocked = fp->fp_blocked != BLK_NONE;

	if (fp->fp_blocked == BLK_CDEV)
		dev_cancel(fp, true);
	pipe_cancel(fp, true);
	select_cancel(fp, true);
	return blocked;
}

static int
do_unpause(endpoint_t caller, message *m)
{
	struct fproc *fp = fproc_of(m->m_vfs_pm.v_endpt);
	bool blocked;

	(void)caller;
	if (!fp)
		return -ESRCH;
	blocked = unpause(fp);
	memset(&m->m_vfs_pm_reply, 0, sizeof(m->m_vfs_pm_reply));
	m->m_vfs_pm_reply.r_blocked = blocked;
	return 0;
}

/*
 * LX_CANCEL (include/ax/linux.h): PM has a signal whose handler must run
 * while the process waits in a call VFS holds: the call ends as UNPAUSE
 * ends it.  Nothing goes back to PM (the kernel tells it when the call
 * has ended); a process with no suspended call (its answer crossed this)
 * is left alone.
 */
void
vfs_lx_cancel(const message *m)
{
	struct fproc *fp;

	if (from_pm(m->m_source) && (fp = fproc_of(m->m_lx_cancel.endpt)))
		unpause(fp);
}

static int
do_shutdown(endpoint_t caller, message *m)
{
	(void)caller;
	(void)m;
	return vfs_shutdown();
}

static dispatch_fn *const pm_calls[VFS_NR_REQUESTS] = {
	[VFS_PM_START - VFS_BASE] = do_start,
	[VFS_PM_FORK - VFS_BASE] = do_fork,
	[VFS_PM_EXIT - VFS_BASE] = do_exit,
	[VFS_PM_EXEC_OPEN - VFS_BASE] = do_exec_open,
	[VFS_PM_EXEC_READ - VFS_BASE] = do_exec_read,
	[VFS_PM_EXEC_CLOSE - VFS_BASE] = do_exec_close,
	[VFS_PM_EXEC_DONE - VFS_BASE] = do_exec_done,
	[VFS_PM_SETIDS - VFS_BASE] = do_setids,
	[VFS_PM_JOBCTL - VFS_BASE] = ctty_jobctl,
	[VFS_PM_UNPAUSE - VFS_BASE] = do_unpause,
	[VFS_PM_SHUTDOWN - VFS_BASE] = do_shutdown,
	[VFS_PM_POLL - VFS_BASE] = select_pm_poll,
	[VFS_PM_POLL_CANCEL - VFS_BASE] = select_pm_cancel,
};

static void
vfs_dump(struct dump *d)
{
	vnode_dump(d);
	dmap_dump(d);
	fproc_dump(d);
	ctty_dump(d);
}

static const struct dispatch pm_dispatch = DISPATCH(VFS_BASE, pm_calls, vfs_dump);

/* A native request: PM's (anyone else's is EPERM), or DEBUG_DUMP. */
void
vfs_native(message *m)
{
	endpoint_t caller = m->m_source;

	if (m->m_type >= VFS_BASE && m->m_type < VFS_END && !from_pm(caller)) {
		dispatch_reply(caller, m, -EPERM);
		return;
	}
	dispatch_serve(&pm_dispatch, caller, m);
}

void
fproc_dump(struct dump *d)
{
	dump_printf(d, "  endpt   pid  uid  fds  blocked\n");
	for (int i = 0; i < NR_FPROCS; i++) {
		const struct fproc *fp = &fprocs[i];
		int n = 0;

		if (!fp->fp_used)
			continue;
		for (int fd = 0; fd < OPEN_MAX; fd++)
			n += fp->fp_fds && fp->fp_fds->t_fd[fd] != NULL;
		dump_printf(d, "  %6d %5d %4u %4d  %s\n", fp->fp_endpt, fp->fp_pid, fp->fp_euid, n,
			    fp->fp_blocked == BLK_CDEV ? "device"
			    : fp->fp_blocked           ? "yes"
						       : "-");
	}
}
