/*
 * The page-frame allocator: one bit per 4 KiB frame of physical memory, built
 * from the boot memory map.  Frames below 1 MiB, the kernel image and the
 * boot modules are reserved before the first allocation.  Pure bookkeeping:
 * it never touches the frames themselves, so the host unit tests run it.
 *
 * The kernel keeps part of the RAM for itself and the processes it builds
 * (page tables, boot processes, services started before VM, test
 * processes: kernel/main.c, kernel_keep); frame_split()
 * hands the rest to the VM server, all of it, RAM above 4 GiB included
 * (docs/processes.md section 5).  The kernel's own frames lie below
 * FRAME_MAX_PHYS; VM's ranges are listed for vmctl (VMCTL_GETMEM) and are
 * the only frames vmctl maps.
 */
#ifndef KERNEL_FRAME_H
#define KERNEL_FRAME_H

#include <ax/types.h>

#define FRAME_SIZE      4096
#define FRAME_MAX_PHYS  ((phys_addr_t)4 << 30) /* the kernel's frames lie below; the rest is VM's */
#define FRAME_VM_RANGES 32                     /* at most this many ranges go to VM */
#define FRAME_NONE      ((phys_addr_t)0)       /* frame 0 is always reserved */

struct mem_range;

void frame_init(const struct mem_range *avail, int n);
void frame_reserve(phys_addr_t start, phys_addr_t end);
phys_addr_t frame_alloc(void);
void frame_free(phys_addr_t frame);
size_t frame_free_count(void);
phys_addr_t frame_top(void); /* end of the highest usable frame */

/*
 * Keep `keep` of the kernel's free frames (the lowest) and give every other
 * free frame of `avail`, above 4 GiB too, to VM.  Returns the frames given.
 */
size_t frame_split(const struct mem_range *avail, int n, size_t keep);
/* VM's range i (0 or -ENOENT), and whether [pa, pa+FRAME_SIZE) is VM's. */
int frame_vm_range(int i, phys_addr_t *base, phys_addr_t *end);
bool frame_is_vm(phys_addr_t pa);

#endif
