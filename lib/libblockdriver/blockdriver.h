/*
 * libblockdriver: the driver side of the block protocol (ax/bdev.h).
 *
 * A driver fills in a struct blockdriver and hands it to blockdriver_task(),
 * which owns the message loop: it receives through SEF, checks every
 * request, calls the callbacks and replies.  A driver with a loop of its
 * own (the memory driver speaks two protocols) calls blockdriver_process()
 * for each message instead.
 *
 * What the library does, so that drivers need not:
 *   - refuses malformed requests (alignment, bounds, vector length, access
 *     bits: the rules in ax/bdev.h), unknown minors (bdr_part gives NULL:
 *     ENXIO) and minors not opened since blockdriver_announce() (ERESTART);
 *   - fetches a gather/scatter I/O vector from the client by safecopy;
 *   - turns a position in a minor into one on the drive (the partition's
 *     base) and cuts a transfer at the minor's end, so bdr_transfer only
 *     ever gets ranges inside the device and moves all of it or fails;
 *   - answers DIOCGETP from bdr_part, character requests with ENXIO,
 *     unknown ioctls with ENOTTY;
 *   - replies: a non-blocking send to a client in SENDREC, else asynsend
 *     with AMF_NOREPLY, so an answer can never end an unrelated SENDREC;
 *   - counts openers, not only opens: each open is held by the endpoint
 *     that sent the BDEV_OPEN (at most BLOCKDRIVER_OPENERS endpoint and
 *     minor pairs, else ENFILE), a BDEV_CLOSE from an endpoint that holds
 *     no open of the minor is EBADF and never reaches bdr_close (so are a
 *     BDEV_IOCTL and every transfer: only a holder of the minor's open
 *     may ask, read or write; the last holder let through is cached, so
 *     a run of transfers costs two compares each), and the
 *     opens of a holder that died are closed for it (bdr_close, once per
 *     open) before every open, close and ioctl, so the counts a driver
 *     keeps in bdr_open/bdr_close, and acts on there or in bdr_ioctl
 *     (the memory driver's MIOCRAMSIZE: EBUSY while another holds the
 *     disk), are those of live openers.
 *
 * Callbacks (bdr_part and bdr_transfer are required):
 *   bdr_open(minor, access)      0 or -E; the minor exists (bdr_part)
 *   bdr_close(minor)             0 or -E
 *   bdr_part(minor)              the minor's range on its drive, in bytes,
 *                                or NULL if there is no such block minor
 *   bdr_transfer(minor, write, pos, endpt, iov, count, flags)
 *                                move the bytes of the `count` vector
 *                                elements (grants of endpt, the requester)
 *                                at drive position pos; the library made
 *                                sure the range is inside the drive.
 *                                Returns the byte total or -E, never less.
 *   bdr_ioctl(minor, request, endpt, grant, user)   0 or -E; missing: ENOTTY
 *   bdr_cleanup()                after every request
 *   bdr_intr, bdr_alarm          NOTIFYs from HARDWARE and CLOCK
 *   bdr_other(m, status)         a NOTIFY from anyone else
 *   bdr_dump(d)                  DEBUG_DUMP: the driver's tables (dispatch.h)
 *
 * What is not a block request is handled by the front half the driver
 * libraries share (driver.h): character requests are refused with ENXIO,
 * DEBUG_DUMP and every unknown request (ENOSYS) go to libsys's dispatcher.
 */
#ifndef LIBBLOCKDRIVER_BLOCKDRIVER_H
#define LIBBLOCKDRIVER_BLOCKDRIVER_H

#include <libsys.h>
#include <dispatch.h>
#include <ax/bdev.h>
#include <ax/cdev.h>

struct blockdriver {
	int (*bdr_open)(devminor_t minor, int access);
	int (*bdr_close)(devminor_t minor);
	struct bdev_part *(*bdr_part)(devminor_t minor);
	int64_t (*bdr_transfer)(devminor_t minor, bool write, uint64_t pos, endpoint_t endpt,
				const struct bdev_iovec *iov, unsigned count, int flags);
	int (*bdr_ioctl)(devminor_t minor, unsigned long request, endpoint_t endpt,
			 grant_id_t grant, endpoint_t user);
	void (*bdr_cleanup)(void);
	void (*bdr_intr)(uint64_t irq_set);
	void (*bdr_alarm)(uint64_t stamp);
	void (*bdr_other)(message *m, uint64_t status);
	dispatch_dump_fn *bdr_dump;
};

/*
 * Call from the SEF init callback with its init type.  Forgets every open
 * minor and its holders (requests for them get ERESTART until reopened).  Clears IPC state
 * only on a stateful restart (SEF_INIT_RESTART, same endpoint), releasing
 * clients blocked on the dead instance; never on a fresh start, where a
 * client may already have sent this new endpoint a request (the seed's
 * race).
 */
void blockdriver_announce(int init_type);

/* The endpoint and minor pairs holding opens the library tracks. */
#define BLOCKDRIVER_OPENERS 128

/*
 * Close, through bdr_close, every open held by an endpoint that is no
 * longer alive; the number of opens closed.  The library calls it before
 * every open, close and ioctl; a driver that acts on its count elsewhere
 * calls it first.
 */
int blockdriver_reap(const struct blockdriver *bdp);

void blockdriver_task(const struct blockdriver *bdp) __attribute__((noreturn));
/* One message, with the status word its receive returned. */
void blockdriver_process(const struct blockdriver *bdp, message *m, uint64_t status);

/*
 * Read the MBR of the drive whose whole-drive minor is `whole` (through
 * bdr_transfer) and set its four primary partitions, bdr_part(whole + 1..4):
 * empty entries, and ones that start past the drive's end, get size 0;
 * ones that run past it are cut.  A drive without a valid MBR (signature
 * 0x55 0xaa) has four empty partitions.  Drivers call this when a drive is
 * first opened.  0, or the transfer's error.
 */
int blockdriver_partition(const struct blockdriver *bdp, devminor_t whole);

#endif
