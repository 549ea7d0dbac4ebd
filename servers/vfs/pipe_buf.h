/*
 * The data of one pipe or FIFO, and the rules that say what a read or a
 * write of it does now: a ring of PIPE_SIZE bytes and the counts of its
 * open read and write ends, with no I/O of its own, so that
 * tests/unit/test_pipe_buf.c runs it on the host.  VFS's pipe code
 * (pipe.c) keeps the callers who wait and does the copies; this file only
 * decides.
 *
 * The rules are POSIX's, as Linux applies them:
 *  - a read takes what is there (at most what it asked for); an empty
 *    pipe with no writer left reads 0 (end of file); an empty pipe with a
 *    writer makes the reader wait, or EAGAIN with O_NONBLOCK;
 *  - a write with no reader left is EPIPE (and SIGPIPE, sent by VFS);
 *  - a write of at most PIPE_BUF bytes is atomic: it goes in whole or
 *    waits (EAGAIN with O_NONBLOCK), so the bytes of two such writes never
 *    interleave;
 *  - a larger write puts in what fits and waits for room for the rest
 *    (with O_NONBLOCK: what fits, or EAGAIN if nothing does).
 *
 * Copies in and out go through a callback, so that VFS copies straight
 * between the caller's memory and the ring (one safecopy per contiguous
 * piece); a copy that fails takes nothing from the ring and adds nothing
 * to it.
 */
#ifndef VFS_PIPE_BUF_H
#define VFS_PIPE_BUF_H

#include <ax/types.h>

#define PIPE_BUF  4096  /* writes up to this size are atomic (Linux's) */
#define PIPE_SIZE 65536 /* what a pipe holds (Linux's default); a power of two */

struct pipe_buf {
	uint8_t *pb_data;        /* PIPE_SIZE bytes, or NULL until the first write */
	size_t pb_tail, pb_head; /* running counters: used = head - tail */
	unsigned pb_readers;     /* open read ends (descriptions, not descriptors) */
	unsigned pb_writers;     /* open write ends */
};

/*
 * Copy len bytes between the ring at `ring` and the caller's buffer at
 * offset `off`: to the ring for a write, from it for a read.  0 or -E.
 */
typedef int (*pipe_copy_fn)(void *ctx, uint8_t *ring, size_t off, size_t len);

/* What a read or write may do now. */
enum pipe_verdict {
	PIPE_GO,     /* move *n bytes now (for a read, 0 means end of file) */
	PIPE_WAIT,   /* the caller must wait for the other end */
	PIPE_AGAIN,  /* would wait, and the caller asked not to: EAGAIN */
	PIPE_BROKEN, /* write with no reader: EPIPE and SIGPIPE */
};

void pipe_buf_init(struct pipe_buf *p, uint8_t *data);
size_t pipe_buf_used(const struct pipe_buf *p);
size_t pipe_buf_room(const struct pipe_buf *p);

/* A read of `want` bytes: PIPE_GO with *n, PIPE_WAIT or PIPE_AGAIN. */
enum pipe_verdict pipe_read_verdict(const struct pipe_buf *p, size_t want, bool nonblock,
				    size_t *n);
/*
 * A write whose caller asked for `total` bytes and has `done` of them in
 * already: PIPE_GO with *n (> 0), PIPE_WAIT, PIPE_AGAIN or PIPE_BROKEN.
 * The atomic rule looks at `total`: a small write never goes in in pieces.
 */
enum pipe_verdict pipe_write_verdict(const struct pipe_buf *p, size_t total, size_t done,
				     bool nonblock, size_t *n);

/* Move n bytes (as a verdict allowed) through copy; n, or -E with nothing moved. */
int64_t pipe_buf_read(struct pipe_buf *p, size_t n, pipe_copy_fn copy, void *ctx, size_t off);
int64_t pipe_buf_write(struct pipe_buf *p, size_t n, pipe_copy_fn copy, void *ctx, size_t off);

/* poll(2): the events of the read end and of the write end now. */
#define PIPE_POLLIN  0x001
#define PIPE_POLLOUT 0x004
#define PIPE_POLLERR 0x008
#define PIPE_POLLHUP 0x010
unsigned pipe_buf_poll_read(const struct pipe_buf *p);
unsigned pipe_buf_poll_write(const struct pipe_buf *p);

#endif
