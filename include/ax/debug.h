/*
 * The requests every server answers (message types 0x0300-0x03ff), through
 * the shared dispatcher in libsys (lib/libsys/dispatch.h).
 *
 *   DEBUG_DUMP   msg_debug_dump: the server prints every table it has, a
 *                line per entry, after a first line "name(endpoint): ...".
 *                With `grant` GRANT_INVALID the text goes to the console;
 *                otherwise into the grant (the server may write, `size`
 *                bytes; the rest is cut).  Reply (m_type 0 or -E):
 *                msg_debug_dump_reply, the length of the whole text.
 *                DEBUG_NOREPLY: no reply (RS forwards a console key's dump
 *                request this way, to services that are not waiting).
 *
 * Any other request number a server has no handler for is answered
 * ENOSYS.  (A driver does not answer a message with m_type 0 or below
 * that did not come by SENDREC: it is somebody's reply, and answering it
 * by asynsend could start two processes answering each other forever.)
 */
#ifndef AX_DEBUG_H
#define AX_DEBUG_H

#include <ax/types.h>
#include <ax/grant.h>

#define DEBUG_BASE 0x0300
#define DEBUG_DUMP (DEBUG_BASE + 0)

#define DEBUG_NOREPLY 0x01 /* msg_debug_dump.flags */

struct msg_debug_dump {
	grant_id_t grant; /* GRANT_INVALID: to the console */
	uint32_t flags;
	uint64_t size; /* bytes the grant holds */
	uint8_t pad[40];
};

struct msg_debug_dump_reply {
	uint64_t len; /* the whole text's length (cut at size) */
	uint8_t pad[48];
};

#endif
