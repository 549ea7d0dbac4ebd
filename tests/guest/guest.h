/*
 * The in-guest test framework.  TEST(group, name, "what it shows") defines a
 * test named "group.name" and registers a pointer to it in the guest_tests
 * section; the runner (runner.c) runs each in a process of its own, which
 * prints one line, "PASS group.name" or "FAIL group.name: reason", that the
 * host harness collects.
 *
 * Inside a test, EXPECT(cond, fmt, ...) fails the test with the formatted
 * reason and returns; EXPECT_EQ(actual, expected) does the same for two
 * integers and prints both.
 *
 * Helpers for the scenarios: peer_* drive the peer processes (peer.c)
 * through the command protocol in peer_proto.h; tickdelay() waits on an
 * alarm, which lets lower-priority peers run first.
 */
#ifndef GUEST_H
#define GUEST_H

#include <libsys.h>
#include <stdio.h>
#include <string.h>
#include "peer_proto.h"

struct guest_test {
	const char *name;
	const char *what;
	void (*fn)(void);
	const char *file; /* where it is defined: the order tests run in */
	int line;
};

extern char test_failure[256]; /* set by a failing EXPECT */
extern const struct guest_test *const __start_guest_tests[], *const __stop_guest_tests[];
extern const struct guest_test *const __start_guest_tests_last[] __attribute__((weak));
extern const struct guest_test *const __stop_guest_tests_last[] __attribute__((weak));

/*
 * The tests in the order they run, the same under every compiler: files in
 * link order (tests/guest/Makefile.inc), each file's tests as they stand
 * in it; the TEST_LAST ones after the rest.  (The section alone does not
 * say: gcc emits a file's tests in reverse, clang in order.)
 */
int guest_test_count(void); /* testrun.c */
const struct guest_test *guest_test_at(int index);

#define TEST_RESULT 0x2100 /* test process -> runner: v[0] 1 passed, 0 failed */

int run_all(void); /* runner.c */

#define TEST(group, name, what)                                                                \
	static void test_##group##_##name(void);                                               \
	static const struct guest_test test_entry_##group##_##name = { #group "." #name, what, \
								       test_##group##_##name,  \
								       __FILE__, __LINE__ };   \
	static const struct guest_test *const test_ptr_##group##_##name                        \
		__attribute__((section("guest_tests"), used)) = &test_entry_##group##_##name;  \
	static void test_##group##_##name(void)

/*
 * A test that leaves the system without something every other test needs
 * (RS, say): it runs after all the others, whatever the link order.
 */
#define TEST_LAST(group, name, what)                                                               \
	static void test_##group##_##name(void);                                                   \
	static const struct guest_test test_entry_##group##_##name = { #group "." #name, what,     \
								       test_##group##_##name,      \
								       __FILE__, __LINE__ };       \
	static const struct guest_test *const test_ptr_##group##_##name                            \
		__attribute__((section("guest_tests_last"), used)) = &test_entry_##group##_##name; \
	static void test_##group##_##name(void)

#define EXPECT(cond, ...)                                                                          \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			int n_ = snprintf(test_failure, sizeof(test_failure), "%s:%d: ", __FILE__, \
					  __LINE__);                                               \
			snprintf(test_failure + n_, sizeof(test_failure) - n_, __VA_ARGS__);       \
			return;                                                                    \
		}                                                                                  \
	} while (0)

#define EXPECT_EQ(actual, expected)                                                             \
	do {                                                                                    \
		long long a_ = (long long)(actual), e_ = (long long)(expected);                 \
		EXPECT(a_ == e_, "%s is %lld, expected %s (%lld)", #actual, a_, #expected, e_); \
	} while (0)

endpoint_t find(const char *name);         /* a helper is started for this test */
endpoint_t helper_start(const char *name); /* helpers.c */
void helpers_sweep(void);
int peer_command(endpoint_t peer, int cmd, uint64_t a0, uint64_t a1);
/* hello: an ioctl it never answers (crash, hang), sent after an open (test_rs.c) */
int hello_send(endpoint_t h, unsigned ioctl);
int peer_call(endpoint_t peer, int cmd, uint64_t a0, uint64_t a1, message *reply);
uint64_t uptime(void);        /* clock ticks since boot */
int proc_state(endpoint_t e); /* PROC_STATE_* bits, or -1 if e is gone */

/*
 * User programs through PM (test_proc.c): a request to PM; a boot-image
 * program started as the caller's child (0 and *reply, or -E); the wait
 * status of a child once it has ended (or -E).
 */
struct msg_pm_reply;
int proc_pm_call(int type, message *m);
int proc_start(const char *program, const char *args, struct msg_pm_reply *reply);
/* The same, running as uid (and gid) uid. */
int proc_start_uid(const char *program, const char *args, uint32_t uid, struct msg_pm_reply *reply);
int proc_wait(int pid);
/* Both, bounded: started as uid, killed after bound ticks (-ETIMEDOUT); its wait status. */
int proc_run_uid(const char *program, const char *args, uint32_t uid, int bound);
/* test_vm.c, for test_vm_lu.c too: lxvm's wait status for args; VM's counts. */
struct msg_vm_reply;
int lxvm_run(const char *args);
/* test_vm_lu.c: one live update of label under a load of programs: RS's answer, or -E */
int update_under_load(const char *label, uint32_t flags, int *ran);
struct msg_vm_reply vm_info(void);
endpoint_t service(const char *label, uint32_t *restarts); /* RS_LOOKUP: endpoint or NONE */
endpoint_t start_peer(const char *name, int priority);     /* NONE if it failed */
void command_message(message *m, int cmd, uint64_t a0, uint64_t a1); /* a peer command */
int64_t fastpath_switch(int set); /* 0 off, 1 on, 2 as is; times taken, or -E */
endpoint_t kill_rs(int sig);      /* and wait until RS (its replica's new one) answers */
int spawn_program(const char *program, const char *name, const struct priv_desc *d,
		  endpoint_t *e); /* a boot module's program, running with d */
int spawn_program_prio(const char *program, const char *name, const struct priv_desc *d,
		       int priority, endpoint_t *e); /* the same at a priority (-1: ours) */
int spawn_program_args(const char *program, const char *name, const char *args, int priority,
		       const struct priv_desc *d, endpoint_t *e); /* ... with arguments */
/* The same from a mapped image, held (privctl ALLOW lets it run); through VM when it runs. */
int spawn_image(const void *image, size_t size, const char *name, const char *args, int priority,
		const struct priv_desc *d, endpoint_t *e);
void vm_release(endpoint_t e); /* a process we manage ended: VM_EXIT, before sys_clear */
void vm_reap(void);            /* VM frees the spaces of processes that ended unreported */
/* spawn_program_args built by the kernel's spawn: for tests of what only such a process has. */
int spawn_program_kernel(const char *program, const char *name, const char *args, int priority,
			 const struct priv_desc *d, endpoint_t *e);

/*
 * Waiting for a state, never for an amount of time: a test that needs a
 * helper blocked in IPC (back in its receive loop, or sending to someone)
 * waits for exactly that; AWAIT_TICKS bounds the wait.
 */
#define AWAIT_TICKS 500
int await_ipc(endpoint_t e, uint32_t ipc, endpoint_t peer);
int await_receive(endpoint_t e); /* in RECEIVE from ANY */
int await_gone(endpoint_t e);    /* ended: its endpoint is dead */
int await_frozen(endpoint_t e);  /* stopped by a signal its manager has not ended */
bool await_service_down(const char *label, int ticks); /* RS runs nothing as label */

/*
 * fn runs after the test, whether it passed or failed part-way (EXPECT
 * returns at once): register it before the test changes a shared helper,
 * so that the tests after it find the helper as it was.  Last in, first out.
 */
void test_cleanup(void (*fn)(void));

#endif
