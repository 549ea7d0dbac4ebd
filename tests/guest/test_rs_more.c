/*
 * RS beyond restarts: standing clones (RS_CLONE), per-service IPC targets
 * (ipc= in system.conf) and malformed configuration lines.  The services
 * are sefsvc instances (tests/guest/system.conf, sefsvc_proto.h).
 */
#include "guest.h"
#include <ax/rs.h>
#include <ax/signal.h>
#include "sefsvc_proto.h"

TEST(rs, clone, "a cloned service restarts into its standing clone, and RS prepares the next one")
{
	endpoint_t e, c = NONE, c2 = NONE, e2, published = NONE, found = NONE;
	uint32_t before = 0, after = 0;
	message m;

	EXPECT_EQ(rs_request(RS_CLONE, "nosuch", NULL), -ENOENT);
	EXPECT_EQ(peer_call(find("peer_a"), PEER_RS, RS_CLONE, 0, &m), 0);
	EXPECT_EQ((int64_t)m.m_u64.v[0], -EPERM); /* only administrators */

	e = svc_lookup("sefclone", &c, &before);
	EXPECT(e != NONE, "sefclone is not running");
	EXPECT_EQ(c, NONE);
	EXPECT_EQ(rs_request(RS_CLONE, "sefclone", NULL), 0);
	EXPECT_EQ(svc_lookup("sefclone", &c, NULL), e);
	EXPECT(c != NONE && c != e, "no clone (%d)", c);

	/* Prepared, not running: it takes no message, and the name finds the live one. */
	memset(&m, 0, sizeof(m));
	m.m_type = SVC_WHO;
	EXPECT_EQ(ipc_sendnb(c, &m), -ENOTREADY);
	EXPECT(sys_lookup("sefclone", &found) == 0 && found == e, "lookup found %d", found);

	EXPECT_EQ(svc_call(e, SVC_CRASH, 0), -EDEADSRCDST);
	e2 = svc_await_new("sefclone", e, 100);
	EXPECT_EQ(e2, c);                       /* the clone took over */
	EXPECT_EQ(svc_call(e2, SVC_WHO, 0), c); /* and answers */
	EXPECT_EQ(ds_retrieve_label("sefclone", &published), 0);
	EXPECT_EQ(published, c); /* the driver-up event */
	svc_lookup("sefclone", &c2, &after);
	EXPECT_EQ(after, before + 1);
	EXPECT(c2 != NONE && c2 != c && c2 != e, "the clone was not replaced (%d)", c2);
	EXPECT_EQ(rs_request(RS_CLONE, "sefclone", NULL), 0); /* one clone is enough */
	svc_lookup("sefclone", &c, NULL);
	EXPECT_EQ(c, c2);

	/* A new RS takes the clone over from its record in DS. */
	EXPECT_EQ(kill_rs(SIGSEGV), find("rs"));
	EXPECT_EQ(svc_lookup("sefclone", &c, NULL), e2);
	EXPECT_EQ(c, c2);
}

TEST(rs, ipc_targets, "a service sends only to the targets its ipc= list names, restarts included")
{
	endpoint_t n = svc_lookup("sefnarrow", NULL, NULL), t = svc_lookup("seftarget", NULL, NULL);
	endpoint_t a = find("peer_a"), b = find("peer_b"), n2, t2;

	EXPECT(n != NONE && t != NONE, "sefnarrow %d, seftarget %d", n, t);
	/* Each answer is a reply to this test, which is on no list. */
	EXPECT_EQ(svc_call(n, SVC_NOTIFY, (uint64_t)find("ds")), 0); /* a boot process it names */
	EXPECT_EQ(svc_call(n, SVC_NOTIFY, (uint64_t)t), 0);          /* a label it names */
	EXPECT_EQ(svc_call(n, SVC_NOTIFY, (uint64_t)find("rs")), 0); /* RS, always */
	EXPECT_EQ(svc_call(n, SVC_NOTIFY, (uint64_t)a), -EPERM);
	EXPECT_EQ(svc_call(n, SVC_NOTIFY, (uint64_t)b), -EPERM);
	EXPECT_EQ(svc_call(t, SVC_NOTIFY, (uint64_t)b), 0); /* the default: ALL */

	/* The target restarts under a new endpoint: the list follows the label. */
	EXPECT_EQ(svc_call(t, SVC_CRASH, 0), -EDEADSRCDST);
	t2 = svc_await_new("seftarget", t, 100);
	EXPECT(t2 != NONE, "seftarget was not restarted");
	EXPECT_EQ(svc_call(n, SVC_NOTIFY, (uint64_t)t2), 0);

	/* The narrow service restarts: the new instance has the same targets. */
	EXPECT_EQ(svc_call(n, SVC_CRASH, 0), -EDEADSRCDST);
	n2 = svc_await_new("sefnarrow", n, 100);
	EXPECT(n2 != NONE, "sefnarrow was not restarted");
	EXPECT_EQ(svc_call(n2, SVC_NOTIFY, (uint64_t)find("ds")), 0);
	EXPECT_EQ(svc_call(n2, SVC_NOTIFY, (uint64_t)a), -EPERM);
	EXPECT_EQ(svc_call(n2, SVC_NOTIFY, (uint64_t)t2), 0);
	EXPECT_EQ(svc_call(n2, SVC_NOTIFY, (uint64_t)b), -EPERM);
}

TEST(rs, config_errors, "malformed system.conf lines leave their service out; the rest still runs")
{
	static const char *const bad[] = { "badperiod", "badipc", "badname", "badflag" };

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT(rs_request(RS_LOOKUP, bad[i], NULL) == -ENOENT, "%s is configured", bad[i]);
	EXPECT_EQ(rs_request(RS_LOOKUP, "seftarget", NULL), 0); /* the line after them */
}
