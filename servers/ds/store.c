/*
 * The entries: a fixed table of DS_MAX_ENTRIES, searched linearly (it is
 * small, and DS is not on any fast path).  A key names at most one entry,
 * whatever its type.  The owner is the endpoint that published the entry
 * (the request's m_source); only the owner may overwrite or delete it, and
 * a private entry is visible to its owner only.  When RS has published a
 * label for the publisher, the entry belongs to that *service*: a restarted
 * instance of it, with a new endpoint, owns its predecessor's entries (its
 * state).  Only label entries RS owns count, so nobody can claim a label.
 * An entry published before its publisher's label (in its init: RS
 * publishes the label after it) gets the label when RS publishes it.
 *
 *   do_publish         reads m_ds_publish; copies a str/mem value from the
 *                      publisher's grant before it changes anything
 *   do_retrieve        reads m_ds_retrieve, writes m_ds_retrieve_reply;
 *                      copies a str/mem value into the requester's grant
 *   do_delete          reads m_ds_delete
 *   do_retrieve_label  reads m_ds_retrieve_label, writes m_ds_key_reply
 *   ds_tables          the dump of the entries and the subscribers (DEBUG_DUMP)
 *
 * Every change is passed on to the subscribers (subscribe.c).
 */
#include "ds.h"

static struct ds_entry entries[DS_MAX_ENTRIES];
static struct ds_entry incoming; /* a value being published, before it is stored */

_Static_assert(sizeof(entries) <= DS_BACKUP_SIZE, "the backup holds every entry");

/* A key is NUL-terminated inside its field, not empty, and has no '*'. */
static bool
key_valid(const char *key)
{
	size_t n = strnlen(key, DS_MAX_KEYLEN);

	return n > 0 && n < DS_MAX_KEYLEN && !strchr(key, '*');
}

static bool
type_valid(uint32_t type)
{
	return type == DSF_TYPE_U32 || type == DSF_TYPE_STR || type == DSF_TYPE_MEM ||
	       type == DSF_TYPE_LABEL;
}

/* key, then flags holding exactly one type and nothing outside `allowed`. */
static int
check_request(const char *key, uint32_t flags, uint32_t allowed)
{
	if (!key_valid(key) || !type_valid(flags & DSF_MASK_TYPE) ||
	    (flags & ~(DSF_MASK_TYPE | allowed)))
		return -EINVAL;
	return 0;
}

static struct ds_entry *
lookup(const char *key)
{
	for (int i = 0; i < DS_MAX_ENTRIES; i++)
		if (entries[i].key[0] && strcmp(entries[i].key, key) == 0)
			return &entries[i];
	return NULL;
}

static struct ds_entry *
free_slot(void)
{
	for (int i = 0; i < DS_MAX_ENTRIES; i++)
		if (!entries[i].key[0])
			return &entries[i];
	return NULL;
}

/* The service label RS published for endpoint e, or NULL. */
static const char *
service_label(endpoint_t e)
{
	static endpoint_t rs = NONE;

	if (rs == NONE && sys_lookup("rs", &rs) < 0)
		return NULL;
	for (int i = 0; i < DS_MAX_ENTRIES; i++) {
		const struct ds_entry *l = &entries[i];

		if (l->key[0] && (l->flags & DSF_MASK_TYPE) == DSF_TYPE_LABEL && l->owner == rs &&
		    l->v.endpt == e)
			return l->key;
	}
	return NULL;
}

/* RS published label for endpoint owner: its entries published before are that service's. */
static void
label_entries_of(endpoint_t owner, const char *label)
{
	for (int i = 0; i < DS_MAX_ENTRIES; i++) {
		struct ds_entry *e = &entries[i];

		if (e->key[0] && e->owner == owner && !e->owner_label[0]) {
			strlcpy(e->owner_label, label, sizeof(e->owner_label));
			backup_entry(i, e);
		}
	}
}

/* Is caller the entry's owner: the same process, or the same service? */
static bool
owns(const struct ds_entry *e, endpoint_t caller)
{
	const char *label;

	if (e->owner == caller)
		return true;
	return e->owner_label[0] && (label = service_label(caller)) &&
	       strcmp(label, e->owner_label) == 0;
}

static bool
visible(const struct ds_entry *e, endpoint_t caller)
{
	return !(e->flags & DSF_PRIVATE) || owns(e, caller);
}

void
store_for_each(ds_entry_fn fn, void *arg)
{
	for (int i = 0; i < DS_MAX_ENTRIES; i++)
		if (entries[i].key[0])
			fn(&entries[i], arg);
}

/*
 * The value a publish request carries, into *out: inline, or copied from the
 * publisher's grant (its error if DS cannot read it).  A string must hold a
 * NUL within its length; it is stored up to that NUL.
 */
static int
read_value(endpoint_t caller, const struct msg_ds_publish *p, struct ds_entry *out)
{
	uint32_t type = p->flags & DSF_MASK_TYPE;
	int r;

	switch (type) {
	case DSF_TYPE_U32:
		out->v.u32 = p->value;
		out->len = sizeof(out->v.u32);
		return 0;
	case DSF_TYPE_LABEL:
		out->v.endpt = p->endpt;
		out->len = sizeof(out->v.endpt);
		return 0;
	case DSF_TYPE_STR:
		if (p->len == 0)
			return -EINVAL;
		if (p->len > DS_MAX_STRLEN)
			return -E2BIG;
		if ((r = sys_safecopyfrom(caller, p->grant, 0, out->v.str, p->len)) < 0)
			return r;
		if ((out->len = strnlen(out->v.str, p->len)) == p->len)
			return -EINVAL;
		out->len++;
		return 0;
	default:
		if (p->len > DS_MAX_MEMLEN)
			return -E2BIG;
		out->len = p->len;
		return p->len ? sys_safecopyfrom(caller, p->grant, 0, out->v.mem, p->len) : 0;
	}
}

int
do_publish(endpoint_t caller, message *m)
{
	struct msg_ds_publish p = m->m_ds_publish;
	struct ds_entry *e;
	int r;

	if ((r = check_request(p.key, p.flags, DSF_PRIVATE | DSF_OVERWRITE)) < 0)
		return r;
	if ((e = lookup(p.key)) && !(p.flags & DSF_OVERWRITE))
		return -EEXIST;
	if (e && !owns(e, caller))
		return -EPERM;
	if (!e && !(e = free_slot()))
		return -ENOSPC;
	memset(&incoming, 0, sizeof(incoming));
	if ((r = read_value(caller, &p, &incoming)) < 0)
		return r;
	strlcpy(incoming.key, p.key, sizeof(incoming.key));
	incoming.flags = p.flags & (DSF_MASK_TYPE | DSF_PRIVATE);
	incoming.owner = caller;
	if (service_label(caller))
		strlcpy(incoming.owner_label, service_label(caller), sizeof(incoming.owner_label));
	if (e->key[0] && !(e->flags & DSF_PRIVATE) && (incoming.flags & DSF_PRIVATE))
		sub_changed(e, true); /* to everyone but the owner, it is gone */
	*e = incoming;
	backup_entry((int)(e - entries), e);
	sub_changed(e, false);
	/* RS's label (service_label finds this very entry): the service is known now. */
	if ((e->flags & DSF_MASK_TYPE) == DSF_TYPE_LABEL && service_label(e->v.endpt) == e->key)
		label_entries_of(e->v.endpt, e->key);
	return 0;
}

/* The entry key of type `flags` if the caller may see it: 0, or -E. */
static int
find_visible(const char *key, uint32_t flags, endpoint_t caller, struct ds_entry **ep)
{
	struct ds_entry *e;
	int r;

	if ((r = check_request(key, flags, 0)) < 0)
		return r;
	if (!(e = lookup(key)))
		return -ENOENT;
	if (!visible(e, caller))
		return -EPERM;
	if ((e->flags & DSF_MASK_TYPE) != flags)
		return -EINVAL;
	*ep = e;
	return 0;
}

int
do_retrieve(endpoint_t caller, message *m)
{
	struct msg_ds_retrieve q = m->m_ds_retrieve;
	struct msg_ds_retrieve_reply *reply = &m->m_ds_retrieve_reply;
	uint32_t type = q.flags & DSF_MASK_TYPE;
	struct ds_entry *e;
	int r;

	if ((r = find_visible(q.key, q.flags, caller, &e)) < 0)
		return r;
	memset(reply, 0, sizeof(*reply));
	reply->flags = e->flags;
	reply->owner = e->owner;
	reply->len = e->len;
	if (type == DSF_TYPE_U32)
		reply->value = e->v.u32;
	else if (type == DSF_TYPE_LABEL)
		reply->endpt = e->v.endpt;
	if (type != DSF_TYPE_STR && type != DSF_TYPE_MEM)
		return 0;
	if (q.len < e->len)
		return -E2BIG;
	return e->len ? sys_safecopyto(caller, q.grant, 0, e->v.mem, e->len) : 0;
}

int
do_delete(endpoint_t caller, message *m)
{
	struct msg_ds_delete q = m->m_ds_delete;
	struct ds_entry *e;
	int r;

	if ((r = find_visible(q.key, q.flags, caller, &e)) < 0)
		return r;
	if (!owns(e, caller))
		return -EPERM;
	sub_changed(e, true);
	memset(e, 0, sizeof(*e));
	backup_entry((int)(e - entries), e);
	return 0;
}

/* The label entry naming endpt that `caller` may see, or NULL. */
static const struct ds_entry *
label_of(endpoint_t endpt, endpoint_t caller)
{
	for (int i = 0; i < DS_MAX_ENTRIES; i++) {
		const struct ds_entry *e = &entries[i];

		if (e->key[0] && (e->flags & DSF_MASK_TYPE) == DSF_TYPE_LABEL &&
		    e->v.endpt == endpt && visible(e, caller))
			return e;
	}
	return NULL;
}

int
do_retrieve_label(endpoint_t caller, message *m)
{
	endpoint_t endpt = m->m_ds_retrieve_label.endpt;
	struct msg_ds_key_reply *reply = &m->m_ds_key_reply;
	const struct ds_entry *e = label_of(endpt, caller);

	if (!e)
		return -ENOENT;
	memset(reply, 0, sizeof(*reply));
	strlcpy(reply->key, e->key, sizeof(reply->key));
	reply->flags = e->flags;
	reply->owner = e->owner;
	return 0;
}

static void
dump_entry(const struct ds_entry *e, void *arg)
{
	static const char *const type_names[] = {
		[DSF_TYPE_U32] = "u32",
		[DSF_TYPE_STR] = "str",
		[DSF_TYPE_MEM] = "mem",
		[DSF_TYPE_LABEL] = "label",
	};
	const struct ds_entry *owner_label = label_of(e->owner, e->owner);
	uint32_t type = e->flags & DSF_MASK_TYPE;
	char value[DS_MAX_STRLEN + 2];

	if (type == DSF_TYPE_STR)
		snprintf(value, sizeof(value), "\"%s\"", e->v.str);
	else if (type == DSF_TYPE_MEM)
		snprintf(value, sizeof(value), "%u bytes", e->len);
	else if (type == DSF_TYPE_LABEL)
		snprintf(value, sizeof(value), "endpoint %d", e->v.endpt);
	else
		snprintf(value, sizeof(value), "%u", e->v.u32);
	dump_printf(arg, "ds:   %-31s %-5s %s owner %d (%s) %s\n", e->key, type_names[type],
		    (e->flags & DSF_PRIVATE) ? "private" : "public", e->owner,
		    owner_label ? owner_label->key : "-", value);
}

/* The entries, then the subscribers (subscribe.c). */
void
ds_tables(struct dump *d)
{
	int n = 0;

	for (int i = 0; i < DS_MAX_ENTRIES; i++)
		n += entries[i].key[0] != 0;
	dump_printf(d, "ds: %d of %d entries\n", n, DS_MAX_ENTRIES);
	store_for_each(dump_entry, d);
	sub_dump(d);
}

/* ---- the backup (backup.c) ------------------------------------------- */

size_t
store_size(void)
{
	return sizeof(entries);
}

int
store_copy_out(endpoint_t holder, grant_id_t grant)
{
	return sys_safecopyto(holder, grant, 0, entries, sizeof(entries));
}

/* Would DS have stored e?  A backup is memory DS does not own: check it all. */
static bool
entry_valid(const struct ds_entry *e)
{
	uint32_t type = e->flags & DSF_MASK_TYPE;

	if (!key_valid(e->key) || !type_valid(type) ||
	    (e->flags & ~(DSF_MASK_TYPE | DSF_PRIVATE)) ||
	    strnlen(e->owner_label, DS_MAX_KEYLEN) == DS_MAX_KEYLEN)
		return false;
	if (type == DSF_TYPE_STR)
		return e->len > 0 && e->len <= DS_MAX_STRLEN && e->v.str[e->len - 1] == '\0';
	return type != DSF_TYPE_MEM || e->len <= DS_MAX_MEMLEN;
}

/* The whole table from the backup; the entries kept, or -E (then none). */
int
store_copy_in(endpoint_t holder, grant_id_t grant)
{
	int kept = 0, r;

	if ((r = sys_safecopyfrom(holder, grant, 0, entries, sizeof(entries))) < 0) {
		memset(entries, 0, sizeof(entries));
		return r;
	}
	for (int i = 0; i < DS_MAX_ENTRIES; i++) {
		if (!entries[i].key[0])
			continue;
		/* Valid, and not a key an earlier entry has (lookup finds the first). */
		if (entry_valid(&entries[i]) && lookup(entries[i].key) == &entries[i])
			kept++;
		else
			memset(&entries[i], 0, sizeof(entries[i]));
	}
	return kept;
}
