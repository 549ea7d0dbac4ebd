/*
 * A small Minix v3 file system on RAM disk 2 for the tests that mount one
 * (vfs.dev_up_block, vm.mmap_file_fs_dead): ram_fs.c.
 */
#ifndef GUEST_RAM_FS_H
#define GUEST_RAM_FS_H

#include <bdev.h>

/* RAM disk 2 (ram) becomes a fresh 32 KiB file system, kept across the memory driver's restarts: 0 or -E. */
int64_t ram_fs_setup(bdev_t ram);
/* RAM disk 2 emptied and closed (a test_cleanup). */
void ram_fs_free(void);

#endif
