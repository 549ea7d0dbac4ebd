/*
 * Malformed messages: every server and driver must answer nonsense with an
 * error, or ignore it, and go on.  A deterministic generator fills whole
 * messages with noise and gives them request types near the target's
 * protocol (where the checks are) or anywhere at all; then the target must
 * still answer a proper request, and RS must not have restarted it.
 *
 * Left out on purpose: DS_PUBLISH and DS_SUBSCRIBE (they would succeed with
 * noise keys and leave entries behind for the tests that follow).
 *
 * The kernel gets the same treatment: kernel calls full of noise, every
 * call but the three that would end or flood the test on purpose.
 */
#include "guest.h"
#include <ax/pm.h>
#include <ax/linux.h>
#include <cdev_client.h>
#include <ax/cdev.h>
#include <ax/bdev.h>
#include <ax/ds.h>
#include <ax/rs.h>
#include <ax/hello.h>

#define ROUNDS 300 /* messages per target */

static uint64_t noise_state = 0x9e3779b97f4a7c15ull;

/* xorshift64*: the same noise on every run. */
static uint64_t
noise(void)
{
	noise_state ^= noise_state >> 12;
	noise_state ^= noise_state << 25;
	noise_state ^= noise_state >> 27;
	return noise_state * 0x2545f4914f6cdd1dull;
}

/* A message of noise with a type in [base, base + span), or any type at all. */
static void
garbage(message *m, uint32_t base, uint32_t span)
{
	uint64_t *w = (uint64_t *)m;

	for (size_t i = 0; i < sizeof(*m) / sizeof(*w); i++)
		w[i] = noise();
	if (noise() % 8 != 0)
		m->m_type = (int)(base + noise() % span);
}

static bool
ds_safe(int type)
{
	return type != DS_PUBLISH && type != DS_SUBSCRIBE;
}

/* Take whatever the targets answered, until a quiet tick. */
static void
drain(void)
{
	message m;
	uint64_t status;

	sys_setalarm(3, false, NULL);
	while (ipc_receive(ANY, &m, &status) == 0 && m.m_source != CLOCK)
		;
}

/* Send ROUNDS messages of noise to e; the count of those it took. */
static int
flood(endpoint_t e, uint32_t base, uint32_t span, bool (*allowed)(int))
{
	int sent = 0;
	message m;

	for (int i = 0; i < ROUNDS; i++) {
		do
			garbage(&m, base, span);
		while (allowed && !allowed(m.m_type));
		if (ipc_send(e, &m) == 0)
			sent++;
		if (i % 32 == 31)
			drain();
	}
	drain();
	return sent;
}

static uint32_t
restarts_of(const char *label)
{
	struct msg_rs_reply r;

	return rs_request(RS_LOOKUP, label, &r) == 0 ? r.restarts : UINT32_MAX;
}

TEST(robust, garbage_messages,
     "servers and drivers answer malformed messages with errors and go on")
{
	/* Character drivers get noise near the character protocol, memory near both. */
	static const char *const drivers[] = { "hello", "pipe", "tty", "memory" };
	endpoint_t ds = find("ds"), rs = find("rs"), pm = find("pm"), e;
	uint32_t before[ARRAY_SIZE(drivers)], pm_before;
	char buf[64];
	message m;

	for (size_t i = 0; i < ARRAY_SIZE(drivers); i++) {
		before[i] = restarts_of(drivers[i]);
		EXPECT(ds_retrieve_label(drivers[i], &e) == 0, "no %s", drivers[i]);
		EXPECT(flood(e, CDEV_BASE, BDEV_REPLY_BASE + 0x80 - CDEV_BASE, NULL) > 0,
		       "%s took nothing", drivers[i]);
	}
	EXPECT(flood(ds, DS_BASE, DS_NR_REQUESTS + 4, ds_safe) > 0, "DS took nothing");
	EXPECT(flood(rs, RS_BASE, RS_NR_REQUESTS + 4, NULL) > 0, "RS took nothing");
	pm_before = restarts_of("pm");
	EXPECT(flood(pm, PM_BASE, PM_NR_REQUESTS + 4, NULL) > 0, "PM took nothing");
	EXPECT(flood(pm, LX_CALL_BASE, LX_NR_CALLS + 4, NULL) > 0, "PM took no Linux noise");

	/* Everyone still answers, and nobody was restarted. */
	EXPECT_EQ(ds_retrieve_label("hello", &e), 0);
	EXPECT_EQ(cdev_open(e, 0, CDEV_R_BIT), 0);
	EXPECT(cdev_read(e, 0, 0, buf, sizeof(buf), 0) > 0, "hello does not read");
	EXPECT_EQ(cdev_close(e, 0), 0);
	for (size_t i = 0; i < ARRAY_SIZE(drivers); i++)
		EXPECT(restarts_of(drivers[i]) == before[i], "%s was restarted (%u -> %u)",
		       drivers[i], before[i], restarts_of(drivers[i]));
	memset(&m, 0, sizeof(m));
	m.m_type = PM_WAIT;
	EXPECT_EQ(ipc_sendrec(pm, &m), 0);
	EXPECT_EQ(m.m_type, -ECHILD);
	EXPECT(restarts_of("pm") == pm_before, "PM was restarted");
}

/* Calls whose noise is harmless only by luck: shutting down, exiting, printing. */
static bool
kcall_safe(int nr)
{
	return nr != KCALL_ABORT - KCALL_BASE && nr != KCALL_EXIT - KCALL_BASE &&
	       nr != KCALL_DIAGCTL - KCALL_BASE;
}

TEST(robust, garbage_kcalls,
     "kernel calls full of noise get errors; the kernel and everyone else go on")
{
	int errors = 0, calls = 0;
	struct msg_sys_times_reply times;
	message m;

	for (int i = 0; i < 2000; i++) {
		int nr;

		garbage(&m, 0, 1);
		nr = (int)(noise() % (KCALL_COUNT + 8)); /* a few past the table too */
		if (!kcall_safe(nr))
			continue;
		calls++;
		errors += kernel_call(KCALL_BASE + nr, &m) < 0;
	}
	EXPECT(calls > 1500, "only %d calls", calls);
	EXPECT(errors > calls * 9 / 10, "%d of %d noise calls succeeded", calls - errors, calls);

	/* The kernel still answers, and the system processes are all there. */
	EXPECT_EQ(sys_times(self_endpoint, &times), 0);
	EXPECT(ds_retrieve_label("hello", &(endpoint_t){ NONE }) == 0, "DS does not answer");
	EXPECT(restarts_of("hello") != UINT32_MAX, "RS does not answer");
}
