/*
 * Programs from files, kept across RS's own death (README.md, Failures).
 *
 * A service started or updated from a file (`service up /sbin/hello_v2
 * -label h`, `service update hello -program /sbin/hello_v2`) runs a
 * program RS holds alone: no boot module has it, and system.conf may not
 * even name the service.  A new RS rebuilds its table from system.conf,
 * the kernel and its records in DS (recover.c), none of which holds a
 * program, and RS's memory is gone with it.  So the copy is kept where
 * RS's other state that must outlive it is kept, by its replica (the same
 * program, replica.c), which already holds DS's backup:
 *
 *   rs_keep_send     RS: a service's program from a file changed (or went):
 *                    RS_KEEP to the replica (asynsend: RS never waits on
 *                    it), with a grant of RS's copy, which the replica
 *                    copies into its own memory and grants back to RS
 *   rs_keep_all      RS: a new replica knows nothing: every such program
 *                    again
 *   rs_keep_recover  a new RS, before it adopts the services: RS_KEPT
 *                    asks the replica for each program it keeps; a label
 *                    system.conf does not name gets FILE_SERVICE_LINE's
 *                    configuration again (config.c), as at its `up`
 *   replica_keep     the replica's side of RS_KEEP and RS_KEPT
 *
 * A program from a file is therefore lost only if RS and its replica die
 * together (docs/self-repair.md), or the replica dies and RS with it before
 * RS has sent it again.
 */
#include "rs.h"
#include <stdlib.h>
#include <ax/service.h>

/* ---- RS ---------------------------------------------------------------- */

/* Tell the replica rp's program from a file (or that it has none any more). */
void
rs_keep_send(struct rproc *rp)
{
	endpoint_t replica = rs_replica_endpt();
	message m;
	int r;

	if (replica == NONE)
		return; /* a new replica is sent everything (rs_keep_all) */
	memset(&m, 0, sizeof(m));
	m.m_type = RS_KEEP;
	strlcpy(m.m_rs_keep.label, rp->label, sizeof(m.m_rs_keep.label));
	strlcpy(m.m_rs_keep.program, rp->program, sizeof(m.m_rs_keep.program));
	m.m_rs_keep.grant = GRANT_INVALID;
	if (rp->state != RP_FREE && rp->image_owned && rp->image) {
		if (rp->image_grant == GRANT_INVALID)
			rp->image_grant =
				cpf_grant_direct(replica, rp->image, rp->image_size, GRANT_READ);
		if (rp->image_grant == GRANT_INVALID) {
			printf("rs: no grant for %s's program: lost if RS dies\n", rp->label);
			return;
		}
		m.m_rs_keep.grant = rp->image_grant;
		m.m_rs_keep.size = rp->image_size;
	}
	if ((r = asynsend(replica, &m)) < 0)
		printf("rs: cannot give my replica %s's program: %d\n", rp->label, r);
}

/* A new replica: every program from a file, again. */
void
rs_keep_all(void)
{
	for (int i = 0; i < NR_SERVICES; i++)
		if (rproc[i].state != RP_FREE && rproc[i].image_owned && rproc[i].image)
			rs_keep_send(&rproc[i]);
}

/* The index-th program the replica keeps, copied into *image: 0, -ENOENT past the last. */
static int
fetch(endpoint_t replica, uint32_t index, struct msg_rs_keep *k, uint8_t **image)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_type = RS_KEPT;
	m.m_rs_keep.index = index;
	if ((r = ipc_sendrec(replica, &m)) < 0)
		return r;
	if (m.m_type < 0)
		return m.m_type;
	*k = m.m_rs_keep;
	k->label[sizeof(k->label) - 1] = '\0';
	k->program[sizeof(k->program) - 1] = '\0';
	if (k->size == 0 || k->size > SVC_IMAGE_MAX)
		return -EINVAL;
	if (!(*image = malloc(k->size)))
		return -ENOMEM;
	if ((r = sys_safecopyfrom(replica, k->grant, 0, *image, k->size)) < 0) {
		free(*image);
		return r;
	}
	return 0;
}

/*
 * A new RS, before rs_recover: each program from a file the replica keeps
 * becomes its service's again, a label system.conf does not name made
 * again as at its `up`.  The replica answers at once: it has just started
 * this RS and waits in its receive.
 */
void
rs_keep_recover(void)
{
	endpoint_t replica = rs_replica_endpt();
	int n = 0, r = 0;

	for (uint32_t i = 0; replica != NONE && i < NR_SERVICES && r != -ENOENT; i++) {
		struct msg_rs_keep k;
		struct rproc *rp;
		uint8_t *image;

		if ((r = fetch(replica, i, &k, &image)) < 0) {
			if (r != -ENOENT)
				printf("rs: program %u from my replica: %d\n", i, r);
			continue;
		}
		if (!(rp = rs_by_label(k.label)) && rs_config_new(k.label, &rp) < 0) {
			printf("rs: no room for %s again: left out\n", k.label);
			free(image);
			continue;
		}
		rs_take_image(rp, image, k.size, k.program);
		n++;
	}
	if (n)
		printf("rs: %d programs from files taken back from my replica\n", n);
}

/* ---- the replica ------------------------------------------------------- */

static struct kept {
	char label[PROC_NAME_LEN];
	char program[PROC_NAME_LEN];
	uint8_t *bytes; /* NULL: a free entry */
	uint64_t size;
	grant_id_t grant; /* of bytes, for RS */
} kept[NR_SERVICES];

static void
forget(struct kept *k)
{
	if (k->bytes && k->grant != GRANT_INVALID)
		cpf_revoke(k->grant);
	free(k->bytes);
	memset(k, 0, sizeof(*k));
	k->grant = GRANT_INVALID;
}

static struct kept *
kept_by_label(const char *label)
{
	for (int i = 0; i < NR_SERVICES; i++)
		if (kept[i].bytes && strcmp(kept[i].label, label) == 0)
			return &kept[i];
	return NULL;
}

/* RS_KEEP: a copy of RS's program q (or forget the label's); no answer. */
static void
keep(endpoint_t rs, struct msg_rs_keep *q)
{
	struct kept *k = kept_by_label(q->label);
	uint8_t *bytes;
	int r;

	if (q->size == 0 || q->size > SVC_IMAGE_MAX) {
		if (k)
			forget(k);
		return;
	}
	for (int i = 0; !k && i < NR_SERVICES; i++)
		if (!kept[i].bytes)
			k = &kept[i];
	if (!k || !(bytes = malloc(q->size))) {
		printf("rs_replica: no room for %s's program\n", q->label);
		return;
	}
	if ((r = sys_safecopyfrom(rs, q->grant, 0, bytes, q->size)) < 0) {
		free(bytes); /* replaced since: the next RS_KEEP has it */
		return;
	}
	forget(k);
	strlcpy(k->label, q->label, sizeof(k->label));
	strlcpy(k->program, q->program, sizeof(k->program));
	k->bytes = bytes;
	k->size = q->size;
	if ((k->grant = cpf_grant_direct(rs, bytes, q->size, GRANT_READ)) == GRANT_INVALID)
		forget(k);
}

/* RS_KEPT: the index-th program kept, for a new RS. */
static void
kept_nth(endpoint_t rs, message *m)
{
	uint32_t want = m->m_rs_keep.index, seen = 0;

	memset(&m->m_rs_keep, 0, sizeof(m->m_rs_keep));
	m->m_type = -ENOENT;
	for (int i = 0; i < NR_SERVICES; i++) {
		if (!kept[i].bytes || seen++ != want)
			continue;
		m->m_type = 0;
		memcpy(m->m_rs_keep.label, kept[i].label, sizeof(kept[i].label));
		memcpy(m->m_rs_keep.program, kept[i].program, sizeof(kept[i].program));
		m->m_rs_keep.grant = kept[i].grant;
		m->m_rs_keep.size = kept[i].size;
		break;
	}
	ipc_sendnb(rs, m); /* RS waits in its SENDREC */
}

/* A message from RS (the replica takes no other). */
void
replica_keep(endpoint_t rs, message *m)
{
	if (m->m_type == RS_KEEP)
		keep(rs, &m->m_rs_keep);
	else if (m->m_type == RS_KEPT)
		kept_nth(rs, m);
}
