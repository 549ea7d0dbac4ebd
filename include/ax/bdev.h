/*
 * The block device protocol (requests 0x0500, replies 0x0580).
 *
 * Every request gets exactly one BDEV_REPLY, at once: block requests never
 * wait for anything but the device.  The reply carries the request's id and
 * a status: for a transfer the number of bytes moved, else 0, or -E.  A
 * transfer moves everything it was asked for or fails with an error: never
 * part of the data and an error.  A short count means only the end of the
 * device.  Data moves by safecopy through grants owned by m_source.
 *
 *   BDEV_OPEN     minor, access (BDEV_R_BIT | BDEV_W_BIT), id
 *   BDEV_CLOSE    minor, id
 *   BDEV_READ     minor, pos, grant, count (bytes), flags, id
 *   BDEV_WRITE    as BDEV_READ
 *   BDEV_GATHER   minor, pos, grant of an array of `count` struct
 *                 bdev_iovec (at most BDEV_NR_IOVEC), flags, id: a vectored read
 *   BDEV_SCATTER  as BDEV_GATHER: a vectored write
 *   BDEV_IOCTL    minor, request (ax/ioctl.h), grant (the argument), user, id
 *
 * A character request (CDEV_*) sent to a block driver is answered ENXIO.
 * After a restart the driver knows no open minor: a request for a minor
 * not opened since gets ERESTART, and the client (libbdev) reopens and
 * reissues it.  An open is held by the process that sent it: only that
 * process closes it, and only a holder of an open of the minor reads,
 * writes (gather, scatter too) or sends ioctls, as a Linux read needs an
 * open fd; when a holder dies the driver closes its opens for it
 * (libblockdriver, before the next open, close or ioctl).
 *
 * Positions and sizes are in bytes but must be whole sectors: `pos` and
 * the size of every buffer (each I/O vector element) a multiple of
 * BDEV_SECTOR, for every driver, so that a file system or a filter never
 * depends on which device it talks to.  A transfer may start anywhere from
 * 0 to the end of the minor: at the end it moves nothing (status 0, end of
 * device), and one that runs past the end is cut at the end (the only
 * short count).  Errors:
 *   EINVAL  unaligned pos or size, pos past the end, an I/O vector of 0 or
 *           more than BDEV_NR_IOVEC elements, bad access bits
 *   ENXIO   no such minor (or a character minor of a driver of both kinds)
 *   ERESTART the minor was not opened since the driver (re)started
 *   EBADF   a close, transfer or ioctl from a process that holds no open
 *           of the minor
 *   ENFILE  an open the driver cannot track (too many openers)
 *   ENOTTY  an unknown ioctl
 *   anything safecopy says about a grant the driver cannot use
 * On an error, what the range of the buffers or of the device holds is
 * undefined; the client knows only that the transfer failed.
 *
 * Minors: a driver of disks numbers them BDEV_PER_DRIVE per drive: minor
 * drive * BDEV_PER_DRIVE is the whole drive, the next four its primary
 * partitions from the MBR in its first sector (entries of type 0 are
 * empty: size 0; extended partitions are not looked into).  The table is
 * read when a drive goes from no open minor to one, so a table written
 * while the drive is open counts from its next first open.
 *
 * ioctls the library answers for every driver:
 *   DIOCGETP     the minor's base and size in bytes (struct bdev_part)
 * The memory driver's (ax/memory.h): MIOCRAMSIZE.
 */
#ifndef AX_BDEV_H
#define AX_BDEV_H

#include <ax/types.h>
#include <ax/grant.h>
#include <ax/ioctl.h>

#define BDEV_BASE       0x0500
#define BDEV_REPLY_BASE 0x0580

enum bdev_request {
	BDEV_OPEN = BDEV_BASE,
	BDEV_CLOSE,
	BDEV_READ,
	BDEV_WRITE,
	BDEV_GATHER,
	BDEV_SCATTER,
	BDEV_IOCTL,
};

#define BDEV_REPLY BDEV_REPLY_BASE

#define IS_BDEV_RQ(type) ((type) >= BDEV_OPEN && (type) <= BDEV_IOCTL)

/* access, for BDEV_OPEN */
#define BDEV_R_BIT 0x01
#define BDEV_W_BIT 0x02

/* flags, for transfers */
#define BDEV_FORCEWRITE 0x01 /* write through any cache */

#define BDEV_NR_IOVEC  64  /* elements in one gather or scatter */
#define BDEV_SECTOR    512 /* the unit of positions and sizes */
#define BDEV_PER_DRIVE 5   /* minors per drive: the whole, 4 primaries */

struct bdev_iovec {
	grant_id_t grant;
	uint32_t pad;
	uint64_t size;
};

struct msg_bdev_request {
	uint64_t pos;   /* transfers: byte offset */
	uint64_t count; /* read, write: bytes; gather, scatter: elements */
	uint64_t id;    /* echoed in the reply */
	uint32_t minor;
	uint32_t access;  /* open */
	uint32_t request; /* ioctl */
	grant_id_t grant; /* the buffer, the I/O vector, or the ioctl's argument */
	uint32_t flags;
	endpoint_t user; /* ioctl: the end user */
	uint8_t pad[8];
};

struct msg_bdev_reply {
	int64_t status; /* bytes, 0 or -E */
	uint64_t id;    /* the request's */
	uint8_t pad[40];
};

/* A partition (or whole device) as byte offsets: DIOCGETP answers one. */
struct bdev_part {
	uint64_t base;
	uint64_t size;
};

#define DIOCGETP _IOR('d', 1, struct bdev_part)

#endif
