/*
 * Creating processes at run time (sys_spawn), the way RS does: copy a boot
 * module's executable (getinfo IMAGE), start it in a fresh slot, give it
 * privileges, let it run.
 */
#include "guest.h"
#include <stdlib.h>

#define IMAGE_MAX (256 * 1024)

static uint8_t *image; /* from the heap: not in every test process's bss */

/* Copy the boot module running `program` into image[]; its size, or -E. */
static long
copy_module(const char *program)
{
	size_t size;
	int r;

	if (!image && !(image = malloc(IMAGE_MAX)))
		return -ENOMEM;
	if ((r = sys_getimage_named(program, image, IMAGE_MAX, &size)) < 0)
		return r;
	return size <= IMAGE_MAX ? (long)size : -E2BIG;
}

static int
allow_basic(endpoint_t e)
{
	struct priv_desc d;
	int r;

	memset(&d, 0, sizeof(d));
	d.call_mask = (1ull << (KCALL_GETINFO - KCALL_BASE)) | (1ull << (KCALL_EXIT - KCALL_BASE)) |
		      (1ull << (KCALL_DIAGCTL - KCALL_BASE)) |
		      (1ull << (KCALL_SETALARM - KCALL_BASE));
	d.sig_mgr = NONE;
	d.nr_ipc = PRIV_DESC_ALL_IPC;
	if ((r = sys_privctl(e, PRIVCTL_SET, &d, 0, 0)) < 0)
		return r;
	return sys_privctl(e, PRIVCTL_ALLOW, NULL, 0, 0);
}

TEST(spawn, image,
     "a process created from an executable runs once given privileges; bad images are refused")
{
	long size = copy_module("peer");
	endpoint_t e = NONE, e2 = NONE;
	const void *mapped;
	size_t mapped_size;
	message m;

	EXPECT(size > 0, "no peer module to copy (%ld)", size);
	EXPECT_EQ(sys_spawn(image, size, "spawned", "one two", &e), 0);
	memset(&m, 0, sizeof(m));
	m.m_type = PEER_ECHO;
	EXPECT_EQ(ipc_sendnb(e, &m), -EPERM); /* no privileges yet: a user process, no native IPC */
	EXPECT_EQ(allow_basic(e), 0);
	EXPECT_EQ(peer_call(e, PEER_WHO, 0, 0, &m), 0);
	EXPECT(strcmp(m.m_text.text, "spawned") == 0, "it is called %s", m.m_text.text);

	/* It ends; a new process may get its slot, never its endpoint. */
	EXPECT_EQ(peer_command(e, PEER_EXIT, 0, 0), 0);
	EXPECT_EQ(await_gone(e), 0);
	EXPECT_EQ(sys_spawn(image, size, "spawned2", NULL, &e2), 0);
	EXPECT(e2 != e, "endpoint %d reused", e);
	EXPECT_EQ(ipc_send(e, &m), -EDEADSRCDST);
	EXPECT_EQ(allow_basic(e2), 0);
	EXPECT_EQ(peer_call(e2, PEER_ECHO, 0, 0, &m), 0);
	EXPECT_EQ(peer_command(e2, PEER_EXIT, 0, 0), 0);

	/* Bad images and arguments. */
	image[1] = 'X';
	EXPECT_EQ(sys_spawn(image, size, "bad", NULL, &e), -ENOEXEC);
	image[1] = 'E';
	EXPECT_EQ(sys_spawn(image, 40, "short", NULL, &e), -ENOEXEC);
	EXPECT_EQ(sys_spawn(image, 2 * 1024 * 1024, "huge", NULL, &e), -E2BIG);
	EXPECT_EQ(sys_spawn((void *)0x10, 4096, "unmapped", NULL, &e), -EFAULT);
	/*
	 * The image is read in place: the module mapped read-only starts a
	 * process, but one whose end runs past the mapping is refused whole
	 * (EFAULT), before anything is made.
	 */
	EXPECT_EQ(sys_mapimage_named("peer", &mapped, &mapped_size), 0);
	EXPECT_EQ(sys_spawn(mapped, mapped_size, "inplace", NULL, &e), 0);
	EXPECT_EQ(allow_basic(e), 0);
	EXPECT_EQ(peer_call(e, PEER_ECHO, 0, 0, &m), 0);
	EXPECT_EQ(peer_command(e, PEER_EXIT, 0, 0), 0);
	EXPECT_EQ(await_gone(e), 0);
	EXPECT_EQ(sys_spawn(mapped, mapped_size + 2 * 4096, "pastend", NULL, &e), -EFAULT);
	EXPECT_EQ(sys_spawn(image, size, "", NULL, &e), -EINVAL);
	EXPECT_EQ(sys_getimage(99, image, 16, &(size_t){ 0 }, (char[PROC_NAME_LEN]){ 0 }), -ENOENT);
}
