/*
 * mmap of a file (README.md, "File mmap"; docs/processes.md section 4).
 * VM has the address space and the page cache, VFS the descriptor: VM
 * holds the caller's mmap and asks VFS, without waiting
 * (include/ax/vfs.h, VFS_VM_MMAP by asynsend; the answer, VM_VFS_ANSWER,
 * comes back through the main loop like any message), so a slow or hung
 * file system never stops VM serving faults and memory calls:
 *
 *   1. the call comes (process -> kernel -> VM); VM checks its arguments
 *      and asks VFS what the descriptor is: EBADF, EACCES, ENODEV, or the
 *      file's content id (the key of the page cache, servers/vfs/exec_id.c)
 *      and size;
 *   2. VM places the mapping.  When the cache has every page of the file
 *      in it (a program mapped by exec, a file mapped before), each frame
 *      goes under the region with one reference more, as exec's segments
 *      (file.c): the call is answered now.  Otherwise the region is made
 *      present and writable (the caller cannot run meanwhile) and VM asks
 *      VFS again, with VFS_VM_FILL: VFS has the FS read the bytes straight
 *      into the region (a magic grant, as read(2)), and answers with the
 *      id of the content read;
 *   3. the pages enter the cache under that id (file_adopt) and the
 *      region gets its rights, so a write to a MAP_PRIVATE page copies it
 *      (the file never changes) and the next mapping of the same content
 *      shares the frames; the call is answered.
 *
 * A later fault on such a page is an ordinary one (pagefault.c: process ->
 * kernel -> VM -> process): its frame is VM's already.  Pages of the
 * mapping past the file's last page are an R_BUS region: a touch is
 * SIGBUS (pagefault.c; the bytes past the end in the last page are zeros),
 * as Linux.  What is not as Linux: the mapping is of the file's content at
 * mmap time (a later write(2) to the file, or a truncate, does not show
 * through it, even MAP_SHARED); MAP_SHARED with PROT_WRITE is ENODEV, and
 * mprotect never makes a MAP_SHARED file mapping writable (EACCES).
 *
 * Held calls: at most one per process (it waits in its mmap), in waits[]
 * by slot, with the call's arguments and a sequence number that VFS's
 * answer carries back: an answer for a process that ended meanwhile, or
 * for an older request, is dropped.  The caller cannot run, so its space
 * does not change under a held call but by its end (VM_EXIT; VFS has
 * served its exit first: no copy of VFS's is still under way then).  A
 * signal does not end the wait (VM ignores LX_CANCEL): the call ends when
 * VFS answers, as a read waiting on a file system does.  If VFS dies, its
 * answers never come: while a call is held VM looks every second whether
 * the VFS it asked still runs, and answers EIO if not (a file system that
 * dies makes VFS answer EIO itself).  A live update of VM waits until no
 * call is held (main.c's lu_prepare: they end as soon as VFS answers).
 */
#include "vm.h"
#include <ax/vfs.h>
#include <sef.h>
#include <string.h>

#define CHECK_TICKS 100 /* how often a held call looks whether VFS still runs */

struct fwait {
	bool used;        /* a call is held */
	endpoint_t endpt; /* the caller */
	uint32_t seq;
	endpoint_t vfs;  /* whom it asked */
	bool fill;       /* the region is made and VFS reads into it */
	uint64_t arg[6]; /* the mmap call */
	uint64_t addr;   /* fill: the mapping [addr, addr + len) */
	uint64_t len;
	uint64_t flen; /* fill: the bytes of the file in it */
};

static struct fwait waits[NR_SLOTS];
static unsigned held;
static uint32_t last_seq;
static bool alarm_set;

static void
answer(endpoint_t e, int64_t r)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_type = LX_REPLY;
	m.m_lx_reply.result = r;
	sef_reply(e, &m);
}

static void
release(struct fwait *w)
{
	w->used = false;
	held--;
}

/* Ask VFS about w (its fill, if w->fill): 0, or -EIO if no VFS takes it. */
static int
ask(struct fwait *w, uint32_t flags)
{
	message m;

	if (sys_lookup("vfs", &w->vfs) < 0)
		return -EIO;
	memset(&m, 0, sizeof(m));
	m.m_type = VFS_VM_MMAP;
	m.m_vfs_vm.endpt = w->endpt;
	m.m_vfs_vm.fd = (int32_t)w->arg[4];
	m.m_vfs_vm.seq = w->seq = ++last_seq;
	m.m_vfs_vm.flags = flags;
	m.m_vfs_vm.off = w->arg[5];
	m.m_vfs_vm.addr = w->addr;
	m.m_vfs_vm.len = w->flen;
	if (asynsend(w->vfs, &m) < 0)
		return -EIO;
	if (!alarm_set && sys_setalarm(CHECK_TICKS, false, NULL) == 0)
		alarm_set = true;
	return 0;
}

static uint32_t
vfs_flags(const uint64_t *arg)
{
	return (arg[2] & LX_PROT_WRITE ? VFS_VM_WRITE : 0) |
	       ((arg[3] & LX_MAP_TYPE) != LX_MAP_PRIVATE ? VFS_VM_SHARED : 0);
}

/* mmap of a file (arg checked by linux.c's mmap_args): held, LX_NO_REPLY, or -E. */
int64_t
fmap_begin(struct vmproc *vp, const uint64_t *arg)
{
	struct fwait *w = &waits[endpoint_slot(vp->endpt)];
	uint64_t addr = arg[0], len = page_up(arg[1]);
	int r;

	if ((int32_t)arg[4] < 0)
		return -EBADF;
	if (arg[5] + len < arg[5])
		return -EOVERFLOW;
	if ((r = mmap_place(vp, arg[3], len, &addr)) < 0)
		return r;
	if (w->used)
		release(w); /* an answer that never came for a process now gone */
	memset(w, 0, sizeof(*w));
	w->used = true;
	w->endpt = vp->endpt;
	memcpy(w->arg, arg, sizeof(w->arg));
	held++;
	if ((r = ask(w, vfs_flags(arg))) < 0) {
		release(w);
		return r;
	}
	return LX_NO_REPLY;
}

/*
 * VFS has said what the descriptor is (a = its answer): map the file's
 * pages from the cache, or make the region and ask for the fill.  The
 * call's result, or LX_NO_REPLY (the fill is asked).
 */
static int64_t
known(struct vmproc *vp, struct fwait *w, const struct msg_vfs_vm *a)
{
	const uint64_t *arg = w->arg;
	uint64_t addr = arg[0], len = page_up(arg[1]), prot = arg[2], flags = arg[3], off = arg[5];
	uint32_t rflags = R_FILE | ((flags & LX_MAP_TYPE) != LX_MAP_PRIVATE ? R_SHARED : 0);
	uint64_t flen = a->size > off ? a->size - off : 0, commit = 0;
	struct msg_vm_request rq;
	int r;

	if (a->v_result < 0)
		return a->v_result;
	if (a->id == 0) {
		uint64_t anon[6];

		memcpy(anon, arg, sizeof(anon));
		anon[3] |= LX_MAP_ANONYMOUS; /* /dev/zero */
		return mmap_anon(vp, anon);
	}
	if (flen > len)
		flen = len;
	if ((r = mmap_place(vp, flags, len, &addr)) < 0)
		return r;
	memset(&rq, 0, sizeof(rq));
	rq.endpt = vp->endpt;
	rq.addr = addr;
	rq.len = page_up(flen);
	rq.prot = (uint32_t)prot;
	rq.file = a->id;
	rq.file_off = off;
	rq.file_end = (uint32_t)flen;
	/* Linux's commit: a private writable mapping may copy every page; a fill takes frames. */
	if ((prot & LX_PROT_WRITE) && !(rflags & R_SHARED) && !(flags & LX_MAP_NORESERVE))
		commit = len >> PAGE_SHIFT;
	else if (flen)
		commit = rq.len >> PAGE_SHIFT;
	if (commit && !may_commit(commit))
		return -ENOMEM;
	if ((flags & LX_MAP_FIXED) && (r = range_unmap(vp, addr, addr + len)) < 0)
		return r;
	if (rq.len < len &&
	    (r = region_add(vp, addr + rq.len, addr + len, (uint32_t)prot, rflags | R_BUS)) < 0)
		return r;
	if (flen == 0)
		return (int64_t)addr;
	if (rq.len > UINT32_MAX) {
		(void)range_unmap(vp, addr, addr + len);
		return -ENOMEM; /* file_end is 32 bits: 4 GiB of a file at most in one mapping */
	}
	if ((r = file_map(vp, &rq, rflags, false)) == 0)
		return (int64_t)addr;
	if (r < 0) {
		(void)range_unmap(vp, addr, addr + len);
		return r == -EINVAL ? -ENOMEM : r;
	}
	w->fill = true;
	w->addr = addr;
	w->len = len;
	w->flen = flen;
	if ((r = ask(w, vfs_flags(arg) | VFS_VM_FILL)) < 0) {
		(void)range_unmap(vp, addr, addr + len);
		return r;
	}
	return LX_NO_REPLY;
}

/* VFS has read the bytes into the region (or failed): the pages to the cache, the rights set. */
static int64_t
filled(struct vmproc *vp, struct fwait *w, const struct msg_vfs_vm *a)
{
	struct msg_vm_request rq;
	int r;

	if (a->v_result < 0 || a->id == 0) {
		(void)range_unmap(vp, w->addr, w->addr + w->len);
		return a->v_result < 0 ? a->v_result : -EIO;
	}
	memset(&rq, 0, sizeof(rq));
	rq.endpt = vp->endpt;
	rq.addr = w->addr;
	rq.len = page_up(w->flen);
	rq.prot = (uint32_t)w->arg[2];
	rq.file = a->id;
	rq.file_off = w->arg[5];
	/* The file may have shrunk since the size was asked: the bytes read are the content. */
	rq.file_end = (uint32_t)(a->len < w->flen ? a->len : w->flen);
	if ((r = file_adopt(vp, &rq)) < 0) {
		(void)range_unmap(vp, w->addr, w->addr + w->len);
		return r == -EINVAL ? -EIO : r;
	}
	return (int64_t)w->addr;
}

/* VM_VFS_ANSWER: VFS's answer to a held mmap (from the VFS asked, for the request it names). */
void
fmap_answer(const message *m)
{
	const struct msg_vfs_vm *a = &m->m_vfs_vm;
	int slot = endpoint_slot(a->endpt);
	struct fwait *w;
	struct vmproc *vp;
	int64_t r;

	if (a->endpt == NONE || a->endpt == ANY || slot < 0 || slot >= NR_SLOTS)
		return;
	w = &waits[slot];
	if (!w->used || w->endpt != a->endpt || w->seq != a->seq || m->m_source != w->vfs)
		return; /* an answer for nobody held now */
	if (!(vp = vmproc_of(w->endpt))) {
		release(w); /* it ended meanwhile */
		return;
	}
	r = w->fill ? filled(vp, w, a) : known(vp, w, a);
	if (r == LX_NO_REPLY)
		return;
	release(w);
	answer(vp->endpt, r);
}

/*
 * The clock, while calls are held: a VFS that is no longer the one asked
 * (it died; a new one does not know the request) will never answer: EIO.
 */
void
fmap_check_vfs(void)
{
	endpoint_t now;

	alarm_set = false;
	if (held == 0)
		return;
	if (sys_lookup("vfs", &now) < 0)
		now = NONE;
	for (int i = 0; i < NR_SLOTS; i++) {
		struct fwait *w = &waits[i];
		struct vmproc *vp;

		if (!w->used || w->vfs == now)
			continue;
		if ((vp = vmproc_of(w->endpt))) {
			if (w->fill)
				(void)range_unmap(vp, w->addr, w->addr + w->len);
			answer(w->endpt, -EIO);
		}
		release(w);
	}
	if (held && sys_setalarm(CHECK_TICKS, false, NULL) == 0)
		alarm_set = true;
}

/* No call held that a live update would lose (the answers of the dead are dropped anyway). */
bool
fmap_idle(void)
{
	for (int i = 0; held && i < NR_SLOTS; i++)
		if (waits[i].used && vmproc_of(waits[i].endpt))
			return false;
	return true;
}
