/*
 * DS's dispatch table: the index of what DS does, one line per request,
 * served by libsys's dispatcher (dispatch.h): a request number without an
 * entry answers ENOSYS, DEBUG_DUMP prints ds_tables.  The handler's result
 * becomes the reply's m_type; the reply is sent with SENDNB, so a caller
 * that sent with SEND instead of SENDREC loses its reply but cannot block
 * DS.
 */
#include "ds.h"

/* clang-format off */
static dispatch_fn *const ds_calls[DS_NR_REQUESTS] = {
	[DS_PUBLISH - DS_BASE] = do_publish,
	[DS_RETRIEVE - DS_BASE] = do_retrieve,
	[DS_DELETE - DS_BASE] = do_delete,
	[DS_SUBSCRIBE - DS_BASE] = do_subscribe,
	[DS_CHECK - DS_BASE] = do_check,
	[DS_RETRIEVE_LABEL - DS_BASE] = do_retrieve_label,
	[DS_BACKUP - DS_BASE] = do_backup,
};
/* clang-format on */

static const struct dispatch ds_dispatch = DISPATCH(DS_BASE, ds_calls, ds_tables);

void
ds_serve(message *m)
{
	endpoint_t caller = m->m_source;
	int r = dispatch(&ds_dispatch, caller, m);

	if (DS_TRACE && r < 0)
		printf("ds: request %#x from %d refused: %d\n", m->m_type, caller, r);
	dispatch_reply(caller, m, r);
}
