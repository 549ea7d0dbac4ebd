/*
 * The data store's protocol (message types 0x0800-0x08ff).  DS is a typed
 * key-value store (servers/ds/README.md): every request is a SENDREC to DS,
 * answered with m_type 0 or -E and, where the request says so, a reply
 * payload.  The owner of an entry is the request's m_source, never a field
 * of the body.
 *
 *   DS_PUBLISH         msg_ds_publish: key, type | DSF_PRIVATE | DSF_OVERWRITE,
 *                      the value (u32, label: inline; str, mem: `len` bytes
 *                      read through `grant`, which DS may read)
 *   DS_RETRIEVE        msg_ds_retrieve: key, type; str and mem are copied into
 *                      `grant` (DS may write, `len` bytes).  Reply:
 *                      msg_ds_retrieve_reply (E2BIG: the grant is too small,
 *                      reply.len says what is needed)
 *   DS_DELETE          msg_ds_delete: key, type
 *   DS_SUBSCRIBE       msg_ds_subscribe: a pattern ("prefix*" or an exact
 *                      key) and DSF_INITIAL; later changes of matching
 *                      entries NOTIFY the subscriber
 *   DS_CHECK           no body; reply: msg_ds_key_reply, the oldest change
 *                      the subscriber has not collected (ENOENT: none)
 *   DS_RETRIEVE_LABEL  msg_ds_retrieve_label: an endpoint; reply:
 *                      msg_ds_key_reply, the key of a label entry naming it
 *   DS_BACKUP          msg_ds_backup, from RS's replica only: `grant` (DS may
 *                      read and write, `size` bytes) is where DS keeps a copy
 *                      of its entries from now on; a DS restarted after a
 *                      crash takes its entries back from it first
 *
 * DS's tables (entries, subscribers) are what DEBUG_DUMP (ax/debug.h),
 * which every server answers, shows.
 *
 * Errors: EINVAL malformed (key, type, flags, pattern), E2BIG value too
 * long, EEXIST key taken (no DSF_OVERWRITE), EPERM not the owner (or a
 * private entry of someone else), ENOENT no such key, ENOSPC tables full,
 * ENOSYS unknown request; a grant DS cannot use gives the safecopy's error.
 */
#ifndef AX_DS_H
#define AX_DS_H

#include <ax/types.h>
#include <ax/grant.h>

#define DS_BASE 0x0800

enum ds_request {
	DS_PUBLISH = DS_BASE,
	DS_RETRIEVE,
	DS_DELETE,
	DS_SUBSCRIBE,
	DS_CHECK,
	DS_RETRIEVE_LABEL,
	DS_BACKUP,
};

#define DS_NR_REQUESTS (DS_BACKUP - DS_BASE + 1)

/* Room for DS's entry table (servers/ds checks that it fits). */
#define DS_BACKUP_SIZE (192 * 1024)

#define DS_MAX_KEYLEN 32   /* keys and patterns, NUL included */
#define DS_MAX_STRLEN 64   /* strings, NUL included */
#define DS_MAX_MEMLEN 1024 /* memory ranges */

/* Types: exactly one in every publish, retrieve and delete. */
#define DSF_TYPE_U32   0x0001 /* a 32-bit value, inline */
#define DSF_TYPE_STR   0x0002 /* a NUL-terminated string, by grant */
#define DSF_TYPE_MEM   0x0004 /* bytes, by grant */
#define DSF_TYPE_LABEL 0x0008 /* a label (the key) -> an endpoint, inline */
#define DSF_MASK_TYPE  0x000f

/* Flags. */
#define DSF_PRIVATE   0x0100 /* publish: only the owner may retrieve or see it change */
#define DSF_OVERWRITE 0x0200 /* publish: replace the owner's existing entry */
#define DSF_INITIAL   0x0400 /* subscribe: report the matching entries there are now */
#define DSF_DELETED   0x0800 /* check: the change was a deletion */

struct msg_ds_publish {
	char key[DS_MAX_KEYLEN];
	uint32_t flags;   /* one type, DSF_PRIVATE, DSF_OVERWRITE */
	uint32_t value;   /* DSF_TYPE_U32 */
	endpoint_t endpt; /* DSF_TYPE_LABEL */
	grant_id_t grant; /* DSF_TYPE_STR, DSF_TYPE_MEM: DS reads it */
	uint32_t len;     /* ...this many bytes (a string's NUL included) */
	uint8_t pad[4];
};

struct msg_ds_retrieve {
	char key[DS_MAX_KEYLEN];
	uint32_t flags;   /* the entry's type */
	grant_id_t grant; /* DSF_TYPE_STR, DSF_TYPE_MEM: DS writes it */
	uint32_t len;     /* ...at most this many bytes */
	uint8_t pad[12];
};

struct msg_ds_retrieve_reply {
	uint32_t value;   /* DSF_TYPE_U32 */
	endpoint_t endpt; /* DSF_TYPE_LABEL */
	uint32_t len;     /* str, mem: the value's length (a string's NUL included) */
	uint32_t flags;   /* the entry's type and DSF_PRIVATE */
	endpoint_t owner;
	uint8_t pad[36];
};

struct msg_ds_delete {
	char key[DS_MAX_KEYLEN];
	uint32_t flags; /* the entry's type */
	uint8_t pad[20];
};

struct msg_ds_subscribe {
	char pattern[DS_MAX_KEYLEN]; /* "prefix*" or an exact key */
	uint32_t flags;              /* DSF_INITIAL */
	uint8_t pad[20];
};

struct msg_ds_retrieve_label {
	endpoint_t endpt;
	uint8_t pad[52];
};

struct msg_ds_backup {
	grant_id_t grant;
	uint32_t size;
	uint8_t pad[48];
};

/* A key in a reply: DS_CHECK (a change), DS_RETRIEVE_LABEL (a label). */
struct msg_ds_key_reply {
	char key[DS_MAX_KEYLEN];
	uint32_t flags;   /* the entry's type; DS_CHECK: and DSF_DELETED */
	endpoint_t owner; /* the entry's owner when it changed */
	uint8_t pad[16];
};

#endif
