/*
 * The command protocol of the "dsclient" helper (dsclient.c): a second
 * client of DS for the ds.* tests, so that a test can watch a subscriber
 * from outside and try what "another process" may not do.  Commands carry
 * DS's own payloads (include/ax/ds.h); each is answered (send it with
 * SENDREC) with m_type the result of the DS call dsclient made.
 */
#ifndef DSCLIENT_PROTO_H
#define DSCLIENT_PROTO_H

#define DSC_BASE 0x2400

enum dsc_cmd {
	DSC_SUBSCRIBE = DSC_BASE, /* m_ds_subscribe: ds_subscribe(pattern, flags) */
	DSC_PUBLISH,              /* m_ds_publish: ds_publish_u32(key, value, flags) */
	DSC_RETRIEVE,             /* m_ds_retrieve: ds_retrieve_<type>(key); reply:
				   m_ds_retrieve_reply (value, endpt, len) */
	DSC_DELETE,               /* m_ds_delete: ds_delete(key, type) */
	DSC_CHECK,                /* ds_check(); reply: m_ds_key_reply */
	DSC_NOTIFIES, /* reply: m_u64.v[0] NOTIFYs from DS since the last DSC_NOTIFIES */
};

#endif
