/*
 * Self-repair without holes (docs/self-repair.md): each test here shows
 * that a failure, or a cycle of them, costs nothing that is not given back
 * and leaves nobody waiting for ever.
 *
 *   libsys.tickdelay_zero   a delay of no ticks returns at once
 */
#include "guest.h"

TEST(libsys, tickdelay_zero, "tickdelay(0) returns at once, and a later delay still waits")
{
	uint64_t before = uptime();

	EXPECT_EQ(tickdelay(0), 0);
	EXPECT(uptime() - before <= 1, "tickdelay(0) took %llu ticks",
	       (unsigned long long)(uptime() - before));
	before = uptime();
	EXPECT_EQ(tickdelay(2), 0);
	EXPECT(uptime() - before >= 2, "tickdelay(2) took %llu ticks",
	       (unsigned long long)(uptime() - before));
}
