/*
 * The one dispatcher of every server: a table of handlers indexed by
 * request number within the protocol's range, made with designated
 * initialisers, one line per request:
 *
 *	static dispatch_fn *const ds_calls[DS_NR_REQUESTS] = {
 *		[DS_PUBLISH - DS_BASE] = do_publish,
 *		...
 *	};
 *	static const struct dispatch ds_dispatch = DISPATCH(DS_BASE, ds_calls, ds_tables);
 *
 * dispatch() calls the handler with the caller (the message's m_source,
 * which the kernel wrote) and the message, both passed on explicitly; a
 * handler fills in the reply in the same message and returns its m_type,
 * 0 or -E, or EDONTREPLY for no reply now.  A request number without an
 * entry answers ENOSYS.  Every table also answers DEBUG_DUMP (ax/debug.h)
 * with its dump function: the server's tables, through a struct dump
 * (dump_printf), to the console or into the caller's grant.
 *
 * Drivers reach the same dispatcher through the driver libraries' shared
 * front half (driver.h), which hands it everything that is not a request
 * of their protocol.
 */
#ifndef LIBSYS_DISPATCH_H
#define LIBSYS_DISPATCH_H

#include <libsys.h>

/* Where a dump goes: the console, or a caller's grant (dump.c). */
struct dump {
	endpoint_t d_to;    /* the grant's owner */
	grant_id_t d_grant; /* GRANT_INVALID: the console */
	uint64_t d_size;    /* bytes the grant holds */
	uint64_t d_len;     /* bytes produced so far, written or cut */
	int d_error;        /* the first failed copy, or 0 */
};

typedef int dispatch_fn(endpoint_t caller, message *m);
typedef void dispatch_dump_fn(struct dump *d);

struct dispatch {
	int d_base;                  /* the protocol's first request number */
	int d_count;                 /* entries of d_calls */
	dispatch_fn *const *d_calls; /* [type - d_base]; NULL: ENOSYS */
	dispatch_dump_fn *d_dump;    /* the server's tables; NULL: none */
};

#define DISPATCH(base, calls, dump)                                                 \
	{                                                                           \
		.d_base = (base), .d_count = ARRAY_SIZE(calls), .d_calls = (calls), \
		.d_dump = (dump)                                                    \
	}

int dispatch(const struct dispatch *d, endpoint_t caller, message *m);
/* Answer caller with m, its m_type set to r (nothing for EDONTREPLY); never blocks. */
void dispatch_reply(endpoint_t caller, message *m, int r);
/* dispatch, then dispatch_reply: a server's whole handling of a request. */
void dispatch_serve(const struct dispatch *d, endpoint_t caller, message *m);

/* dump.c: the console's dump, and one line (or part of one) of a dump. */
extern struct dump dump_console;
void dump_printf(struct dump *d, const char *fmt, ...) __attribute__((format(__printf__, 2, 3)));
/* The whole dump of a server (its header line, then dump), as DEBUG_DUMP makes it. */
void dump_run(struct dump *d, dispatch_dump_fn *dump);
/* The client side: ask a server for its dump, into buf or (NULL) on the console. */
int64_t debug_dump(endpoint_t to, void *buf, size_t size);

#endif
