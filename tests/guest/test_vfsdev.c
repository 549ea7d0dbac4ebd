/*
 * Pipes, poll and devices that come back (docs/files.md), end to end: the
 * test asks PM to start the static musl program vfsdev (user/vfsdev) in
 * one of its modes; its calls go through the kernel's Linux trap to VFS,
 * and it reports through its exit status (0: every check passed).  For the
 * device tests the test crashes the driver itself, at the moment the
 * program needs it crashed, which it learns from the driver.
 */
#include "guest.h"
#include <bdev.h>
#include <cdev_client.h>
#include <ax/hello.h>
#include <ax/linux.h>
#include <ax/memory.h>
#include <ax/pm.h>
#include <ax/signal.h>

#define SIGPIPE_LX 13

/* Run vfsdev in mode to its end: its wait status, or -E. */
static int
run_mode(const char *mode)
{
	struct msg_pm_reply r;
	int e;

	if ((e = proc_start("vfsdev", mode, &r)) < 0)
		return e;
	return proc_wait(r.pid);
}

TEST(vfs, pipe,
     "a pipe in one process (bytes in order, EAGAIN, PIPE_BUF atomicity, a large write as far "
     "as room allows, end of file, ESPIPE, bad flags and pointers), then between two "
     "processes: 200 KiB in small atomic writes and a large one that waits for the reader")
{
	EXPECT_EQ(run_mode("pipe"), 0);
	EXPECT_EQ(run_mode("pipe_fork"), 0);
}

TEST(vfs, pipe_sigpipe,
     "a write to a pipe with no reader fails with EPIPE and ends the writer "
     "with SIGPIPE")
{
	EXPECT_EQ(run_mode("sigpipe"), LX_W_TERMSIG(SIGPIPE_LX));
}

TEST(vfs, pipe_reader_exits,
     "the other end's process exits under a waiting call: a writer blocked on a full pipe or "
     "FIFO gets its bytes, then EPIPE and SIGPIPE (or dies of it); a blocked reader gets end "
     "of file; poll gets POLLERR or POLLHUP")
{
	EXPECT_EQ(run_mode("reader_exits"), 0);
}

TEST(vfs, poll,
     "poll on pipes (readable, writable, hung up, in error), a timeout, /dev/null, a "
     "directory and a bad descriptor")
{
	EXPECT_EQ(run_mode("poll"), 0);
}

static endpoint_t
hello(void)
{
	endpoint_t e = NONE;

	return ds_retrieve_label("hello", &e) == 0 ? e : NONE;
}

/* hello's answer to a counter ioctl (HELLO_IOC_OPENS, HELLO_IOC_DROPS), or -E. */
static int64_t
hello_count(endpoint_t h, unsigned request)
{
	uint32_t n = 0;
	int64_t r = cdev_ioctl(h, 0, request, &n);

	return r < 0 ? r : (int64_t)n;
}

/* Wait until hello's counter passes `from`; false if it does not in AWAIT_TICKS. */
static bool
await_count(endpoint_t h, unsigned request, int64_t from)
{
	for (int t = 0; t < AWAIT_TICKS; t++) {
		if (hello_count(h, request) > from)
			return true;
		tickdelay(1);
	}
	return false;
}

/* Crash hello (through the test's own open) and wait until RS has a new instance up. */
static bool
crash_hello(endpoint_t h)
{
	cdev_set_bounds(0, 0);
	cdev_ioctl(h, 0, HELLO_IOC_CRASH, NULL);
	cdev_set_bounds(CDEV_BOUND_TICKS, 0);
	for (int t = 0; t < AWAIT_TICKS; t++) {
		endpoint_t now = hello();
		uint32_t restarts = 0;

		if (now != NONE && now != h && service("hello", &restarts) == now)
			return true;
		tickdelay(1);
	}
	return false;
}

TEST(vfs, dev_up_char,
     "hello crashes while a process has it open: its descriptor works again on the new "
     "instance, with at most EIO on the way; a request in flight fails with EIO, no hang")
{
	struct msg_pm_reply r;
	endpoint_t h = hello();
	int64_t opens;

	EXPECT(h != NONE, "no hello driver");
	EXPECT_EQ(cdev_open(h, 0, CDEV_R_BIT), 0);
	opens = hello_count(h, HELLO_IOC_OPENS);
	EXPECT(opens > 0, "hello's open count: %lld", (long long)opens);
	EXPECT_EQ(proc_start("vfsdev", "hello", &r), 0);
	EXPECT(await_count(h, HELLO_IOC_OPENS, opens), "the program never opened /dev/hello");
	EXPECT(crash_hello(h), "hello did not come back");
	EXPECT_EQ(proc_wait(r.pid), 0);

	/* A request hello took and never answers, in flight when it crashes. */
	h = hello();
	EXPECT_EQ(cdev_open(h, 0, CDEV_R_BIT), 0);
	EXPECT_EQ(proc_start("vfsdev", "hello_drop", &r), 0);
	EXPECT(await_count(h, HELLO_IOC_DROPS, 0), "the program's ioctl never reached hello");
	EXPECT(crash_hello(h), "hello did not come back");
	EXPECT_EQ(proc_wait(r.pid), 0);
}

#include "ram_fs.h"

TEST(vfs, dev_up_block,
     "the RAM disk driver crashes under an MFS writer: every byte of the file reads back after "
     "a fresh mount")
{
	int d = bdev_driver("memory");
	bdev_t ram = bdev_dev(d, MEMORY_RAM(2));
	uint32_t before = 0, after = 0, n = 12;

	EXPECT(d >= 0, "no memory driver");
	test_cleanup(ram_fs_free);
	EXPECT_EQ(ram_fs_setup(ram), 0);
	EXPECT(service("memory", &before) != NONE, "memory is not running");
	/*
	 * The driver dies at the 12th block request from now: under the
	 * program's mount or its sync, whose writes libbdev must resend.
	 */
	EXPECT_EQ(bdev_ioctl(ram, MIOCCRASH, &n), 0);
	EXPECT_EQ(run_mode("blockwrite"), 0);
	EXPECT(service("memory", &after) != NONE, "memory did not come back");
	EXPECT(after > before, "memory never crashed (restarts %u, then %u)", before, after);
}
