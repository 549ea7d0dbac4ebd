/*
 * The character device protocol (requests 0x0400, replies 0x0480).
 *
 * A client (later VFS) sends a request; the driver answers with CDEV_REPLY,
 * carrying the request's id and a status: a byte count, 0, or -E.  Data
 * moves only by safecopy through `grant`, whose owner is the request's
 * m_source; `user` names the end user for cancel, select and permission
 * bookkeeping and is never used to copy.
 *
 *   CDEV_OPEN    minor, access (CDEV_R_BIT | CDEV_W_BIT | CDEV_NOCTTY), flags, user, id
 *   CDEV_CLOSE   minor, id
 *   CDEV_READ    minor, pos, grant, count, flags (CDEV_NONBLOCK), user, id
 *   CDEV_WRITE   as CDEV_READ
 *   CDEV_IOCTL   minor, request (ax/ioctl.h), grant (the argument), flags, user, id
 *
 * With open, read, write and ioctl, VFS names the end user's process
 * group and session (pgid, sid) and says whether it leads the session
 * (CDEV_LEADER), whether it ignores or blocks SIGTTIN and SIGTTOU
 * (CDEV_TTIN_IGN, CDEV_TTOU_IGN), as PM told it, and whether its group
 * is orphaned (CDEV_ORPHANED: no member has a parent in another group of
 * the session, as VFS sees it): a terminal needs them for job control
 * (the controlling terminal, the foreground group, SIGTTIN and SIGTTOU;
 * docs/files.md, "Terminals").  A system client leaves them 0: no job
 * control applies to it.  Drivers see them as a struct cdev_user.
 * VFS also names the end user's effective uid (`euid`, from the
 * credentials PM gave it); a driver that decides by it (RS's /dev/service)
 * believes it only when the request's m_source is VFS: any other client
 * can write any number there.
 *   CDEV_CANCEL  minor, id: the request `id` of this client is to stop
 *   CDEV_SELECT  minor, ops (CDEV_OP_* | CDEV_NOTIFY)
 *
 * Open and close are answered at once.  Read, write and ioctl may wait (a
 * read of a terminal with no input): the reply comes later, sent
 * asynchronously.  A cancel is answered with the CDEV_REPLY of the request
 * it names (EINTR, or its result if it had just finished); a cancel for a
 * request already answered gets no reply.  A select is answered at once
 * with CDEV_SEL1_REPLY (the ops ready now); with CDEV_NOTIFY, ops that were
 * asked for and not ready are reported once, later, in CDEV_SEL2_REPLY.
 *
 * A block request (BDEV_*) sent to a character driver is answered ENXIO, so
 * that a mistyped device cannot hang its client.  After a restart the
 * driver knows no open minor: a request for a minor not opened since gets
 * ERESTART, and the client reopens.
 */
#ifndef AX_CDEV_H
#define AX_CDEV_H

#include <ax/types.h>
#include <ax/grant.h>

#define CDEV_BASE       0x0400
#define CDEV_REPLY_BASE 0x0480

enum cdev_request {
	CDEV_OPEN = CDEV_BASE,
	CDEV_CLOSE,
	CDEV_READ,
	CDEV_WRITE,
	CDEV_IOCTL,
	CDEV_CANCEL,
	CDEV_SELECT,
};

enum cdev_reply {
	CDEV_REPLY = CDEV_REPLY_BASE,
	CDEV_SEL1_REPLY,
	CDEV_SEL2_REPLY,
};

#define IS_CDEV_RQ(type) ((type) >= CDEV_OPEN && (type) <= CDEV_SELECT)

/* access, for CDEV_OPEN */
#define CDEV_R_BIT  0x01
#define CDEV_W_BIT  0x02
#define CDEV_NOCTTY 0x04

/* status bits of CDEV_OPEN's reply */
#define CDEV_CTTY 0x40000000 /* the device became the user's controlling terminal */

/* flags, for CDEV_OPEN, CDEV_READ, CDEV_WRITE, CDEV_IOCTL */
#define CDEV_NONBLOCK 0x01 /* answer EAGAIN rather than wait */
#define CDEV_LEADER   0x02 /* the end user leads its session (its pid is `sid`) */
#define CDEV_TTIN_IGN 0x04 /* ... its SIGTTIN action is SIG_IGN (job control) */
#define CDEV_TTOU_IGN 0x08 /* ... its SIGTTOU action is SIG_IGN */
#define CDEV_ORPHANED 0x10 /* ... its process group is orphaned (POSIX) */

/* ops, for CDEV_SELECT and its replies */
#define CDEV_OP_RD   0x01
#define CDEV_OP_WR   0x02
#define CDEV_OP_ERR  0x04
#define CDEV_NOTIFY  0x08 /* request only: report the rest later */
#define CDEV_OP_MASK (CDEV_OP_RD | CDEV_OP_WR | CDEV_OP_ERR)

typedef uint32_t devminor_t;
typedef uint64_t cdev_id_t;

/* The end user of a request, as a driver's callbacks see it. */
struct cdev_user {
	endpoint_t endpt; /* bookkeeping only: never a grant's owner */
	int32_t pgid;     /* 0: not known (a system client) */
	int32_t sid;
	bool leader;       /* leads its session */
	bool ttin_ignored; /* SIGTTIN, SIGTTOU: SIG_IGN or blocked (a background read */
	bool ttou_ignored; /* ... is EIO, a background write or TCSETS goes through) */
	bool orphaned;     /* its group is orphaned: no SIGTTIN/SIGTTOU, EIO (Linux) */
	uint32_t euid;     /* its effective uid: to be believed only from VFS */
};

struct msg_cdev_request {
	uint64_t pos;   /* read, write: byte offset */
	uint64_t count; /* read, write: bytes */
	cdev_id_t id;   /* echoed in the reply; cancel names it */
	devminor_t minor;
	union {
		uint32_t access;  /* open */
		uint32_t request; /* ioctl (the two never meet: one field) */
	};
	grant_id_t grant; /* read, write: the buffer; ioctl: the argument */
	uint16_t flags;   /* open, read, write, ioctl: CDEV_NONBLOCK, CDEV_LEADER, CDEV_TT*_IGN */
	uint16_t ops;     /* select */
	uint32_t euid;    /* open, read, write, ioctl: the end user's effective uid */
	endpoint_t user;  /* open, read, write, ioctl: the end user */
	int32_t pgid;     /* ... its process group, and */
	int32_t sid;      /* ... its session (0, 0: not known, no job control) */
};

struct msg_cdev_reply {
	int64_t status; /* bytes, 0 or -E */
	cdev_id_t id;   /* the request's */
	uint8_t pad[40];
};

struct msg_cdev_select_reply {
	devminor_t minor;
	int32_t status; /* ready ops, or -E */
	uint8_t pad[48];
};

#endif
