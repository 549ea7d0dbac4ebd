/*
 * libsys: the system library every system process links with.
 *
 *   IPC          ipc_send, ipc_receive, ipc_sendrec, ipc_notify, ipc_sendnb,
 *                ipc_senda, ipc_replyrecv: the primitives of include/ax/ipc.h.
 *   kernel calls kernel_call() and one sys_<call>() wrapper per call.
 *   grants       cpf_grant_*() and cpf_revoke() manage the process's grant
 *                table; the grant calls return GRANT_INVALID on failure.
 *   output       printf() (lib/libc/printf.c) goes to the kernel console,
 *                one DIAG_PRINT per FORMAT_CHUNK bytes (printf.c); panic()
 *                prints who panicked, the message and a stack trace, then
 *                exits.  dispatch.h: the dispatcher every server serves
 *                requests with, and the dumps of its tables.
 *   heap         brk() and sbrk() (<unistd.h>, brk.c) over sys_brk(), for
 *                libc's malloc.
 *
 * Everything returns 0 (or a count) on success and a negative error number
 * on failure.  The process's identity (self_endpoint, self_name) is known
 * from start-up on.
 */
#ifndef LIBSYS_H
#define LIBSYS_H

#include <ax/types.h>
#include <ax/errno.h>
#include <ax/ipc.h>
#include <ax/kcall.h>
#include <ax/grant.h>

extern endpoint_t self_endpoint;
extern char self_name[PROC_NAME_LEN];

/* IPC primitives. */
int ipc_send(endpoint_t dst, message *m);
int ipc_receive(endpoint_t src, message *m, uint64_t *status);
int ipc_sendrec(endpoint_t dst, message *m);
int ipc_sendrec_bounded(endpoint_t dst, message *m, uint64_t ticks);
int ipc_notify(endpoint_t dst);
int ipc_sendnb(endpoint_t dst, message *m);
int ipc_replyrecv(endpoint_t dst, message *m, endpoint_t src, uint64_t *status);
int ipc_senda(asynmsg_t *table, size_t count);
int asynsend(endpoint_t dst, const message *m); /* never blocks, never lost (asynsend.c) */
int asynsend3(endpoint_t dst, const message *m, uint32_t flags);
bool asynsend_pending(void);                /* a message not delivered yet */
long ax_syscall(long nr, long a0, long a1); /* raw, for tests of bad input */

/* Kernel calls. */
int kernel_call(int type, message *m);
int sys_whoami(endpoint_t *endpt, char *name, size_t len);
int sys_getkinfo(struct msg_sys_kinfo *kinfo);
int sys_lookup(const char *name, endpoint_t *endpt);
int sys_getpriv(endpoint_t e, struct msg_sys_privinfo *info);
int sys_getresources(struct msg_sys_resources *res);
int sys_getprivdesc(endpoint_t e, struct priv_desc *d);
int sys_getimage(int index, void *buf, size_t len, size_t *size, char *program);
int sys_getimage_at(int index, uint64_t offset, void *buf, size_t len, size_t *size, char *program);
int sys_getimage_named(const char *program, void *buf, size_t len, size_t *size);
int sys_mapimage(int index, void **addr,
		 size_t *size); /* a module in place (a program read-only) */
int sys_mapimage_named(const char *program, const void **addr, size_t *size);
int sys_mapimage_index(const void *addr); /* the module mapped at addr by the above, or -ENOENT */
int sys_spawn(const void *image, size_t size, const char *name, const char *args,
	      endpoint_t *endpt);
int sys_spawn_prio(const void *image, size_t size, const char *name, const char *args, int priority,
		   endpoint_t *endpt);
int sys_respawn(endpoint_t dead, const void *image, size_t size, const char *name, const char *args,
		int priority);
int sys_setalarm(uint64_t ticks, bool absolute, uint64_t *prev_left);
int sys_times(endpoint_t e, struct msg_sys_times_reply *out);
int sys_linuxctl(int request, int owner);
int sys_irqsetpolicy(int irq, int policy, int notify_id, int *hook_id);
int sys_irqctl(int request, int hook_id);
int sys_inb(uint32_t port, uint8_t *value);
int sys_outb(uint32_t port, uint8_t value);
int sys_devio(int request, uint32_t port, uint32_t *value);
void sys_exit(int status) __attribute__((noreturn));
int sys_abort(int how, int status);
int sys_diag_print(const char *s, size_t len);
int sys_diag_dump_procs(void);
int sys_diag_dump_tables(void *buf, size_t len);
int sys_privctl(endpoint_t e, int request, const void *addr, uint64_t base, uint64_t limit);
int sys_update(endpoint_t src, endpoint_t dst, int flags);
int sys_statectl(int request);
int sys_kill(endpoint_t e, int sig);
int sys_clear(endpoint_t e);
int sys_fork(endpoint_t parent, unsigned flags, endpoint_t *child); /* FORK_EMPTY_MEM */
struct lx_sigframe_req;
int sys_sigctl(int op, endpoint_t e, const struct lx_sigframe_req *req, int sig, int complete,
	       int64_t result, endpoint_t *held_by);
int sys_getksig(endpoint_t *e, uint64_t *sigs);
int sys_endksig(endpoint_t e);
int sys_brk(void *end, struct msg_sys_brk_reply *out); /* brk/sbrk: <unistd.h>, brk.c */
int sys_probe(int kind, const void *addr);             /* debug: authority.smep_smap_nx */
int sys_vmctl(const struct msg_sys_vmctl *rq, struct msg_sys_vmctl_reply *out); /* VM alone */
int sys_exec(endpoint_t e, const char *name, uint64_t ip,
	     uint64_t sp); /* a user process's new program */
int sys_exec_brk(endpoint_t e, const char *name, uint64_t ip, uint64_t sp,
		 uint64_t brk); /* ... or a held service's VM built (its kernel heap at brk) */

/* Grants (grant.c) and safecopies (sys_safecopy.c). */
grant_id_t cpf_grant_direct(endpoint_t grantee, const void *addr, size_t len, int access);
grant_id_t cpf_grant_indirect(endpoint_t grantee, endpoint_t from, grant_id_t grant);
grant_id_t cpf_grant_magic(endpoint_t grantee, endpoint_t from, uint64_t addr, size_t len,
			   int access);
int cpf_revoke(grant_id_t id);
/* len bytes of buf to addr in e (mapped writable there) through a magic grant: 0 or -E. */
int magic_copy_to(endpoint_t e, uint64_t addr, const void *buf, size_t len);
int cpf_reload(void);
grant_entry_t *cpf_table(size_t *entries);
int sys_setgrant(const grant_entry_t *table, size_t entries);
int sys_safecopyfrom(endpoint_t owner, grant_id_t grant, uint64_t offset, void *addr, size_t bytes);
int sys_safecopyto(endpoint_t owner, grant_id_t grant, uint64_t offset, const void *addr,
		   size_t bytes);
int sys_safecopystr(endpoint_t owner, grant_id_t grant, char *buf, size_t len);
int sys_vsafecopy(const struct vscp_vec *vec, size_t count);

int tickdelay(uint64_t ticks);

/* Requests to RS (rs.c): RS_UP, RS_DOWN, RS_RESTART, RS_REFRESH, RS_LOOKUP, RS_UPDATE. */
struct msg_rs_reply;
int rs_request(int request, const char *label, struct msg_rs_reply *reply);
int rs_update(const char *label, const char *program, int state, uint32_t maxtime, uint32_t flags);
int rs_update_send(const char *label, const char *program, int state, uint32_t maxtime,
		   uint32_t flags);

/* The data store (ds.c, include/ax/ds.h): 0 or -E from DS. */
int ds_publish_u32(const char *key, uint32_t value, int flags);
int ds_publish_str(const char *key, const char *str, int flags);
int ds_publish_mem(const char *key, const void *addr, size_t len, int flags);
int ds_publish_label(const char *key, endpoint_t endpt, int flags);
int ds_retrieve_u32(const char *key, uint32_t *value);
int ds_retrieve_str(const char *key, char *buf, size_t len);
int ds_retrieve_mem(const char *key, void *buf, size_t *len);
int ds_retrieve_label(const char *key, endpoint_t *endpt);
int ds_retrieve_label_name(endpoint_t endpt, char *key, size_t len);
int ds_delete(const char *key, int type);
int ds_subscribe(const char *pattern, int flags);
int ds_check(char *key, int *type, endpoint_t *owner);

/* Output and failure. */
int printf(const char *fmt, ...) __attribute__((format(__printf__, 1, 2)));
void panic(const char *fmt, ...) __attribute__((noreturn, format(__printf__, 1, 2)));
void print_stacktrace(void);

static inline uint64_t
read_tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

int main(int argc, char **argv);

#endif
