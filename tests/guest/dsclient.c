/*
 * dsclient: a helper process for the data store tests (test_ds.c).  It
 * makes the DS calls the runner asks for (dsclient_proto.h) under its own
 * endpoint, and counts the NOTIFYs DS sends it as a subscriber; the
 * changes themselves stay queued in DS until the runner asks for them
 * (DSC_CHECK), so the tests see exactly what DS reports.
 */
#include <libsys.h>
#include <string.h>
#include "dsclient_proto.h"

static uint64_t notifies;

static int
retrieve(message *m)
{
	struct msg_ds_retrieve q = m->m_ds_retrieve;
	struct msg_ds_retrieve_reply *reply = &m->m_ds_retrieve_reply;
	char buf[DS_MAX_MEMLEN];
	size_t len = sizeof(buf);
	int r;

	memset(reply, 0, sizeof(*reply));
	switch (q.flags) {
	case DSF_TYPE_U32:
		return ds_retrieve_u32(q.key, &reply->value);
	case DSF_TYPE_LABEL:
		return ds_retrieve_label(q.key, &reply->endpt);
	case DSF_TYPE_STR:
		r = ds_retrieve_str(q.key, buf, sizeof(buf));
		reply->len = r == 0 ? (uint32_t)strlen(buf) + 1 : 0;
		return r;
	default:
		r = ds_retrieve_mem(q.key, buf, &len);
		reply->len = (uint32_t)len;
		return r;
	}
}

static int
check(message *m)
{
	struct msg_ds_key_reply *reply = &m->m_ds_key_reply;
	int type = 0, r;

	memset(reply, 0, sizeof(*reply));
	r = ds_check(reply->key, &type, &reply->owner);
	reply->flags = (uint32_t)type;
	return r;
}

static int
handle(message *m)
{
	switch (m->m_type) {
	case DSC_SUBSCRIBE:
		return ds_subscribe(m->m_ds_subscribe.pattern, (int)m->m_ds_subscribe.flags);
	case DSC_PUBLISH:
		return ds_publish_u32(m->m_ds_publish.key, m->m_ds_publish.value,
				      (int)(m->m_ds_publish.flags & ~DSF_MASK_TYPE));
	case DSC_RETRIEVE:
		return retrieve(m);
	case DSC_DELETE:
		return ds_delete(m->m_ds_delete.key, (int)m->m_ds_delete.flags);
	case DSC_CHECK:
		return check(m);
	case DSC_NOTIFIES:
		m->m_u64.v[0] = notifies;
		notifies = 0;
		return 0;
	default:
		return -ENOSYS;
	}
}

int
main(int argc, char **argv)
{
	endpoint_t ds = NONE;
	uint64_t status;
	message m;

	(void)argc;
	(void)argv;
	sys_lookup("ds", &ds);
	for (;;) {
		if (ipc_receive(ANY, &m, &status) < 0)
			continue;
		if (ipc_status_is_notify(status)) {
			notifies += m.m_source == ds;
			continue;
		}
		m.m_type = handle(&m);
		ipc_sendnb(m.m_source, &m);
	}
}
