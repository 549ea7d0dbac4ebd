/*
 * What bench asks bench_srv besides the round trip (which is any other
 * m_type, echoed).  BENCH_GRANT: bench_srv grants the sender read access
 * to its BENCH_GRANT_SIZE-byte buffer and replies with m_type 0 (or -E) and
 * the grant id in m_u64.v[0].  BENCH_REPLYRECV: echoed like the round trip,
 * but the reply and bench_srv's next receive are one REPLYRECV call.
 */
#ifndef BENCH_PROTO_H
#define BENCH_PROTO_H

#define BENCH_GRANT      0x2200
#define BENCH_GRANT_SIZE (64 * 1024)
#define BENCH_REPLYRECV  0x2201

#endif
