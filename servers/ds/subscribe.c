/*
 * Subscriptions.  A subscriber is a process with up to DS_SUB_PATTERNS
 * patterns ("prefix*" or an exact key) and a queue of changes it has not
 * collected yet.  When an entry that matches one of its patterns is
 * published, overwritten or deleted, the change (key, type, owner, deleted
 * or not) is queued and the subscriber gets a NOTIFY; it then collects the
 * changes one DS_CHECK at a time, oldest first, until ENOENT.
 *
 * A key is queued at most once: a second change before the first was
 * collected updates the queued record in place (type, owner, deleted) and
 * keeps its position.  Private entries are reported only to their owner.
 *
 *   do_subscribe   reads m_ds_subscribe
 *   do_check       writes m_ds_key_reply
 *   sub_changed    called by store.c for every change
 *
 * DS learns of a subscriber's death when a NOTIFY to it fails, or when the
 * table is full and it checks who is still alive (sys_times); either frees
 * the slot.  RS will tell DS directly later.
 *
 * The backup (backup.c) keeps who subscribed to what, not the queues: a DS
 * restarted after a crash queues every matching entry for every subscriber
 * again (as DSF_INITIAL does) and notifies them, so a change that was
 * queued and lost is reported anyway, as the entry's present state.
 */
#include "ds.h"

struct ds_change {
	char key[DS_MAX_KEYLEN];
	uint32_t flags; /* the entry's type, DSF_DELETED */
	endpoint_t owner;
};

struct subscriber {
	bool used;
	endpoint_t endpt;
	int nr_patterns;
	char patterns[DS_SUB_PATTERNS][DS_MAX_KEYLEN];
	int count;                            /* queued changes */
	struct ds_change queue[DS_QUEUE_LEN]; /* oldest first */
	uint32_t lost;                        /* changes dropped: the queue was full */
};

static struct subscriber subs[DS_MAX_SUBSCRIBERS];

/* What the backup keeps of a subscriber slot. */
struct sub_record {
	endpoint_t endpt; /* NONE: a free slot */
	uint32_t nr_patterns;
	char patterns[DS_SUB_PATTERNS][DS_MAX_KEYLEN];
};

_Static_assert(DS_MAX_ENTRIES * sizeof(struct ds_entry) +
			       DS_MAX_SUBSCRIBERS * sizeof(struct sub_record) <=
		       DS_BACKUP_SIZE,
	       "the backup holds every entry and every subscriber");

static struct sub_record
sub_record(const struct subscriber *s)
{
	struct sub_record r = { .endpt = NONE };

	if (s->used) {
		r.endpt = s->endpt;
		r.nr_patterns = (uint32_t)s->nr_patterns;
		memcpy(r.patterns, s->patterns, sizeof(r.patterns));
	}
	return r;
}

static void
sub_backup(const struct subscriber *s)
{
	struct sub_record r = sub_record(s);

	backup_write(store_size() + (size_t)(s - subs) * sizeof(r), &r, sizeof(r));
}

/* Like a key, but '*' may end it (and "*" alone matches everything). */
static bool
pattern_valid(const char *pattern)
{
	size_t n = strnlen(pattern, DS_MAX_KEYLEN);
	const char *star;

	if (n == 0 || n == DS_MAX_KEYLEN)
		return false;
	star = strchr(pattern, '*');
	return !star || star == pattern + n - 1;
}

static bool
pattern_match(const char *pattern, const char *key)
{
	size_t n = strlen(pattern);

	if (pattern[n - 1] == '*')
		return strncmp(pattern, key, n - 1) == 0;
	return strcmp(pattern, key) == 0;
}

static bool
sub_matches(const struct subscriber *s, const struct ds_entry *e)
{
	if ((e->flags & DSF_PRIVATE) && e->owner != s->endpt)
		return false;
	for (int i = 0; i < s->nr_patterns; i++)
		if (pattern_match(s->patterns[i], e->key))
			return true;
	return false;
}

static struct subscriber *
sub_find(endpoint_t e)
{
	for (int i = 0; i < DS_MAX_SUBSCRIBERS; i++)
		if (subs[i].used && subs[i].endpt == e)
			return &subs[i];
	return NULL;
}

static void
sub_free(struct subscriber *s)
{
	memset(s, 0, sizeof(*s));
	sub_backup(s);
}

/* A free slot for endpoint e; if there is none, first free the dead's. */
static struct subscriber *
sub_alloc(endpoint_t e)
{
	struct msg_sys_times_reply t;
	struct subscriber *s = NULL;

	for (int pass = 0; pass < 2 && !s; pass++) {
		for (int i = 0; i < DS_MAX_SUBSCRIBERS && !s; i++) {
			if (pass == 1 && subs[i].used && sys_times(subs[i].endpt, &t) < 0)
				sub_free(&subs[i]);
			if (!subs[i].used)
				s = &subs[i];
		}
	}
	if (s) {
		s->used = true;
		s->endpt = e;
	}
	return s;
}

/* Drop record i of s's queue. */
static void
queue_remove(struct subscriber *s, int i)
{
	assert(i >= 0 && i < s->count);
	memmove(&s->queue[i], &s->queue[i + 1], (size_t)(s->count - i - 1) * sizeof(s->queue[0]));
	s->count--;
}

/*
 * Make room in a full queue: drop the oldest deletion, or else the oldest
 * change.  With keys queued once and at most DS_MAX_ENTRIES entries alive,
 * a full queue almost always holds a deletion.
 */
static void
queue_make_room(struct subscriber *s)
{
	int victim = 0;

	for (int i = 0; i < s->count; i++) {
		if (s->queue[i].flags & DSF_DELETED) {
			victim = i;
			break;
		}
	}
	if (s->lost++ == 0)
		printf("ds: subscriber %d does not collect its changes; dropping the oldest\n",
		       s->endpt);
	queue_remove(s, victim);
}

static void
queue_change(struct subscriber *s, const struct ds_entry *e, bool deleted)
{
	uint32_t flags = (e->flags & DSF_MASK_TYPE) | (deleted ? DSF_DELETED : 0);
	struct ds_change *c = NULL;

	for (int i = 0; i < s->count && !c; i++)
		if (strcmp(s->queue[i].key, e->key) == 0)
			c = &s->queue[i];
	if (!c) {
		if (s->count == DS_QUEUE_LEN)
			queue_make_room(s);
		assert(s->count < DS_QUEUE_LEN);
		c = &s->queue[s->count++];
		strlcpy(c->key, e->key, sizeof(c->key));
	}
	c->flags = flags;
	c->owner = e->owner;
}

/* Tell s it has changes to collect; a subscriber that is gone is forgotten. */
static void
sub_notify(struct subscriber *s)
{
	int r = ipc_notify(s->endpt);

	if (r == -EDEADSRCDST || r == -EINVAL)
		sub_free(s);
}

void
sub_changed(const struct ds_entry *e, bool deleted)
{
	for (int i = 0; i < DS_MAX_SUBSCRIBERS; i++) {
		struct subscriber *s = &subs[i];

		if (s->used && sub_matches(s, e)) {
			queue_change(s, e, deleted);
			sub_notify(s);
		}
	}
}

struct initial {
	struct subscriber *s;
	const char *pattern;
};

static void
queue_initial(const struct ds_entry *e, void *arg)
{
	struct initial *in = arg;

	if ((!(e->flags & DSF_PRIVATE) || e->owner == in->s->endpt) &&
	    pattern_match(in->pattern, e->key))
		queue_change(in->s, e, false);
}

/* Queue every entry pattern matches now, and tell s if anything was queued. */
static void
report_present(struct subscriber *s, const char *pattern)
{
	store_for_each(queue_initial, &(struct initial){ s, pattern });
	if (s->count)
		sub_notify(s);
}

static bool
has_pattern(const struct subscriber *s, const char *pattern)
{
	for (int i = 0; i < s->nr_patterns; i++)
		if (strcmp(s->patterns[i], pattern) == 0)
			return true;
	return false;
}

/* Subscribing to a pattern one already has changes nothing but DSF_INITIAL's report. */
int
do_subscribe(endpoint_t caller, message *m)
{
	struct msg_ds_subscribe q = m->m_ds_subscribe;
	struct subscriber *s = sub_find(caller);

	if (!pattern_valid(q.pattern) || (q.flags & ~DSF_INITIAL))
		return -EINVAL;
	if (s && !has_pattern(s, q.pattern) && s->nr_patterns == DS_SUB_PATTERNS)
		return -ENOSPC;
	if (!s && !(s = sub_alloc(caller)))
		return -ENOSPC;
	if (!has_pattern(s, q.pattern)) {
		strlcpy(s->patterns[s->nr_patterns++], q.pattern, DS_MAX_KEYLEN);
		sub_backup(s);
	}
	if (q.flags & DSF_INITIAL)
		report_present(s, q.pattern);
	return 0;
}

int
do_check(endpoint_t caller, message *m)
{
	struct subscriber *s = sub_find(caller);
	struct msg_ds_key_reply *reply = &m->m_ds_key_reply;

	if (!s || s->count == 0)
		return -ENOENT;
	memset(reply, 0, sizeof(*reply));
	strlcpy(reply->key, s->queue[0].key, sizeof(reply->key));
	reply->flags = s->queue[0].flags;
	reply->owner = s->queue[0].owner;
	queue_remove(s, 0);
	return 0;
}

void
sub_dump(struct dump *d)
{
	for (int i = 0; i < DS_MAX_SUBSCRIBERS; i++) {
		const struct subscriber *s = &subs[i];

		if (!s->used)
			continue;
		dump_printf(d, "ds:   subscriber %d: %d queued, %u lost; patterns", s->endpt,
			    s->count, s->lost);
		for (int j = 0; j < s->nr_patterns; j++)
			dump_printf(d, " %s", s->patterns[j]);
		dump_printf(d, "\n");
	}
}

/* ---- the backup (backup.c) ------------------------------------------- */

size_t
sub_backup_size(void)
{
	return sizeof(struct sub_record) * DS_MAX_SUBSCRIBERS;
}

int
sub_copy_out(endpoint_t holder, grant_id_t grant)
{
	struct sub_record r[DS_MAX_SUBSCRIBERS];

	for (int i = 0; i < DS_MAX_SUBSCRIBERS; i++)
		r[i] = sub_record(&subs[i]);
	return sys_safecopyto(holder, grant, store_size(), r, sizeof(r));
}

/*
 * The subscribers from the backup, every record checked; each is told of
 * every entry its patterns match.  The subscribers kept, or -E (then none).
 */
int
sub_copy_in(endpoint_t holder, grant_id_t grant)
{
	struct sub_record r[DS_MAX_SUBSCRIBERS];
	int kept = 0, e;

	memset(subs, 0, sizeof(subs));
	if ((e = sys_safecopyfrom(holder, grant, store_size(), r, sizeof(r))) < 0)
		return e;
	for (int i = 0; i < DS_MAX_SUBSCRIBERS; i++) {
		struct subscriber *s = &subs[i];
		bool valid = r[i].endpt != NONE && r[i].nr_patterns > 0 &&
			     r[i].nr_patterns <= DS_SUB_PATTERNS;

		for (uint32_t j = 0; valid && j < r[i].nr_patterns; j++)
			valid = pattern_valid(r[i].patterns[j]);
		if (!valid)
			continue;
		s->used = true;
		s->endpt = r[i].endpt;
		s->nr_patterns = (int)r[i].nr_patterns;
		memcpy(s->patterns, r[i].patterns, sizeof(s->patterns));
		for (int j = 0; j < s->nr_patterns && s->used; j++)
			report_present(s, s->patterns[j]);
		kept++;
	}
	return kept;
}
