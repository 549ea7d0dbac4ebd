/*
 * Privileges: privctl sets a process's call mask, I/O ranges, IRQ lines and
 * memory ranges at run time, and the kernel enforces them.  The subject is a
 * peer ("subject") whose privileges each test sets and then restores.
 */
#include "guest.h"

#define CALL(name) (1ull << (KCALL_##name - KCALL_BASE))
#define BASIC \
	(CALL(GETINFO) | CALL(SETALARM) | CALL(TIMES) | CALL(EXIT) | CALL(DIAGCTL) | CALL(STATECTL))

/* What a peer has at boot: the basic calls, IPC to everyone, nothing else. */
static struct priv_desc
basic_desc(uint64_t extra_calls)
{
	struct priv_desc d;

	memset(&d, 0, sizeof(d));
	d.call_mask = BASIC | extra_calls;
	d.sig_mgr = NONE;
	d.nr_ipc = PRIV_DESC_ALL_IPC;
	return d;
}

static int
set_privs(endpoint_t e, struct priv_desc d)
{
	return sys_privctl(e, PRIVCTL_SET, &d, 0, 0);
}

static int64_t
peer_try(endpoint_t e, int cmd, uint64_t arg)
{
	message m;
	int r = peer_call(e, cmd, arg, 0, &m);

	return r < 0 ? r : (int64_t)m.m_u64.v[0];
}

TEST(priv, call_mask,
     "privctl changes a process's call mask at run time and the kernel enforces it")
{
	endpoint_t s = find("subject");
	struct priv_desc d = basic_desc(0);

	EXPECT_EQ(set_privs(s, d), 0);
	EXPECT_EQ(peer_try(s, PEER_ALARM, 0), 0);
	d.call_mask &= ~CALL(SETALARM);
	EXPECT_EQ(set_privs(s, d), 0);
	EXPECT_EQ(peer_try(s, PEER_ALARM, 0), -EPERM);
	EXPECT_EQ(set_privs(s, basic_desc(0)), 0);
	EXPECT_EQ(peer_try(s, PEER_ALARM, 0), 0);

	/* Bad requests change nothing. */
	d = basic_desc(0);
	EXPECT_EQ(sys_privctl(self_endpoint, PRIVCTL_SET, &d, 0, 0), -EPERM);
	EXPECT_EQ(sys_privctl(SYSTEM, PRIVCTL_SET, &d, 0, 0), -EPERM);
	EXPECT_EQ(sys_privctl(endpoint_make(endpoint_slot(s), endpoint_gen(s) + 1), PRIVCTL_SET, &d,
			      0, 0),
		  -EDEADSRCDST);
	EXPECT_EQ(sys_privctl(s, PRIVCTL_SET, (void *)0x10, 0, 0), -EFAULT);
	EXPECT_EQ(sys_privctl(s, 99, NULL, 0, 0), -EINVAL);
	d.flags = 0x8000;
	EXPECT_EQ(set_privs(s, d), -EINVAL);
	d = basic_desc(0);
	d.nr_ipc = PRIV_DESC_IPC + 1;
	EXPECT_EQ(set_privs(s, d), -EINVAL);
	d = basic_desc(0);
	d.call_mask = 0;
	d.sig_mgr = endpoint_make(NR_SLOTS + 1, 0);
	EXPECT_EQ(set_privs(s, d), -EINVAL);
	EXPECT_EQ(peer_try(s, PEER_ALARM, 0), 0); /* still the basic calls */
}

TEST(priv, io_denied, "devio outside the caller's I/O ranges is refused; privctl ADD_IO allows it")
{
	endpoint_t s = find("subject");

	EXPECT_EQ(set_privs(s, basic_desc(CALL(DEVIO))), 0);
	EXPECT_EQ(peer_try(s, PEER_DEVIO, 0x71), -EPERM);
	EXPECT_EQ(sys_privctl(s, PRIVCTL_ADD_IO, NULL, 0x70, 0x71), 0);
	EXPECT_EQ(sys_privctl(s, PRIVCTL_ADD_IO, NULL, 0x70, 0x71), 0); /* duplicate: no-op */
	EXPECT_EQ(peer_try(s, PEER_DEVIO, 0x71), 0);
	EXPECT_EQ(peer_try(s, PEER_DEVIO, 0x72), -EPERM);
	EXPECT_EQ(sys_privctl(s, PRIVCTL_ADD_IO, NULL, 0x71, 0x70), -EINVAL);
	EXPECT_EQ(sys_privctl(s, PRIVCTL_ADD_IO, NULL, 0xfff0, 0x10000), -EINVAL);
	EXPECT_EQ(set_privs(s, basic_desc(CALL(DEVIO))), 0); /* SET replaces the ranges */
	EXPECT_EQ(peer_try(s, PEER_DEVIO, 0x71), -EPERM);
	EXPECT_EQ(set_privs(s, basic_desc(0)), 0);
	EXPECT_EQ(peer_try(s, PEER_DEVIO, 0x71), -EPERM); /* and now the call mask */
}

TEST(priv, irq_denied, "an IRQ line outside the caller's IRQ mask is refused; ADD_IRQ allows it")
{
	endpoint_t s = find("subject");

	EXPECT_EQ(set_privs(s, basic_desc(CALL(IRQCTL))), 0);
	EXPECT_EQ(peer_try(s, PEER_IRQ, 8), -EPERM);
	EXPECT_EQ(sys_privctl(s, PRIVCTL_ADD_IRQ, NULL, 0, 0), -EINVAL); /* the clock's */
	EXPECT_EQ(sys_privctl(s, PRIVCTL_ADD_IRQ, NULL, 16, 0), -EINVAL);
	EXPECT_EQ(sys_privctl(s, PRIVCTL_ADD_IRQ, NULL, 8, 0), 0);
	EXPECT_EQ(peer_try(s, PEER_IRQ, 8), 0);
	EXPECT_EQ(peer_try(s, PEER_IRQ, 9), -EPERM);

	/* Memory ranges: recorded and queried (VM will map them for drivers). */
	EXPECT_EQ(sys_privctl(s, PRIVCTL_ADD_MEM, NULL, 0xfee00000, 0xfee00fff), 0);
	EXPECT_EQ(sys_privctl(s, PRIVCTL_QUERY_MEM, NULL, 0xfee00100, 0xfee001ff), 0);
	EXPECT_EQ(sys_privctl(s, PRIVCTL_QUERY_MEM, NULL, 0xfee00f00, 0xfee01000), -EPERM);
	EXPECT_EQ(sys_privctl(s, PRIVCTL_ADD_MEM, NULL, 0x2000, 0x1000), -EINVAL);

	struct priv_desc d = basic_desc(CALL(IRQCTL));
	d.irq_mask = 1u << 2; /* the cascade line is the kernel's */
	EXPECT_EQ(set_privs(s, d), -EINVAL);
	EXPECT_EQ(set_privs(s, basic_desc(0)), 0);
	EXPECT_EQ(sys_privctl(s, PRIVCTL_QUERY_MEM, NULL, 0xfee00100, 0xfee001ff), -EPERM);
}

TEST(priv, user_slot,
     "SET_USER moves a process to the shared unprivileged slot: no native IPC, no kernel calls")
{
	endpoint_t s = find("subject");
	message m;

	EXPECT_EQ(await_receive(s), 0); /* it answered the last test: back in its receive? */
	EXPECT_EQ(sys_privctl(s, PRIVCTL_SET_USER, NULL, 0, 0), 0);
	EXPECT_EQ(sys_privctl(s, PRIVCTL_SET_USER, NULL, 0, 0), 0); /* already there */
	EXPECT_EQ(sys_privctl(s, PRIVCTL_ADD_IO, NULL, 0x70, 0x71), -EPERM);

	/* A user process takes no native message (docs/processes.md), not even into its pending receive. */
	memset(&m, 0, sizeof(m));
	m.m_type = PEER_ECHO;
	EXPECT_EQ(ipc_sendnb(s, &m), -EPERM);
	EXPECT_EQ(ipc_send(s, &m), -EPERM);
	EXPECT_EQ(ipc_notify(s), -EPERM);

	/* Back to a privilege slot of its own: it serves again. */
	EXPECT_EQ(set_privs(s, basic_desc(0)), 0);
	EXPECT_EQ(peer_call(s, PEER_ECHO, 0, 0, &m), 0);
	EXPECT_EQ(m.m_source, s);
}
