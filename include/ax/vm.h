/*
 * The VM server's native protocol (servers/vm/README.md, docs/processes.md
 * sections 4-5): what PM asks VM about the address spaces of user
 * processes, beside the Linux memory calls user processes make (brk, mmap,
 * munmap, mprotect, mremap: owner VM in linux_calls.def) and the page
 * faults the kernel forwards.
 *
 * Who may ask: the requests that change another process's memory (VM_EXIT,
 * VM_NEWMEM, VM_MAP, VM_PROTECT, VM_POPULATE, VM_SETBRK, VM_FORK, VM_SWAP)
 * come from the target's signal manager (both targets' for VM_FORK and
 * VM_SWAP), as the kernel names it now (getinfo PRIV), the rule of the
 * kernel call exec: PM for user processes, RS for the services it has VM
 * build, the test runner for its test processes; nobody about VM itself
 * or about itself (anyone else gets -EPERM).  VM_INFO and VM_PAGE any system process
 * may ask.  The target is a user process (the shared user slot), or a
 * system process whose manager has VM build it (docs/processes.md
 * section 5: the manager makes the slot empty, gives it its privileges,
 * then builds its image with libsys's vm_build_image: VM_NEWMEM, VM_MAP
 * populated, a magic-grant copy, VM_PROTECT and the stack, every page
 * present, and starts it with the kernel call exec; its heap is VM's:
 * VM_SETBRK, then VM_BRK); any other system process keeps the memory the
 * kernel made for it (the kernel refuses VM: -EPERM).  Every
 * request is one SENDREC; the reply is 0 or -E in m_type, with m_vm_reply
 * for VM_INFO.
 *
 *   VM_EXIT     endpt: free the whole address space of a process that ends
 *               (PM, after VFS, before sys_clear).  Afterwards VM knows
 *               nothing of the slot.  -ESRCH if VM has no space for it.
 *   VM_NEWMEM   endpt: the process gets a fresh, empty address space that
 *               VM manages; the old one (made by the kernel, or by VM) is
 *               freed.  exec's point of no return, and the first step of
 *               PM_START.  The break is unset until VM_SETBRK.  len, if
 *               not 0: the most bytes the space may hold, every page
 *               of it counted (a service's memlimit: a VM_BRK past
 *               it is -ENOMEM; a root's build of the image whatever its
 *               size, as the kernel's spawn does; a VM_MAP past it by a
 *               builder that is not a root is -ENOMEM).  -ENOMEM.
 *   VM_MAP      endpt, addr, len, prot (LX_PROT_*), flags: an anonymous
 *               private region [addr, addr+len) (page-aligned, in the user
 *               half, overlapping nothing: -EINVAL otherwise), zero-filled
 *               on demand; with VM_MAP_POPULATE every page is present now,
 *               so PM can copy a segment's bytes in with a magic grant.  To
 *               load a read-only segment map it writable, copy, then
 *               VM_PROTECT it.  VM_MAP_STACK marks the stack (it is not
 *               merged with mmap regions; LX_MAP_GROWSDOWN is not done yet).
 *               VM_MAP_FILE: a segment of an executable file (exec), its
 *               pages shared with VM's page cache (servers/vm/cache.c):
 *               the file's bytes [file_off + file_lo, file_off + file_end)
 *               at [addr + file_lo, addr + file_end), zeros elsewhere.
 *               Answer 0: every page was in the cache and is the
 *               process's now (copy-on-write if prot has PROT_WRITE), with
 *               rights prot.  Answer VM_MAP_FILL: some page was not; the
 *               region is mapped populated, zeroed and writable instead:
 *               PM copies the file's bytes in and sends VM_PROTECT with
 *               VM_PROT_CACHE and the same fields.  -EINVAL for bad
 *               fields (file 0, file_lo or file_end out of range).
 *               RS maps a service's read-only segments so, keyed by the
 *               boot module (VM_FILE_MODULE), with VM_MAP_POPULATE: every
 *               page is present before the service runs (shared pages
 *               read-only).
 *   VM_PROTECT  endpt, addr, len, prot: the rights of a mapped range, as
 *               mprotect for the process.  -ENOMEM for an unmapped page.
 *               VM_PROT_CACHE (after VM_MAP_FILL, the same file fields):
 *               first the pages that hold file bytes enter the page cache,
 *               so the next exec of the same file content maps them.
 *   VM_POPULATE endpt, addr, len, flags (VM_POP_WRITE): make every page of
 *               a mapped range present (and writable, breaking sharing, with
 *               VM_POP_WRITE), so that a server's copy through a grant
 *               finds it (docs/processes.md section 3).  -EFAULT for a page
 *               outside every region or without the rights asked for.
 *   VM_SETBRK   endpt, addr: the heap of the process begins (empty) at addr
 *               rounded up to a page; brk moves its end from there.  Set
 *               once per image, after its segments (-EINVAL if the page is
 *               mapped).
 *   VM_FORK     endpt (the parent), child (its slot made by sys_fork with
 *               FORK_EMPTY_MEM): the child gets the parent's regions and
 *               break, every frame shared copy-on-write (read-only in both
 *               until the first write copies it; servers/vm/fork.c).
 *               -ENOMEM (the child's space is freed again), -EINVAL.
 *   VM_SWAP     endpt, child (RS): the kernel's update is about to swap the
 *               programs of the two (a live update, its roll-back, a
 *               stateful restart), and their spaces with them: VM's
 *               bookkeeping of the two swaps first.  Either may have no
 *               space VM made.  -EINVAL for one endpoint twice or a bad one.
 *   VM_BRK      (a service VM built, for itself: libsys's brk) m_sys_brk.addr
 *               (0: only ask): its heap's end moves there, every page
 *               present at once (the kernel cannot wait for VM while it
 *               writes into a system process), from the frames kept for
 *               system processes; reply m_sys_brk_reply {start, end, max}
 *               as the kernel's brk.  -ENOMEM (nothing changed), -EINVAL
 *               below the start, -ENOSYS for a process without a VM heap.
 *   VM_REAP     (any system process) no fields: VM frees every space
 *               whose process the kernel says has ended (getinfo PRIV:
 *               a dead endpoint), left by a process whose manager could
 *               not send VM_EXIT (a test's helper without a manager, which
 *               the kernel clears at its end).  Reply: how many, >= 0.
 *   VM_INFO     (any system process) endpt (0: none) reply m_vm_reply:
 *               total, free and reserved frames VM manages, the highest
 *               physical address it has, and the user pages mapped now; if
 *               endpt is a user process VM manages, also its virtual size
 *               (the bytes of its regions) and the pages mapped in it
 *               (ps's VSZ and RSS), else those two are 0.
 *   VM_PAGE     (any system process) endpt, addr: reply m_vm_page, the
 *               frame VM has under that page of a space it manages (an
 *               opaque number: equal for two processes that share it) and
 *               its reference count (the page cache holds one); frame 0
 *               for none.  -ESRCH for a process VM has no space of.
 *   VM_PAGEFAULT  kernel only: a user process's page fault, sent on its
 *               behalf (m_source is the process; docs/processes.md section
 *               5).  VM maps the page and answers 0, or answers -EFAULT (the
 *               kernel raises SIGSEGV) or -ENOMEM (SIGKILL); the kernel
 *               resumes the process at the faulting instruction.
 *   VM_MEMREQ   kernel: a kernel call (a grant copy) of m_source failed at
 *               a page of user process endpt that VM has not made present:
 *               VM populates [addr, addr+len) (writable and unshared with
 *               VM_POP_WRITE) as far as its regions allow and answers; the
 *               kernel runs the caller's call again (docs/processes.md
 *               section 3).  Any answer releases the caller.
 *
 * How a program PM starts (PM_START, and exec) gets its memory: PM makes
 * the slot (sys_spawn without an image: no address space, not runnable),
 * VM_NEWMEM, one VM_MAP (POPULATE) per segment with the bytes copied in
 * through a magic grant and VM_PROTECT to the segment's rights, VM_SETBRK
 * past the highest segment, VM_MAP (STACK) of the stack with its top pages
 * populated and argv written, then the kernel call exec (kcall.def) sets
 * rip and rsp.  Every page of a user process is VM's from then on.
 */
#ifndef AX_VM_H
#define AX_VM_H

#include <ax/types.h>

#define VM_BASE        0x0C00
#define VM_EXIT        (VM_BASE + 0)
#define VM_NEWMEM      (VM_BASE + 1)
#define VM_MAP         (VM_BASE + 2)
#define VM_PROTECT     (VM_BASE + 3)
#define VM_POPULATE    (VM_BASE + 4)
#define VM_SETBRK      (VM_BASE + 5)
#define VM_FORK        (VM_BASE + 6)
#define VM_INFO        (VM_BASE + 7)
#define VM_SWAP        (VM_BASE + 8)
#define VM_BRK         (VM_BASE + 9)
#define VM_REAP        (VM_BASE + 10)
#define VM_PAGE        (VM_BASE + 11)
#define VM_NR_REQUESTS 12
#define VM_PAGEFAULT   (VM_BASE + 0xff) /* the kernel's, on the faulting process's behalf */
#define VM_MEMREQ      (VM_BASE + 0xfe) /* the kernel's, on a kernel call's caller's behalf */
#define VM_VFS_ANSWER  (VM_BASE + 0xfd) /* VFS's answer to VFS_VM_MMAP (include/ax/vfs.h) */

/* Linux's mmap/mprotect rights and flags (the values are Linux's). */
#define LX_PROT_NONE           0x0
#define LX_PROT_READ           0x1
#define LX_PROT_WRITE          0x2
#define LX_PROT_EXEC           0x4
#define LX_MAP_SHARED          0x01
#define LX_MAP_PRIVATE         0x02
#define LX_MAP_TYPE            0x0f
#define LX_MAP_FIXED           0x10
#define LX_MAP_ANONYMOUS       0x20
#define LX_MAP_GROWSDOWN       0x0100
#define LX_MAP_DENYWRITE       0x0800
#define LX_MAP_EXECUTABLE      0x1000
#define LX_MAP_LOCKED          0x2000
#define LX_MAP_NORESERVE       0x4000
#define LX_MAP_POPULATE        0x8000
#define LX_MAP_NONBLOCK        0x10000
#define LX_MAP_STACK           0x20000
#define LX_MAP_HUGETLB         0x40000
#define LX_MAP_FIXED_NOREPLACE 0x100000
#define LX_MREMAP_MAYMOVE      1
#define LX_MREMAP_FIXED        2
#define LX_MS_ASYNC            1 /* msync */
#define LX_MS_INVALIDATE       2
#define LX_MS_SYNC             4
#define LX_MADV_NORMAL         0 /* madvise */
#define LX_MADV_RANDOM         1
#define LX_MADV_SEQUENTIAL     2
#define LX_MADV_WILLNEED       3
#define LX_MADV_DONTNEED       4
#define LX_MADV_FREE           8
#define LX_MADV_HUGEPAGE       14 /* ... to LX_MADV_DODUMP: hints */
#define LX_MADV_DODUMP         17

/* VM_MAP flags */
#define VM_MAP_POPULATE 0x1 /* every page present now */
#define VM_MAP_STACK    0x2 /* the process's stack */
#define VM_MAP_FILE     0x4 /* a segment of an executable, from the page cache */

/* VM_MAP_FILE's answer when the cache lacks a page: fill the region, then VM_PROT_CACHE. */
#define VM_MAP_FILL 1

/*
 * The file field of VM_MAP_FILE and VM_PROT_CACHE: VFS's file id (PM's
 * exec; below 2^63), or a boot module's key, VM_FILE_MODULE | its index
 * (system processes: servers/vm/cache.c).  VM takes each kind from its
 * builders alone: file ids from PM, module keys from any other manager
 * (RS, the replica, the test runner: they read the module), else -EPERM.
 */
#define VM_FILE_MODULE (1ull << 63)

/* VM_PROTECT flags */
#define VM_PROT_CACHE 0x1 /* the file region now holds its file's bytes: cache them */

/* VM_POPULATE flags */
#define VM_POP_WRITE 0x1

/* The page-fault error code's bits (x86's), in m_vm_fault.error. */
#define VM_PF_PRESENT 0x1 /* the page was present: a rights violation */
#define VM_PF_WRITE   0x2
#define VM_PF_USER    0x4
#define VM_PF_EXEC    0x10

struct msg_vm_request {
	endpoint_t endpt; /* the user process concerned */
	uint32_t flags;   /* VM_MAP_*, VM_POP_* */
	uint64_t addr;
	uint64_t len;
	uint32_t prot;    /* LX_PROT_* */
	endpoint_t child; /* VM_FORK */
	/* VM_MAP with VM_MAP_FILE, VM_PROTECT with VM_PROT_CACHE: */
	uint64_t file;     /* VFS's file id (r_file_id of VFS_PM_EXEC_OPEN) */
	uint64_t file_off; /* the file offset of the page at addr (page-aligned) */
	uint32_t file_lo;  /* the file's bytes are [addr + file_lo, addr + file_end) */
	uint32_t file_end; /* (file_lo < the page size, file_end <= len) */
};

struct msg_vm_reply {
	uint64_t total_pages;    /* frames VM manages */
	uint64_t free_pages;     /* ... free now */
	uint64_t reserved_pages; /* ... of which user processes may not take */
	uint64_t top;            /* end of the highest frame VM has */
	uint64_t user_pages;     /* pages mapped in user processes now */
	uint64_t proc_vsize;     /* VM_INFO of a process: the bytes of its regions */
	uint64_t proc_pages;     /* ... and the pages mapped in it */
};

/* VM_PAGE's answer: the frame under a page of a process. */
struct msg_vm_page {
	uint64_t frame; /* VM's number of the frame, plus 1; 0: no frame there */
	uint64_t refs;  /* its references: each process that maps it, and the page cache */
	uint8_t pad[40];
};

struct msg_vm_fault {
	uint64_t addr;  /* cr2 */
	uint64_t error; /* VM_PF_* */
	uint64_t ip;    /* the faulting instruction, for the log */
	uint8_t pad[32];
};

#endif
