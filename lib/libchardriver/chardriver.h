/*
 * libchardriver: the driver side of the character protocol (ax/cdev.h).
 *
 * A driver fills in a struct chardriver with the callbacks it needs and
 * hands it to chardriver_task(), which owns the message loop: it receives
 * through SEF, checks each request, calls the callback and replies.  A
 * driver with a loop of its own (the memory driver speaks two protocols)
 * calls chardriver_process() for each message instead.
 *
 * Callbacks return a byte count, 0 or -E.  Data moves only by safecopy with
 * `endpt` (the requester, the message's m_source) and `grant`; `user` is the
 * end user (its endpoint, process group and session), for bookkeeping and
 * job control only.  read, write and ioctl may return
 * -EDONTREPLY to suspend the request, and later finish it with
 * chardriver_reply_task(endpt, id, result).  A cancel callback returns the
 * result for the request it names (usually -EINTR), or -EDONTREPLY if that
 * request was already answered.
 *
 * Missing callbacks: open and close succeed; read and write fail with EIO;
 * ioctl with ENOTTY; cancel sends no reply; select fails with EBADF.
 *
 * What is not a character request is handled by the front half the
 * driver libraries share (driver.h): notifications to intr, alarm and
 * other; block requests refused with ENXIO; DEBUG_DUMP (the dump callback,
 * after a header line) and every unknown request (ENOSYS) by libsys's
 * dispatcher.
 */
#ifndef LIBCHARDRIVER_CHARDRIVER_H
#define LIBCHARDRIVER_CHARDRIVER_H

#include <libsys.h>
#include <dispatch.h>
#include <ax/cdev.h>
#include <ax/ioctl.h>

struct chardriver {
	int (*cdr_open)(devminor_t minor, int access, const struct cdev_user *user);
	int (*cdr_close)(devminor_t minor);
	int64_t (*cdr_read)(devminor_t minor, uint64_t pos, endpoint_t endpt, grant_id_t grant,
			    size_t size, int flags, cdev_id_t id, const struct cdev_user *user);
	int64_t (*cdr_write)(devminor_t minor, uint64_t pos, endpoint_t endpt, grant_id_t grant,
			     size_t size, int flags, cdev_id_t id, const struct cdev_user *user);
	int (*cdr_ioctl)(devminor_t minor, unsigned long request, endpoint_t endpt,
			 grant_id_t grant, int flags, const struct cdev_user *user, cdev_id_t id);
	int (*cdr_cancel)(devminor_t minor, endpoint_t endpt, cdev_id_t id);
	int (*cdr_select)(devminor_t minor, unsigned ops, endpoint_t endpt);
	void (*cdr_intr)(uint64_t irq_set);             /* a NOTIFY from HARDWARE */
	void (*cdr_alarm)(uint64_t stamp);              /* a NOTIFY from CLOCK */
	void (*cdr_other)(message *m, uint64_t status); /* a NOTIFY from anyone else */
	dispatch_dump_fn *cdr_dump;                     /* DEBUG_DUMP: the driver's tables */
};

/*
 * Call from the SEF init callback with its init type.  Forgets every open
 * minor: from now on a request for a minor not opened since gets ERESTART,
 * and the client reopens (a driver that never announces, such as the new
 * version in a live update that carried its state over, skips the check).  Only a stateful
 * restart (SEF_INIT_RESTART: same endpoint) clears IPC state, releasing
 * clients blocked on the dead instance; a fresh start must not, a client may
 * already have sent it a request (the seed's first note).
 */
void chardriver_announce(int init_type);

void chardriver_task(const struct chardriver *cdp) __attribute__((noreturn));
/* One message, with the status word its receive returned. */
void chardriver_process(const struct chardriver *cdp, message *m, uint64_t status);

/* Finish a suspended read, write or ioctl (or answer its cancel). */
void chardriver_reply_task(endpoint_t endpt, cdev_id_t id, int64_t result);
/* Report select ops that became ready (CDEV_SEL2_REPLY). */
void chardriver_reply_select(endpoint_t endpt, devminor_t minor, unsigned ops);

#endif
