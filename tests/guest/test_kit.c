/*
 * Tests of the shared skeleton every server is built on (issue 10): the
 * dispatcher in libsys (dispatch.h), which every server and both driver
 * libraries use, and the dumps of every table.
 */
#include "guest.h"
#include <dispatch.h>
#include <ax/debug.h>

/* The servers and drivers of the test image, and a request number of their protocol nobody has. */
static const struct {
	const char *name;
	int unused;
} servers[] = {
	{ "ds", DS_BASE + 0xfe },	{ "rs", RS_BASE + 0xfe },	{ "hello", CDEV_BASE + 0x7e },
	{ "tty", CDEV_BASE + 0x7e },	{ "memory", BDEV_BASE + 0x7e }, { "pipe", CDEV_BASE + 0x7e },
};

static char dump_buf[16384];

static int
call(endpoint_t e, int type, message *m)
{
	int r;

	memset(m, 0, sizeof(*m));
	m->m_type = type;
	if ((r = ipc_sendrec(e, m)) < 0)
		return r;
	return m->m_type;
}

TEST(kit, dispatch_unknown,
     "DS, RS, hello, tty, memory and a test driver answer unknown requests ENOSYS, and DEBUG_DUMP, "
     "through the shared dispatcher")
{
	char head[64];
	message m;

	for (size_t i = 0; i < ARRAY_SIZE(servers); i++) {
		endpoint_t e = find(servers[i].name);
		int64_t len;

		EXPECT(call(e, 0x7777, &m) == -ENOSYS, "%s: request 0x7777 answered %d",
		       servers[i].name, m.m_type);
		EXPECT(call(e, servers[i].unused, &m) == -ENOSYS, "%s: request %#x answered %d",
		       servers[i].name, servers[i].unused, m.m_type);
		EXPECT(call(e, DEBUG_BASE + 1, &m) == -ENOSYS, "%s: request %#x answered %d",
		       servers[i].name, DEBUG_BASE + 1, m.m_type);
		/* The dispatcher's own request: its first line names the server. */
		len = debug_dump(e, dump_buf, sizeof(dump_buf) - 1);
		EXPECT(len > 0, "%s: DEBUG_DUMP answered %lld", servers[i].name, (long long)len);
		dump_buf[len < (int64_t)sizeof(dump_buf) ? len : (int64_t)sizeof(dump_buf) - 1] = '\0';
		snprintf(head, sizeof(head), "%s(%d): tables\n", servers[i].name, e);
		EXPECT(strncmp(dump_buf, head, strlen(head)) == 0, "%s: dump starts \"%.40s\"",
		       servers[i].name, dump_buf);
	}
}
