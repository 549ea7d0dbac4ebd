/*
 * A program from a boot module built through VM (lib/libsys/vm_build.c,
 * docs/processes.md section 5): what RS does for a service once VM runs
 * and the test runner for a test process, in one place.  The caller keeps
 * the policy: when VM may be asked, the slot (spawn without an image),
 * its privileges, and what happens to it afterwards.
 */
#ifndef LIBSYS_VM_BUILD_H
#define LIBSYS_VM_BUILD_H

#include "libsys.h"
#include <libexec.h>

#define VM_BUILD_STACK_TOP  0x00007ffffffff000ull /* kernel/exec.h's USER_STACK_TOP */
#define VM_BUILD_STACK_SIZE (16 * 1024)           /* ... and USER_STACK_SIZE */
#define VM_BUILD_MAX_ARGS   16                    /* kernel/exec.h's EXEC_MAX_ARGS */

/* Where a boot module's program may lie (as the kernel's exec_kernel_space): plan with it. */
extern const struct exec_space vm_build_space;

/*
 * The request (VM_MAP with VM_MAP_FILE, or VM_PROTECT with VM_PROT_CACHE)
 * that maps region rg of e from segment sg's pages in VM's page cache of
 * file (include/ax/vm.h's file fields): PM's exec and this builder.
 */
void vm_file_request(struct msg_vm_request *rq, endpoint_t e, const struct exec_region *rg,
		     const struct exec_segment *sg, uint64_t file, uint32_t flags);

/* A request to VM (endpoint vm) about e (and child): VM's answer, 0 or -E. */
int vm_build_call(endpoint_t vm, int type, endpoint_t e, uint64_t addr, uint64_t len, uint32_t prot,
		  uint32_t flags, endpoint_t child);

/*
 * The program of the boot module image (read in place; plan: libexec's,
 * from exec_elf_image with vm_build_space) built by VM into e, and its
 * registers set: e must be an empty slot (spawn without an image), held
 * (RTS_NO_PRIV) and the caller its signal manager (the kernel call exec
 * asks that; VM asks the same of every request here).  VM_NEWMEM, each
 * region mapped populated and writable, the segments' bytes copied in
 * through a magic grant (the kernel honours it from the builder of a held
 * process it manages whose space is VM's: kernel/grant.c), each region
 * its own rights (a read-only region of a module the caller maps in place
 * with sys_mapimage_named is VM's page cache's instead, shared by every
 * instance of the program, filled by this copy the first time), a stack
 * of VM_BUILD_STACK_SIZE mapped whole with argc
 * and argv as the kernel lays them out (argv[0] is name, then args split
 * at spaces, NULL for none; no environment, an empty auxv), the heap VM's
 * from the page above the segments (VM_SETBRK; no kernel heap), and the
 * kernel call exec naming it `name`.  The space keeps e's memlimit, read
 * from the privileges the caller gave it (VM_NEWMEM's len: VM refuses a
 * VM_BRK that takes the space past it, every page counted; none for a
 * root; a caller that is not a root gets -ENOMEM for an image past it).  Every page is present: the kernel
 * writes messages into a system process at any time and cannot wait for
 * VM there.  0 or -E (E2BIG: too many arguments); on failure e is
 * half-built and the caller ends it (VM frees its space at VM_EXIT).
 */
int vm_build_image(endpoint_t vm, endpoint_t e, const char *name, const char *args,
		   const void *image, const struct exec_elf *plan);

/*
 * The same, the heap the kernel's brk if kernel_heap (exec's brk above the
 * segments, no VM_SETBRK): for a process that must never wait on VM, RS
 * and its replica (servers/rs/replica.c: VM's init and live update are
 * SENDRECs to RS, which a VM_BRK from RS would be taken to answer).
 */
int vm_build_image_heap(endpoint_t vm, endpoint_t e, const char *name, const char *args,
			const void *image, const struct exec_elf *plan, bool kernel_heap);

#endif
