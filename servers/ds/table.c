/*
 * DS's dispatch table: the index of what DS does, one line per request.
 * A request number without an entry answers ENOSYS.  The handler's result
 * becomes the reply's m_type; the reply is sent with SENDNB, so a caller
 * that sent with SEND instead of SENDREC loses its reply but cannot block
 * DS.
 */
#include "ds.h"

static const ds_handler ds_table[DS_NR_REQUESTS] = {
	[DS_PUBLISH - DS_BASE] = do_publish,
	[DS_RETRIEVE - DS_BASE] = do_retrieve,
	[DS_DELETE - DS_BASE] = do_delete,
	[DS_SUBSCRIBE - DS_BASE] = do_subscribe,
	[DS_CHECK - DS_BASE] = do_check,
	[DS_RETRIEVE_LABEL - DS_BASE] = do_retrieve_label,
	[DS_DUMP - DS_BASE] = do_dump,
	[DS_BACKUP - DS_BASE] = do_backup,
};

void
ds_dispatch(message *m)
{
	int nr = m->m_type - DS_BASE, r;
	endpoint_t caller = m->m_source;

	if (nr < 0 || nr >= DS_NR_REQUESTS || !ds_table[nr])
		r = -ENOSYS;
	else
		r = ds_table[nr](m);
	if (DS_TRACE && r < 0)
		printf("ds: request %#x from %d refused: %d\n", nr + DS_BASE, caller, r);
	m->m_type = r;
	ipc_sendnb(caller, m);
}
