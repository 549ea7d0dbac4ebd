/*
 * DS's own death.  It runs last (tests/guest/Makefile.inc lists it so): a
 * DS that restarts without its backup starts empty.
 */
#include "guest.h"
#include <ax/rs.h>
#include <ax/signal.h>
#include <ax/ds.h>

static endpoint_t
label(const char *name)
{
	endpoint_t e = NONE;

	return ds_retrieve_label(name, &e) == 0 ? e : NONE;
}

TEST(ds, restart,
     "DS killed by a fault is restarted in place by RS's replica with its entries and subscribers")
{
	endpoint_t ds = find("ds"), h = label("hello"), e = NONE;
	struct msg_sys_privinfo priv;
	char key[DS_MAX_KEYLEN];
	endpoint_t owner;
	uint64_t status;
	uint32_t v;
	int type;
	message m;

	EXPECT(h != NONE, "no label for hello");
	EXPECT_EQ(sys_getpriv(ds, &priv), 0);
	EXPECT_EQ(priv.sig_mgr, find("rs_replica"));
	EXPECT_EQ(ds_publish_u32("dsrestart.mine", 7, 0), 0);
	EXPECT_EQ(ds_subscribe("dsrestart.*", 0), 0);

	/* Only the replica hands DS its backup. */
	memset(&m, 0, sizeof(m));
	m.m_type = DS_BACKUP;
	m.m_ds_backup.size = DS_BACKUP_SIZE;
	EXPECT_EQ(ipc_sendrec(ds, &m), 0);
	EXPECT_EQ(m.m_type, -EPERM);

	EXPECT_EQ(sys_kill(ds, SIGSEGV), 0);
	for (int i = 0; i < 200 && (e = label("hello")) == NONE; i++)
		tickdelay(1);
	EXPECT_EQ(e, h);
	EXPECT_EQ(find("ds"), ds);                           /* same endpoint, new program */
	EXPECT_EQ(ds_retrieve_u32("dsrestart.mine", &v), 0); /* from the backup */
	EXPECT_EQ(v, 7);
	EXPECT_EQ(ds_publish_u32("dsrestart.mine", 8, 0), -EEXIST); /* still ours, and there */

	/* The subscription is kept, and what it matches is reported again. */
	EXPECT_EQ(ipc_receive(ds, &m, &status), 0);
	EXPECT(ipc_status_is_notify(status), "DS sent no notification");
	EXPECT_EQ(ds_check(key, &type, &owner), 0);
	EXPECT(strcmp(key, "dsrestart.mine") == 0, "changed key %s", key);
	EXPECT_EQ(owner, self_endpoint);
	EXPECT_EQ(ds_check(key, &type, &owner), -ENOENT);

	/* The new DS carries driver-up events as before. */
	EXPECT_EQ(rs_request(RS_RESTART, "hello", NULL), 0);
	for (int i = 0; i < 200 && ((e = label("hello")) == NONE || e == h); i++)
		tickdelay(1);
	EXPECT(e != NONE && e != h, "hello's new endpoint was not published (%d)", e);
	EXPECT_EQ(ds_publish_u32("dsrestart.mine", 8, DSF_OVERWRITE), 0);
	EXPECT_EQ(ds_retrieve_u32("dsrestart.mine", &v), 0);
	EXPECT_EQ(v, 8);
}
