/*
 * Unit tests of servers/vfs/pipe_buf.c, a pipe's ring and its rules,
 * built for the host: the verdicts a read or a write gets (end of file,
 * waiting, EAGAIN, EPIPE, PIPE_BUF atomicity), the bytes that come out in
 * order across the ring's wrap, a failing copy that moves nothing, and
 * what poll sees on each end.
 */
#include "host_prefix.h"

#include <ax/types.h>
#include <ax/errno.h>
#include <string.h>

#include "pipe_buf.h"
#include "unit.h"

static uint8_t ring[PIPE_SIZE];
static struct pipe_buf pb;

/* The caller's buffer the copies use; fail_at: the copy that fails (0: none). */
static uint8_t user[2 * PIPE_SIZE];
static int copies, fail_at;

static int
to_ring(void *ctx, uint8_t *r, size_t off, size_t len)
{
	(void)ctx;
	if (++copies == fail_at)
		return -EFAULT;
	ax_memcpy(r, user + off, len);
	return 0;
}

static int
from_ring(void *ctx, uint8_t *r, size_t off, size_t len)
{
	(void)ctx;
	if (++copies == fail_at)
		return -EFAULT;
	ax_memcpy(user + off, r, len);
	return 0;
}

static void
setup(void)
{
	pipe_buf_init(&pb, ring);
	pb.pb_readers = pb.pb_writers = 1;
	copies = fail_at = 0;
}

/* Write n bytes of pattern starting at value `seed`, as one verdict allows. */
static int64_t
put(size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		user[i] = (uint8_t)(seed + i);
	return pipe_buf_write(&pb, n, to_ring, NULL, 0);
}

/* Read n bytes and check they continue the pattern from `seed`. */
static bool
take(size_t n, uint8_t seed)
{
	ax_memset(user, 0, n);
	if (pipe_buf_read(&pb, n, from_ring, NULL, 0) != (int64_t)n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (user[i] != (uint8_t)(seed + i))
			return false;
	return true;
}

TEST(pipe_read_rules, "a read takes what is there, waits on an empty pipe with a writer "
		      "(EAGAIN if non-blocking) and reads end of file with none")
{
	size_t n;

	setup();
	CHECK_EQ_INT(pipe_read_verdict(&pb, 10, false, &n), PIPE_WAIT);
	CHECK_EQ_INT(pipe_read_verdict(&pb, 10, true, &n), PIPE_AGAIN);
	CHECK_EQ_INT(put(4, 1), 4);
	CHECK_EQ_INT(pipe_read_verdict(&pb, 10, false, &n), PIPE_GO);
	CHECK_EQ_INT(n, 4);
	CHECK_EQ_INT(pipe_read_verdict(&pb, 3, true, &n), PIPE_GO);
	CHECK_EQ_INT(n, 3);
	CHECK(take(3, 1));
	pb.pb_writers = 0; /* data left is still read before the end */
	CHECK_EQ_INT(pipe_read_verdict(&pb, 10, false, &n), PIPE_GO);
	CHECK_EQ_INT(n, 1);
	CHECK(take(1, 4));
	CHECK_EQ_INT(pipe_read_verdict(&pb, 10, false, &n), PIPE_GO);
	CHECK_EQ_INT(n, 0); /* end of file */
	CHECK_EQ_INT(pipe_read_verdict(&pb, 0, false, &n), PIPE_GO);
}

TEST(pipe_write_atomic, "a write of at most PIPE_BUF bytes goes in whole or waits; a larger one "
			"goes in as far as room allows")
{
	size_t n;

	setup();
	CHECK_EQ_INT(put(PIPE_SIZE - 100, 0), PIPE_SIZE - 100);
	/* 200 bytes, 100 free: atomic, so nothing goes in. */
	CHECK_EQ_INT(pipe_write_verdict(&pb, 200, 0, false, &n), PIPE_WAIT);
	CHECK_EQ_INT(pipe_write_verdict(&pb, 200, 0, true, &n), PIPE_AGAIN);
	CHECK_EQ_INT(pipe_write_verdict(&pb, PIPE_BUF, 0, true, &n), PIPE_AGAIN);
	/* PIPE_BUF + 1 bytes: not atomic, 100 go in now. */
	CHECK_EQ_INT(pipe_write_verdict(&pb, PIPE_BUF + 1, 0, false, &n), PIPE_GO);
	CHECK_EQ_INT(n, 100);
	CHECK_EQ_INT(pipe_write_verdict(&pb, 100, 0, true, &n), PIPE_GO);
	CHECK_EQ_INT(n, 100);
	CHECK_EQ_INT(put(100, 0), 100);
	/* Full: even a large write waits. */
	CHECK_EQ_INT(pipe_write_verdict(&pb, 2 * PIPE_SIZE, 100, false, &n), PIPE_WAIT);
	CHECK_EQ_INT(pipe_write_verdict(&pb, 2 * PIPE_SIZE, 100, true, &n), PIPE_AGAIN);
	/* A write done to its end has nothing left to do. */
	CHECK_EQ_INT(pipe_write_verdict(&pb, 50, 50, false, &n), PIPE_GO);
	CHECK_EQ_INT(n, 0);
	CHECK_EQ_INT(pipe_buf_write(&pb, 1, to_ring, NULL, 0), -EINVAL); /* past a verdict */
}

TEST(pipe_write_broken, "a write with no reader left is EPIPE, whatever the room")
{
	size_t n;

	setup();
	pb.pb_readers = 0;
	CHECK_EQ_INT(pipe_write_verdict(&pb, 1, 0, false, &n), PIPE_BROKEN);
	CHECK_EQ_INT(pipe_write_verdict(&pb, 1, 0, true, &n), PIPE_BROKEN);
	CHECK_EQ_INT(pipe_write_verdict(&pb, 0, 0, true, &n), PIPE_BROKEN);
}

TEST(pipe_wraps_in_order, "bytes come out in the order they went in, across the ring's wrap, in "
			  "two copies at most")
{
	setup();
	CHECK_EQ_INT(put(PIPE_SIZE - 10, 7), PIPE_SIZE - 10);
	CHECK(take(PIPE_SIZE - 20, 7));
	copies = 0;
	CHECK_EQ_INT(put(100, 33), 100); /* 20 before the end, 80 after */
	CHECK_EQ_INT(copies, 2);
	CHECK(take(10, (uint8_t)(7 + PIPE_SIZE - 20)));
	copies = 0;
	CHECK(take(100, 33));
	CHECK_EQ_INT(copies, 2);
	CHECK_EQ_INT(pipe_buf_used(&pb), 0);
	CHECK_EQ_INT(pipe_buf_room(&pb), PIPE_SIZE);
}

TEST(pipe_failed_copy, "a copy that fails (a bad user buffer) moves nothing, in either direction")
{
	setup();
	CHECK_EQ_INT(put(PIPE_SIZE - 10, 0), PIPE_SIZE - 10);
	CHECK(take(PIPE_SIZE - 10, 0));
	copies = 0;
	fail_at = 2; /* the second piece of the wrapped write */
	CHECK_EQ_INT(put(30, 5), -EFAULT);
	CHECK_EQ_INT(pipe_buf_used(&pb), 0);
	fail_at = 0;
	CHECK_EQ_INT(put(30, 5), 30);
	copies = 0;
	fail_at = 1;
	CHECK_EQ_INT(pipe_buf_read(&pb, 30, from_ring, NULL, 0), -EFAULT);
	CHECK_EQ_INT(pipe_buf_used(&pb), 30);
	fail_at = 0;
	CHECK(take(30, 5));
	CHECK_EQ_INT(pipe_buf_read(&pb, 1, from_ring, NULL, 0), -EINVAL); /* more than there is */
}

TEST(pipe_poll_events, "poll: the read end is readable with data and hung up with no writer; the "
		       "write end writable with PIPE_BUF free, in error with no reader")
{
	setup();
	CHECK_EQ_INT(pipe_buf_poll_read(&pb), 0);
	CHECK_EQ_INT(pipe_buf_poll_write(&pb), PIPE_POLLOUT);
	CHECK_EQ_INT(put(PIPE_SIZE - PIPE_BUF, 0), PIPE_SIZE - PIPE_BUF);
	CHECK_EQ_INT(pipe_buf_poll_read(&pb), PIPE_POLLIN);
	CHECK_EQ_INT(pipe_buf_poll_write(&pb), PIPE_POLLOUT);
	CHECK_EQ_INT(put(1, 0), 1);
	CHECK_EQ_INT(pipe_buf_poll_write(&pb), 0); /* an atomic write would wait */
	pb.pb_writers = 0;
	CHECK_EQ_INT(pipe_buf_poll_read(&pb), PIPE_POLLIN | PIPE_POLLHUP);
	pb.pb_readers = 0;
	CHECK_EQ_INT(pipe_buf_poll_write(&pb), PIPE_POLLERR);
}

TEST(pipe_lazy_ring, "a pipe has no ring until its first write; a write then is refused, not "
		     "written through a null pointer")
{
	size_t n;

	pipe_buf_init(&pb, NULL);
	pb.pb_readers = pb.pb_writers = 1;
	CHECK_EQ_INT(pipe_read_verdict(&pb, 1, true, &n), PIPE_AGAIN);
	CHECK_EQ_INT(pipe_buf_write(&pb, 1, to_ring, NULL, 0), -EINVAL);
	CHECK_EQ_INT(pipe_buf_write(&pb, 0, to_ring, NULL, 0), 0);
}
