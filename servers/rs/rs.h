/*
 * RS's private state: one struct rproc per configured service.
 *
 * A service is FREE (no such entry), DOWN (configured, not running),
 * STARTING (spawned; its init handshake is under way), RUNNING, or BACKOFF
 * (it died and waits for its restart time).  RS is the signal manager of
 * every service it starts, so a death reaches it as a kernel signal.
 */
#ifndef RS_RS_H
#define RS_RS_H

#include <libsys.h>
#include <dispatch.h>
#include <ax/rs.h>
#include <ax/ds.h>
#include <ax/signal.h>
#include <ax/cdev.h>
#include <conf.h>
#include <stdio.h>
#include <string.h>
#include <assert.h>

#define NR_SERVICES  32
#define RS_ARGS_MAX  CONF_ARGS_MAX
#define BACKOFF_MAX  8            /* ticks: the longest wait before a restart (1 << 3) */
#define COOL_TICKS   5            /* running this long without dying resets the streak */
#define SERVICE_PRIO CONF_PRIO    /* default priority of a service */
#define STOP_TICKS   10           /* after SIGTERM, how long a service may take to exit */
#define RS_IPC_MAX   CONF_IPC_MAX /* names in one ipc= list */

enum rp_state { RP_FREE, RP_DOWN, RP_STARTING, RP_RUNNING, RP_BACKOFF, RP_UPDATING };

/* A live update under way (update.c). */
struct rs_update {
	endpoint_t new_ep; /* the new version, held until the swap */
	endpoint_t client; /* who asked: answered when it is over */
	int state;         /* the prepare state */
	uint64_t deadline; /* to reach it */
	uint32_t flags;    /* SEF_INIT_FAIL */
	bool prepare_sent;
	bool swapped; /* the new version runs at the old endpoint */
	bool by_cdev; /* asked through /dev/service: answered with CDEV_REPLY */
	cdev_id_t cdev_id;
	uint8_t *image; /* a program from a file (SVC_FROM_FILE): the service's if it commits */
	const uint8_t *module;       /* ...or RS's copy of a boot module: the same */
	size_t image_size;           /* either one's */
	char program[PROC_NAME_LEN]; /* ...and its name */
	grant_id_t state_grant;      /* the old version's handover (RS_LU_READY), for the new one */
	uint64_t state_size;
};

/* SYNC, BOOT_DOWN, STATEFUL and IPC_ALL come from the service's line (libconf). */
#define RPF_SYNC      CONF_SYNC      /* at boot, wait for its init before the next */
#define RPF_BOOT_DOWN CONF_BOOT_DOWN /* configured, but not started at boot */
#define RPF_EXITING   0x04           /* its death is expected: do not restart */
#define RPF_REFRESH   0x08           /* ...but start it again at once */
#define RPF_STATEFUL  CONF_STATEFUL  /* restart it in place: same endpoint, state from DS */
#define RPF_CLONE     0x20           /* keep a standing clone for restarts (RS_CLONE) */
#define RPF_IPC_ALL   CONF_IPC_ALL   /* may send to everyone (ipc=ALL, the default) */

struct rproc {
	char label[PROC_NAME_LEN];
	char program[PROC_NAME_LEN];
	char args[RS_ARGS_MAX];
	uint32_t flags;
	uint32_t period;                     /* ticks between pings; 0: not pinged */
	int priority;                        /* scheduling queue, 0 highest */
	struct priv_desc priv;               /* what it may do (sig_mgr: RS); IPC from ipc[] */
	char ipc[RS_IPC_MAX][PROC_NAME_LEN]; /* unless RPF_IPC_ALL: labels, boot processes */
	int nr_ipc;
	const uint8_t *image; /* RS's copy of its executable */
	size_t image_size;
	bool image_owned;       /* a program from a file, RS's alone (freed when replaced) */
	grant_id_t image_grant; /* ...granted to the replica, which keeps a copy (keep.c) */

	enum rp_state state;
	endpoint_t endpt;    /* NONE unless STARTING, RUNNING or UPDATING */
	uint32_t restarts;   /* deaths it was restarted after */
	uint32_t hangs;      /* ...of them, SIGHUNG: a caller's bound passed */
	uint32_t backoff;    /* ticks before the next restart */
	uint32_t streak;     /* deaths in quick succession */
	uint64_t restart_at; /* BACKOFF: when */
	uint64_t next_ping;
	bool ping_pending;
	bool ping_overdue; /* its period passed once without an answer (service.c: ping) */
	int init_result;
	int init_type;        /* what RS_INIT tells it: enum sef_init_type */
	uint32_t init_flags;  /* ...and these: SEF_INIT_FAIL */
	struct rs_update lu;  /* RP_UPDATING */
	uint32_t first_start; /* RS's event counter at its first start */
	uint32_t first_up;    /* ...and when it first finished its init */
	uint32_t lu_states;   /* prepare states it accepts (bit per state) */
	uint64_t stop_at;     /* asked to exit (SIGTERM): killed at this time; 0 none */
	endpoint_t clone;     /* its standing clone, held; NONE */
};

extern struct rproc rproc[NR_SERVICES];
extern uint64_t rs_now;    /* uptime in ticks, from CLOCK's notifications */
extern uint32_t rs_events; /* counts starts and inits, to record their order */

/* config.c */
int rs_config_load(void);
const uint8_t *rs_load_image(const char *program, size_t *size);
int rs_config_new(const char *label, struct rproc **rpp);
void rs_set_image(struct rproc *rp, uint8_t *image, size_t size, const char *program);
void rs_take_image(struct rproc *rp, uint8_t *image, size_t size, const char *program);
void rs_set_module(struct rproc *rp, const uint8_t *image, size_t size, const char *program);

/* keep.c: programs from files, kept by the replica across RS's death */
void rs_keep_send(struct rproc *rp);
void rs_keep_all(void);
void rs_keep_recover(void);
void replica_keep(endpoint_t rs, message *m);


/* priv.c */
int rs_set_priv(struct rproc *rp, endpoint_t e);
void rs_ipc_moved(const struct rproc *moved);
int rs_instance(struct rproc *rp, endpoint_t *e);
/* services' memory from VM (vmspawn.c) */
int rs_vm_spawn(struct rproc *rp, const uint8_t *image, size_t size, endpoint_t *e);
void rs_vm_exit(endpoint_t e);
int rs_update_swap(endpoint_t a, endpoint_t b, int flags);
int rs_vm_build(endpoint_t vm, endpoint_t e, const char *name, const char *args,
		const uint8_t *image, size_t size, bool kernel_heap);
int rs_vm_request(endpoint_t vm, int type, endpoint_t e);
endpoint_t rs_vm_now(void);
int rs_make_clone(struct rproc *rp);
void rs_drop_clone(struct rproc *rp);
struct rproc *rs_by_clone(endpoint_t e);

/* service.c */
bool rs_report(uint32_t n);
struct rproc *rs_by_label(const char *label);
struct rproc *rs_by_endpoint(endpoint_t e);
int rs_start(struct rproc *rp);
int rs_signal(endpoint_t e, int signo);
void rs_tick(bool late);
void rs_ping_reply(endpoint_t from);
bool rs_lethal(int signo);
int rs_release(endpoint_t e, const char *what);
uint32_t rs_backoff(uint32_t streak);

/* dump.c */
void rs_dump(struct dump *d);
void rs_dump_key(void);

/* recover.c */
void rs_records_flush(void);
void rs_recover(void);
void rs_republish(void);

/* replica.c */
void rs_replica_start(bool adopt);
void rs_replica_boot(bool last);
void rs_replica_vm_word(const struct rproc *rp);
void rs_replica_died(int signo);
void rs_replica_tick(void);
bool rs_is_replica(endpoint_t e);
endpoint_t rs_replica_endpt(void); /* NONE: none runs */
void rs_replica_main(void) __attribute__((noreturn));

/* update.c */
int rs_update_start(struct rproc *rp, const struct msg_rs_update *req, endpoint_t client);
int rs_update_image(struct rproc *rp, const struct msg_rs_update *req, uint8_t *image, size_t size,
		    endpoint_t client);
int rs_update_ready(struct rproc *rp);
int rs_update_init_done(struct rproc *rp, int result);
void rs_update_died(struct rproc *rp, endpoint_t dead);
void rs_update_tick(struct rproc *rp);

/* request.c */
void rs_serve(message *m);
void rs_publish(struct rproc *rp);
int rs_check_admin(endpoint_t caller);
struct rproc *rs_by_label_n(const char *label, size_t n);
int rs_up(struct rproc *rp);
int rs_stop(struct rproc *rp, uint32_t flags, bool counts, int signo);
int rs_clone(struct rproc *rp);

/* cdev.c */
void rs_cdev(message *m, uint64_t status);
void rs_cdev_publish(void);
void rs_cdev_reply(endpoint_t client, cdev_id_t id, int result);

#endif
