/*
 * Dumps of a server's tables (dispatch.h): dump_printf is the shared
 * formatter over a sink that sends each piece to the console, or copies
 * it into the caller's grant at the next offset.  Text beyond the grant's
 * size is counted but not copied, so the caller learns how much it missed.
 */
#include "dispatch.h"
#include <stdarg.h>
#include <stdio.h>
#include <ax/debug.h>

struct dump dump_console = { .d_to = NONE, .d_grant = GRANT_INVALID };

/* A piece of the text: to the console, or appended to the grant while it has room. */
static void
dump_sink(void *ctx, const char *s, size_t n)
{
	struct dump *d = ctx;

	if (d->d_grant == GRANT_INVALID) {
		console_sink(s, n);
	} else if (d->d_len < d->d_size && d->d_error == 0) {
		uint64_t room = d->d_size - d->d_len;
		int r = sys_safecopyto(d->d_to, d->d_grant, d->d_len, s,
				       n < room ? n : (size_t)room);

		if (r < 0)
			d->d_error = r;
	}
	d->d_len += n;
}

void
dump_printf(struct dump *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vformat(dump_sink, d, fmt, ap);
	va_end(ap);
}

void
dump_run(struct dump *d, dispatch_dump_fn *dump)
{
	dump_printf(d, "%s(%d): tables\n", self_name, self_endpoint);
	if (dump)
		dump(d);
}

/*
 * Ask `to` for its dump (DEBUG_DUMP): into buf (at most size bytes, not
 * terminated), or on the console if buf is NULL.  The whole text's length,
 * or -E.
 */
int64_t
debug_dump(endpoint_t to, void *buf, size_t size)
{
	message m = { .m_type = DEBUG_DUMP };
	grant_id_t g = GRANT_INVALID;
	int r;

	if (buf && (g = cpf_grant_direct(to, buf, size, GRANT_WRITE)) == GRANT_INVALID)
		return -ENOMEM;
	m.m_debug_dump.grant = g;
	m.m_debug_dump.size = buf ? size : 0;
	r = ipc_sendrec(to, &m);
	if (g != GRANT_INVALID)
		cpf_revoke(g);
	if (r < 0)
		return r;
	return m.m_type < 0 ? m.m_type : (int64_t)m.m_debug_dump_reply.len;
}
