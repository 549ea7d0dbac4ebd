/*
 * The command protocol of the "driver" helper (driver.c): a driver-like
 * server that copies through grants named in requests.  Arguments travel in
 * m_u64.v[]; every command is answered (send it with SENDREC) with m_type 0
 * or -E and results in v[].
 *
 * Each driver has two buffers of DRV_BUF_SIZE bytes: `work`, where copies
 * land and come from, and `exposed`, the memory it grants to others and
 * lets the runner inspect (DRV_PEEK), so its own copies never disturb it.
 *
 * The owner of every grant named in a request is the request's m_source,
 * never a field of the body: DRV_READ_FOR and DRV_WRITE_FOR carry a
 * "victim" endpoint that the driver must ignore (the confused-deputy rule).
 */
#ifndef DRIVER_PROTO_H
#define DRIVER_PROTO_H

#include <ax/types.h>

#define DRV_BASE     0x2100
#define DRV_BUF_SIZE (64 * 1024)

enum drv_cmd {
	DRV_READ = DRV_BASE, /* v0 grant, v1 offset, v2 len: grant -> work;
				   reply: v0 checksum of work[0..len), v1 its first 8 bytes */
	DRV_WRITE,           /* v0 grant, v1 offset, v2 len, v3 byte: work[0..len) := byte,
				   then work -> grant */
	DRV_VCOPY,           /* v0 src grant, v1 dst grant, v2 len: one vsafecopy of two
				   elements, src grant -> work -> dst grant */
	DRV_FORWARD,         /* v0 grant, v1 target, v2 DRV_READ or DRV_WRITE, v3 offset,
				   v4 len, v5 byte: re-grant indirectly to target, ask it to do
				   the command, revoke; reply: target's, v2 the revoked id */
	DRV_READ_FOR,        /* v0 victim (ignored), v1 grant, v2 offset, v3 len */
	DRV_WRITE_FOR,       /* v0 victim (ignored), v1 grant, v2 offset, v3 len, v4 */
	DRV_GRANT,           /* v0 grantee, v1 offset, v2 len, v3 access: direct grant of
				   exposed[offset..]; reply: v0 id */
	DRV_REGRANT,         /* v0 grant, v1 grantee: indirect grant of the requester's
				   grant; reply: v0 id */
	DRV_MAGIC,           /* v0 grantee, v1 from, v2 addr, v3 len, v4 access: magic
				   grant of from's memory; reply: v0 id */
	DRV_REVOKE,          /* v0 id: revoke one of its grants */
	DRV_ASK,             /* v0 target, v1 command, v2..v6 its v0..v4: SENDREC it to
				   target; reply: target's reply */
	DRV_PEEK,            /* v0 offset, v1 len: reply: v0 checksum of exposed[offset..],
				   v1 its first 8 bytes, v2 the address of exposed */
	DRV_FILL,            /* v0 offset, v1 len, v2 byte: fill exposed[offset..] */
};

/* FNV-1a: order matters, so a shifted or partial copy changes the sum. */
static inline uint64_t
drv_checksum(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

#endif
