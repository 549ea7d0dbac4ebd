/*
 * cdevpipe: a character driver for the libchardriver tests.  Minor 0 is a
 * byte pipe of CDEVPIPE_SIZE bytes; a read of an empty pipe waits (one
 * reader at a time) until a write, a cancel, or CDEV_NONBLOCK says EAGAIN.
 */
#ifndef TESTS_GUEST_CDEVPIPE_H
#define TESTS_GUEST_CDEVPIPE_H

#include <ax/ioctl.h>
#include <ax/types.h>

#define CDEVPIPE_SIZE        64
#define CDEVPIPE_IOC_AVAIL   _IOR('p', 1, uint32_t) /* bytes waiting to be read */
#define CDEVPIPE_IOC_SETMARK _IOW('p', 2, uint32_t) /* a value kept for _GETMARK */
#define CDEVPIPE_IOC_GETMARK _IOR('p', 3, uint32_t)

#endif
