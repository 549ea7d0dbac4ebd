/*
 * Unit tests of lib/libconf, the parser of system.conf service lines that
 * RS and the guest tests share, built for the host: good options land in
 * the service's entry, and every malformed one is an error with a reason
 * (RS then leaves the service out), never a guess or a crash.
 */
#include "host_prefix.h"

#include <string.h>

#include <ax/errno.h>
#include "conf.h"
#include "unit.h"

/* Parse one option (a copy: the parser cuts it up) into rp. */
static int
parse(struct conf_service *rp, const char *text, const char **why)
{
	char opt[128];

	ax_strlcpy(opt, text, sizeof(opt));
	*why = NULL;
	return conf_option(rp, opt, why);
}

static void
expect_bad(const char *text)
{
	struct conf_service rp;
	const char *why;

	conf_defaults(&rp, "svc");
	if (parse(&rp, text, &why) != -EINVAL)
		unit_fail(__FILE__, __LINE__, "'%s' was accepted", text);
	if (!why || !*why)
		unit_fail(__FILE__, __LINE__, "'%s' was refused without a reason", text);
}

TEST(conf_defaults, "a service line without options may send to everyone, with basic calls")
{
	struct conf_service rp;

	conf_defaults(&rp, "hello");
	CHECK_EQ_STR(rp.label, "hello");
	CHECK_EQ_STR(rp.program, "hello");
	CHECK(rp.flags & CONF_IPC_ALL);
	CHECK_EQ_INT(rp.nr_ipc, 0);
	CHECK_EQ_INT(rp.priv.call_mask, KCALL_BASIC_CALLS);
	CHECK_EQ_INT(rp.priv.flags, 0);
	CHECK_EQ_INT(rp.priority, CONF_PRIO);
}

TEST(conf_values, "well-formed options set what they name")
{
	struct conf_service rp;
	const char *why;

	conf_defaults(&rp, "svc");
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
	CHECK(rp.flags & CONF_STATEFUL);
	CHECK(rp.flags & CONF_SYNC);
	CHECK_EQ_INT(rp.priv.nr_io, 1);
	CHECK_EQ_INT(rp.priv.io[0].base, 0x60);
	CHECK_EQ_INT(rp.priv.io[0].limit, 0x64);
	CHECK_EQ_INT(rp.priv.irq_mask, 2);
	CHECK_EQ_STR(rp.args, "a b");
}

TEST(conf_ipc, "ipc= takes ALL alone or a list of names, in order")
{
	struct conf_service rp;
	const char *why;

	conf_defaults(&rp, "svc");
	CHECK_EQ_INT(parse(&rp, "ipc=ds,hello,peer_a", &why), 0);
	CHECK(!(rp.flags & CONF_IPC_ALL));
	CHECK_EQ_INT(rp.nr_ipc, 3);
	CHECK_EQ_STR(rp.ipc[0], "ds");
	CHECK_EQ_STR(rp.ipc[2], "peer_a");
	CHECK_EQ_INT(parse(&rp, "ipc=ALL", &why), 0);
	CHECK(rp.flags & CONF_IPC_ALL);
	CHECK_EQ_INT(rp.nr_ipc, 0);
	CHECK_EQ_INT(parse(&rp, "ipc=a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p", &why), 0); /* 16 */
	CHECK_EQ_INT(rp.nr_ipc, CONF_IPC_MAX);
}

TEST(conf_malformed, "malformed options are refused with a reason")
{
	static const char *const bad[] = {
		"ipc=",
		"ipc",
		"ipc=,ds",
		"ipc=ds,",
		"ipc=ds,,hello",
		"ipc=ALL,ds",
		"ipc=ds,ALL",
		"ipc=a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q",
		"ipc=a_name_far_too_long_for_a_label",
		"period=",
		"period=5x",
		"period=-1",
		"period= 5",
		"period=99999999999999999999",
		"priority=16",
		"priority=x",
		"restart=sometimes",
		"calls=most",
		"calls=",
		"calls=basic,",
		"calls=getinfo,,exit",
		"calls=none,exit",
		"calls=GETINFO",
		"irq=16",
		"irq=",
		"mem=0x1000",
		"mem=0x2000-0x1000",
		"admin=1",
		"root=yes",
		"memlimit=",
		"memlimit=M",
		"memlimit=0",
		"memlimit=4095",
		"memlimit=16X",
		"memlimit=-1",
		"memlimit=5G",
		"memlimit=1 M",
		"memlimit=16MM",
		"replybound=",
		"replybound=0",
		"replybound=9",
		"replybound=10x",
		"replybound=-5",
		"replybound=4294967297",
		"io=0x60",
		"io=0x64-0x60",
		"io=0x60-0x10000",
		"io=-",
		"program=",
		"program=a_name_far_too_long",
		"sync=yes",
		"down=1",
		"nosuch",
		"nosuch=1",
		"=",
		"args=0123456789012345678901234567890123456789012345678901234567890123456789",
	};

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_bad(bad[i]);
}

TEST(conf_io_full, "a ninth I/O range is refused, not written past the table")
{
	struct conf_service rp;
	const char *why;

	conf_defaults(&rp, "svc");
	for (int i = 0; i < PRIV_DESC_IO; i++)
		CHECK_EQ_INT(parse(&rp, "io=0x60-0x64", &why), 0);
	CHECK_EQ_INT(parse(&rp, "io=0x60-0x64", &why), -EINVAL);
	CHECK_EQ_INT(rp.priv.nr_io, PRIV_DESC_IO);
}

TEST(conf_calls, "calls= is the whole mask: named calls, basic, none")
{
	struct conf_service rp;
	const char *why;

	conf_defaults(&rp, "svc");
	CHECK_EQ_INT(parse(&rp, "calls=basic,irqctl,devio", &why), 0);
	CHECK_EQ_INT(rp.priv.call_mask, KCALL_BASIC_CALLS | KCALL_BIT(IRQCTL) | KCALL_BIT(DEVIO));
	CHECK_EQ_INT(parse(&rp, "calls=getinfo,exit", &why), 0);
	CHECK_EQ_INT(rp.priv.call_mask, KCALL_BIT(GETINFO) | KCALL_BIT(EXIT));
	CHECK_EQ_INT(parse(&rp, "calls=all", &why), 0);
	CHECK_EQ_INT(rp.priv.call_mask, ~0ull);
	CHECK_EQ_INT(parse(&rp, "calls=none", &why), 0);
	CHECK_EQ_INT(rp.priv.call_mask, 0);
	CHECK_EQ_INT(conf_call_number("privctl"), KCALL_PRIVCTL - KCALL_BASE);
	CHECK_EQ_STR(conf_call_name(KCALL_SPAWN - KCALL_BASE), "spawn");
	CHECK(conf_call_name(KCALL_COUNT) == NULL);
}

TEST(conf_admin_mem, "admin and root set their flags; mem= adds physical ranges")
{
	struct conf_service rp;
	const char *why;

	conf_defaults(&rp, "svc");
	CHECK_EQ_INT(parse(&rp, "admin", &why), 0);
	CHECK_EQ_INT(rp.priv.flags, PRIV_FLAG_ADMIN);
	CHECK_EQ_INT(parse(&rp, "root", &why), 0);
	CHECK_EQ_INT(rp.priv.flags, PRIV_FLAG_ADMIN | PRIV_FLAG_ROOT);
	CHECK_EQ_INT(parse(&rp, "mem=0xfee00000-0xfee00fff", &why), 0);
	CHECK_EQ_INT(rp.priv.nr_mem, 1);
	CHECK_EQ_INT(rp.priv.mem[0].base, 0xfee00000);
	CHECK_EQ_INT(rp.priv.mem[0].limit, 0xfee00fff);
}

TEST(conf_memlimit, "memlimit= sets the memory limit in bytes, K, M or G, or none")
{
	struct conf_service rp;
	const char *why;

	conf_defaults(&rp, "svc");
	CHECK_EQ_INT(rp.priv.mem_limit, 0); /* the kernel's default */
	CHECK_EQ_INT(parse(&rp, "memlimit=16M", &why), 0);
	CHECK_EQ_INT(rp.priv.mem_limit, 16 << 20);
	CHECK_EQ_INT(parse(&rp, "memlimit=8192", &why), 0);
	CHECK_EQ_INT(rp.priv.mem_limit, 8192);
	CHECK_EQ_INT(parse(&rp, "memlimit=512K", &why), 0);
	CHECK_EQ_INT(rp.priv.mem_limit, 512 << 10);
	CHECK_EQ_INT(parse(&rp, "memlimit=4G", &why), 0);
	CHECK_EQ_INT(rp.priv.mem_limit, (uint64_t)4 << 30);
	CHECK_EQ_INT(parse(&rp, "memlimit=unlimited", &why), 0);
	CHECK_EQ_INT(rp.priv.mem_limit, PRIV_MEM_UNLIMITED);
}

TEST(conf_replybound, "replybound= is the service's promised answer time in ticks; none by default")
{
	struct conf_service rp;
	const char *why;

	conf_defaults(&rp, "svc");
	CHECK_EQ_INT(rp.priv.reply_bound, 0); /* no promise: never called hung */
	CHECK_EQ_INT(parse(&rp, "replybound=10", &why), 0);
	CHECK_EQ_INT(rp.priv.reply_bound, CALL_BOUND_MIN);
	CHECK_EQ_INT(parse(&rp, "replybound=500", &why), 0);
	CHECK_EQ_INT(rp.priv.reply_bound, 500);
}

TEST(conf_line, "a split line: the label and every option, or the word that is wrong")
{
	struct conf_service rp;
	char line[] =
		"service tty program=tty io=0x2f8-0x2ff irq=3 calls=basic,irqctl,devio # COM2";
	char bad_line[] = "service tty program=tty irq=99";
	char *w[CONF_WORDS], bad[64];
	const char *why;
	int n;

	n = conf_split(line, w, CONF_WORDS);
	CHECK_EQ_INT(n, 6);
	CHECK_EQ_INT(conf_service_line(w, n, &rp, &why, bad, sizeof(bad)), 0);
	CHECK_EQ_STR(rp.label, "tty");
	CHECK_EQ_INT(rp.priv.irq_mask, 1 << 3);
	CHECK_EQ_INT(rp.priv.io[0].limit, 0x2ff);
	n = conf_split(bad_line, w, CONF_WORDS);
	CHECK_EQ_INT(conf_service_line(w, n, &rp, &why, bad, sizeof(bad)), -EINVAL);
	CHECK_EQ_STR(bad, "irq=99");
	CHECK_EQ_INT(conf_split((char[]){ "service a b" }, w, 2), -1);
}
