/*
 * The data store (servers/ds): the test process publishes and retrieves
 * through libsys's DS client (lib/libsys/ds.c); "dsclient" (dsclient.c,
 * dsclient_proto.h) is the other process: a subscriber whose NOTIFYs and
 * changes the tests read back, and someone whose keys are not ours.
 * Malformed requests are built by hand (ds_raw) where the client library
 * would refuse to send them.
 *
 * Each test uses keys of its own prefix and deletes them at the end; every
 * test starts by collecting what dsclient may still have queued.
 */
#include "guest.h"
#include "dsclient_proto.h"
#include <dispatch.h>

/* SENDREC a prepared request to DS: the IPC error or the reply's m_type. */
static int
ds_raw(int type, message *m)
{
	int r;

	m->m_type = type;
	if ((r = ipc_sendrec(find("ds"), m)) < 0)
		return r;
	return m->m_type;
}

/* Ask dsclient; its reply replaces *m. */
static int
dsc(int cmd, message *m)
{
	int r;

	m->m_type = cmd;
	if ((r = ipc_sendrec(find("dsclient"), m)) < 0)
		return r;
	return m->m_type;
}

static int
dsc_subscribe(const char *pattern, uint32_t flags)
{
	message m;

	memset(&m, 0, sizeof(m));
	strlcpy(m.m_ds_subscribe.pattern, pattern, DS_MAX_KEYLEN);
	m.m_ds_subscribe.flags = flags;
	return dsc(DSC_SUBSCRIBE, &m);
}

static int
dsc_publish(const char *key, uint32_t value, uint32_t flags)
{
	message m;

	memset(&m, 0, sizeof(m));
	strlcpy(m.m_ds_publish.key, key, DS_MAX_KEYLEN);
	m.m_ds_publish.flags = flags | DSF_TYPE_U32;
	m.m_ds_publish.value = value;
	return dsc(DSC_PUBLISH, &m);
}

/* dsclient retrieves key of type; the value is in m->m_ds_retrieve_reply. */
static int
dsc_retrieve(const char *key, uint32_t type, message *m)
{
	memset(m, 0, sizeof(*m));
	strlcpy(m->m_ds_retrieve.key, key, DS_MAX_KEYLEN);
	m->m_ds_retrieve.flags = type;
	return dsc(DSC_RETRIEVE, m);
}

static int
dsc_delete(const char *key, uint32_t type)
{
	message m;

	memset(&m, 0, sizeof(m));
	strlcpy(m.m_ds_delete.key, key, DS_MAX_KEYLEN);
	m.m_ds_delete.flags = type;
	return dsc(DSC_DELETE, &m);
}

/* The NOTIFYs DS sent dsclient since the last time we asked. */
static uint64_t
dsc_notifies(void)
{
	message m;

	memset(&m, 0, sizeof(m));
	return dsc(DSC_NOTIFIES, &m) == 0 ? m.m_u64.v[0] : (uint64_t)-1;
}

/* dsclient's next change from DS (m->m_ds_key_reply). */
static int
dsc_check(message *m)
{
	memset(m, 0, sizeof(*m));
	return dsc(DSC_CHECK, m);
}

/* Collect and forget whatever an earlier test left queued for dsclient. */
static void
dsc_drain(void)
{
	message m;

	while (dsc_check(&m) == 0)
		;
	dsc_notifies();
}

/* The subscriber's next change is key, with these flags, owned by owner. */
#define EXPECT_CHANGE(key_, flags_, owner_)                                                 \
	do {                                                                                \
		message c_;                                                                 \
		EXPECT_EQ(dsc_check(&c_), 0);                                               \
		EXPECT(strcmp(c_.m_ds_key_reply.key, (key_)) == 0,                          \
		       "change of \"%s\", expected \"%s\"", c_.m_ds_key_reply.key, (key_)); \
		EXPECT_EQ(c_.m_ds_key_reply.flags, (flags_));                               \
		EXPECT_EQ(c_.m_ds_key_reply.owner, (owner_));                               \
	} while (0)

#define EXPECT_NO_CHANGE()                          \
	do {                                        \
		message c_;                         \
		EXPECT_EQ(dsc_check(&c_), -ENOENT); \
	} while (0)

TEST(ds, pubsub,
     "every type round-trips; a subscriber hears of publish, overwrite, delete, each key once, in "
     "order")
{
	static uint8_t mem[DS_MAX_MEMLEN], back[DS_MAX_MEMLEN];
	endpoint_t me = self_endpoint, peer = find("peer_a"), e = NONE;
	char str[DS_MAX_STRLEN], key[DS_MAX_KEYLEN];
	size_t len = sizeof(back);
	uint32_t v = 0;
	message m;

	dsc_drain();
	EXPECT_EQ(dsc_subscribe("ps.*", 0), 0);
	EXPECT_EQ(dsc_subscribe("ex.key", 0), 0);
	EXPECT_EQ(dsc_notifies(), 0);
	for (size_t i = 0; i < sizeof(mem); i++)
		mem[i] = (uint8_t)(i * 7 + 3);

	EXPECT_EQ(ds_publish_u32("ps.u32", 42, 0), 0);
	EXPECT_EQ(ds_publish_str("ps.str", "hello, data store", 0), 0);
	EXPECT_EQ(ds_publish_mem("ps.mem", mem, sizeof(mem), 0), 0);
	EXPECT_EQ(ds_publish_label("ps.label", peer, 0), 0);
	EXPECT_EQ(ds_publish_u32("ex.key", 1, 0), 0);
	EXPECT_EQ(ds_publish_u32("ex.key2", 2, 0), 0); /* no pattern matches these */
	EXPECT_EQ(ds_publish_u32("other", 3, 0), 0);

	EXPECT_EQ(ds_retrieve_u32("ps.u32", &v), 0);
	EXPECT_EQ(v, 42);
	EXPECT_EQ(ds_retrieve_str("ps.str", str, sizeof(str)), 0);
	EXPECT(strcmp(str, "hello, data store") == 0, "retrieved \"%s\"", str);
	EXPECT_EQ(ds_retrieve_mem("ps.mem", back, &len), 0);
	EXPECT_EQ(len, sizeof(mem));
	EXPECT(memcmp(back, mem, sizeof(mem)) == 0, "retrieved memory differs");
	EXPECT_EQ(ds_retrieve_label("ps.label", &e), 0);
	EXPECT_EQ(e, peer);
	EXPECT_EQ(ds_retrieve_label_name(peer, key, sizeof(key)), 0);
	EXPECT(strcmp(key, "ps.label") == 0, "label of peer_a is \"%s\"", key);
	EXPECT_EQ(dsc_retrieve("ps.u32", DSF_TYPE_U32, &m), 0);
	EXPECT_EQ(m.m_ds_retrieve_reply.value, 42);
	EXPECT_EQ(dsc_retrieve("ps.str", DSF_TYPE_STR, &m), 0);
	EXPECT_EQ(m.m_ds_retrieve_reply.len, sizeof("hello, data store"));
	EXPECT(debug_dump(find("ds"), NULL, 0) > 0, "DS did not dump its tables");

	/* Publishing: one change per matching key, in the order of publication. */
	EXPECT(dsc_notifies() > 0, "no NOTIFY after publishing");
	EXPECT_CHANGE("ps.u32", DSF_TYPE_U32, me);
	EXPECT_CHANGE("ps.str", DSF_TYPE_STR, me);
	EXPECT_CHANGE("ps.mem", DSF_TYPE_MEM, me);
	EXPECT_CHANGE("ps.label", DSF_TYPE_LABEL, me);
	EXPECT_CHANGE("ex.key", DSF_TYPE_U32, me);
	EXPECT_NO_CHANGE();

	/* Overwriting: a key changed twice before it is collected is reported once. */
	EXPECT_EQ(ds_publish_u32("ps.u32", 43, 0), -EEXIST);
	EXPECT_EQ(dsc_notifies(), 0);
	EXPECT_EQ(ds_publish_u32("ps.u32", 43, DSF_OVERWRITE), 0);
	EXPECT(dsc_notifies() > 0, "no NOTIFY after overwriting");
	EXPECT_EQ(ds_retrieve_u32("ps.u32", &v), 0);
	EXPECT_EQ(v, 43);
	EXPECT_EQ(ds_publish_str("ps.str", "again", DSF_OVERWRITE), 0);
	EXPECT_EQ(ds_publish_u32("ps.u32", 44, DSF_OVERWRITE), 0);
	EXPECT(dsc_notifies() > 0, "no NOTIFY after overwriting");
	EXPECT_CHANGE("ps.u32", DSF_TYPE_U32, me);
	EXPECT_CHANGE("ps.str", DSF_TYPE_STR, me);
	EXPECT_NO_CHANGE();
	EXPECT_EQ(ds_publish_u32("ex.key2", 5, DSF_OVERWRITE), 0);
	EXPECT_EQ(dsc_notifies(), 0);
	EXPECT_NO_CHANGE();

	/* Deleting. */
	EXPECT_EQ(ds_delete("ps.str", DSF_TYPE_STR), 0);
	EXPECT(dsc_notifies() > 0, "no NOTIFY after deleting");
	EXPECT_CHANGE("ps.str", DSF_TYPE_STR | DSF_DELETED, me);
	EXPECT_NO_CHANGE();
	EXPECT_EQ(ds_retrieve_str("ps.str", str, sizeof(str)), -ENOENT);

	/* DSF_INITIAL reports the matching entries there are now. */
	EXPECT_EQ(dsc_subscribe("ps.m*", DSF_INITIAL), 0);
	EXPECT(dsc_notifies() > 0, "no NOTIFY for DSF_INITIAL");
	EXPECT_CHANGE("ps.mem", DSF_TYPE_MEM, me);
	EXPECT_NO_CHANGE();

	EXPECT_EQ(ds_delete("ps.u32", DSF_TYPE_U32), 0);
	EXPECT_EQ(ds_delete("ps.mem", DSF_TYPE_MEM), 0);
	EXPECT_EQ(ds_delete("ps.label", DSF_TYPE_LABEL), 0);
	EXPECT_EQ(ds_delete("ex.key", DSF_TYPE_U32), 0);
	EXPECT_EQ(ds_delete("ex.key2", DSF_TYPE_U32), 0);
	EXPECT_EQ(ds_delete("other", DSF_TYPE_U32), 0);
	EXPECT_CHANGE("ps.u32", DSF_TYPE_U32 | DSF_DELETED, me);
	EXPECT_CHANGE("ps.mem", DSF_TYPE_MEM | DSF_DELETED, me);
	EXPECT_CHANGE("ps.label", DSF_TYPE_LABEL | DSF_DELETED, me);
	EXPECT_CHANGE("ex.key", DSF_TYPE_U32 | DSF_DELETED, me);
	EXPECT_NO_CHANGE();
	dsc_notifies();
}

TEST(ds, private,
     "only a private entry's owner may retrieve it or see it change; no one else may change it")
{
	endpoint_t me = self_endpoint, client = find("dsclient");
	char str[DS_MAX_STRLEN];
	uint32_t v = 0;
	message m;

	dsc_drain();
	EXPECT_EQ(dsc_subscribe("pv.*", DSF_INITIAL), 0);
	EXPECT_EQ(ds_publish_u32("pv.secret", 7, DSF_PRIVATE), 0);
	EXPECT_EQ(ds_publish_str("pv.text", "for my eyes only", DSF_PRIVATE), 0);
	EXPECT_EQ(ds_publish_u32("pv.open", 8, 0), 0);

	EXPECT_EQ(ds_retrieve_u32("pv.secret", &v), 0);
	EXPECT_EQ(v, 7);
	EXPECT_EQ(ds_retrieve_str("pv.text", str, sizeof(str)), 0);
	EXPECT(strcmp(str, "for my eyes only") == 0, "retrieved \"%s\"", str);
	EXPECT_EQ(dsc_retrieve("pv.secret", DSF_TYPE_U32, &m), -EPERM);
	EXPECT_EQ(dsc_retrieve("pv.text", DSF_TYPE_STR, &m), -EPERM);
	EXPECT_EQ(dsc_retrieve("pv.open", DSF_TYPE_U32, &m), 0);
	EXPECT_EQ(m.m_ds_retrieve_reply.value, 8);

	EXPECT_EQ(dsc_publish("pv.secret", 666, DSF_OVERWRITE), -EPERM);
	EXPECT_EQ(dsc_publish("pv.secret", 666, DSF_OVERWRITE | DSF_PRIVATE), -EPERM);
	EXPECT_EQ(dsc_publish("pv.secret", 666, 0), -EEXIST);
	EXPECT_EQ(dsc_publish("pv.open", 666, DSF_OVERWRITE), -EPERM);
	EXPECT_EQ(dsc_delete("pv.secret", DSF_TYPE_U32), -EPERM);
	EXPECT_EQ(dsc_delete("pv.text", DSF_TYPE_STR), -EPERM);
	EXPECT_EQ(dsc_delete("pv.open", DSF_TYPE_U32), -EPERM);
	EXPECT_EQ(ds_retrieve_u32("pv.secret", &v), 0);
	EXPECT_EQ(v, 7);
	EXPECT_EQ(ds_retrieve_u32("pv.open", &v), 0);
	EXPECT_EQ(v, 8);

	/* The subscriber heard only of the public entry. */
	EXPECT_CHANGE("pv.open", DSF_TYPE_U32, me);
	EXPECT_NO_CHANGE();

	/* The other way round: dsclient's private entry, and it sees it change. */
	EXPECT_EQ(dsc_publish("pv.theirs", 9, DSF_PRIVATE), 0);
	EXPECT_EQ(ds_retrieve_u32("pv.theirs", &v), -EPERM);
	EXPECT_EQ(ds_publish_u32("pv.theirs", 1, DSF_OVERWRITE), -EPERM);
	EXPECT_EQ(ds_delete("pv.theirs", DSF_TYPE_U32), -EPERM);
	EXPECT_EQ(dsc_retrieve("pv.theirs", DSF_TYPE_U32, &m), 0);
	EXPECT_EQ(m.m_ds_retrieve_reply.value, 9);
	EXPECT_CHANGE("pv.theirs", DSF_TYPE_U32, client);
	EXPECT_NO_CHANGE();

	/* An entry made private vanishes for the others: they hear of it as a deletion. */
	EXPECT_EQ(ds_publish_u32("pv.flip", 1, 0), 0);
	EXPECT_CHANGE("pv.flip", DSF_TYPE_U32, me);
	EXPECT_EQ(ds_publish_u32("pv.flip", 2, DSF_PRIVATE | DSF_OVERWRITE), 0);
	EXPECT_CHANGE("pv.flip", DSF_TYPE_U32 | DSF_DELETED, me);
	EXPECT_NO_CHANGE();
	EXPECT_EQ(dsc_retrieve("pv.flip", DSF_TYPE_U32, &m), -EPERM);
	EXPECT_EQ(ds_delete("pv.flip", DSF_TYPE_U32), 0);

	/* The owners may change and delete theirs; private deletions stay private. */
	EXPECT_EQ(ds_publish_u32("pv.secret", 70, DSF_PRIVATE | DSF_OVERWRITE), 0);
	EXPECT_EQ(ds_retrieve_u32("pv.secret", &v), 0);
	EXPECT_EQ(v, 70);
	EXPECT_EQ(ds_delete("pv.secret", DSF_TYPE_U32), 0);
	EXPECT_EQ(ds_delete("pv.text", DSF_TYPE_STR), 0);
	EXPECT_EQ(ds_delete("pv.open", DSF_TYPE_U32), 0);
	EXPECT_EQ(dsc_delete("pv.theirs", DSF_TYPE_U32), 0);
	EXPECT_CHANGE("pv.open", DSF_TYPE_U32 | DSF_DELETED, me);
	EXPECT_CHANGE("pv.theirs", DSF_TYPE_U32 | DSF_DELETED, client);
	EXPECT_NO_CHANGE();
	dsc_notifies();
}

/* A publish request for key with flags (type included), value len bytes by grant g. */
static void
publish_request(message *m, const char *key, uint32_t flags, grant_id_t g, uint32_t len)
{
	memset(m, 0, sizeof(*m));
	strlcpy(m->m_ds_publish.key, key, DS_MAX_KEYLEN);
	m->m_ds_publish.flags = flags;
	m->m_ds_publish.grant = g;
	m->m_ds_publish.len = len;
}

TEST(ds, bad_request,
     "bad requests, oversized values, unusable grants, others' keys get errors; DS goes on")
{
	static char big[DS_MAX_STRLEN + 1];
	static uint8_t mem[DS_MAX_MEMLEN + 1];
	endpoint_t ds = find("ds"), peer = find("peer_a");
	char str[DS_MAX_STRLEN] = "abcdefgh", key[DS_MAX_KEYLEN];
	size_t len;
	uint32_t v = 0;
	grant_id_t g;
	message m;
	endpoint_t owner = NONE;
	int type = 0;

	/* Unknown requests. */
	memset(&m, 0, sizeof(m));
	EXPECT_EQ(ds_raw(DS_BASE + DS_NR_REQUESTS, &m), -ENOSYS);
	EXPECT_EQ(ds_raw(DS_BASE + 0xff, &m), -ENOSYS);
	EXPECT_EQ(ds_raw(DS_BASE - 1, &m), -ENOSYS);
	EXPECT_EQ(ds_raw(0, &m), -ENOSYS);

	/* Unknown types, two types, unknown flags. */
	publish_request(&m, "bad.k", 0, 0, 0);
	EXPECT_EQ(ds_raw(DS_PUBLISH, &m), -EINVAL);
	publish_request(&m, "bad.k", 0x10, 0, 0);
	EXPECT_EQ(ds_raw(DS_PUBLISH, &m), -EINVAL);
	publish_request(&m, "bad.k", DSF_MASK_TYPE, 0, 0);
	EXPECT_EQ(ds_raw(DS_PUBLISH, &m), -EINVAL);
	publish_request(&m, "bad.k", DSF_TYPE_U32 | DSF_INITIAL, 0, 0);
	EXPECT_EQ(ds_raw(DS_PUBLISH, &m), -EINVAL);
	publish_request(&m, "bad.k", DSF_TYPE_U32 | 0x80000000u, 0, 0);
	EXPECT_EQ(ds_raw(DS_PUBLISH, &m), -EINVAL);
	EXPECT_EQ(ds_publish_u32("bad.k", 1, DSF_TYPE_STR), -EINVAL);
	EXPECT_EQ(ds_delete("bad.k", 0), -EINVAL);
	EXPECT_EQ(ds_delete("bad.k", DSF_TYPE_U32 | DSF_PRIVATE), -EINVAL);
	memset(&m, 0, sizeof(m));
	strlcpy(m.m_ds_retrieve.key, "bad.k", DS_MAX_KEYLEN);
	m.m_ds_retrieve.flags = 0x20;
	EXPECT_EQ(ds_raw(DS_RETRIEVE, &m), -EINVAL);

	/* Keys: empty, unterminated, with '*', too long for the client. */
	EXPECT_EQ(ds_publish_u32("", 1, 0), -EINVAL);
	publish_request(&m, "", DSF_TYPE_U32, 0, 0);
	memset(m.m_ds_publish.key, 'k', DS_MAX_KEYLEN);
	EXPECT_EQ(ds_raw(DS_PUBLISH, &m), -EINVAL);
	memset(&m, 0, sizeof(m));
	memset(m.m_ds_retrieve.key, 'k', DS_MAX_KEYLEN);
	m.m_ds_retrieve.flags = DSF_TYPE_U32;
	EXPECT_EQ(ds_raw(DS_RETRIEVE, &m), -EINVAL);
	EXPECT_EQ(ds_publish_u32("bad*", 1, 0), -EINVAL);
	EXPECT_EQ(ds_publish_u32("bad.a-key-much-longer-than-32-bytes", 1, 0), -EINVAL);

	/* Oversized values; the largest that fit. */
	memset(big, 'x', DS_MAX_STRLEN);
	EXPECT_EQ(ds_publish_str("bad.str", big, 0), -E2BIG);
	EXPECT_EQ(ds_publish_mem("bad.mem", mem, DS_MAX_MEMLEN + 1, 0), -E2BIG);
	EXPECT_EQ(ds_retrieve_str("bad.str", str, sizeof(str)), -ENOENT);
	big[DS_MAX_STRLEN - 1] = '\0';
	EXPECT_EQ(ds_publish_str("bad.str", big, 0), 0);
	EXPECT_EQ(ds_publish_mem("bad.mem", mem, DS_MAX_MEMLEN, 0), 0);

	/* Values too large for the requester's buffer. */
	EXPECT_EQ(ds_retrieve_str("bad.str", str, sizeof(str) - 1), -E2BIG);
	len = 100;
	EXPECT_EQ(ds_retrieve_mem("bad.mem", mem, &len), -E2BIG);
	EXPECT_EQ(len, DS_MAX_MEMLEN);

	/* Strings without their NUL, or empty. */
	g = cpf_grant_direct(ds, str, 8, GRANT_READ);
	publish_request(&m, "bad.nonul", DSF_TYPE_STR, g, 8);
	EXPECT_EQ(ds_raw(DS_PUBLISH, &m), -EINVAL);
	publish_request(&m, "bad.nonul", DSF_TYPE_STR, g, 0);
	EXPECT_EQ(ds_raw(DS_PUBLISH, &m), -EINVAL);
	/* Grants DS cannot use: too short, none, revoked, for someone else, write-only. */
	str[4] = '\0';
	publish_request(&m, "bad.grant", DSF_TYPE_STR, g, 16);
	EXPECT_EQ(ds_raw(DS_PUBLISH, &m), -EFAULT);
	cpf_revoke(g);
	publish_request(&m, "bad.grant", DSF_TYPE_STR, GRANT_INVALID, 8);
	EXPECT_EQ(ds_raw(DS_PUBLISH, &m), -EINVAL);
	publish_request(&m, "bad.grant", DSF_TYPE_STR, g, 8);
	EXPECT_EQ(ds_raw(DS_PUBLISH, &m), -EPERM);
	g = cpf_grant_direct(peer, str, 8, GRANT_READ);
	publish_request(&m, "bad.grant", DSF_TYPE_MEM, g, 8);
	EXPECT_EQ(ds_raw(DS_PUBLISH, &m), -EPERM);
	cpf_revoke(g);
	g = cpf_grant_direct(ds, str, 8, GRANT_WRITE);
	publish_request(&m, "bad.grant", DSF_TYPE_MEM, g, 8);
	EXPECT_EQ(ds_raw(DS_PUBLISH, &m), -EPERM);
	cpf_revoke(g);
	EXPECT_EQ(ds_retrieve_mem("bad.grant", mem, &len), -ENOENT);
	g = cpf_grant_direct(ds, str, sizeof(str), GRANT_READ);
	memset(&m, 0, sizeof(m));
	strlcpy(m.m_ds_retrieve.key, "bad.str", DS_MAX_KEYLEN);
	m.m_ds_retrieve.flags = DSF_TYPE_STR;
	m.m_ds_retrieve.grant = g;
	m.m_ds_retrieve.len = sizeof(str);
	EXPECT_EQ(ds_raw(DS_RETRIEVE, &m), -EPERM);
	cpf_revoke(g);

	/* Missing keys, taken keys, the wrong type, someone else's key. */
	EXPECT_EQ(ds_retrieve_u32("bad.missing", &v), -ENOENT);
	EXPECT_EQ(ds_delete("bad.missing", DSF_TYPE_U32), -ENOENT);
	EXPECT_EQ(ds_retrieve_label_name(NONE, key, sizeof(key)), -ENOENT);
	EXPECT_EQ(ds_publish_str("bad.str", "again", 0), -EEXIST);
	EXPECT_EQ(ds_retrieve_u32("bad.str", &v), -EINVAL);
	EXPECT_EQ(ds_delete("bad.str", DSF_TYPE_U32), -EINVAL);
	EXPECT_EQ(dsc_publish("bad.theirs", 5, 0), 0);
	EXPECT_EQ(ds_publish_u32("bad.theirs", 6, DSF_OVERWRITE), -EPERM);
	EXPECT_EQ(ds_publish_u32("bad.theirs", 6, 0), -EEXIST);
	EXPECT_EQ(ds_delete("bad.theirs", DSF_TYPE_U32), -EPERM);

	/* Subscriptions: bad patterns and flags; checking without subscribing. */
	EXPECT_EQ(ds_subscribe("", 0), -EINVAL);
	EXPECT_EQ(ds_subscribe("a*b", 0), -EINVAL);
	EXPECT_EQ(ds_subscribe("**", 0), -EINVAL);
	EXPECT_EQ(ds_subscribe("bad.*", DSF_PRIVATE), -EINVAL);
	EXPECT_EQ(ds_check(key, &type, &owner), -ENOENT);

	/* A request sent without waiting for the reply, and a NOTIFY, do not stop DS. */
	memset(&m, 0, sizeof(m));
	strlcpy(m.m_ds_publish.key, "bad.send", DS_MAX_KEYLEN);
	m.m_ds_publish.flags = DSF_TYPE_U32;
	m.m_ds_publish.value = 77;
	m.m_type = DS_PUBLISH;
	EXPECT_EQ(ipc_send(ds, &m), 0);
	EXPECT_EQ(ipc_notify(ds), 0);
	EXPECT_EQ(await_receive(ds), 0); /* both handled */

	/* DS still answers, and nothing refused was stored. */
	EXPECT_EQ(ds_retrieve_u32("bad.send", &v), 0);
	EXPECT_EQ(v, 77);
	EXPECT_EQ(ds_retrieve_u32("bad.k", &v), -ENOENT);
	EXPECT_EQ(ds_retrieve_str("bad.nonul", str, sizeof(str)), -ENOENT);
	EXPECT_EQ(dsc_retrieve("bad.theirs", DSF_TYPE_U32, &m), 0);
	EXPECT_EQ(m.m_ds_retrieve_reply.value, 5);
	EXPECT_EQ(ds_retrieve_str("bad.str", big, sizeof(big)), 0);
	EXPECT_EQ(strlen(big), DS_MAX_STRLEN - 1);
	EXPECT_EQ(ds_delete("bad.send", DSF_TYPE_U32), 0);
	EXPECT_EQ(ds_delete("bad.str", DSF_TYPE_STR), 0);
	EXPECT_EQ(ds_delete("bad.mem", DSF_TYPE_MEM), 0);
	EXPECT_EQ(dsc_delete("bad.theirs", DSF_TYPE_U32), 0);
}
