/*
 * Tests of the shared skeleton every server is built on (issue 10): the
 * dispatcher in libsys (dispatch.h), which every server and both driver
 * libraries use, and the dumps of every table.
 */
#include "guest.h"
#include <dispatch.h>
#include <ax/debug.h>
#include <ax/pm.h>
#include <stdlib.h>

/* The servers and drivers of the test image, and a request number of their protocol nobody has. */
static const struct {
	const char *name;
	int unused;
} servers[] = {
	{ "ds", DS_BASE + 0xfe },    { "rs", RS_BASE + 0xfe },       { "hello", CDEV_BASE + 0x7e },
	{ "tty", CDEV_BASE + 0x7e }, { "memory", BDEV_BASE + 0x7e }, { "pipe", CDEV_BASE + 0x7e },
	{ "pm", PM_BASE + 0xfe },
};

static char dump_buf[16384];

/* A request with an empty body: what the server answered, or the IPC error. */
static int
call(endpoint_t e, int type, message *m)
{
	return peer_call(e, type, 0, 0, m);
}

TEST(kit, dispatch_unknown,
     "DS, RS, PM, hello, tty, memory and a test driver answer unknown requests ENOSYS, and "
     "DEBUG_DUMP, through the shared dispatcher")
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
		dump_buf[len < (int64_t)sizeof(dump_buf) ? len : (int64_t)sizeof(dump_buf) - 1] =
			'\0';
		snprintf(head, sizeof(head), "%s(%d): tables\n", servers[i].name, e);
		EXPECT(strncmp(dump_buf, head, strlen(head)) == 0, "%s: dump starts \"%.40s\"",
		       servers[i].name, dump_buf);
	}
}

static char kdump[32768], rsdump[16384], dsdump[16384];

/* The dump's text, terminated; its length or -E. */
static int64_t
dump_of(const char *name, char *buf, size_t size)
{
	int64_t len = debug_dump(find(name), buf, size - 1);

	if (len >= 0)
		buf[len < (int64_t)size - 1 ? len : (int64_t)size - 1] = '\0';
	return len;
}

static int64_t
kernel_tables(void)
{
	int64_t len = sys_diag_dump_tables(kdump, sizeof(kdump) - 1);

	if (len >= 0)
		kdump[len < (int64_t)sizeof(kdump) - 1 ? len : (int64_t)sizeof(kdump) - 1] = '\0';
	return len;
}

/* The number after `label` in text ("dump keys N"), or -1. */
static long
number_after(const char *text, const char *label)
{
	const char *s = strstr(text, label);

	return s ? strtol(s + strlen(label), NULL, 10) : -1;
}

/* Is there a line that starts with `start` and ends with `end`? */
static bool
has_line(const char *text, const char *start, const char *end)
{
	size_t n = strlen(start), m = strlen(end);

	for (const char *s = text; *s;) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);

		if (len >= n + m && strncmp(s, start, n) == 0 && strncmp(s + len - m, end, m) == 0)
			return true;
		s += len + (nl != NULL);
	}
	return false;
}

/* The next word of *s, at most size-1 characters, into w; *s moves past it and the spaces after. */
static void
word(const char **s, char *w, size_t size)
{
	size_t n = 0;

	while (**s && **s != ' ' && **s != '\n') {
		if (n + 1 < size)
			w[n++] = **s;
		(*s)++;
	}
	w[n] = '\0';
	while (**s == ' ')
		(*s)++;
}

/*
 * Every service RS runs (the "rs:   label state endpoint N ..." lines of
 * its dump) is in the kernel's process table with its endpoint and in DS
 * as a label naming it.  How many, or -1 with the reason in why.
 */
static int
check_services(char *why, size_t len)
{
	int n = 0;

	for (const char *s = rsdump; (s = strstr(s, "\nrs:   ")) != NULL;) {
		char label[PROC_NAME_LEN], state[16], key[16], needle[64], ep_text[32];
		long ep;

		s += 7;
		word(&s, label, sizeof(label));
		word(&s, state, sizeof(state));
		word(&s, key, sizeof(key));
		ep = strtol(s, NULL, 10);
		if (strcmp(state, "running") != 0 || strcmp(key, "endpoint") != 0)
			continue;
		snprintf(needle, sizeof(needle), "%8ld %-16s", ep, label);
		if (!strstr(kdump, needle)) {
			snprintf(why, len, "%s(%ld) not in the kernel's process table", label, ep);
			return -1;
		}
		snprintf(needle, sizeof(needle), "ds:   %-31s label", label);
		snprintf(ep_text, sizeof(ep_text), "endpoint %ld", ep);
		if (!has_line(dsdump, needle, ep_text)) {
			snprintf(why, len, "%s(%ld) has no label entry in DS's dump", label, ep);
			return -1;
		}
		n++;
	}
	return n;
}

TEST(kit, dump_tables,
     "the kernel's, RS's and DS's dumps show every running boot service; the console's dump "
     "key makes the kernel and RS dump")
{
	static const char *const boot_services[] = { "hello", "hello2", "memory", "tty", "pipe" };
	long kernel_keys, rs_keys;
	char why[128], head[64];
	int n;

	/* By the debug requests. */
	EXPECT(kernel_tables() > 0, "DIAG_DUMP_TABLES failed");
	EXPECT(dump_of("rs", rsdump, sizeof(rsdump)) > 0, "RS's dump failed");
	EXPECT(dump_of("ds", dsdump, sizeof(dsdump)) > 0, "DS's dump failed");
	EXPECT(strstr(kdump, "\npriv slot") && strstr(kdump, "\ngrants of "),
	       "no privilege or grant table in the kernel's dump");
	EXPECT((n = check_services(why, sizeof(why))) >= 0, "%s", why);
	for (size_t i = 0; i < ARRAY_SIZE(boot_services); i++) {
		snprintf(head, sizeof(head), "rs:   %-15s running ", boot_services[i]);
		EXPECT(strstr(rsdump, head), "%s is not running in RS's dump", boot_services[i]);
	}
	EXPECT(n >= (int)ARRAY_SIZE(boot_services), "only %d running services in RS's dump", n);
	snprintf(head, sizeof(head), "%8d %-16s", find("rs"), "rs");
	EXPECT(strstr(kdump, head), "RS is not in the kernel's process table");
	snprintf(head, sizeof(head), "%8d %-16s", find("ds"), "ds");
	EXPECT(strstr(kdump, head), "DS is not in the kernel's process table");

	/* By the key: the harness presses it when it sees the request line. */
	kernel_keys = number_after(kdump, "dump keys ");
	rs_keys = number_after(rsdump, "dump keys ");
	EXPECT(kernel_keys >= 0 && rs_keys >= 0, "no dump-key count in the dumps");
	printf("AXCON-DUMPKEY\n");
	for (int i = 0; i < 1000; i++) {
		EXPECT(kernel_tables() > 0 && dump_of("rs", rsdump, sizeof(rsdump)) > 0,
		       "dumps failed");
		if (number_after(kdump, "dump keys ") > kernel_keys &&
		    number_after(rsdump, "dump keys ") > rs_keys)
			return;
		tickdelay(1);
	}
	EXPECT(false, "the dump key did not reach the kernel and RS (kernel %ld, RS %ld)",
	       number_after(kdump, "dump keys "), number_after(rsdump, "dump keys "));
}

TEST(kit, dump_bad_input,
     "a dump into a short grant is cut and says its whole length; bad flags and grants get errors")
{
	static char small[32];
	endpoint_t ds = find("ds");
	int64_t whole, len;
	message m;

	whole = dump_of("ds", dsdump, sizeof(dsdump));
	EXPECT(whole > (int64_t)sizeof(small), "DS's dump is only %lld bytes", (long long)whole);
	memset(small, '#', sizeof(small));
	len = debug_dump(ds, small, 16);
	EXPECT(len >= whole - 64 && len > 16, "a cut dump says %lld (whole %lld)", (long long)len,
	       (long long)whole);
	EXPECT(small[16] == '#' && small[31] == '#', "the dump wrote past its grant");
	EXPECT(strncmp(small, dsdump, 16) == 0, "the cut dump is not the dump's start");

	memset(&m, 0, sizeof(m));
	m.m_type = DEBUG_DUMP;
	m.m_debug_dump.grant = GRANT_INVALID;
	m.m_debug_dump.flags = 0x80;
	EXPECT_EQ(ipc_sendrec(ds, &m), 0);
	EXPECT_EQ(m.m_type, -EINVAL);

	/* A grant that is not ours to give (an id never made): the copy's error, DS goes on. */
	memset(&m, 0, sizeof(m));
	m.m_type = DEBUG_DUMP;
	m.m_debug_dump.grant = 4000;
	m.m_debug_dump.size = 4096;
	EXPECT_EQ(ipc_sendrec(ds, &m), 0);
	EXPECT(m.m_type < 0, "a dump into a bad grant answered %d", m.m_type);
	EXPECT(dump_of("ds", dsdump, sizeof(dsdump)) > 0, "DS does not dump any more");
}
