/*
 * The data store's client side (include/ax/ds.h, servers/ds/README.md).
 *
 *   ds_publish_u32/str/mem/label   publish (flags: DSF_PRIVATE, DSF_OVERWRITE)
 *   ds_retrieve_u32/str/mem/label  retrieve an entry of that type
 *   ds_retrieve_label_name         the label naming an endpoint (reverse)
 *   ds_delete                      delete one of our entries
 *   ds_subscribe, ds_check         subscribe to a pattern; collect a change
 *
 * DS's endpoint is looked up by name ("ds") on first use and kept; a call
 * that finds it dead (EDEADSRCDST: DS was restarted with a new endpoint)
 * looks it up again and retries once.  Strings and memory travel through a
 * grant made for DS for the one call and revoked after it.
 */
#include "libsys.h"
#include <ax/ds.h>
#include <string.h>

static endpoint_t ds_endpt = NONE;

struct ds_buf {
	void *addr;
	size_t len;
	int access;        /* GRANT_READ: DS reads it; GRANT_WRITE: DS writes it */
	grant_id_t *grant; /* where in the request the grant goes */
};

/*
 * SENDREC request m (its m_type is `type`) to DS, with a grant for buf if
 * there is one.  The reply replaces *m.  Returns the IPC error, or the
 * reply's m_type.
 */
static int
ds_call(int type, message *m, const struct ds_buf *buf)
{
	message req;
	int r = -EDEADSRCDST;

	for (int tries = 0; tries < 2 && r == -EDEADSRCDST; tries++) {
		if (ds_endpt == NONE && (r = sys_lookup("ds", &ds_endpt)) < 0) {
			ds_endpt = NONE;
			return r;
		}
		if (buf && (*buf->grant = cpf_grant_direct(ds_endpt, buf->addr, buf->len,
							   buf->access)) == GRANT_INVALID)
			return -ENOMEM;
		req = *m;
		req.m_type = type;
		r = ipc_sendrec(ds_endpt, &req);
		if (buf)
			cpf_revoke(*buf->grant);
		if (r == -EDEADSRCDST)
			ds_endpt = NONE;
	}
	if (r < 0)
		return r;
	*m = req;
	return m->m_type;
}

/* Copy key into a request's key field: -EINVAL if it does not fit. */
static int
set_key(char *field, const char *key)
{
	return strlcpy(field, key, DS_MAX_KEYLEN) < DS_MAX_KEYLEN ? 0 : -EINVAL;
}

static int
publish(const char *key, uint32_t flags, message *m, const struct ds_buf *buf)
{
	int r;

	if ((r = set_key(m->m_ds_publish.key, key)) < 0)
		return r;
	m->m_ds_publish.flags = flags;
	return ds_call(DS_PUBLISH, m, buf);
}

int
ds_publish_u32(const char *key, uint32_t value, int flags)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_ds_publish.value = value;
	return publish(key, (uint32_t)flags | DSF_TYPE_U32, &m, NULL);
}

int
ds_publish_label(const char *key, endpoint_t endpt, int flags)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_ds_publish.endpt = endpt;
	return publish(key, (uint32_t)flags | DSF_TYPE_LABEL, &m, NULL);
}

static int
publish_bytes(const char *key, const void *addr, size_t len, uint32_t flags)
{
	message m;
	struct ds_buf buf = { (void *)addr, len, GRANT_READ, &m.m_ds_publish.grant };

	if (len > UINT32_MAX)
		return -E2BIG;
	memset(&m, 0, sizeof(m));
	m.m_ds_publish.len = (uint32_t)len;
	return publish(key, flags, &m, &buf);
}

/* The string and its NUL; DS refuses more than DS_MAX_STRLEN bytes (E2BIG). */
int
ds_publish_str(const char *key, const char *str, int flags)
{
	return publish_bytes(key, str, strlen(str) + 1, (uint32_t)flags | DSF_TYPE_STR);
}

int
ds_publish_mem(const char *key, const void *addr, size_t len, int flags)
{
	return publish_bytes(key, addr, len, (uint32_t)flags | DSF_TYPE_MEM);
}

/* Retrieve key of type `type`; the reply is in *m. */
static int
retrieve(const char *key, uint32_t type, message *m, const struct ds_buf *buf)
{
	int r;

	if ((r = set_key(m->m_ds_retrieve.key, key)) < 0)
		return r;
	m->m_ds_retrieve.flags = type;
	return ds_call(DS_RETRIEVE, m, buf);
}

int
ds_retrieve_u32(const char *key, uint32_t *value)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	if ((r = retrieve(key, DSF_TYPE_U32, &m, NULL)) == 0)
		*value = m.m_ds_retrieve_reply.value;
	return r;
}

int
ds_retrieve_label(const char *key, endpoint_t *endpt)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	if ((r = retrieve(key, DSF_TYPE_LABEL, &m, NULL)) == 0)
		*endpt = m.m_ds_retrieve_reply.endpt;
	return r;
}

/* Into buf (len bytes), NUL included; E2BIG if it does not fit. */
int
ds_retrieve_str(const char *key, char *buf, size_t len)
{
	message m;
	struct ds_buf b = { buf, len, GRANT_WRITE, &m.m_ds_retrieve.grant };

	memset(&m, 0, sizeof(m));
	m.m_ds_retrieve.len = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
	return retrieve(key, DSF_TYPE_STR, &m, &b);
}

/* Into buf, which holds *len bytes; *len becomes the value's length (also on E2BIG). */
int
ds_retrieve_mem(const char *key, void *buf, size_t *len)
{
	message m;
	struct ds_buf b = { buf, *len, GRANT_WRITE, &m.m_ds_retrieve.grant };
	int r;

	memset(&m, 0, sizeof(m));
	m.m_ds_retrieve.len = *len > UINT32_MAX ? UINT32_MAX : (uint32_t)*len;
	r = retrieve(key, DSF_TYPE_MEM, &m, &b);
	if (r == 0 || r == -E2BIG)
		*len = m.m_ds_retrieve_reply.len;
	return r;
}

/* The key of a label entry naming endpt, into key (len bytes). */
int
ds_retrieve_label_name(endpoint_t endpt, char *key, size_t len)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_ds_retrieve_label.endpt = endpt;
	if ((r = ds_call(DS_RETRIEVE_LABEL, &m, NULL)) == 0 &&
	    strlcpy(key, m.m_ds_key_reply.key, len) >= len)
		return -E2BIG;
	return r;
}

int
ds_delete(const char *key, int type)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	if ((r = set_key(m.m_ds_delete.key, key)) < 0)
		return r;
	m.m_ds_delete.flags = (uint32_t)type;
	return ds_call(DS_DELETE, &m, NULL);
}

int
ds_subscribe(const char *pattern, int flags)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	if ((r = set_key(m.m_ds_subscribe.pattern, pattern)) < 0)
		return r;
	m.m_ds_subscribe.flags = (uint32_t)flags;
	return ds_call(DS_SUBSCRIBE, &m, NULL);
}

/*
 * The oldest change not yet collected: its key (DS_MAX_KEYLEN bytes), its
 * type with DSF_DELETED if it was deleted, and its owner.  ENOENT: none.
 */
int
ds_check(char *key, int *type, endpoint_t *owner)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	if ((r = ds_call(DS_CHECK, &m, NULL)) < 0)
		return r;
	strlcpy(key, m.m_ds_key_reply.key, DS_MAX_KEYLEN);
	*type = (int)m.m_ds_key_reply.flags;
	*owner = m.m_ds_key_reply.owner;
	return 0;
}
