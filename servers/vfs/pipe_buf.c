/*
 * A pipe's ring and its rules (pipe_buf.h).  The ring is indexed by
 * running counters masked to PIPE_SIZE; a copy touches at most two
 * contiguous pieces of it (before and after the wrap).
 */
#include "pipe_buf.h"
#include <ax/errno.h>

#define PIPE_MASK (PIPE_SIZE - 1)

AX_STATIC_ASSERT((PIPE_SIZE & PIPE_MASK) == 0, "the pipe ring is a power of two");
AX_STATIC_ASSERT(PIPE_BUF <= PIPE_SIZE, "an atomic write fits in an empty pipe");

void
pipe_buf_init(struct pipe_buf *p, uint8_t *data)
{
	*p = (struct pipe_buf){ .pb_data = data };
}

size_t
pipe_buf_used(const struct pipe_buf *p)
{
	return p->pb_head - p->pb_tail;
}

size_t
pipe_buf_room(const struct pipe_buf *p)
{
	return PIPE_SIZE - pipe_buf_used(p);
}

enum pipe_verdict
pipe_read_verdict(const struct pipe_buf *p, size_t want, bool nonblock, size_t *n)
{
	size_t used = pipe_buf_used(p);

	*n = 0;
	if (want == 0)
		return PIPE_GO;
	if (used > 0) {
		*n = used < want ? used : want;
		return PIPE_GO;
	}
	if (p->pb_writers == 0)
		return PIPE_GO; /* end of file */
	return nonblock ? PIPE_AGAIN : PIPE_WAIT;
}

enum pipe_verdict
pipe_write_verdict(const struct pipe_buf *p, size_t total, size_t done, bool nonblock, size_t *n)
{
	size_t left = total - done, room = pipe_buf_room(p);

	*n = 0;
	if (p->pb_readers == 0)
		return PIPE_BROKEN;
	if (left == 0)
		return PIPE_GO;
	if (total <= PIPE_BUF) {
		if (room >= left) {
			*n = left;
			return PIPE_GO;
		}
	} else if (room > 0) {
		*n = room < left ? room : left;
		return PIPE_GO;
	}
	return nonblock ? PIPE_AGAIN : PIPE_WAIT;
}

/*
 * Copy n bytes at ring position `pos` (a running counter) through copy, in
 * at most two pieces.
 */
static int
copy_ring(struct pipe_buf *p, size_t pos, size_t n, pipe_copy_fn copy, void *ctx, size_t off)
{
	size_t start = pos & PIPE_MASK, first = PIPE_SIZE - start;
	int r;

	if (first > n)
		first = n;
	if ((r = copy(ctx, p->pb_data + start, off, first)) < 0)
		return r;
	if (n > first && (r = copy(ctx, p->pb_data, off + first, n - first)) < 0)
		return r;
	return 0;
}

int64_t
pipe_buf_read(struct pipe_buf *p, size_t n, pipe_copy_fn copy, void *ctx, size_t off)
{
	int r;

	if (n > pipe_buf_used(p))
		return -EINVAL;
	if (n == 0)
		return 0;
	if ((r = copy_ring(p, p->pb_tail, n, copy, ctx, off)) < 0)
		return r;
	p->pb_tail += n;
	return (int64_t)n;
}

int64_t
pipe_buf_write(struct pipe_buf *p, size_t n, pipe_copy_fn copy, void *ctx, size_t off)
{
	int r;

	if (n > pipe_buf_room(p) || (n > 0 && !p->pb_data))
		return -EINVAL;
	if (n == 0)
		return 0;
	if ((r = copy_ring(p, p->pb_head, n, copy, ctx, off)) < 0)
		return r;
	p->pb_head += n;
	return (int64_t)n;
}

/* Readable with data, or at end of file (no writer: POLLHUP too). */
unsigned
pipe_buf_poll_read(const struct pipe_buf *p)
{
	unsigned ev = 0;

	if (pipe_buf_used(p) > 0)
		ev |= PIPE_POLLIN;
	if (p->pb_writers == 0)
		ev |= PIPE_POLLHUP;
	return ev;
}

/* Writable when an atomic write would go in at once; POLLERR with no reader. */
unsigned
pipe_buf_poll_write(const struct pipe_buf *p)
{
	if (p->pb_readers == 0)
		return PIPE_POLLERR;
	return pipe_buf_room(p) >= PIPE_BUF ? PIPE_POLLOUT : 0;
}
