/*
 * Memory grants.  A process keeps its grant table in its own memory and
 * registers it with sys_setgrant; the kernel reads an entry on every
 * safecopy, so clearing an entry revokes it at once.
 *
 * A grant id is (sequence << GRANT_SEQ_SHIFT) | index.  The owner's library
 * bumps an entry's sequence when it revokes it, so an old id never matches
 * the entry's next use.  Access bits are from the grantee's side: GRANT_READ
 * lets it copy from the grant, GRANT_WRITE into it.
 *
 *   direct    a range of the owner's memory, for one grantee
 *   indirect  passes on a grant the owner received from `from` (grant id
 *             `grant`), for one grantee; checked again at every step
 *   magic     a range of a third process's memory; only for owners whose
 *             privileges allow it (PRIV_MAGIC_GRANTS, later VFS)
 */
#ifndef AX_GRANT_H
#define AX_GRANT_H

#include <ax/types.h>

typedef int32_t grant_id_t;

#define GRANT_INVALID     ((grant_id_t)-1)
#define GRANT_SEQ_SHIFT   20
#define GRANT_INDEX_MASK  ((1 << GRANT_SEQ_SHIFT) - 1)
#define GRANT_MAX_SEQ     ((1 << (31 - GRANT_SEQ_SHIFT)) - 1)
#define GRANT_MAX_ENTRIES 4096
#define GRANT_MAX_DEPTH   5 /* indirect hops before ELOOP */

/* cp_flags */
#define GRANT_READ     0x01
#define GRANT_WRITE    0x02
#define GRANT_VALID    0x10 /* the entry is in use */
#define GRANT_DIRECT   0x20
#define GRANT_INDIRECT 0x40
#define GRANT_MAGIC    0x80

typedef struct grant_entry {
	uint32_t cp_flags;
	uint32_t cp_seq;       /* must equal the id's sequence */
	endpoint_t cp_grantee; /* who may use it */
	endpoint_t cp_from;    /* indirect: who gave it to us; magic: whose memory */
	grant_id_t cp_grant;   /* indirect: the grant we pass on */
	uint32_t cp_pad;
	uint64_t cp_addr; /* direct, magic: start */
	uint64_t cp_len;  /* direct, magic: length */
} grant_entry_t;

AX_STATIC_ASSERT(sizeof(grant_entry_t) == 40, "grant_entry_t layout");

static inline grant_id_t
grant_make_id(int index, int seq)
{
	return (grant_id_t)((seq << GRANT_SEQ_SHIFT) | index);
}

static inline int
grant_index(grant_id_t id)
{
	return id & GRANT_INDEX_MASK;
}

static inline int
grant_seq(grant_id_t id)
{
	return (int)((uint32_t)id >> GRANT_SEQ_SHIFT);
}

/* One element of a vsafecopy: exactly one of src and dst is SELF. */
struct vscp_vec {
	endpoint_t v_src;
	endpoint_t v_dst;
	grant_id_t v_grant;
	uint32_t v_pad;
	uint64_t v_offset;
	uint64_t v_addr; /* in the caller */
	uint64_t v_bytes;
};

AX_STATIC_ASSERT(sizeof(struct vscp_vec) == 40, "vscp_vec layout");

#define VSCP_MAX 64

#endif
