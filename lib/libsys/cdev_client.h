/*
 * The character protocol from the client's side: one synchronous call per
 * request (ax/cdev.h), with the grant made and revoked here.  VFS will speak
 * the protocol itself; until then tests, benchmarks and the demo use these.
 *
 * Each returns what the driver answered (a byte count, 0 or -E), or the
 * IPC error (EDEADSRCDST: the driver is gone).  A read or ioctl the driver
 * suspends simply takes longer: the late reply ends the wait.
 *
 * Calls are bounded (ipc_sendrec_bounded): a request the driver should
 * answer at once (open, close, select, a non-blocking transfer) that gets
 * no answer within CDEV_BOUND_TICKS is the kernel's report to RS that the
 * driver hung; RS restarts it and the call returns EDEADSRCDST.  Requests
 * a driver may suspend (blocking reads, writes, ioctls) wait without bound
 * unless the client sets one: cdev_set_bounds(prompt, suspendable), 0 for
 * none.  The client gets the error; reopening is its decision.
 */
#ifndef LIBSYS_CDEV_CLIENT_H
#define LIBSYS_CDEV_CLIENT_H

#include <libsys.h>
#include <ax/cdev.h>

int64_t cdev_open(endpoint_t driver, devminor_t minor, int access);
int64_t cdev_close(endpoint_t driver, devminor_t minor);
int64_t cdev_read(endpoint_t driver, devminor_t minor, uint64_t pos, void *buf, size_t len,
		  int flags);
int64_t cdev_write(endpoint_t driver, devminor_t minor, uint64_t pos, const void *buf, size_t len,
		   int flags);
/*
 * The argument's size and direction come from the request code (ax/ioctl.h),
 * or for Linux's terminal codes, which have none, from tty_ioctl_arg().
 */
int64_t cdev_ioctl(endpoint_t driver, devminor_t minor, unsigned request, void *arg);
/* CDEV_SELECT: the ready ops, or -E. */
int cdev_select(endpoint_t driver, devminor_t minor, unsigned ops);

/* Send a prepared request and wait for its reply (m_type CDEV_REPLY). */
int64_t cdev_call(endpoint_t driver, message *m);

#define CDEV_BOUND_TICKS 300 /* a prompt request's bound: 3 s */
void cdev_set_bounds(uint64_t prompt, uint64_t suspendable);

#endif
