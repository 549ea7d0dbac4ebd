/*
 * The reincarnation server: services started at boot in order, restarted
 * with a new endpoint when they crash or hang, with growing backoff when
 * they keep crashing, and controlled by administrators only.  The services
 * are instances of the hello driver (tests/guest/system.conf).
 */
#include "guest.h"
#include <ax/rs.h>
#include <ax/hello.h>
#include <ax/signal.h>
#include <cdev_client.h>

/* Wait up to `ticks` for label to run under an endpoint other than `old`. */
static endpoint_t
await_new(const char *label, endpoint_t old, int ticks)
{
	for (int i = 0; i < ticks; i++) {
		endpoint_t e = service(label, NULL);

		if (e != NONE && e != old)
			return e;
		tickdelay(1);
	}
	return NONE;
}

/*
 * Read hello's greeting (minor 0, from the start); its length, or -E.  A
 * restarted hello knows no open minor and says ERESTART: like any client,
 * reopen and ask again.
 */
static int
hello_read(endpoint_t h, char *buf, size_t len)
{
	int64_t r = cdev_read(h, 0, 0, buf, len - 1, 0);

	if (r == -ERESTART && (r = cdev_open(h, 0, CDEV_R_BIT)) == 0)
		r = cdev_read(h, 0, 0, buf, len - 1, 0);
	if (r >= 0)
		buf[r] = '\0';
	return (int)r;
}

/* Open hello once more; the open count, or 0. */
static uint32_t
hello_open(endpoint_t h)
{
	uint32_t opens = 0;

	if (cdev_open(h, 0, CDEV_R_BIT) < 0 || cdev_ioctl(h, 0, HELLO_IOC_OPENS, &opens) < 0)
		return 0;
	return opens;
}

/*
 * Tell hello to crash or hang: an ioctl that is never answered, so it is
 * sent without waiting for a reply (after an open, which the driver
 * requires of every client since it started).
 */
int
hello_send(endpoint_t h, unsigned ioctl)
{
	message m;
	int64_t r;

	if ((r = cdev_open(h, 0, CDEV_R_BIT)) < 0)
		return (int)r;
	memset(&m, 0, sizeof(m));
	m.m_type = CDEV_IOCTL;
	m.m_cdev.request = ioctl;
	m.m_cdev.grant = GRANT_INVALID;
	return ipc_send(h, &m);
}

TEST(rs, boot_sync,
     "RS starts its boot services in order, each after the one before has initialised")
{
	struct msg_rs_reply h, h2;
	char buf[96];

	EXPECT_EQ(rs_request(RS_LOOKUP, "hello", &h), 0);
	EXPECT_EQ(rs_request(RS_LOOKUP, "hello2", &h2), 0);
	EXPECT(h.endpt != NONE && h2.endpt != NONE, "hello %d, hello2 %d", h.endpt, h2.endpt);
	EXPECT(h.first_start < h.first_up, "hello up before it started");
	EXPECT(h.first_up < h2.first_start, "hello2 started (event %u) before hello was up (%u)",
	       h2.first_start, h.first_up);
	EXPECT(hello_read(h.endpt, buf, sizeof(buf)) > 0, "hello does not answer");
	EXPECT(strncmp(buf, "Hello from hello", 16) == 0, "greeting: %s", buf);
	EXPECT_EQ(service("crashy", NULL), NONE); /* configured "down" */
}

TEST(rs, crash_restart,
     "a driver killed by a fault is restarted; its clients get the driver-up event")
{
	uint32_t before = 0, after = 0;
	endpoint_t h = service("hello", &before), h2, ds = find("ds"), published = NONE, owner;
	char buf[96], key[DS_MAX_KEYLEN];
	message m;
	uint64_t status;
	int type;

	EXPECT(h != NONE, "hello is not running");
	EXPECT_EQ(ds_retrieve_label("hello", &published), 0);
	EXPECT_EQ(published, h);
	EXPECT_EQ(ds_subscribe("hello", 0), 0);
	EXPECT_EQ(hello_send(h, HELLO_IOC_CRASH), 0);
	h2 = await_new("hello", h, 200);
	EXPECT(h2 != NONE, "hello was not restarted");
	service("hello", &after);
	EXPECT_EQ(after, before + 1);

	/* The driver-up event, as a client sees it: a notification, then the label. */
	EXPECT_EQ(ipc_receive(ds, &m, &status), 0);
	EXPECT(ipc_status_is_notify(status), "DS sent no notification");
	EXPECT_EQ(ds_check(key, &type, &owner), 0);
	EXPECT(strcmp(key, "hello") == 0, "changed key %s", key);
	EXPECT_EQ(owner, find("rs"));
	EXPECT_EQ(ds_retrieve_label("hello", &published), 0);
	EXPECT_EQ(published, h2);
	EXPECT(hello_read(h2, buf, sizeof(buf)) > 0, "the new hello does not answer");
	EXPECT_EQ(cdev_open(h, 0, CDEV_R_BIT), -EDEADSRCDST); /* the old endpoint is dead */
}

TEST(rs, ping_hang, "a driver that stops answering RS's pings is killed and restarted")
{
	endpoint_t h = service("hello", NULL), h2;
	char buf[96];

	EXPECT(h != NONE, "hello is not running");
	EXPECT_EQ(hello_send(h, HELLO_IOC_HANG), 0);
	h2 = await_new("hello", h, 500);
	EXPECT(h2 != NONE, "a hung hello was not replaced");
	EXPECT(hello_read(h2, buf, sizeof(buf)) > 0, "the new hello does not answer");
}

TEST(rs, backoff, "each crash in quick succession waits longer before the restart")
{
	endpoint_t h = service("hello2", NULL);
	uint64_t took[3];

	for (int i = 0; i < 3; i++) {
		uint64_t t0 = uptime();

		EXPECT(h != NONE, "hello2 is not running (round %d)", i);
		EXPECT_EQ(hello_send(h, HELLO_IOC_CRASH), 0);
		h = await_new("hello2", h, 200);
		took[i] = uptime() - t0;
	}
	EXPECT(h != NONE, "hello2 was not restarted");
	EXPECT(took[0] <= took[1] && took[1] <= took[2] && took[0] < took[2],
	       "restart delays %llu, %llu, %llu ticks do not grow", (unsigned long long)took[0],
	       (unsigned long long)took[1], (unsigned long long)took[2]);
}

TEST(rs, crash_loop, "a driver that crashes 100 times in a row: the system stays up, RS backs off")
{
	uint32_t restarts = 0;
	char buf[96];

	EXPECT_EQ(rs_request(RS_UP, "crashy", NULL), 0);
	for (int i = 0; i < 3000 && restarts < 100; i++) {
		service("crashy", &restarts);
		tickdelay(1);
	}
	EXPECT(restarts >= 100, "only %u restarts", restarts);
	EXPECT(hello_read(service("hello", NULL), buf, sizeof(buf)) > 0, "hello stopped answering");
	EXPECT_EQ(rs_request(RS_DOWN, "crashy", NULL), 0);
	EXPECT(await_service_down("crashy", AWAIT_TICKS), "crashy is still running");
}

TEST(rs, down_up, "down stops a service for good; up starts it again under a new endpoint")
{
	endpoint_t h = service("hello2", NULL), h2;
	char buf[96];

	EXPECT(h != NONE, "hello2 is not running");
	EXPECT_EQ(rs_request(RS_DOWN, "hello2", NULL), 0);
	EXPECT(await_service_down("hello2", AWAIT_TICKS), "hello2 is still running");
	EXPECT_EQ(cdev_open(h, 0, CDEV_R_BIT), -EDEADSRCDST);
	EXPECT_EQ(rs_request(RS_UP, "hello2", NULL), 0);
	EXPECT_EQ(rs_request(RS_UP, "hello2", NULL), -EBUSY);
	h2 = await_new("hello2", h, 100);
	EXPECT(h2 != NONE, "hello2 did not come back");
	EXPECT(hello_read(h2, buf, sizeof(buf)) > 0, "hello2 does not answer");
}

TEST(rs, refresh, "refresh restarts a service without counting it as a failure")
{
	uint32_t before = 0, after = 0;
	endpoint_t h = service("hello", &before), h2;

	EXPECT(h != NONE, "hello is not running");
	EXPECT_EQ(rs_request(RS_REFRESH, "hello", NULL), 0);
	h2 = await_new("hello", h, 100);
	EXPECT(h2 != NONE, "hello did not come back");
	service("hello", &after);
	EXPECT_EQ(after, before);
	EXPECT_EQ(rs_request(RS_LOOKUP, "nosuch", NULL), -ENOENT);
	EXPECT_EQ(rs_request(RS_CLONE, "nosuch", NULL), -ENOENT);
}

TEST(rs, unprivileged_denied,
     "RS refuses requests from anyone without the admin right, privctl or not")
{
	endpoint_t a = find("peer_a"), s = find("subject"), h = service("hello", NULL);
	struct priv_desc d;
	message m;

	EXPECT_EQ(peer_call(a, PEER_RS, RS_DOWN, 0, &m), 0);
	EXPECT_EQ((int64_t)m.m_u64.v[0], -EPERM);
	EXPECT_EQ(peer_call(a, PEER_RS, RS_LOOKUP, 0, &m), 0);
	EXPECT_EQ((int64_t)m.m_u64.v[0], -EPERM);

	/* Every kernel call, privctl among them, makes no administrator. */
	memset(&d, 0, sizeof(d));
	d.call_mask = ~0ull;
	d.sig_mgr = NONE;
	d.nr_ipc = PRIV_DESC_ALL_IPC;
	EXPECT_EQ(sys_privctl(s, PRIVCTL_SET, &d, 0, 0), 0);
	EXPECT_EQ(peer_call(s, PEER_RS, RS_DOWN, 0, &m), 0);
	EXPECT_EQ((int64_t)m.m_u64.v[0], -EPERM);
	d.call_mask = KCALL_BASIC_CALLS; /* what a peer has at boot */
	EXPECT_EQ(sys_privctl(s, PRIVCTL_SET, &d, 0, 0), 0);
	EXPECT_EQ(service("hello", NULL), h); /* untouched */
}

TEST(rs, restart_state, "a stateful restart keeps the endpoint, and hello's count survives it")
{
	uint32_t before = 0, after = 0, opens = 0;
	endpoint_t h = service("hello3", &before);
	char buf[96], want[96];

	EXPECT(h != NONE, "hello3 is not running");
	for (int i = 0; i < 3; i++)
		opens = hello_open(h);
	EXPECT(opens >= 3, "hello3 counted %u opens", opens);
	EXPECT_EQ(hello_send(h, HELLO_IOC_CRASH), 0); /* one more open */
	for (int i = 0; i < 200 && after <= before; i++) {
		tickdelay(1);
		if (service("hello3", &after) == NONE)
			after = before; /* not up again yet */
	}
	EXPECT_EQ(after, before + 1);
	EXPECT_EQ(service("hello3", NULL), h); /* the same endpoint */
	/* The read finds minor 0 closed (ERESTART) and reopens: one more again. */
	snprintf(want, sizeof(want), "Hello from hello3 (endpoint %d): opened %u times\n", h,
		 opens + 2);
	EXPECT(hello_read(h, buf, sizeof(buf)) > 0, "hello3 does not answer");
	EXPECT(strcmp(buf, want) == 0, "after the restart: %s", buf);
}

TEST(rs, lu_success, "a live update keeps the endpoint and the count, and the new version answers")
{
	uint32_t before = 0, after = 0;
	endpoint_t h = service("hello2", &before);
	uint32_t count;
	char buf[96], want[96];

	EXPECT(h != NONE, "hello2 is not running");
	hello_open(h);
	count = hello_open(h);
	EXPECT(count > 0, "hello2 does not count opens");
	EXPECT_EQ(rs_update("hello2", "hello_v2", SEF_LU_STATE_WORK_FREE, 100, 0), 0);
	EXPECT_EQ(service("hello2", &after), h);
	EXPECT_EQ(after, before); /* not a restart */
	snprintf(want, sizeof(want), "Howdy from hello2 (endpoint %d): opened %u times\n", h,
		 count);
	EXPECT(hello_read(h, buf, sizeof(buf)) > 0, "the new version does not answer");
	EXPECT(strcmp(buf, want) == 0, "after the update: %s", buf);
	EXPECT_EQ(rs_update("hello2", "nosuch", SEF_LU_STATE_WORK_FREE, 100, 0), -ENOENT);
	EXPECT_EQ(rs_update("hello2", "hello_v2", SEF_LU_STATE_NULL, 100, 0), -EINVAL);
}

TEST(rs, lu_under_load, "a client reading all through an update loses no request and sees no error")
{
	endpoint_t h = service("hello2", NULL), a = find("peer_b");
	message m;
	uint64_t status;

	EXPECT(h != NONE, "hello2 is not running");
	/* The old greeting first: rs.lu_success leaves hello2 running hello_v2. */
	EXPECT_EQ(rs_update("hello2", "hello", SEF_LU_STATE_WORK_FREE, 100, 0), 0);
	EXPECT_EQ(peer_command(a, PEER_HELLO_LOOP, (uint64_t)h, 200), 0);
	EXPECT_EQ(ipc_receive(a, &m, &status), 0); /* 100 reads done */
	EXPECT(ipc_status_is_notify(status), "the client did not get going");
	EXPECT_EQ(rs_update("hello2", "hello_v2", SEF_LU_STATE_WORK_FREE, 100, 0), 0);
	EXPECT_EQ(ipc_receive(a, &m, &status), 0); /* the client's tally */
	EXPECT_EQ(m.m_u64.v[1], 0);                /* failed requests */
	EXPECT_EQ(m.m_u64.v[2], 200);              /* the new version answered, ... */
	EXPECT(m.m_u64.v[0] >= 300, "%llu answered: fewer than 100 by the old version",
	       (unsigned long long)m.m_u64.v[0]); /* ... after the old one */
}

TEST(rs, lu_rollback_init, "a new version that fails its init is rolled back; the old one goes on")
{
	endpoint_t h = service("hello", NULL);
	char before[96], after[96];

	EXPECT(h != NONE, "hello is not running");
	hello_open(h);
	EXPECT(hello_read(h, before, sizeof(before)) > 0, "hello does not answer");
	EXPECT_EQ(rs_update("hello", "hello_v2", SEF_LU_STATE_WORK_FREE, 100, SEF_INIT_FAIL), -EIO);
	EXPECT_EQ(service("hello", NULL), h);
	EXPECT(hello_read(h, after, sizeof(after)) > 0, "the old version does not answer");
	EXPECT(strcmp(before, after) == 0, "before: %s after: %s", before, after);
}

TEST(rs, lu_rollback_timeout, "an old version that never reaches the prepare state keeps running")
{
	endpoint_t h = service("hello", NULL);
	char before[96], after[96];

	EXPECT(h != NONE, "hello is not running");
	EXPECT(hello_read(h, before, sizeof(before)) > 0, "hello does not answer");
	EXPECT_EQ(rs_update("hello", "hello_v2", SEF_LU_STATE_UNREACHABLE, 10, 0), -ETIMEDOUT);
	EXPECT_EQ(service("hello", NULL), h);
	EXPECT(hello_read(h, after, sizeof(after)) > 0, "the old version does not answer");
	EXPECT(strcmp(before, after) == 0, "before: %s after: %s", before, after);
	EXPECT(hello_open(h) > 0, "hello no longer counts");
}

TEST(rs, restart_race,
     "a request sent to a fresh instance before its init is done is served, not lost")
{
	endpoint_t h = service("hello4", NULL), e = NONE;

	EXPECT(h != NONE, "hello4 is not running");
	EXPECT_EQ(hello_send(h, HELLO_IOC_CRASH), 0);
	/* Find the new instance the moment it exists: it initialises for 5 ticks. */
	for (int i = 0; i < 100 && (e == NONE || e == h); i++) {
		tickdelay(1);
		if (sys_lookup("hello4", &e) < 0)
			e = NONE;
	}
	EXPECT(e != NONE && e != h, "no new hello4");
	EXPECT_EQ(service("hello4", NULL), NONE);  /* still initialising */
	EXPECT_EQ(cdev_open(e, 0, CDEV_R_BIT), 0); /* waits for its init, then served */
	EXPECT_EQ(service("hello4", NULL), e);
}

TEST(rs, lu_image_reuse,
     "regression: RS keeps one copy per program, so updates never run out of room")
{
	endpoint_t h = service("hello2", NULL);

	EXPECT(h != NONE, "hello2 is not running");
	for (int i = 0; i < 30; i++) /* the image pool once filled after ~14 */
		EXPECT_EQ(rs_update("hello2", i % 2 ? "hello" : "hello_v2", SEF_LU_STATE_WORK_FREE,
				    100, 0),
			  0);
	EXPECT_EQ(service("hello2", NULL), h);
}

static endpoint_t
lookup(const char *name)
{
	endpoint_t e;

	return sys_lookup(name, &e) == 0 ? e : NONE;
}

/* Who gets e's signals. */
static endpoint_t
watcher(endpoint_t e)
{
	struct msg_sys_privinfo priv;

	return sys_getpriv(e, &priv) == 0 ? priv.sig_mgr : NONE;
}

TEST(rs, self_restart,
     "RS killed by a fault is restarted by its replica; services keep running and are still "
     "watched")
{
	uint32_t restarts = 0, restarts_after = 0;
	endpoint_t rs = find("rs"), replica = find("rs_replica"), h = service("hello", NULL), h2,
		   h3;
	endpoint_t replica2;
	char buf[96];

	EXPECT(h != NONE, "hello is not running");
	EXPECT_EQ(watcher(rs), replica);
	EXPECT_EQ(watcher(replica), rs);
	EXPECT_EQ(hello_send(h, HELLO_IOC_CRASH), 0); /* something for RS to know */
	h2 = await_new("hello", h, 200);
	EXPECT(h2 != NONE, "hello was not restarted");
	service("hello", &restarts);

	EXPECT_EQ(kill_rs(SIGSEGV), rs);                  /* same endpoint, new program */
	EXPECT_EQ(service("hello", &restarts_after), h2); /* adopted, not restarted */
	EXPECT_EQ(restarts_after, restarts);              /* its record, from DS */
	EXPECT(hello_read(h2, buf, sizeof(buf)) > 0, "hello does not answer");

	/* The new RS watches the services: a crash is still repaired. */
	EXPECT_EQ(hello_send(h2, HELLO_IOC_CRASH), 0);
	h3 = await_new("hello", h2, 200);
	EXPECT(h3 != NONE, "hello was not restarted by the new RS");
	EXPECT(hello_read(h3, buf, sizeof(buf)) > 0, "the new hello does not answer");

	/* RS watches its replica: a dead one is restarted in its slot, and does its job. */
	EXPECT_EQ(find("rs_replica"), replica);
	EXPECT_EQ(sys_kill(replica, SIGKILL), 0);
	for (int i = 0; i < 50 && proc_state(replica) != 0; i++)
		tickdelay(1);
	EXPECT_EQ(proc_state(replica), 0); /* running again */
	replica2 = lookup("rs_replica");
	EXPECT_EQ(replica2, replica); /* in its own slot */
	EXPECT_EQ(watcher(rs), replica2);
	EXPECT_EQ(kill_rs(SIGILL), rs);
	EXPECT_EQ(service("hello", NULL), h3);
}

TEST(rs, self_restart_mid_update,
     "RS dying during a live update: the new RS keeps the old version and ends the new one")
{
	struct msg_rs_reply r;
	struct msg_sys_privinfo priv;
	endpoint_t h = service("hello2", NULL), lu_new = NONE;
	char buf[96];

	EXPECT(h != NONE, "hello2 is not running");
	/* An update that waits for a state hello2 never reaches; its answer is not awaited. */
	EXPECT_EQ(rs_update_send("hello2", "hello_v2", SEF_LU_STATE_UNREACHABLE, 1000, 0), 0);
	for (int i = 0; i < 50 && lu_new == NONE; i++) {
		EXPECT_EQ(rs_request(RS_LOOKUP, "hello2", &r), 0);
		lu_new = r.lu_new;
		tickdelay(1);
	}
	EXPECT(lu_new != NONE && lu_new != h, "no update under way (%d)", lu_new);

	EXPECT_EQ(kill_rs(SIGSEGV), find("rs"));
	EXPECT_EQ(rs_request(RS_LOOKUP, "hello2", &r), 0);
	EXPECT_EQ(r.endpt, h); /* the old version goes on */
	EXPECT_EQ(r.lu_new, NONE);
	for (int i = 0; i < 20 && sys_getpriv(lu_new, &priv) == 0; i++)
		tickdelay(1);
	EXPECT_EQ(sys_getpriv(lu_new, &priv), -EDEADSRCDST); /* the new version is gone */
	EXPECT(hello_read(h, buf, sizeof(buf)) > 0, "hello2 does not answer");
	EXPECT(strncmp(buf, "Hello", 5) == 0, "hello2 says %s", buf); /* the old greeting */
	EXPECT_EQ(rs_update("hello2", "hello", SEF_LU_STATE_WORK_FREE, 100, 0),
		  0); /* updatable again */
}

/* Run `service args` as root to its end: its wait status, or -E. */
static int
run_service(const char *args)
{
	return proc_run_uid("service", args, 0, 1000);
}

static void
file_services_down(void)
{
	run_service("down h");
	run_service("down svc_ud");
	await_service_down("h", AWAIT_TICKS);
	await_service_down("svc_ud", AWAIT_TICKS);
}

/* label's greeting, after a restart of it by RS (a fresh one: a new endpoint); 0 or -E. */
static int
restarted_greeting(const char *label, char *buf, size_t len)
{
	uint32_t restarts = 0;
	endpoint_t e = service(label, &restarts), e2;
	char args[32];

	snprintf(args, sizeof(args), "restart %s", label);
	if (e == NONE || run_service(args) != 0)
		return -ESRCH;
	if ((e2 = await_new(label, e, 200)) == NONE)
		return -ETIMEDOUT;
	return hello_read(e2, buf, len) > 0 ? 0 : -EIO;
}

TEST(rs, self_restart_file_services,
     "services started from files (a new label, and a configured one) are still RS's after RS "
     "dies, and after its replica dies too: adopted, and restarted from their programs")
{
	endpoint_t h, u, rs = find("rs"), replica = find("rs_replica");
	char buf[96];

	test_cleanup(file_services_down);
	EXPECT_EQ(run_service("up /sbin/hello_v2 -label h"), 0);      /* no system.conf line */
	EXPECT_EQ(run_service("up /sbin/hello_v2 -label svc_ud"), 0); /* configured: hello */
	h = await_new("h", NONE, 200);
	u = await_new("svc_ud", NONE, 200);
	EXPECT(h != NONE && u != NONE, "h %d, svc_ud %d", h, u);

	EXPECT_EQ(kill_rs(SIGSEGV), rs);
	EXPECT_EQ(service("h", NULL), h); /* known again, adopted */
	EXPECT_EQ(service("svc_ud", NULL), u);
	EXPECT_EQ(restarted_greeting("h", buf, sizeof(buf)), 0);
	EXPECT(strncmp(buf, "Howdy", 5) == 0, "h says %s", buf); /* the file's program */
	EXPECT_EQ(restarted_greeting("svc_ud", buf, sizeof(buf)), 0);
	EXPECT(strncmp(buf, "Howdy", 5) == 0, "svc_ud says %s", buf); /* not its boot module */

	/* A new replica is given the programs again: RS's next death loses none. */
	EXPECT_EQ(sys_kill(replica, SIGKILL), 0);
	for (int i = 0; i < 50 && proc_state(replica) != 0; i++)
		tickdelay(1);
	EXPECT_EQ(proc_state(replica), 0);
	EXPECT_EQ(await_receive(replica), 0); /* the programs taken in */
	EXPECT_EQ(kill_rs(SIGILL), rs);
	EXPECT_EQ(restarted_greeting("h", buf, sizeof(buf)), 0);
	EXPECT(strncmp(buf, "Howdy", 5) == 0, "h says %s", buf);
	EXPECT_EQ(restarted_greeting("svc_ud", buf, sizeof(buf)), 0);
	EXPECT(strncmp(buf, "Howdy", 5) == 0, "svc_ud says %s", buf);
}

/* hello2 back to the program system.conf names (updates stick). */
static void
hello2_back(void)
{
	rs_update("hello2", "hello", SEF_LU_STATE_WORK_FREE, 100, 0);
}

TEST(rs, update_sticky,
     "an update's program is the service's from then on: a restart starts it, not the boot "
     "module system.conf names, and so does a new RS after RS's death")
{
	endpoint_t h = service("hello2", NULL), h2, h3;
	char buf[96];

	EXPECT(h != NONE, "hello2 is not running");
	test_cleanup(hello2_back);
	EXPECT_EQ(rs_update("hello2", "hello_v2", SEF_LU_STATE_WORK_FREE, 100, 0), 0);
	EXPECT_EQ(rs_request(RS_RESTART, "hello2", NULL), 0);
	h2 = await_new("hello2", h, 200);
	EXPECT(h2 != NONE, "hello2 was not restarted");
	EXPECT(hello_read(h2, buf, sizeof(buf)) > 0, "hello2 does not answer");
	EXPECT(strncmp(buf, "Howdy", 5) == 0, "after a restart hello2 says %s", buf);

	EXPECT_EQ(kill_rs(SIGSEGV), find("rs")); /* the program is in hello2's record */
	EXPECT_EQ(rs_request(RS_RESTART, "hello2", NULL), 0);
	h3 = await_new("hello2", h2, 200);
	EXPECT(h3 != NONE, "hello2 was not restarted by the new RS");
	EXPECT(hello_read(h3, buf, sizeof(buf)) > 0, "hello2 does not answer");
	EXPECT(strncmp(buf, "Howdy", 5) == 0, "after RS's death hello2 says %s", buf);

	/* Back to the first program, which sticks as well. */
	EXPECT_EQ(rs_update("hello2", "hello", SEF_LU_STATE_WORK_FREE, 100, 0), 0);
	EXPECT_EQ(rs_request(RS_RESTART, "hello2", NULL), 0);
	h = await_new("hello2", h3, 200);
	EXPECT(h != NONE && hello_read(h, buf, sizeof(buf)) > 0, "hello2 does not answer");
	EXPECT(strncmp(buf, "Hello", 5) == 0, "hello2 says %s", buf);
}

TEST(rs, records_before_answer,
     "what RS answers is in its DS records before the answer leaves: a client that kills RS "
     "the moment an update or a down is answered finds it in the new RS")
{
	endpoint_t h = service("hello2", NULL), h2;
	char buf[96];

	EXPECT(h != NONE, "hello2 is not running");
	test_cleanup(hello2_back);
	/* This test runs above RS's priority: RS dies before its next receive. */
	EXPECT_EQ(rs_update("hello2", "hello_v2", SEF_LU_STATE_WORK_FREE, 100, 0), 0);
	EXPECT_EQ(kill_rs(SIGKILL), find("rs"));
	EXPECT_EQ(rs_request(RS_RESTART, "hello2", NULL), 0);
	h2 = await_new("hello2", h, 200);
	EXPECT(h2 != NONE && hello_read(h2, buf, sizeof(buf)) > 0, "hello2 does not answer");
	EXPECT(strncmp(buf, "Howdy", 5) == 0, "the new RS restarted hello2 as %s", buf);

	EXPECT_EQ(rs_update("hello2", "hello", SEF_LU_STATE_WORK_FREE, 100, 0), 0);
	EXPECT_EQ(kill_rs(SIGKILL), find("rs"));
	EXPECT_EQ(rs_request(RS_RESTART, "hello2", NULL), 0);
	h = await_new("hello2", h2, 200);
	EXPECT(h != NONE && hello_read(h, buf, sizeof(buf)) > 0, "hello2 does not answer");
	EXPECT(strncmp(buf, "Hello", 5) == 0, "the new RS restarted hello2 as %s", buf);

	/* A down answered is a down the new RS keeps. */
	EXPECT_EQ(rs_request(RS_DOWN, "hello2", NULL), 0);
	EXPECT_EQ(kill_rs(SIGKILL), find("rs"));
	EXPECT(await_service_down("hello2", AWAIT_TICKS), "the new RS brought hello2 back");
	EXPECT_EQ(rs_request(RS_UP, "hello2", NULL), 0); /* -EBUSY if it came back by itself */
	h2 = await_new("hello2", h, 100);
	EXPECT(h2 != NONE && hello_read(h2, buf, sizeof(buf)) > 0, "hello2 did not come up");
}
