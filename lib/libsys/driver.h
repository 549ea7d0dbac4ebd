/*
 * What the driver libraries (libchardriver, libblockdriver) share: the
 * rule for IPC state when a driver announces itself, and the minors its
 * clients opened since then.
 *
 * After driver_announce() a request for a minor not opened at this
 * instance is answered ERESTART: its client opened it at a previous
 * instance (which the driver's state may no longer match) and must reopen.
 */
#ifndef LIBSYS_DRIVER_H
#define LIBSYS_DRIVER_H

#include <libsys.h>
#include <ax/cdev.h>

#define DRIVER_MINORS	256	/* minors whose opens are tracked */

void driver_announce(int init_type, const char *who);
void driver_mark_open(devminor_t minor);
bool driver_was_opened(devminor_t minor);

#endif
