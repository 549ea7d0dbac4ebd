/*
 * The memory driver (drivers/memory): one process that is both a block
 * driver (ax/bdev.h) and a character driver (ax/cdev.h).  Its label is
 * "memory".  Minors of both kinds share one numbering; a request of one
 * protocol for a minor of the other kind is answered ENXIO.
 *
 * Block minors, BDEV_PER_DRIVE per drive (the whole drive, then its four
 * MBR primary partitions):
 *   MEMORY_RAM(n)   RAM disk n (n < MEMORY_NR_RAMDISKS): empty until sized
 *                   with MIOCRAMSIZE; its contents are lost when the driver
 *                   restarts, unless it is kept (MIOCRAMKEEP)
 *   MEMORY_IMGRD    the boot image's ramdisk: a copy of the boot module
 *                   named "ramdisk" (size 0 if there is none), writable,
 *                   and read again from the boot image at every restart
 *   MEMORY_FSIMG    the same for the boot module named "fsimage": in the
 *                   test image, a disk of two Minix v3 partitions the MFS
 *                   tests mount (docs/files.md)
 *   MEMORY_ROOTFS   the same for the boot module named "rootfs": the root
 *                   file system VFS mounts (a Minix v3 image the build
 *                   makes, docs/files.md)
 * Character minors:
 *   MEMORY_NULL     reads end at once (0 bytes), writes are swallowed
 *   MEMORY_ZERO     reads fill the buffer with zeroes, writes are swallowed
 *
 * MIOCRAMSIZE (a uint64_t, to the driver), on the whole-drive minor of a
 * RAM disk: give it that many bytes, zeroed (a multiple of BDEV_SECTOR, at
 * most MEMORY_RAM_MAX; 0 frees it).  The same size again keeps the
 * contents.  The drive must not be open otherwise (EBUSY): the opener's own
 * open of the whole drive is the only one (the opens of a process that
 * died are closed for it first: ax/bdev.h).  ENOMEM if memory runs out (the
 * old contents stay).  A kept disk stops being kept.  On other minors:
 * ENOTTY.
 *
 * MIOCRAMKEEP (an int, to the driver), on the whole-drive minor of a RAM
 * disk: 1 keeps its size and contents across restarts of the driver, 0
 * stops.  They are written through to DS (private entries of the driver's
 * label, MEMORY_KEEP_CHUNK bytes each), so a kept disk is at most
 * MEMORY_KEEP_MAX bytes, a multiple of MEMORY_KEEP_CHUNK (else EINVAL), and
 * each write costs a DS call per chunk it touches.  DS's errors (ENOSPC)
 * fail the ioctl or the write.
 *
 * MIOCCRASH (a uint32_t n, to the driver), on any open block minor: a
 * fault-injection hook for the restart tests.  The driver panics when the
 * n-th block request after this one arrives, before it is answered.
 */
#ifndef AX_MEMORY_H
#define AX_MEMORY_H

#include <ax/bdev.h>
#include <ax/ioctl.h>

#define MEMORY_NR_RAMDISKS 4
#define MEMORY_RAM(n)      ((n)*BDEV_PER_DRIVE)
#define MEMORY_IMGRD       (MEMORY_NR_RAMDISKS * BDEV_PER_DRIVE)
#define MEMORY_FSIMG       ((MEMORY_NR_RAMDISKS + 1) * BDEV_PER_DRIVE)
#define MEMORY_ROOTFS      ((MEMORY_NR_RAMDISKS + 2) * BDEV_PER_DRIVE)
#define MEMORY_NR_DRIVES   (MEMORY_NR_RAMDISKS + 3)
#define MEMORY_NR_BLOCK    (MEMORY_NR_DRIVES * BDEV_PER_DRIVE) /* block minors: 0.. */
AX_STATIC_ASSERT(MEMORY_NR_BLOCK <= 40, "the character minors come after the block minors");

#define MEMORY_NULL 40 /* after the block minors */
#define MEMORY_ZERO 41

#define MEMORY_RAM_MAX       ((uint64_t)64 << 20)
#define MEMORY_IMGRD_MODULE  "ramdisk"
#define MEMORY_FSIMG_MODULE  "fsimage"
#define MEMORY_ROOTFS_MODULE "rootfs"

#define MEMORY_KEEP_MAX   ((uint64_t)32 << 10)
#define MEMORY_KEEP_CHUNK 1024 /* DS_MAX_MEMLEN */

#define MIOCRAMSIZE _IOW('m', 3, uint64_t)
#define MIOCRAMKEEP _IOW('m', 4, int)
#define MIOCCRASH   _IOW('m', 5, uint32_t)

#endif
