/*
 * VFS's side of a file mmap (include/ax/vfs.h, VFS_VM_MMAP; VM's side is
 * servers/vm/mmap.c; docs/processes.md section 4, "File mmap").  mmap is
 * VM's call, but only VFS knows the descriptor: VM asks here, without
 * waiting, what the descriptor names, and, when its page cache lacks the
 * file's pages, has them read straight into the process's new region.
 * VFS answers with an asynsend, never waits for VM, and serves the request
 * to its end like any call (it may wait on the file's FS, as a read does:
 * an FS that died answers EIO).
 *
 * Rights, in Linux's do_mmap order: MAP_SHARED with PROT_WRITE needs the
 * descriptor open for writing (EACCES), any mapping needs it open for
 * reading (EACCES; EBADF: O_PATH or none).  Then only regular files map
 * (and /dev/zero, as anonymous memory); pipes, terminals, other devices,
 * directories: ENODEV, and so is MAP_SHARED with PROT_WRITE of a regular
 * file: VM serves no writable shared file mapping.
 *
 * State: none (the request names everything; the file's content id is
 * exec_id.c's).
 */
#include "vfs_int.h"
#include <string.h>
#include <stdio.h>

static endpoint_t vm_endpt = NONE;

/* Only VM (the process the kernel names "vm", looked up again if the sender is not the one we know). */
static bool
from_vm(endpoint_t caller)
{
	if (caller == vm_endpt)
		return true;
	if (sys_lookup("vm", &vm_endpt) < 0)
		vm_endpt = NONE;
	return caller == vm_endpt;
}

/* Read len bytes of v from off into [addr, addr+len) of fp: the bytes read, or -E. */
static int64_t
fill(struct fproc *fp, struct vnode *v, uint64_t off, uint64_t addr, uint64_t len)
{
	uint64_t done = 0;

	while (done < len) {
		uint64_t n = len - done < 0x40000000ull ? len - done : 0x40000000ull;
		uint64_t newpos = 0, bytes = 0;
		grant_id_t g =
			cpf_grant_magic(v->v_mnt->m_fs, fp->fp_endpt, addr + done, n, GRANT_WRITE);
		int r;

		if (g == GRANT_INVALID)
			return -ENOMEM;
		r = fs_io(v, FS_READ, off + done, g, (uint32_t)n, &newpos, &bytes);
		cpf_revoke(g);
		if (r < 0)
			return r;
		if (bytes == 0)
			break;
		done += bytes;
	}
	return (int64_t)done;
}

static int
serve(struct msg_vfs_vm *rq)
{
	struct fproc *fp = fproc_of(rq->endpt);
	struct filp *f;
	struct vnode *v;
	struct msg_fs_stat st;
	uint32_t acc, mode;
	int64_t n;
	int r;

	if (!fp)
		return -EBADF;
	if (!(f = fd_filp(fp, rq->fd)) || (f->f_flags & LX_O_PATH))
		return -EBADF;
	v = f->f_vno;
	mode = v->v_mode;
	acc = f->f_flags & LX_O_ACCMODE;
	/* Linux's order: the rights first, then whether the file maps at all. */
	if ((rq->flags & (VFS_VM_SHARED | VFS_VM_WRITE)) == (VFS_VM_SHARED | VFS_VM_WRITE) &&
	    acc == LX_O_RDONLY)
		return -EACCES;
	if (acc == LX_O_WRONLY)
		return -EACCES;
	if (LX_ISCHR(mode) && DEV_MAJOR(v->v_rdev) == 1 && DEV_MINOR(v->v_rdev) == 41) {
		rq->id = 0; /* /dev/zero (servers/vfs/rootfs.nodes): anonymous memory */
		return 0;
	}
	if (!LX_ISREG(mode) || vnode_is_pipe(v))
		return -ENODEV;
	if ((rq->flags & (VFS_VM_SHARED | VFS_VM_WRITE)) == (VFS_VM_SHARED | VFS_VM_WRITE))
		return -ENODEV; /* a writable shared file mapping: not served (VM's README) */
	if ((r = fs_stat(v, &st)) < 0)
		return r;
	rq->size = st.s_size;
	if (rq->flags & VFS_VM_FILL) {
		if ((n = fill(fp, v, rq->off, rq->addr, rq->len)) < 0)
			return (int)n;
		rq->len = (uint64_t)n;
	}
	rq->id = exec_id_of(v); /* after the read: the content the bytes are of */
	return 0;
}

/* VFS_VM_MMAP: served, and answered to VM with an asynsend. */
void
vfs_vm_mmap(const message *m)
{
	message a;

	if (!from_vm(m->m_source))
		return; /* nobody else may ask, and nobody else is answered */
	memset(&a, 0, sizeof(a));
	a.m_vfs_vm = m->m_vfs_vm;
	a.m_vfs_vm.v_result = serve(&a.m_vfs_vm);
	a.m_type = VM_VFS_ANSWER;
	if (asynsend(m->m_source, &a) < 0)
		printf("vfs: the answer to the mmap of %d is lost (asynsend table full): the call "
		       "waits until the process ends\n",
		       m->m_vfs_vm.endpt);
}
