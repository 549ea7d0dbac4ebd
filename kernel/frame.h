/*
 * The page-frame allocator: one bit per 4 KiB frame of physical memory, built
 * from the boot memory map.  Frames below 1 MiB, the kernel image and the
 * boot modules are reserved before the first allocation.  Pure bookkeeping:
 * it never touches the frames themselves, so the host unit tests run it.
 */
#ifndef KERNEL_FRAME_H
#define KERNEL_FRAME_H

#include <ax/types.h>

#define FRAME_SIZE     4096
#define FRAME_MAX_PHYS ((phys_addr_t)4 << 30) /* RAM beyond 4 GiB is ignored */
#define FRAME_NONE     ((phys_addr_t)0)       /* frame 0 is always reserved */

struct mem_range;

void frame_init(const struct mem_range *avail, int n);
void frame_reserve(phys_addr_t start, phys_addr_t end);
phys_addr_t frame_alloc(void);
void frame_free(phys_addr_t frame);
size_t frame_free_count(void);
phys_addr_t frame_top(void); /* end of the highest usable frame */

#endif
