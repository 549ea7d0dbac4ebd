/*
 * DS's tables outlive DS.  RS's replica, which restarts DS when it dies,
 * also holds a copy of DS's entry table: it grants DS DS_BACKUP_SIZE bytes
 * of its memory (DS_BACKUP), DS copies every entry there, and from then on
 * writes each entry through as it changes, before the request is answered.
 * A DS restarted after a crash (argument "recover") takes the whole table
 * back before it serves anyone (main.c), checking every entry as if it had
 * been published anew.  An entry DS changed but did not answer for may be
 * there or not: its client was not answered, and asks again.
 *
 * Who subscribed to what is kept too (subscribe.c); the queues of changes
 * are not, and a restarted DS reports every matching entry again instead.
 */
#include "ds.h"

static endpoint_t holder = NONE; /* the replica, whose memory it is */
static grant_id_t backup = GRANT_INVALID;

/* The backup's holder is RS's replica, nobody else. */
static bool
from_replica(endpoint_t e)
{
	endpoint_t replica;

	return sys_lookup("rs_replica", &replica) == 0 && e == replica;
}

/* The bytes of e that mean something: all but the unused end of its value. */
static size_t
entry_bytes(const struct ds_entry *e)
{
	uint32_t type = e->flags & DSF_MASK_TYPE;
	size_t value = type == DSF_TYPE_STR || type == DSF_TYPE_MEM ? e->len : sizeof(e->v.u32);

	return offsetof(struct ds_entry, v) + (e->key[0] ? value : 0);
}

/* Copy len bytes to the backup at offset; a backup that stopped working is dropped. */
void
backup_write(size_t offset, const void *p, size_t len)
{
	int r;

	if (holder == NONE)
		return;
	if ((r = sys_safecopyto(holder, backup, offset, p, len)) < 0) {
		printf("ds: backup failed (%d): no backup until the replica gives another\n", r);
		holder = NONE;
	}
}

void
backup_entry(int index, const struct ds_entry *e)
{
	backup_write((size_t)index * sizeof(*e), e, entry_bytes(e));
}

/* The backup holds the entry table, then the subscriber records. */
static size_t
backup_size(void)
{
	return store_size() + sub_backup_size();
}

int
do_backup(endpoint_t caller, message *m)
{
	struct msg_ds_backup b = m->m_ds_backup;
	int r;

	if (!from_replica(caller))
		return -EPERM;
	if (b.size < backup_size())
		return -EINVAL;
	if ((r = store_copy_out(caller, b.grant)) < 0 || (r = sub_copy_out(caller, b.grant)) < 0)
		return r;
	holder = caller;
	backup = b.grant;
	return 0;
}

/*
 * Restarted: wait for the replica's DS_BACKUP and take the entries back
 * from it.  Nothing else is served before, so nobody sees an empty store.
 * False if there is no replica (or it dies first) or no backup: DS starts
 * empty.
 */
bool
backup_restore(void)
{
	endpoint_t replica;
	uint64_t status;
	message m;
	int kept, subscribers;

	if (sys_lookup("rs_replica", &replica) < 0)
		return false;
	do {
		if (ipc_receive(replica, &m, &status) < 0)
			return false; /* the replica died meanwhile */
	} while (m.m_type != DS_BACKUP);
	if (m.m_ds_backup.size < backup_size() ||
	    (kept = store_copy_in(replica, m.m_ds_backup.grant)) < 0) {
		m.m_type = -EINVAL;
		ipc_sendnb(replica, &m);
		return false;
	}
	if ((subscribers = sub_copy_in(replica, m.m_ds_backup.grant)) < 0)
		subscribers = 0; /* the entries are back; subscribers subscribe again */
	holder = replica;
	backup = m.m_ds_backup.grant;
	m.m_type = 0;
	ipc_sendnb(replica, &m);
	printf("ds: restarted with %d entries and %d subscribers from the backup\n", kept,
	       subscribers);
	return true;
}
