/*
 * The reincarnation server's protocols (message types 0x0700-0x07ff).
 *
 * Services and RS (through SEF in libsys):
 *   RS_INIT         service -> RS, SENDREC, once at start-up: "what kind of
 *                   start is this?"  Reply: msg_rs_init (type, restarts).
 *   RS_INIT_DONE    service -> RS, SENDREC: the init callback's result
 *                   (msg_rs_init_done).  RS replies when it has recorded it.
 *   ping            RS NOTIFYs a service every period; SEF answers with a
 *                   NOTIFY to RS.  A service that misses a whole period is
 *                   considered hung, killed and restarted.
 *
 * Clients (the service command, tests) and RS, SENDREC, with a label:
 *   RS_UP           start the service of that label from RS's configuration
 *   RS_DOWN         stop it (no restart)
 *   RS_RESTART      kill it and start it again (counts as a restart)
 *   RS_REFRESH      stop it cleanly and start it again (does not count)
 *   RS_LOOKUP       its current endpoint (msg_rs_reply)
 * Only administrators may ask: processes whose privileges carry the admin
 * right (PRIV_FLAG_ADMIN), which only configuration gives (EPERM).
 *   RS_UPDATE       live update: replace the service by `program` (a boot
 *                   module), once it reaches prepare `state` within
 *                   `maxtime` ticks; the reply comes when the update is over
 *                   (0, or the error that made RS roll back).  A state the
 *                   service did not declare valid at its init is EINVAL
 *                   at once, before anything is started.
 *   RS_CLONE        keep a standing clone of the service: an instance
 *                   spawned and given privileges ahead of time but held
 *                   (not running, not published); a restart uses it at
 *                   once, and RS then prepares the next one
 *   RS_DUMP_STATE   the service prints its state (SEF's state dump
 *                   callback); answered at once
 *
 * RS to a service, asynchronously, handled inside SEF:
 *   RS_SIGNAL       a signal for the service (msg_rs_signal): RS, its signal
 *                   manager, forwards the signals that do not end it, e.g.
 *                   the SIGTERM with which `down` asks it to exit
 *   RS_DUMP_STATE   print your state
 *
 * Live update (RS and SEF): RS starts the new version beside the old, held;
 * sends the old one RS_LU_PREPARE; SEF answers RS_LU_READY (SENDREC) once the
 * state is reached and stays blocked there; RS swaps the two (sys_update) so
 * the new version has the old endpoint and everything queued on it, lets it
 * run, and answers its RS_INIT with SEF_INIT_LU.  If its init fails (or it
 * dies, or the old one never gets ready in time) RS swaps back and answers
 * the old one's RS_LU_READY, and the old version goes on as before.
 * State that does not fit DS goes from the old version to the new one
 * through a grant: the old one names it in RS_LU_READY, RS passes it and
 * the old version's endpoint on in the new one's RS_INIT reply, and the new
 * one copies from the old (held, its memory intact) while it initialises.
 *
 * RS and its replica (the same program, servers/rs/keep.c): the programs
 * RS took from files, which must outlive RS (msg_rs_keep):
 *   RS_KEEP         RS -> replica (asynsend): keep a copy of service
 *                   `label`'s program `program`, `size` bytes read through
 *                   `grant`; size 0: forget it.  No reply.
 *   RS_KEPT         RS -> replica, SENDREC, `index`: the index-th program
 *                   kept (label, program, size, a grant of it for RS);
 *                   ENOENT past the last.
 */
#ifndef AX_RS_H
#define AX_RS_H

#include <ax/types.h>
#include <ax/kcall.h>
#include <ax/grant.h>

#define RS_BASE 0x0700

enum rs_request {
	RS_INIT = RS_BASE,
	RS_INIT_DONE,
	RS_UP,
	RS_DOWN,
	RS_RESTART,
	RS_REFRESH,
	RS_UPDATE,
	RS_CLONE,
	RS_LOOKUP,
	RS_LU_PREPARE, /* RS -> service (SENDNB): reach prepare state `state` */
	RS_LU_READY,   /* service -> RS, SENDREC: prepared; blocks until RS decides */
	RS_SIGNAL,     /* RS -> service (asynsend): msg_rs_signal */
	RS_DUMP_STATE, /* administrator -> RS (label); RS -> service (asynsend) */
	RS_KEEP,       /* RS -> its replica (asynsend): msg_rs_keep */
	RS_KEPT,       /* RS -> its replica, SENDREC: msg_rs_keep */
};

/* RS's own requests; RS_KEEP and RS_KEPT are its replica's. */
#define RS_NR_REQUESTS (RS_DUMP_STATE - RS_BASE + 1)

/* Live-update prepare states. */
#define SEF_LU_STATE_NULL        0  /* cancel a pending prepare */
#define SEF_LU_STATE_WORK_FREE   1  /* no work in progress: reached at every receive */
#define SEF_LU_STATE_UNREACHABLE 5  /* never reached (tests the time-out) */
#define SEF_LU_STATE_CUSTOM      7  /* the first state a service may define */
#define SEF_LU_STATE_MAX         31 /* states are 1..31: one bit each in lu_states */

/* msg_rs_init.flags: debug behaviour for the new instance. */
#define SEF_INIT_FAIL 0x2 /* report failure instead of running init */

/* Init types (msg_rs_init.type), as SEF's callbacks see them. */
enum sef_init_type {
	SEF_INIT_FRESH = 0,   /* a first start, or a restart with a new endpoint */
	SEF_INIT_LU = 1,      /* the new version in a live update */
	SEF_INIT_RESTART = 2, /* a stateful restart: same endpoint */
};

struct msg_rs_init {
	int32_t type;         /* enum sef_init_type */
	uint32_t restarts;    /* how often this service was restarted */
	endpoint_t old_endpt; /* SEF_INIT_LU: the old version, held until RS ends it; else NONE */
	uint32_t flags;       /* SEF_INIT_FAIL */
	/*
	 * SEF_INIT_LU: what the old version handed over when it got ready
	 * (sef_lu_state_handover): a grant of its memory for this version,
	 * read from old_endpt, and its size; GRANT_INVALID and 0 if none.
	 */
	grant_id_t state_grant;
	uint32_t pad0;
	uint64_t state_size;
	uint8_t pad[24];
};

struct msg_rs_keep {
	char label[PROC_NAME_LEN];   /* the service */
	char program[PROC_NAME_LEN]; /* its program's name (the file's) */
	grant_id_t grant;            /* of the program's bytes: RS's for the replica, or back */
	uint32_t index;              /* RS_KEPT: which one */
	uint64_t size;               /* the program's size; RS_KEEP: 0 forgets it */
	uint8_t pad[8];
};

struct msg_rs_update {
	char label[PROC_NAME_LEN];
	char program[PROC_NAME_LEN]; /* the new version's boot module */
	int32_t state;               /* the prepare state */
	uint32_t maxtime;            /* ticks to reach it */
	uint32_t flags;              /* SEF_INIT_FAIL: make the new version fail its init */
	uint8_t pad[12];
};

struct msg_rs_lu {
	int32_t state;    /* RS_LU_PREPARE, RS_LU_READY */
	int32_t result;   /* RS_LU_READY */
	grant_id_t grant; /* RS_LU_READY: the state handed over (msg_rs_init.state_grant) */
	uint32_t pad0;
	uint64_t size; /* ...and its size */
	uint8_t pad[32];
};

struct msg_rs_init_done {
	int32_t result;     /* 0, or the init callback's error */
	uint32_t lu_states; /* bit n: prepare state n is valid for this service */
	uint8_t pad[48];
};

struct msg_rs_signal {
	int32_t signo;
	uint8_t pad[52];
};

/* Requests that name a service. */
struct msg_rs_request {
	char label[PROC_NAME_LEN];
	uint8_t pad[40];
};

struct msg_rs_reply {
	endpoint_t endpt;     /* RS_LOOKUP, RS_UP: the service's endpoint */
	uint32_t restarts;    /* RS_LOOKUP: how often it was restarted */
	uint32_t first_start; /* RS_LOOKUP: when RS first started it, and when */
	uint32_t first_up;    /* it first finished its init, in RS's event order */
	endpoint_t clone;     /* RS_LOOKUP: its standing clone (RS_CLONE), or NONE */
	endpoint_t lu_new;    /* RS_LOOKUP: the new version of an update under way, or NONE */
	uint32_t hangs;       /* RS_LOOKUP: restarts because a caller's bound passed (SIGHUNG) */
	uint8_t pad[28];
};

#endif
