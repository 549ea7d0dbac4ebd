/*
 * The root image to the host at its last close, when the command line
 * says `rootdump` (rootdump.c).
 */
#ifndef MEMORY_ROOTDUMP_H
#define MEMORY_ROOTDUMP_H

#include <stddef.h>
#include <stdint.h>

void rootdump_init(void);                        /* reads the command line once */
void rootdump_wrote(uint64_t pos, uint64_t len); /* the root drive's bytes written */
/* The drive's size bytes at data, as the pieces written since boot. */
void rootdump_send(const uint8_t *data, size_t size);

#endif
