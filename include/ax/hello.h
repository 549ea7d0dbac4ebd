/*
 * The hello driver: a character device (ax/cdev.h) with one minor, 0.
 *
 *   open    counts one more open (the count survives a stateful restart
 *           and a live update)
 *   read    the greeting, which tells the open count; EOF after it
 *   ioctl   HELLO_IOC_OPENS  the open count (a uint32_t, to the caller)
 *           HELLO_IOC_CRASH  fault at once (no reply): for crash recovery
 *           HELLO_IOC_HANG   stop answering anything, pings included
 *           HELLO_IOC_DROP   never answer this request, but go on serving
 *                            others and answering pings (a dropped request:
 *                            repair.dropped_request)
 *           HELLO_IOC_DROPS  how many requests this instance dropped so far
 *                            (a uint32_t, to the caller): a test waits for
 *                            a client's request to be in hello
 *                            (vfs.dev_up_char)
 */
#ifndef AX_HELLO_H
#define AX_HELLO_H

#include <ax/ioctl.h>
#include <ax/types.h>

#define HELLO_IOC_OPENS _IOR('h', 1, uint32_t)
#define HELLO_IOC_CRASH _IO('h', 2)
#define HELLO_IOC_HANG  _IO('h', 3)
#define HELLO_IOC_DROP  _IO('h', 4)
#define HELLO_IOC_DROPS _IOR('h', 5, uint32_t)

#endif
