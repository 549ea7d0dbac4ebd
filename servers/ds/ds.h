/*
 * DS's private state and the interfaces between its files:
 *
 *   store.c      the entries: a fixed table, keys unique across types,
 *                each owned by the endpoint that published it
 *   subscribe.c  subscribers, their patterns and their queues of changes
 *   table.c      the dispatch table: request number -> handler
 *   main.c       start-up and the receive loop
 *
 * Handlers (dispatch_fn, lib/libsys/dispatch.h) take the caller and the
 * request and fill in the reply in the same message; they return 0 or -E,
 * which becomes the reply's m_type.
 */
#ifndef DS_DS_H
#define DS_DS_H

#include <libsys.h>
#include <dispatch.h>
#include <ax/ds.h>
#include <stdio.h>
#include <string.h>
#include <assert.h>

#define DS_MAX_ENTRIES     128
#define DS_MAX_SUBSCRIBERS 16
#define DS_SUB_PATTERNS    8              /* patterns per subscriber */
#define DS_QUEUE_LEN       DS_MAX_ENTRIES /* uncollected changes per subscriber */

/* A one-line diagnostic for each refused request (off: tests make many). */
#define DS_TRACE 0

struct ds_entry {
	char key[DS_MAX_KEYLEN];         /* "" : a free slot */
	uint32_t flags;                  /* one type, DSF_PRIVATE */
	endpoint_t owner;                /* the publisher */
	char owner_label[DS_MAX_KEYLEN]; /* its service label, if RS published one */
	uint32_t len;                    /* str, mem: bytes (a string's NUL included) */
	union {
		uint32_t u32;
		endpoint_t endpt;
		char str[DS_MAX_STRLEN];
		uint8_t mem[DS_MAX_MEMLEN];
	} v;
};

/* table.c */
void ds_serve(message *m);

/* store.c: requests, and the dump of DS's tables */
dispatch_fn do_publish, do_retrieve, do_delete, do_retrieve_label;
void ds_tables(struct dump *d);

/* store.c: for subscribe.c */
typedef void (*ds_entry_fn)(const struct ds_entry *e, void *arg);
void store_for_each(ds_entry_fn fn, void *arg);

/* store.c: for backup.c */
size_t store_size(void);
int store_copy_out(endpoint_t holder, grant_id_t grant);
int store_copy_in(endpoint_t holder, grant_id_t grant);

/* subscribe.c: for backup.c */
size_t sub_backup_size(void);
int sub_copy_out(endpoint_t holder, grant_id_t grant);
int sub_copy_in(endpoint_t holder, grant_id_t grant);

/* backup.c */
dispatch_fn do_backup;
void backup_write(size_t offset, const void *p, size_t len);
void backup_entry(int index, const struct ds_entry *e);
bool backup_restore(void);

/* subscribe.c: requests */
dispatch_fn do_subscribe, do_check;

/* subscribe.c: for store.c */
void sub_changed(const struct ds_entry *e, bool deleted);
void sub_dump(struct dump *d);

#endif
