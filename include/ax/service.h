/*
 * /dev/service: the ioctls by which the `service` command (user/service)
 * asks RS for what an administrator may do (docs/userland.md, section 3).
 * RS serves the node itself (servers/rs/cdev.c); one ioctl per request.
 * The authority is RS's: the caller's effective uid as VFS names it in the
 * character request (euid 0 may; anyone else gets EPERM).
 *
 * This header is shared by RS and a static musl program, so it needs only
 * <stdint.h> and the ioctl encoding (Linux's, ax/ioctl.h; musl's
 * <sys/ioctl.h> defines the same macros, so a program includes one).
 */
#ifndef AX_SERVICE_H
#define AX_SERVICE_H

#include <stdint.h>
#ifndef _IOC
#include <ax/ioctl.h>
#endif

#define SVC_LABEL_LEN 16 /* PROC_NAME_LEN: labels and boot-module names */
#define SVC_MAX       32 /* RS's table (NR_SERVICES) */

/* The argument of up, down, restart, refresh, clone, fi and update. */
struct svc_request {
	char label[SVC_LABEL_LEN];
	char program[SVC_LABEL_LEN]; /* update: the new version's boot module; with
					SVC_FROM_FILE, the file's name (shown only) */
	int32_t state;               /* update: the prepare state (SEF_LU_STATE_*) */
	uint32_t maxtime;            /* update: ticks to reach it */
	uint32_t flags;              /* SVC_FROM_FILE */
	uint32_t pad;
};

/*
 * up and update with SVC_FROM_FILE take the program this process has just
 * sent with SVC_IOC_LOAD, not a boot module: a new binary from the file
 * system (`service up /sbin/hello_v2 -label hello2`).  RS keeps the copy,
 * as it keeps boot modules, so a restart does not need the file system.
 */
#define SVC_FROM_FILE 0x1

/*
 * A program for up or update, sent in pieces of at most SVC_CHUNK bytes,
 * in order from offset 0 (which starts a new one and says its total size);
 * RS keeps one per sender until an up or update takes it.  Errors: EFBIG
 * past SVC_IMAGE_MAX, EINVAL for a piece out of order or past the total,
 * EBUSY if another process started sending one since.  RS checks that the
 * whole is an ELF executable when it is used (ENOEXEC).
 */
#define SVC_CHUNK     8192
#define SVC_IMAGE_MAX (1024 * 1024) /* a driver is tens of KiB; busybox is 2 MiB */

struct svc_load {
	uint32_t offset; /* of this piece in the program */
	uint32_t total;  /* the program's size, the same in every piece */
	uint32_t len;    /* bytes in data */
	uint32_t pad;
	uint8_t data[SVC_CHUNK];
};

/* States as `service status` shows them (RS's enum rp_state). */
enum svc_state { SVC_DOWN = 1, SVC_STARTING, SVC_RUNNING, SVC_BACKOFF, SVC_UPDATING };

struct svc_status {
	char label[SVC_LABEL_LEN];
	int32_t endpt; /* -1 (NONE) unless it runs */
	uint32_t restarts;
	uint32_t state; /* enum svc_state */
	uint32_t pad;
};

struct svc_table {
	uint32_t count; /* entries filled in */
	uint32_t pad;
	struct svc_status s[SVC_MAX];
};

#define SVC_IOC_UP      _IOW('V', 1, struct svc_request)
#define SVC_IOC_DOWN    _IOW('V', 2, struct svc_request)
#define SVC_IOC_RESTART _IOW('V', 3, struct svc_request)
#define SVC_IOC_REFRESH _IOW('V', 4, struct svc_request)
#define SVC_IOC_CLONE   _IOW('V', 5, struct svc_request)
#define SVC_IOC_UPDATE  _IOW('V', 6, struct svc_request) /* answered when it is over */
#define SVC_IOC_STATUS  _IOR('V', 7, struct svc_table)
#define SVC_IOC_LOAD    _IOW('V', 8, struct svc_load)
#define SVC_IOC_FI      _IOW('V', 9, struct svc_request) /* fault injection: it crashes */

#endif
