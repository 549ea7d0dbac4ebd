/*
 * The root image to the host at its last close, when the command line
 * says `rootdump` (rootdump.c).
 */
#ifndef MEMORY_ROOTDUMP_H
#define MEMORY_ROOTDUMP_H

#include <stddef.h>
#include <stdint.h>

void rootdump_init(void); /* reads the command line once */
/* The drive's size bytes at data, as its pieces that differ from the boot module. */
void rootdump_send(const uint8_t *data, size_t size, const char *module);

#endif
