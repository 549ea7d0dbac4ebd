/*
 * SEF's callbacks beyond init and ping: live-update state validity and
 * state dump, the signal handler (RS's down sends SIGTERM), and the signal
 * manager (SEF collects kernel signals for a service that manages other
 * processes).  The services are sefsvc instances (sefsvc_proto.h), which
 * leave traces in DS under keys that name their endpoint.
 */
#include "guest.h"
#include <sef.h>
#include <ax/signal.h>
#include "sefsvc_proto.h"

#define IMAGE_MAX (256 * 1024)

/* The u32 that `label`'s instance `e` published under "<label>.<what>.<e>"; -E if none. */
static int64_t
svc_trace(const char *label, const char *what, endpoint_t e)
{
	char key[DS_MAX_KEYLEN];
	uint32_t v;
	int r;

	snprintf(key, sizeof(key), "%s.%s.%d", label, what, e);
	r = ds_retrieve_u32(key, &v);
	return r < 0 ? r : (int64_t)v;
}

TEST(sef, lu_state_invalid,
     "an update to a prepare state the service does not accept is refused at once")
{
	endpoint_t e = svc_lookup("sefsvc", NULL, NULL), h = svc_lookup("hello", NULL, NULL);
	uint32_t before = 0, after = 0;
	uint64_t t0;

	EXPECT(e != NONE && h != NONE, "sefsvc %d, hello %d", e, h);
	svc_lookup("sefsvc", NULL, &before);
	t0 = uptime();
	EXPECT_EQ(rs_update("sefsvc", "sefsvc", SVC_LU_STATE + 1, 100, 0), -EINVAL);
	EXPECT_EQ(rs_update("sefsvc", "sefsvc", SEF_LU_STATE_MAX + 1, 100, 0), -EINVAL);
	EXPECT_EQ(rs_update("sefsvc", "sefsvc", -1, 100, 0), -EINVAL);
	EXPECT_EQ(uptime(), t0); /* no prepare, no waiting: refused on the spot */
	EXPECT_EQ(svc_lookup("sefsvc", NULL, &after), e);
	EXPECT_EQ(after, before);
	EXPECT_EQ(svc_call(e, SVC_WHO, 0), e);

	/* hello keeps SEF's default: the standard states only. */
	EXPECT_EQ(rs_update("hello", "hello_v2", SVC_LU_STATE, 100, 0), -EINVAL);
	EXPECT_EQ(svc_lookup("hello", NULL, NULL), h);

	/* sefsvc's own state is valid, and its prepare callback reaches it. */
	EXPECT_EQ(rs_update("sefsvc", "sefsvc", SVC_LU_STATE, 100, 0), 0);
	EXPECT_EQ(svc_lookup("sefsvc", NULL, NULL), e);
	EXPECT_EQ(svc_call(e, SVC_WHO, 0), e);
}

TEST(sef, signal_handler,
     "down sends SIGTERM; the service's handler runs (a DS trace) and it exits itself")
{
	endpoint_t e = svc_lookup("sefterm", NULL, NULL), e2;

	EXPECT(e != NONE, "sefterm is not running");
	EXPECT_EQ(svc_trace("sefterm", "term", e), -ENOENT);
	EXPECT_EQ(rs_request(RS_DOWN, "sefterm", NULL), 0);
	EXPECT(await_service_down("sefterm", 5), "sefterm did not exit at once"); /* RS waits 10 */
	EXPECT_EQ(svc_trace("sefterm", "term", e), SIGTERM);
	EXPECT_EQ(svc_call(e, SVC_WHO, 0), -EDEADSRCDST);

	EXPECT_EQ(rs_request(RS_UP, "sefterm", NULL), 0); /* as we found it */
	e2 = svc_await_new("sefterm", e, 100);
	EXPECT(e2 != NONE, "sefterm did not come back");
}

TEST(sef, signal_timeout,
     "a service whose handler does not exit on SIGTERM is killed when RS's patience ends")
{
	endpoint_t e = svc_lookup("seflinger", NULL, NULL), found = NONE;
	uint64_t t0 = uptime();

	EXPECT(e != NONE, "seflinger is not running");
	EXPECT_EQ(rs_request(RS_DOWN, "seflinger", NULL), 0);
	for (int i = 0; i < 9 && svc_trace("seflinger", "term", e) != SIGTERM; i++)
		tickdelay(1);                                  /* well within RS's 10 */
	EXPECT_EQ(svc_trace("seflinger", "term", e), SIGTERM); /* the handler ran */
	EXPECT(sys_lookup("seflinger", &found) == 0 && found == e, "it did not linger");
	EXPECT(await_service_down("seflinger", 30), "seflinger was never killed");
	EXPECT(uptime() - t0 >= 9, "killed after %llu ticks, well before RS's 10",
	       (unsigned long long)(uptime() - t0));
	EXPECT_EQ(rs_request(RS_UP, "seflinger", NULL), 0);
	EXPECT(svc_await_new("seflinger", e, 100) != NONE, "seflinger did not come back");
}

TEST(sef, state_dump, "RS_DUMP_STATE makes a service run its state-dump callback")
{
	endpoint_t e = svc_lookup("sefsvc", NULL, NULL);
	int64_t before;
	message m;

	EXPECT(e != NONE, "sefsvc is not running");
	before = svc_trace("sefsvc", "dump", e);
	if (before < 0)
		before = 0;
	EXPECT_EQ(rs_request(RS_DUMP_STATE, "sefsvc", NULL), 0);
	EXPECT_EQ(svc_call(e, SVC_WHO, 0), e); /* it has received since */
	EXPECT_EQ(svc_trace("sefsvc", "dump", e), before + 1);
	EXPECT_EQ(rs_request(RS_DUMP_STATE, "sefsvc", NULL), 0);
	EXPECT_EQ(svc_call(e, SVC_WHO, 0), e);
	EXPECT_EQ(svc_trace("sefsvc", "dump", e), before + 2);
	EXPECT_EQ(rs_request(RS_DUMP_STATE, "hello", NULL), 0);       /* SEF's default: a line */
	EXPECT_EQ(rs_request(RS_DUMP_STATE, "crashy", NULL), -ESRCH); /* not running */
	EXPECT_EQ(rs_request(RS_DUMP_STATE, "nosuch", NULL), -ENOENT);
	EXPECT_EQ(peer_call(find("peer_a"), PEER_RS, RS_DUMP_STATE, 0, &m), 0);
	EXPECT_EQ((int64_t)m.m_u64.v[0], -EPERM);
}

/* What the signal-manager callback saw. */
static struct {
	endpoint_t who;
	int signo;
} seen[8];
static int nr_seen;

static int
manager(endpoint_t who, int signo)
{
	if (nr_seen < 8)
		seen[nr_seen++] = (typeof(seen[0])){ who, signo };
	if (signo != SIGSEGV)
		return 0; /* it goes on */
	sys_clear(who);
	return -EDEADEPT; /* gone: SEF must not let it go on */
}

/* Run SEF's receive loop until a CLOCK notification `ticks` from now. */
static int
sef_wait(int ticks)
{
	message m;
	int r;

	sys_setalarm(ticks, false, NULL);
	do {
		r = sef_receive(ANY, &m);
	} while (r == 0 && m.m_source != CLOCK);
	return r;
}

TEST(sef, signal_manager,
     "SEF collects a managed process's signals and calls the manager once per signal")
{
	const void *image = NULL; /* the module in place, read-only */
	endpoint_t s = NONE, e;
	struct priv_desc d;
	size_t size = 0;
	message m;

	EXPECT_EQ(sys_mapimage_named("peer", &image, &size), 0);
	EXPECT_EQ(sys_spawn(image, size, "sefsub", NULL, &s), 0);
	memset(&d, 0, sizeof(d));
	d.call_mask = (1ull << (KCALL_GETINFO - KCALL_BASE)) | (1ull << (KCALL_EXIT - KCALL_BASE));
	d.sig_mgr = self_endpoint;
	d.nr_ipc = PRIV_DESC_ALL_IPC;
	EXPECT_EQ(sys_privctl(s, PRIVCTL_SET, &d, 0, 0), 0);
	EXPECT_EQ(sys_privctl(s, PRIVCTL_ALLOW, NULL, 0, 0), 0);
	sef_setcb_signal_manager(manager);

	/* Two signals at once: each reaches the callback, lowest first; then s runs on. */
	EXPECT_EQ(sys_kill(s, SIGTERM), 0);
	EXPECT_EQ(sys_kill(s, SIGTRAP), 0);
	EXPECT_EQ(sef_wait(2), 0);
	EXPECT_EQ(nr_seen, 2);
	EXPECT(seen[0].who == s && seen[0].signo == SIGTRAP, "first: %d %d", seen[0].who,
	       seen[0].signo);
	EXPECT(seen[1].who == s && seen[1].signo == SIGTERM, "second: %d %d", seen[1].who,
	       seen[1].signo);
	EXPECT_EQ(peer_call(s, PEER_ECHO, 0, 0, &m), 0); /* endksig: it runs */

	/* A fault ends it: the callback's -EDEADEPT drops the SIGTERM that came with it. */
	EXPECT_EQ(peer_command(s, PEER_FAULT, 0, 0), 0);
	EXPECT_EQ(await_frozen(s), 0); /* it faults; SEF has not looked yet */
	EXPECT_EQ(sys_kill(s, SIGTERM), 0);
	EXPECT_EQ(sef_wait(2), 0);
	EXPECT_EQ(nr_seen, 3);
	EXPECT(seen[2].who == s && seen[2].signo == SIGSEGV, "third: %d %d", seen[2].who,
	       seen[2].signo);
	EXPECT_EQ(sys_lookup("sefsub", &e), -ENOENT);
}

/* After sef.reply_before_update, passed or failed: sefsvc is not left held. */
static void
release_sefsvc(void)
{
	svc_call(svc_lookup("sefsvc", NULL, NULL), SVC_RELEASE, 0);
}

TEST(sef, reply_before_update, "a reply SEF still holds goes out before the live-update handshake")
{
	endpoint_t e = svc_lookup("sefsvc", NULL, NULL), rs = find("rs");
	uint64_t status;
	message m;

	EXPECT(e != NONE, "sefsvc is not running");
	test_cleanup(release_sefsvc);
	EXPECT_EQ(svc_call(e, SVC_HOLD, 0), 0);
	/* An update to the state sefsvc does not reach while held; its answer comes later. */
	EXPECT_EQ(rs_update_send("sefsvc", "sefsvc", SVC_LU_STATE, 500, 0), 0);
	for (int i = 0; i < AWAIT_TICKS && svc_trace("sefsvc", "held", e) != 1; i++)
		tickdelay(1);
	EXPECT_EQ(svc_trace("sefsvc", "held", e), 1); /* the prepare request waits in sefsvc */

	/* Its reply to the release is still with SEF when the state is reached. */
	EXPECT_EQ(svc_call(e, SVC_RELEASE, 0), 0);
	EXPECT_EQ(ipc_receive(rs, &m, &status), 0); /* the update's answer */
	EXPECT_EQ(m.m_type, 0);
	EXPECT_EQ(svc_call(e, SVC_WHO, 0), e); /* the new version, same endpoint */
}
