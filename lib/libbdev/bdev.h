/*
 * libbdev: the client side of the block protocol (ax/bdev.h), for file
 * systems and other clients of block drivers.  It hides the messages: a
 * call makes the grants for the driver's current endpoint, sends, waits,
 * and revokes them.
 *
 * A driver is named by its label: bdev_driver("memory") resolves it in DS
 * (the label -> endpoint entry RS publishes at every start) and returns a
 * driver number; bdev_dev(driver, minor) names one of its devices.  Called
 * again for a known label (say, when a DS subscription reports a driver-up
 * event), it moves to the endpoint DS now names, if that is a new one,
 * reopening and resending as below.
 *
 * Restarts are hidden too.  When the driver dies (EDEADSRCDST from the IPC)
 * libbdev polls DS until the label names a new endpoint (at most
 * BDEV_DS_TICKS ticks; a stateful restart keeps the endpoint, which is used
 * once that time is up), reopens every minor as many times as it had it
 * open, and reissues the request; an ERESTART answer (the driver restarted
 * in place) reopens and reissues the same way.  A request is tried at most
 * BDEV_DRIVER_TRIES times, then fails with EDEADSRCDST; the next request
 * tries again, so a driver that comes back late is found.  A write may thus
 * reach the device twice: block writes are idempotent.
 *
 * Synchronous calls return what the driver answered (bytes moved, 0, -E),
 * or -E from libbdev itself: EINVAL bad arguments (a vector longer than
 * BDEV_NR_IOVEC), ENXIO unknown driver number, ENOMEM no grant left,
 * ENOSPC too many open minors, EBADF a request for a minor this process
 * never opened (the driver said ERESTART), EDEADSRCDST the driver stayed
 * away.
 *
 * Asynchronous calls (for file systems with several requests in flight):
 * bdev_read_asyn() and friends send the request with asynsend and return
 * an id (or -E).  The driver's BDEV_REPLY messages arrive in the caller's
 * own receive: it hands each to bdev_reply_asyn(), which runs the request's
 * callback (replies from an endpoint other than the driver's current one
 * are stale and ignored).  bdev_wait_asyn(id) receives from the driver
 * until that request is done, recovering from a driver restart on the way
 * (outstanding requests are sent again with new grants).  At most
 * BDEV_ASYN_MAX requests are in flight; their buffers must stay put until
 * the callback has run.
 */
#ifndef LIBBDEV_BDEV_H
#define LIBBDEV_BDEV_H

#include <libsys.h>
#include <ax/bdev.h>
#include <ax/cdev.h>

#define BDEV_DRIVERS      4   /* labels one process may use */
#define BDEV_OPEN_MINORS  8   /* distinct open minors per driver */
#define BDEV_ASYN_MAX     16  /* asynchronous requests in flight */
#define BDEV_DRIVER_TRIES 10  /* sends of one request */
#define BDEV_DS_TICKS     100 /* how long a restart is waited for */

typedef uint32_t bdev_t; /* a driver number and a minor */
typedef int bdev_id_t;   /* an asynchronous request */

static inline bdev_t
bdev_dev(int driver, devminor_t minor)
{
	return ((bdev_t)driver << 16) | (minor & 0xffff);
}

/* One buffer of a vectored transfer. */
struct bdev_buf {
	void *addr;
	size_t len;
};

typedef void (*bdev_callback_t)(bdev_t dev, bdev_id_t id, int64_t result, void *param);

int bdev_driver(const char *label); /* driver number, or -E */

/*
 * A synchronous request unanswered within the bound (ticks; 0: none) is
 * the kernel's report to RS that the driver hung (ipc_sendrec_bounded):
 * RS restarts it, and the request is retried at the new instance like
 * after any driver death.  Block drivers never suspend a request, so every
 * request is bounded.
 */
#define BDEV_BOUND_TICKS 500 /* 5 s */
void bdev_set_bound(uint64_t ticks);
unsigned bdev_restarts(int driver); /* restarts this process recovered from */

int bdev_open(bdev_t dev, int access); /* BDEV_R_BIT | BDEV_W_BIT */
int bdev_close(bdev_t dev);
int64_t bdev_read(bdev_t dev, uint64_t pos, void *buf, size_t len, int flags);
int64_t bdev_write(bdev_t dev, uint64_t pos, const void *buf, size_t len, int flags);
int64_t bdev_gather(bdev_t dev, uint64_t pos, const struct bdev_buf *vec, unsigned count,
		    int flags);
int64_t bdev_scatter(bdev_t dev, uint64_t pos, const struct bdev_buf *vec, unsigned count,
		     int flags);
/* The argument's size and direction come from the request code (ax/ioctl.h). */
int bdev_ioctl(bdev_t dev, unsigned request, void *arg);

bdev_id_t bdev_read_asyn(bdev_t dev, uint64_t pos, void *buf, size_t len, int flags,
			 bdev_callback_t cb, void *param);
bdev_id_t bdev_write_asyn(bdev_t dev, uint64_t pos, const void *buf, size_t len, int flags,
			  bdev_callback_t cb, void *param);
bdev_id_t bdev_gather_asyn(bdev_t dev, uint64_t pos, const struct bdev_buf *vec, unsigned count,
			   int flags, bdev_callback_t cb, void *param);
bdev_id_t bdev_scatter_asyn(bdev_t dev, uint64_t pos, const struct bdev_buf *vec, unsigned count,
			    int flags, bdev_callback_t cb, void *param);
void bdev_reply_asyn(const message *m);
int bdev_wait_asyn(bdev_id_t id); /* 0 once its callback has run (or had) */

#endif
