/*
 * VFS, the virtual file system server (README.md, docs/files.md): file
 * descriptors, open files, path lookup across mounts, device nodes, and
 * the owner of the VFS class of Linux calls (include/ax/linux_calls.def).
 *
 * At start it maps the drivers it knows (dmap), mounts the root file
 * system (mount.c) and registers with the kernel (linuxctl) as the owner
 * of the VFS class.  Then one loop: a Linux call of a process PM told it
 * about is served by the handler its number indexes, and answered at once
 * or, for a device that waits, when the driver answers (device.c); PM's
 * requests (pm.c) and the drivers' replies come in the same loop.
 */
#include "vfs_int.h"
#include <sef.h>
#include <string.h>
#include <stdio.h>

void vfs_native(message *m); /* pm.c */

static lx_fn *const lx_calls[LX_NR_CALLS] = {
	[LX_NR_read] = lx_read,
	[LX_NR_write] = lx_write,
	[LX_NR_open] = lx_open,
	[LX_NR_close] = lx_close,
	[LX_NR_stat] = lx_stat,
	[LX_NR_fstat] = lx_fstat,
	[LX_NR_lstat] = lx_lstat,
	[LX_NR_lseek] = lx_lseek,
	[LX_NR_ioctl] = lx_ioctl,
	[LX_NR_pread64] = lx_pread64,
	[LX_NR_pwrite64] = lx_pwrite64,
	[LX_NR_readv] = lx_readv,
	[LX_NR_writev] = lx_writev,
	[LX_NR_access] = lx_access,
	[LX_NR_dup] = lx_dup,
	[LX_NR_dup2] = lx_dup2,
	[LX_NR_fcntl] = lx_fcntl,
	[LX_NR_fsync] = lx_fsync,
	[LX_NR_fdatasync] = lx_fsync,
	[LX_NR_truncate] = lx_truncate,
	[LX_NR_ftruncate] = lx_ftruncate,
	[LX_NR_getcwd] = lx_getcwd,
	[LX_NR_chdir] = lx_chdir,
	[LX_NR_fchdir] = lx_fchdir,
	[LX_NR_rename] = lx_rename,
	[LX_NR_mkdir] = lx_mkdir,
	[LX_NR_rmdir] = lx_rmdir,
	[LX_NR_creat] = lx_creat,
	[LX_NR_link] = lx_link,
	[LX_NR_unlink] = lx_unlink,
	[LX_NR_symlink] = lx_symlink,
	[LX_NR_readlink] = lx_readlink,
	[LX_NR_chmod] = lx_chmod,
	[LX_NR_fchmod] = lx_fchmod,
	[LX_NR_chown] = lx_chown,
	[LX_NR_fchown] = lx_fchown,
	[LX_NR_lchown] = lx_lchown,
	[LX_NR_umask] = lx_umask,
	[LX_NR_mknod] = lx_mknod,
	[LX_NR_statfs] = lx_statfs,
	[LX_NR_fstatfs] = lx_fstatfs,
	[LX_NR_chroot] = lx_chroot,
	[LX_NR_sync] = lx_sync,
	[LX_NR_mount] = lx_mount,
	[LX_NR_umount2] = lx_umount2,
	[LX_NR_getdents64] = lx_getdents64,
	[LX_NR_openat] = lx_openat,
	[LX_NR_mkdirat] = lx_mkdirat,
	[LX_NR_mknodat] = lx_mknodat,
	[LX_NR_fchownat] = lx_fchownat,
	[LX_NR_newfstatat] = lx_newfstatat,
	[LX_NR_unlinkat] = lx_unlinkat,
	[LX_NR_renameat] = lx_renameat,
	[LX_NR_linkat] = lx_linkat,
	[LX_NR_symlinkat] = lx_symlinkat,
	[LX_NR_readlinkat] = lx_readlinkat,
	[LX_NR_fchmodat] = lx_fchmodat,
	[LX_NR_faccessat] = lx_faccessat,
	[LX_NR_utimensat] = lx_utimensat,
	[LX_NR_dup3] = lx_dup3,
	[LX_NR_renameat2] = lx_renameat2,
	[LX_NR_statx] = lx_statx,
	[LX_NR_faccessat2] = lx_faccessat2,
	[LX_NR_pipe] = lx_pipe,
	[LX_NR_pipe2] = lx_pipe2,
	[LX_NR_poll] = lx_poll,
	[LX_NR_select] = lx_select,
	/* ppoll and pselect6 are PM's (their signal mask), handed on: select.c */
};

/* The answer to a user process's Linux call (the kernel puts it in rax). */
void
reply_user(endpoint_t e, int64_t result)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_type = LX_REPLY;
	m.m_lx_reply.result = result;
	sef_reply(e, &m);
}

/* A notification: DS has driver-up events (dev_up.c), the clock a poll's timeout (select.c). */
static void
vfs_notify(const message *m)
{
	if (m->m_source == CLOCK)
		select_alarm();
	else
		dev_up_check();
}

int32_t caller_pid;

static void
linux_call(message *m)
{
	int nr = m->m_type - LX_CALL_BASE;
	struct fproc *fp = fproc_of(m->m_source);
	uint64_t arg[6];
	int64_t r;

	/* A process PM did not tell us about has no files (a test's own spawn). */
	if (!fp || !lx_calls[nr]) {
		reply_user(m->m_source, -ENOSYS);
		return;
	}
	memcpy(arg, m->m_lx_call.arg, sizeof(arg));
	lookup_attrs_forget();
	caller_pid = fp->fp_pid;
	r = lx_calls[nr](fp, arg);
	caller_pid = 0;
	if (r != LX_NO_REPLY)
		reply_user(m->m_source, r);
}

/*
 * Fresh start and restart: map the drivers, mount the root, take the VFS
 * class.  A restart does not succeed yet: the rootfs MFS is still mounted
 * for the dead VFS and answers READSUPER EBUSY (docs/files.md, "When a
 * piece crashes").
 */
static int
init_fresh(int type, const struct msg_rs_init *info)
{
	int r;

	(void)type;
	(void)info;
	dmap_init();
	if ((r = mount_root()) < 0) {
		printf("vfs: the root file system does not mount: %d\n", r);
		return r;
	}
	if (ds_retrieve_label("pm", &pm_endpt) < 0)
		pm_endpt = NONE;
	dev_up_init();
	return sys_linuxctl(LINUXCTL_SERVE, LX_OWNER_VFS);
}

int
main(int argc, char **argv)
{
	message m;

	mount_set_spares(argc, argv);
	sef_setcb_init_fresh(init_fresh);
	sef_setcb_init_restart(init_fresh);
	sef_setcb_init_lu(vfs_init_lu);
	sef_setcb_lu_prepare(vfs_lu_prepare);
	sef_setcb_lu_state_save(vfs_lu_save);
	sef_startup();
	clock_start();
	for (;;) {
		if (sef_receive(ANY, &m) < 0)
			continue;
		if (m.m_type == NOTIFY_MESSAGE) {
			vfs_notify(&m);
			continue;
		}
		if (m.m_type >= LX_CALL_BASE && m.m_type < LX_CALL_BASE + LX_NR_CALLS)
			linux_call(&m);
		else if (m.m_type == LX_CANCEL)
			vfs_lx_cancel(&m);
		else if (m.m_type == VFS_VM_MMAP)
			vfs_vm_mmap(&m);
		else if (m.m_type >= CDEV_REPLY_BASE && m.m_type < CDEV_REPLY_BASE + 0x80)
			dev_reply(&m);
		else
			vfs_native(&m);
	}
}
