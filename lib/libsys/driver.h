/*
 * What the driver libraries (libchardriver, libblockdriver) share: the
 * front half of their message handling (driver_front: notifications, the
 * other protocol's requests, everything else through libsys's dispatcher),
 * how a reply goes back (driver_reply), the rule for IPC state when a
 * driver announces itself, and the minors its clients opened since then.
 *
 * After driver_announce() a request for a minor not opened at this
 * instance is answered ERESTART: its client opened it at a previous
 * instance (which the driver's state may no longer match) and must reopen.
 */
#ifndef LIBSYS_DRIVER_H
#define LIBSYS_DRIVER_H

#include <libsys.h>
#include <dispatch.h>
#include <ax/cdev.h>

#define DRIVER_MINORS 256 /* minors whose opens are tracked */

/* What a driver library tells the front half about the driver. */
struct driver_front {
	bool df_block;                     /* speaks the block protocol, else character */
	void (*df_intr)(uint64_t irq_set); /* a NOTIFY from HARDWARE */
	void (*df_alarm)(uint64_t stamp);  /* a NOTIFY from CLOCK */
	void (*df_other)(message *m, uint64_t status); /* any other NOTIFY */
	dispatch_dump_fn *df_dump;                     /* DEBUG_DUMP: the driver's tables */
};

/*
 * Handle m if it is not a request of the driver's protocol, and say so: a
 * notification goes to its callback (dropped without one); a request of
 * the other protocol gets that protocol's reply with ENXIO, so its client
 * does not hang; a reply (m_type 0 or below) not sent by SENDREC is
 * dropped; anything else goes to libsys's dispatcher (DEBUG_DUMP, ENOSYS).  False: m is a request of the driver's protocol, untouched.
 */
bool driver_front(const struct driver_front *f, message *m, uint64_t status);

/*
 * Answer dst with m.  status is the request's receive status, or 0 for a
 * late reply: a client in SENDREC gets it with our next receive
 * (sef_reply), others by asynsend3 with asyn_flags (AMF_NOREPLY keeps it
 * from ending some other SENDREC of the client).
 */
void driver_reply(endpoint_t dst, message *m, uint64_t status, uint32_t asyn_flags);

void driver_announce(int init_type, const char *who);
void driver_mark_open(devminor_t minor);
bool driver_was_opened(devminor_t minor);

#endif
