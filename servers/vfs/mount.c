/*
 * Mounts: the root file system at start, mount(2) and umount2(2).
 *
 * The root is the boot image's root file system (tools/mkfs_tree.py makes
 * it at build time from ROOT_FILES), which the memory driver serves as the
 * drive MEMORY_ROOTFS, read by the MFS instance labelled "rootfs".  mount
 * takes a block device node and one of the idle file-system instances RS
 * started for VFS (VFS's args name them: each is an MFS that nobody has
 * mounted yet); the FS is asked to READSUPER first and the covered
 * directory is marked (MOUNTPOINT) only once that succeeded, so a failed
 * mount leaves nothing behind.  Only root mounts and unmounts.  Type
 * "proc" mounts procfs (servers/procfs), which has no device: the source
 * is only a name, and there is one procfs, mounted once.
 *
 * The table, as /proc/mounts shows it, goes to DS as the memory entry
 * "vfs.mounts" after each change (publish_mounts): procfs reads it from
 * there when /proc/mounts is read, since procfs cannot ask VFS while VFS
 * waits on procfs for that read.
 */
#include "vfs_int.h"
#include <string.h>
#include <stdio.h>
#include <ax/memory.h>

#define ROOT_FS_LABEL  "rootfs"
#define ROOT_DRV_LABEL "memory"
#define MAX_SPARE_FS   4
#define PROC_FS_LABEL  "procfs"

static char spare_fs[MAX_SPARE_FS][LABEL_MAX]; /* FS instances mount(2) may use */
static int nr_spare_fs;

/* VFS's args: the labels of the FS instances it may mount (comma- or space-separated). */
void
mount_set_spares(int argc, char **argv)
{
	for (int i = 1; i < argc && nr_spare_fs < MAX_SPARE_FS; i++)
		strlcpy(spare_fs[nr_spare_fs++], argv[i], LABEL_MAX);
}

/*
 * The mount table in /proc/mounts's format, published in DS for procfs
 * (above).  A table that does not fit an entry is cut at a whole line;
 * DS's refusal is logged, and /proc/mounts then shows the last one.
 */
static void
publish_mounts(void)
{
	char text[DS_MAX_MEMLEN];
	size_t len = 0;
	int r;

	for (int i = 0; i < NR_VMNTS; i++) {
		const struct vmnt *m = &vmnts[i];
		bool proc = !strcmp(m->m_label, PROC_FS_LABEL);
		int n;

		if (!m->m_used)
			continue;
		/* procfs is mounted read-only here, "rw" on Linux, whose files refuse writes. */
		const char *opts = proc ? "rw,nosuid,nodev,noexec" : m->m_rdonly ? "ro" : "rw";

		n = snprintf(text + len, sizeof(text) - len, "%s %s %s %s 0 0\n", m->m_dev,
			     m->m_path, proc ? "proc" : "minix", opts);
		if (n < 0 || (size_t)n >= sizeof(text) - len)
			break;
		len += (size_t)n;
	}
	if ((r = ds_publish_mem("vfs.mounts", text, len, DSF_OVERWRITE)) < 0)
		printf("vfs: publishing the mount table: %d\n", r);
}

int
mount_root(void)
{
	struct vmnt *m = &vmnts[0];
	int r;

	if ((r = vmnt_mount_fs(m, ROOT_FS_LABEL, ROOT_DRV_LABEL, MEMORY_ROOTFS, false)) < 0)
		return r;
	/* The node of the root image (rootfs.nodes): busybox's df skips a "rootfs". */
	strlcpy(m->m_dev, "/dev/rootfs", sizeof(m->m_dev));
	strlcpy(m->m_path, "/", sizeof(m->m_path));
	root_mnt = m;
	publish_mounts();
	return 0;
}

static const char *
free_fs_label(void)
{
	for (int i = 0; i < nr_spare_fs; i++) {
		bool used = false;

		for (int k = 0; k < NR_VMNTS; k++)
			used |= vmnts[k].m_used && !strcmp(vmnts[k].m_label, spare_fs[i]);
		if (!used)
			return spare_fs[i];
	}
	return NULL;
}

/*
 * mount(NULL, dir, NULL, MS_REMOUNT | flags, NULL): the mount whose root is
 * dir becomes read-only (MS_RDONLY) or writable again, as Linux's remount.
 * Read-only: refused (EBUSY) while a regular file of it is open for
 * writing, else its FS writes what it holds and VFS refuses writes from
 * then on (busybox's `umount -a -r` at shutdown does this to /, which it
 * cannot unmount).  Writable: only a mount whose FS was mounted writable
 * (an FS mounted read-only stays so: EROFS; unmount and mount it again).
 */
static int64_t
remount(struct fproc *fp, const uint64_t *arg)
{
	bool rdonly = (arg[3] & LX_MS_RDONLY) != 0;
	struct vmnt *mnt;
	struct vnode *v;
	message m;
	int r = 0;

	if ((r = lookup_user(fp, LX_AT_FDCWD, arg[1], PATH_FOLLOW, &v)) < 0)
		return r;
	mnt = v->v_mnt;
	if (v != mnt->m_root)
		r = -EINVAL;
	vnode_put(v);
	if (r < 0 || rdonly == mnt->m_rdonly)
		return r;
	if (!rdonly) {
		if (mnt->m_fs_rdonly)
			return -EROFS;
		mnt->m_rdonly = false;
		publish_mounts();
		return 0;
	}
	for (int i = 0; i < NR_FILPS; i++) {
		const struct filp *f = &filps[i];

		if (f->f_count > 0 && f->f_vno && f->f_vno->v_mnt == mnt &&
		    LX_ISREG(f->f_vno->v_mode) && (f->f_flags & LX_O_ACCMODE) != LX_O_RDONLY)
			return -EBUSY;
	}
	memset(&m, 0, sizeof(m));
	if (!mnt->m_fs_rdonly && !mnt->m_dead && (r = fs_call(mnt, FS_SYNC, &m)) < 0 &&
	    r != -ENOSYS)
		return r;
	mnt->m_rdonly = true;
	publish_mounts();
	return 0;
}

int64_t
lx_mount(struct fproc *fp, const uint64_t *arg)
{
	static char src[LX_PATH_MAX + 1], type[LX_PATH_MAX + 1];
	char drv[LABEL_MAX];
	struct vnode *dev, *dir;
	struct vmnt *mnt = NULL;
	const char *fs;
	message m;
	int minor, r;
	bool proc;

	if (fp->fp_euid != 0)
		return -EPERM;
	if (arg[3] & LX_MS_REMOUNT)
		return remount(fp, arg);
	if ((r = path_copy_in(fp, arg[2], type)) < 0)
		return r == -ENAMETOOLONG ? -ENODEV : r;
	proc = strcmp(type, "proc") == 0;
	if (!proc && strcmp(type, "minix") && strcmp(type, "mfs"))
		return -ENODEV;
	if ((r = path_copy_in(fp, arg[0], src)) < 0)
		return r;
	if (proc) {
		strlcpy(drv, "none", sizeof(drv)); /* procfs has no device */
		minor = 0;
	} else {
		if ((r = lookup(fp, LX_AT_FDCWD, src, PATH_FOLLOW, &dev)) < 0)
			return r;
		if (!LX_ISBLK(dev->v_mode))
			r = -ENOTBLK;
		else
			r = dmap_block(dev->v_rdev, drv, &minor);
		vnode_put(dev);
		if (r < 0)
			return r;
	}
	if ((r = lookup_user(fp, LX_AT_FDCWD, arg[1], PATH_FOLLOW, &dir)) < 0)
		return r;
	if (!LX_ISDIR(dir->v_mode))
		r = -ENOTDIR;
	else if (dir->v_mounted || dir == dir->v_mnt->m_root)
		r = -EBUSY;
	for (int i = 0; r == 0 && i < NR_VMNTS; i++) {
		if (vmnts[i].m_used && !strcmp(vmnts[i].m_dev, src))
			r = -EBUSY; /* already mounted */
		if (proc && vmnts[i].m_used && !strcmp(vmnts[i].m_label, PROC_FS_LABEL))
			r = -EBUSY; /* procfs is mounted already */
		if (!vmnts[i].m_used && !mnt)
			mnt = &vmnts[i];
	}
	if (r == 0 && !mnt)
		r = -ENOMEM;
	if (r == 0 && !(fs = proc ? PROC_FS_LABEL : free_fs_label()))
		r = -EBUSY; /* no idle file-system server */
	if (r == 0 && (r = vmnt_mount_fs(mnt, fs, drv, minor, (arg[3] & LX_MS_RDONLY) != 0)) == 0) {
		memset(&m, 0, sizeof(m));
		m.m_fs_inode.i_ino = dir->v_ino;
		if ((r = fs_call(dir->v_mnt, FS_MOUNTPOINT, &m)) < 0) {
			vnode_put(mnt->m_root);
			vnode_flush(mnt, false);
			memset(&m, 0, sizeof(m));
			fs_call(mnt, FS_UNMOUNT, &m);
			mnt->m_used = false;
		}
	}
	if (r < 0) {
		vnode_put(dir);
		return r;
	}
	strlcpy(mnt->m_dev, src, sizeof(mnt->m_dev));
	if (path_copy_in(fp, arg[1], src) < 0)
		strlcpy(src, "?", sizeof(src));
	strlcpy(mnt->m_path, src, sizeof(mnt->m_path));
	mnt->m_covered = dir; /* the lookup's reference is the mount's */
	dir->v_mounted = mnt;
	publish_mounts();
	return 0;
}

int64_t
lx_umount2(struct fproc *fp, const uint64_t *arg)
{
	struct vnode *v, *covered;
	struct vmnt *mnt, *cmnt;
	fs_ino_t cino;
	message m;
	int r;

	if (fp->fp_euid != 0)
		return -EPERM;
	if (arg[1] & ~(uint64_t)0xf)
		return -EINVAL;
	if ((r = lookup_user(fp, LX_AT_FDCWD, arg[0], PATH_FOLLOW, &v)) < 0)
		return r;
	mnt = v->v_mnt;
	if (v != mnt->m_root) {
		vnode_put(v);
		return -EINVAL;
	}
	if (mnt == root_mnt) {
		vnode_put(v);
		return -EBUSY;
	}
	/* Busy: any vnode of it in use but the root's two (the mount's, ours). */
	for (int i = 0; i < NR_VNODES; i++)
		if (vnodes[i].v_ref > 0 && vnodes[i].v_mnt == mnt &&
		    (&vnodes[i] != v || v->v_ref > 2)) {
			vnode_put(v);
			return -EBUSY;
		}
	vnode_put(v);
	vnode_put(mnt->m_root);
	vnode_flush(mnt, false); /* the cache's references too: the FS holds nothing now */
	memset(&m, 0, sizeof(m));
	r = fs_call(mnt, FS_UNMOUNT, &m);
	covered = mnt->m_covered;
	cmnt = covered->v_mnt;
	cino = covered->v_ino;
	covered->v_mounted = NULL;
	vnode_put(covered);
	/* Its FS clears the mount-point mark at the last PUTNODE: not kept in the cache. */
	vnode_forget(cmnt, cino);
	memset(mnt, 0, sizeof(*mnt));
	publish_mounts();
	return r == -EIO ? 0 : r; /* a dead FS is unmounted all the same */
}
