/*
 * libconf: one service line of system.conf, parsed.  RS starts services
 * from these lines (servers/rs/config.c); the guest tests read the same
 * lines to check that a running service holds exactly what its line gives
 * it (authority.least_privilege) and to start their helpers.  Pure
 * parsing, no kernel calls, so host unit tests can feed it bad input
 * (tests/unit/test_conf.c).
 *
 *     service LABEL program=PROGRAM [args=A,B] [period=TICKS] [priority=Q]
 *             [restart=fresh|stateful] [sync] [down] [admin] [root] [magic]
 *             [calls=CALL,CALL...] [io=BASE-LIMIT]... [irq=N]...
 *             [mem=BASE-LIMIT]... [memlimit=SIZE|unlimited]
 *             [replybound=TICKS] [ipc=ALL|NAME,NAME...]
 *
 * calls names kernel calls as kcall.def spells them in lower case, plus
 * "basic" (KCALL_BASIC_CALLS, the default), "all" (the test runner's) and
 * "none"; the list is the whole mask, so calls=basic,irqctl,devio is basic
 * plus two.  io, irq and
 * mem may be repeated.  admin is RS's administrator right (PRIV_FLAG_ADMIN,
 * see servers/rs/README.md); root the kernel's root of authority
 * (PRIV_FLAG_ROOT, docs/kernel.md), only for the harnesses that inject
 * faults into RS and DS; magic lets it make magic grants
 * (PRIV_FLAG_MAGIC_GRANTS: the owners of Linux calls, docs/processes.md).
 * memlimit is how much memory the service's
 * address space may hold (priv_desc.mem_limit, docs/kernel.md "Resource
 * limits"): bytes, or a number and K, M or G; default PRIV_MEM_DEFAULT;
 * "unlimited" only for a root (the test runner).  replybound is the
 * service's promise to answer every request within TICKS clock ticks
 * (priv_desc.reply_bound, docs/self-repair.md "Bounded calls"): a client
 * that waits longer may have it called hung and restarted; without it no
 * client can (a service whose requests may wait, like tty's reads, has
 * none).  ipc names whom the
 * service may send to: labels and process names (default ALL).
 *
 * A `helper LABEL ...` line, in the same format, is not RS's: it describes
 * a test helper that each guest test needing it starts for itself
 * (tests/guest/helpers.c).  RS leaves those lines alone.
 */
#ifndef LIBCONF_CONF_H
#define LIBCONF_CONF_H

#include <ax/types.h>
#include <ax/kcall.h>

#define CONF_ARGS_MAX 64 /* args=, spaces for commas, NUL included */
#define CONF_IPC_MAX  16 /* names in one ipc= list */
#define CONF_WORDS    16 /* words in one line; more are a malformed line */
#define CONF_PRIO     12 /* default priority of a service */

/* flags */
#define CONF_SYNC      0x01 /* at boot, wait for its init before the next */
#define CONF_BOOT_DOWN 0x02 /* configured, but not started at boot */
#define CONF_STATEFUL  0x10 /* restart it in place: same endpoint, state from DS */
#define CONF_IPC_ALL   0x40 /* may send to everyone (ipc=ALL, the default) */

struct conf_service {
	char label[PROC_NAME_LEN];
	char program[PROC_NAME_LEN];
	char args[CONF_ARGS_MAX]; /* words separated by spaces */
	uint32_t flags;
	uint32_t period;                       /* ticks between pings; 0: not pinged */
	int priority;                          /* scheduling queue, 0 highest */
	struct priv_desc priv;                 /* calls, io, irq, mem, flags; no IPC, no sig_mgr */
	char ipc[CONF_IPC_MAX][PROC_NAME_LEN]; /* unless CONF_IPC_ALL */
	int nr_ipc;
};

void conf_defaults(struct conf_service *c, const char *label);
int conf_option(struct conf_service *c, char *opt, const char **why);
int conf_split(char *line, char **w, int max);
int conf_service_line(char **w, int n, struct conf_service *c, const char **why, char *bad,
		      size_t bad_len);
int conf_call_number(const char *name);
const char *conf_call_name(int nr);

#endif
