/*
 * Unit tests of servers/rs/option.c, RS's parser of system.conf options,
 * built for the host: good options land in the service's entry, and every
 * malformed one is an error with a reason (RS then leaves the service
 * out), never a guess or a crash.
 */
#include "host_prefix.h"

#include <string.h>

#include "rs.h"
#include "unit.h"

/* Parse one option (a copy: the parser cuts it up) into rp. */
static int
parse(struct rproc *rp, const char *text, const char **why)
{
	char opt[128];

	ax_strlcpy(opt, text, sizeof(opt));
	*why = NULL;
	return rs_parse_option(rp, opt, why);
}

static void
expect_bad(const char *text)
{
	struct rproc rp;
	const char *why;

	rs_service_defaults(&rp, "svc");
	if (parse(&rp, text, &why) != -EINVAL)
		unit_fail(__FILE__, __LINE__, "'%s' was accepted", text);
	if (!why || !*why)
		unit_fail(__FILE__, __LINE__, "'%s' was refused without a reason", text);
}

TEST(rs_option_defaults, "a service line without options may send to everyone, with basic calls")
{
	struct rproc rp;

	rs_service_defaults(&rp, "hello");
	CHECK_EQ_STR(rp.label, "hello");
	CHECK_EQ_STR(rp.program, "hello");
	CHECK(rp.flags & RPF_IPC_ALL);
	CHECK_EQ_INT(rp.nr_ipc, 0);
	CHECK_EQ_INT(rp.endpt, NONE);
	CHECK_EQ_INT(rp.clone, NONE);
	CHECK_EQ_INT(rp.priority, SERVICE_PRIO);
}

TEST(rs_option_values, "well-formed options set what they name")
{
	struct rproc rp;
	const char *why;

	rs_service_defaults(&rp, "svc");
	CHECK_EQ_INT(parse(&rp, "program=other", &why), 0);
	CHECK_EQ_INT(parse(&rp, "period=0x10", &why), 0);
	CHECK_EQ_INT(parse(&rp, "priority=3", &why), 0);
	CHECK_EQ_INT(parse(&rp, "restart=stateful", &why), 0);
	CHECK_EQ_INT(parse(&rp, "io=0x60-0x64", &why), 0);
	CHECK_EQ_INT(parse(&rp, "irq=1", &why), 0);
	CHECK_EQ_INT(parse(&rp, "args=a,b", &why), 0);
	CHECK_EQ_INT(parse(&rp, "sync", &why), 0);
	CHECK_EQ_STR(rp.program, "other");
	CHECK_EQ_INT(rp.period, 16);
	CHECK_EQ_INT(rp.priority, 3);
	CHECK(rp.flags & RPF_STATEFUL);
	CHECK(rp.flags & RPF_SYNC);
	CHECK_EQ_INT(rp.priv.nr_io, 1);
	CHECK_EQ_INT(rp.priv.io[0].base, 0x60);
	CHECK_EQ_INT(rp.priv.io[0].limit, 0x64);
	CHECK_EQ_INT(rp.priv.irq_mask, 2);
	CHECK_EQ_STR(rp.args, "a b");
}

TEST(rs_option_ipc, "ipc= takes ALL alone or a list of names, in order")
{
	struct rproc rp;
	const char *why;

	rs_service_defaults(&rp, "svc");
	CHECK_EQ_INT(parse(&rp, "ipc=ds,hello,peer_a", &why), 0);
	CHECK(!(rp.flags & RPF_IPC_ALL));
	CHECK_EQ_INT(rp.nr_ipc, 3);
	CHECK_EQ_STR(rp.ipc[0], "ds");
	CHECK_EQ_STR(rp.ipc[2], "peer_a");
	CHECK_EQ_INT(parse(&rp, "ipc=ALL", &why), 0);
	CHECK(rp.flags & RPF_IPC_ALL);
	CHECK_EQ_INT(rp.nr_ipc, 0);
	CHECK_EQ_INT(parse(&rp, "ipc=a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p", &why), 0);	/* 16 */
	CHECK_EQ_INT(rp.nr_ipc, RS_IPC_MAX);
}

TEST(rs_option_malformed, "malformed options are refused with a reason")
{
	static const char *const bad[] = {
		"ipc=", "ipc", "ipc=,ds", "ipc=ds,", "ipc=ds,,hello", "ipc=ALL,ds", "ipc=ds,ALL",
		"ipc=a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q", "ipc=a_name_far_too_long_for_a_label",
		"period=", "period=5x", "period=-1", "period= 5", "period=99999999999999999999",
		"priority=16", "priority=x", "restart=sometimes", "calls=most", "irq=16", "irq=",
		"io=0x60", "io=0x64-0x60", "io=0x60-0x10000", "io=-", "program=",
		"program=a_name_far_too_long", "sync=yes", "down=1", "nosuch", "nosuch=1", "=",
		"args=0123456789012345678901234567890123456789012345678901234567890123456789",
	};

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_bad(bad[i]);
}

TEST(rs_option_io_full, "a ninth I/O range is refused, not written past the table")
{
	struct rproc rp;
	const char *why;

	rs_service_defaults(&rp, "svc");
	for (int i = 0; i < PRIV_DESC_IO; i++)
		CHECK_EQ_INT(parse(&rp, "io=0x60-0x64", &why), 0);
	CHECK_EQ_INT(parse(&rp, "io=0x60-0x64", &why), -EINVAL);
	CHECK_EQ_INT(rp.priv.nr_io, PRIV_DESC_IO);
}
