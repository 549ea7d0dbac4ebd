/*
 * The IPC system-call interface for system processes.
 *
 * Entry is the `syscall` instruction with the call in rax (IPC_BASE + the
 * number in ipc.def), the peer endpoint (or the SENDA count) in rdi and the
 * message (or SENDA table) pointer in rsi.  The result comes back in rax: 0
 * or -E.  RECEIVE and SENDREC also return a status word in rdx that says how
 * the message was sent (IPC_STATUS_CALL), so a receiver can tell a
 * notification from a request without trusting m_type.
 *
 * REPLYRECV is a server's loop in one call: SENDNB the message in the
 * buffer to rdi (a reply, to a client waiting in SENDREC; its status says
 * SENDNB), then RECEIVE from rdx into the same buffer.  If the reply cannot
 * be delivered the call returns that error at once, without receiving.
 *
 * IPC_BASE puts these numbers outside Linux's x86-64 range (0..~460) and its
 * x32 range (bit 30), so the same instruction serves both ABIs; only system
 * processes may use the native numbers.
 *
 * Message buffers must be 16-byte aligned (EINVAL), in the caller's user
 * half and mapped (EFAULT), and writable for receives.
 */
#ifndef AX_IPC_H
#define AX_IPC_H

#include <ax/message.h>
#include <ax/endpoint.h>

#define IPC_BASE 0xA000

enum ipc_call {
#define IPC_CALL(nr, NAME, name) IPC_##NAME = IPC_BASE + (nr),
#include <ax/ipc.def>
#undef IPC_CALL
};

#define IPC_NR_CALLS 8 /* numbers < this, after IPC_BASE */

/* The receive status word (rdx). */
#define IPC_STATUS_CALL(status) ((status)&0xff) /* the IPC_* number - IPC_BASE */
#define IPC_STATUS_NOTIFY       (IPC_NOTIFY - IPC_BASE)
#define IPC_STATUS_SENDA        (IPC_SENDA - IPC_BASE)

static inline bool
ipc_status_is_notify(uint64_t status)
{
	return IPC_STATUS_CALL(status) == IPC_STATUS_NOTIFY;
}

/* Was the message sent by SENDREC (its sender now waits for the reply)? */
static inline bool
ipc_status_is_sendrec(uint64_t status)
{
	return IPC_STATUS_CALL(status) == IPC_SENDREC - IPC_BASE;
}

/*
 * SENDA: an array of these in the sender's memory.  The kernel delivers each
 * AMF_VALID entry that is not yet AMF_DONE, writes the outcome into `result`
 * and sets AMF_DONE.  Entries it cannot deliver now stay pending until the
 * receiver calls RECEIVE; the table must stay put until then (a new SENDA
 * call replaces the registered table).
 */
#define AMF_VALID   0x01 /* entry is in use */
#define AMF_DONE    0x02 /* kernel: delivered or failed; result is set */
#define AMF_NOTIFY  0x04 /* notify the sender (from ASYNCM) when done */
#define AMF_NOREPLY 0x08 /* never satisfies a SENDREC's receive half */

typedef struct asynmsg {
	uint32_t flags;
	endpoint_t dst;
	int32_t result;
	uint32_t pad;
	message msg;
} asynmsg_t;

AX_STATIC_ASSERT(sizeof(asynmsg_t) == 80, "asynmsg_t layout");

#define SENDA_MAX 64 /* most entries in one table */

#endif
