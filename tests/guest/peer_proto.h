/*
 * The command protocol between the test runner and its peer processes
 * (peer.c, restricted.c).  Arguments travel in m_u64.v[].  A command is sent
 * with SEND or SENDREC; the ones marked "reply" answer the sender with SEND,
 * m_type 0 (or an error) and results in m_u64.v[].
 */
#ifndef PEER_PROTO_H
#define PEER_PROTO_H

#define PEER_BASE 0x2000

enum peer_cmd {
	PEER_ECHO = PEER_BASE, /* reply: the same payload */
	PEER_SEND_TO,          /* v0 target, v1 m_type: SEND it a message (no reply) */
	PEER_SENDREC_TO,       /* v0 target: SENDREC it PEER_ECHO; reply: v0 result, v1 echo */
	PEER_NOTIFY,           /* v0 target, v1 count: NOTIFY count times, then SEND PEER_DONE */
	PEER_SLEEP,            /* v0 ticks: wait on an alarm (no reply) */
	PEER_FAULT,            /* dereference a null pointer (no reply) */
	PEER_EXIT,             /* sys_exit(0) (no reply) */
	PEER_COUNT,            /* reply: v0 number of PEER_NOP messages received */
	PEER_NOP,              /* counted; no reply */
	PEER_DONE,             /* sent by a peer when a command is finished */
	PEER_PROBE,            /* restricted: try what it may not; reply: v0..v4 results */
	PEER_PANIC,            /* panic() with a message (no reply) */
	PEER_DEVIO,            /* v0 port: read it; reply: v0 result */
	PEER_IRQ,              /* v0 irq: attach and detach; reply: v0 result */
	PEER_ALARM,            /* set and cancel an alarm; reply: v0 result */
	PEER_WHO,              /* reply: m_text = the process's own name */
	PEER_CLEAR_AFTER, /* v0 ticks: sleep, then statectl(CLEAR_IPC_REFS); reply: v0 result */
	PEER_GRANT,       /* v0 grantee: grant it read access to the peer's name; reply: v0 id */
	PEER_RS,          /* v0 an RS request for label "hello"; reply: v0 result */
	PEER_HELLO_LOOP,  /* v0 hello's endpoint, v1 n: 100 reads, a NOTIFY, reads until
				   n came from a "Howdy" version (peer.c); reply: v0 answered,
				   v1 failed, v2 by a "Howdy" version */
	PEER_HEAP_ALLOC,  /* v0 size: malloc and fill with a pattern of that size;
				   reply: v0 the block (0: none), v1 heap end, v2 heap start */
	PEER_HEAP_CHECK,  /* v0 block, v1 size: reply: v0 1 if it holds its pattern,
				   v1 heap end, v2 heap start */
	PEER_HEAP_FREE,   /* v0 block: free it; reply: v1 heap end, v2 heap start */
	PEER_BRK,         /* v0 size: brk(heap start + size); reply: v0 result, v1 heap end */
	PEER_ATTACK,      /* v0 enum peer_attack, v1.. its arguments (peer_attack.c);
				   reply: v0 result, v1 a spawned child's endpoint */
	PEER_KCALL,       /* v0 a kernel call's number (0..63), v1 an endpoint: make that call
				   with only the endpoint in its message; reply: v0 result */
	PEER_PINGPONG,    /* v0 target, v1 n: n SENDRECs of PEER_ECHO to it, then SEND
				   the requester PEER_DONE with v0 the echoes that came back whole */
	PEER_SERVE,       /* v1 n: answer the next n requests (echoes) with REPLYRECV,
				   a server that hands off at every reply; no reply itself */
	PEER_FPU_SET,     /* v0 into xmm15; reply */
	PEER_FPU_GET,     /* reply: v0 what xmm15 holds */
	PEER_CDEV_READ,   /* v0 a character driver, v1 a bound in ticks: open minor 0 and
				   read one byte, a call bounded by v1 (cdev_set_bounds);
				   reply: v0 the read's result, v1 the byte */
	PEER_BDEV,        /* v0 a block driver, v1 BDEV_OPEN, BDEV_CLOSE, BDEV_READ or
				   BDEV_WRITE, v2 a minor, v3 (write) a byte: that request
				   by SENDREC (open: read and write access; a transfer:
				   the minor's first sector, a write of v3 bytes);
				   reply: v0 its status, v1 (read) the first byte read */
};

/* What a peer holding exactly the privileges an attack needs tries (test_authority.c). */
enum peer_attack {
	ATK_KILL = 1, /* v1 target, v2 signal */
	ATK_UPDATE,   /* v1, v2: swap their slots */
	ATK_CLEAR,    /* v1 target */
	ATK_PRIVCTL,  /* v1 target, v2 request (no description), v3 base, v4 limit */
	ATK_SET,      /* v1 target, v2 call mask, v3 ATK_SET_* below, v4 IRQ mask,
				   v5 memory limit (0: the default) */
	ATK_SPAWN,    /* a held empty slot (v1 != 0: the peer program loaded by the kernel);
				   reply v1: its endpoint */
	ATK_RESPAWN,  /* v1 a dead process: its slot emptied (v2 != 0: the peer program in it) */
	ATK_LINUXCTL, /* v1 a class of Linux calls: serve it */
	ATK_BUILD,    /* v1 a held empty slot the peer manages: VM builds the peer program there
				   (vm_build_image, under the memlimit the peer gave it) */
};

#define ATK_SET_ALL_PORTS 0x1 /* I/O ports 0-0xffff */
#define ATK_SET_ALL_IPC   0x2
#define ATK_SET_ROOT      0x4  /* PRIV_FLAG_ROOT */
#define ATK_SET_MANAGE    0x8  /* the peer its signal manager (so that it may build it) */
#define ATK_SET_VM        0x10 /* IPC to VM (its heap is VM's) */

struct message;
void peer_attack(struct message *m);

#endif
