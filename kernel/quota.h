/*
 * Memory quotas (docs/kernel.md, "Resource limits"): each process may hold
 * at most its privilege's s_mem_limit bytes of user memory (image, stack,
 * heap; counted in p_pages by vm.c), and QUOTA_RESERVE_FRAMES free frames
 * (4 MiB, or a sixteenth of what the kernel keeps when that is less than
 * 64 MiB: at -m 32M it keeps 8.8 MiB (kernel/main.c), and a quarter of
 * it kept idle was what the test mode lacked; a restart frees the dead instance's memory
 * before it loads the new one, so the reserve covers what others took
 * meanwhile and RS's own growth) are kept for the roots (RS and its replica restarting services), so that
 * no ordinary process, however many, can leave RS unable to restart one.
 *
 * A process that is not a root gives memory only out of its own limit: the
 * limit it sets for a process (privctl SET) is lent, counted in the
 * lender's p_mem_lent, until the borrower is cleared or given another
 * limit.  It spawns only empty slots (do_spawn.c), whose memory VM gives
 * under that limit (VM_NEWMEM's len), so spawning cannot multiply memory.
 */
#ifndef KERNEL_QUOTA_H
#define KERNEL_QUOTA_H

#include "proc.h"

#define QUOTA_RESERVE_MAX 1024 /* 4 MiB: several restarts of a service */

extern size_t quota_reserve_frames;
#define QUOTA_RESERVE_FRAMES quota_reserve_frames

void quota_init(size_t kept);

size_t quota_frames_needed(size_t pages);
int quota_may_map(const struct proc *p, size_t pages, bool reserve);
int quota_may_lend(const struct proc *from, const struct proc *to, uint64_t bytes);
void quota_lend(struct proc *from, struct proc *to, uint64_t bytes);
void quota_release(struct proc *p);

#endif
