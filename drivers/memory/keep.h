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
/* What DS keeps for disk n: 1 and a malloc'd copy, 0 if nothing, or -E. */
int keep_restore(int n, uint8_t **data, uint64_t *size);

#endif
