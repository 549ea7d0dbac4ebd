/*
 * Kept RAM disks (keep.c): a RAM disk marked with MIOCRAMKEEP has its size
 * and contents written through to DS, so that the next instance of the
 * driver finds them.  n is the RAM disk's number, data its bytes.
 */
#ifndef MEMORY_KEEP_H
#define MEMORY_KEEP_H

#include <libsys.h>
#include <ax/memory.h>

/* Publish the size and every non-zero chunk: 0 or -E (nothing kept then). */
int keep_start(int n, const uint8_t *data, uint64_t size);
/* Forget what DS keeps for disk n of `size` bytes. */
void keep_stop(int n, uint64_t size);
/* Publish the chunks [pos, pos + len) touches: 0 or -E. */
int keep_write(int n, const uint8_t *data, uint64_t pos, uint64_t len);
/* Does DS keep disk n?  Then *size is its size. */
bool keep_size(int n, uint64_t *size);
/* Read what DS keeps of disk n into data (size bytes, zeroed): 0 or -E. */
int keep_load(int n, uint8_t *data, uint64_t size);

#endif
