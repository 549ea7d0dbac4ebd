/*
 * The authority model (kernel/authority.c, docs/kernel.md): control calls
 * act only on processes the caller is responsible for, and privctl gives
 * only what the caller holds.  Each attack is made by a peer that holds
 * exactly the kernel calls it needs (peer_attack.c), never by this test
 * process, which is a root.  (The kernel defects of issue 11 are in
 * test_authority.c.)
 */
#include "guest.h"
#include <ax/signal.h>

#define CALL(name)	KCALL_BIT(name)

static uint8_t peer_image[256 * 1024];

/* A running copy of the peer program with `calls` (and basic calls), no manager. */
static endpoint_t
spawn_peer(const char *name, uint64_t calls, endpoint_t sig_mgr)
{
	struct priv_desc d;
	endpoint_t e;
	size_t size;

	if (sys_getimage_named("peer", peer_image, sizeof(peer_image), &size) < 0 ||
	    size > sizeof(peer_image) || sys_spawn(peer_image, size, name, NULL, &e) < 0)
		return NONE;
	memset(&d, 0, sizeof(d));
	d.call_mask = KCALL_BASIC_CALLS | calls;
	d.sig_mgr = sig_mgr;
	d.nr_ipc = 0;		/* it only answers: replies need no permission */
	if (sys_privctl(e, PRIVCTL_SET, &d, 0, 0) < 0 || sys_privctl(e, PRIVCTL_ALLOW, NULL, 0, 0) < 0) {
		sys_kill(e, SIGKILL);
		return NONE;
	}
	return e;
}

/* Have attacker a try one thing; the kernel's answer.  *child: a spawned child. */
static int64_t
attack(endpoint_t a, int kind, uint64_t v1, uint64_t v2, uint64_t v3, uint64_t v4,
       endpoint_t *child)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_type = PEER_ATTACK;
	m.m_u64.v[0] = (uint64_t)kind;
	m.m_u64.v[1] = v1;
	m.m_u64.v[2] = v2;
	m.m_u64.v[3] = v3;
	m.m_u64.v[4] = v4;
	if ((r = ipc_sendrec(a, &m)) < 0)
		return r;
	if (child)
		*child = (endpoint_t)m.m_u64.v[1];
	return (int64_t)m.m_u64.v[0];
}

/* The name the program at e answers with, "" if it does not answer. */
static const char *
who(endpoint_t e)
{
	static message m;

	if (peer_call(e, PEER_WHO, 0, 0, &m) < 0)
		return "";
	m.m_text.text[sizeof(m.m_text.text) - 1] = '\0';
	return m.m_text.text;
}

static void
end_all(const endpoint_t *e, int n)
{
	for (int i = 0; i < n; i++)
		if (e[i] != NONE)
			sys_kill(e[i], SIGKILL);
}

/* The processes a test started, ended however it ends. */
static endpoint_t started[4];

static void
foreign_target(endpoint_t *e)
{
	uint64_t calls = CALL(UPDATE) | CALL(PRIVCTL) | CALL(KILL) | CALL(CLEAR) | CALL(SPAWN);
	endpoint_t hello = NONE, hello_after = NONE;
	endpoint_t a, v1, v2, own;

	a = e[0] = spawn_peer("auth_a", calls, NONE);
	v1 = e[1] = spawn_peer("auth_v1", 0, NONE);
	v2 = e[2] = spawn_peer("auth_v2", 0, NONE);
	EXPECT(a != NONE && v1 != NONE && v2 != NONE, "cannot start the peers");
	EXPECT_EQ(sys_lookup("hello", &hello), 0);

	/* Siblings a neither spawned nor manages, and a service of RS's. */
	EXPECT_EQ(attack(a, ATK_KILL, v1, SIGKILL, 0, 0, NULL), -EPERM);
	EXPECT_EQ(attack(a, ATK_KILL, hello, SIGKILL, 0, 0, NULL), -EPERM);
	EXPECT_EQ(attack(a, ATK_UPDATE, v1, v2, 0, 0, NULL), -EPERM);
	EXPECT_EQ(attack(a, ATK_PRIVCTL, v1, PRIVCTL_DISALLOW, 0, 0, NULL), -EPERM);
	EXPECT_EQ(attack(a, ATK_PRIVCTL, v1, PRIVCTL_SET_USER, 0, 0, NULL), -EPERM);
	EXPECT_EQ(attack(a, ATK_SET, v2, KCALL_BASIC_CALLS, 0, 0, NULL), -EPERM);
	EXPECT_EQ(attack(a, ATK_CLEAR, v1, 0, 0, 0, NULL), -EPERM);

	/* Nothing happened to them. */
	EXPECT(strcmp(who(v1), "auth_v1") == 0, "v1 runs \"%s\"", who(v1));
	EXPECT(strcmp(who(v2), "auth_v2") == 0, "v2 runs \"%s\"", who(v2));
	EXPECT_EQ(sys_lookup("hello", &hello_after), 0);
	EXPECT_EQ(hello_after, hello);

	/* Its own child it may manage: the rule is not "refuse everything". */
	EXPECT_EQ(attack(a, ATK_SPAWN, 0, 0, 0, 0, &own), 0);
	e[3] = own;
	EXPECT_EQ(attack(a, ATK_SET, own, KCALL_BASIC_CALLS, 0, 0, NULL), 0);
	EXPECT_EQ(attack(a, ATK_PRIVCTL, own, PRIVCTL_ALLOW, 0, 0, NULL), 0);
	EXPECT(strcmp(who(own), "atk_child") == 0, "a's child runs \"%s\"", who(own));
	EXPECT_EQ(attack(a, ATK_KILL, own, SIGKILL, 0, 0, NULL), 0);
	EXPECT_EQ(ipc_send(own, &(message){ .m_type = PEER_NOP }), -EDEADSRCDST);

	/* A signal manager is responsible too: v1 now names a as its manager. */
	EXPECT_EQ(sys_privctl(v1, PRIVCTL_SET, &(struct priv_desc){ .call_mask = KCALL_BASIC_CALLS,
								     .sig_mgr = a }, 0, 0), 0);
	EXPECT_EQ(attack(a, ATK_PRIVCTL, v1, PRIVCTL_DISALLOW, 0, 0, NULL), 0);
	EXPECT_EQ(attack(a, ATK_PRIVCTL, v1, PRIVCTL_ALLOW, 0, 0, NULL), 0);
	EXPECT(strcmp(who(v1), "auth_v1") == 0, "v1 runs \"%s\"", who(v1));
}

TEST(authority, foreign_target, "a holder of update/privctl/kill/clear is refused on a process it is not responsible for")
{
	for (int i = 0; i < 4; i++)
		started[i] = NONE;
	foreign_target(started);
	end_all(started, 4);
}

static void
no_amplify(endpoint_t *e)
{
	uint64_t calls = CALL(PRIVCTL) | CALL(SPAWN) | CALL(UPDATE);
	endpoint_t a, child, rich, mine;
	message m;

	a = e[0] = spawn_peer("auth_a", calls, NONE);
	EXPECT(a != NONE, "cannot start the attacker");
	EXPECT_EQ(attack(a, ATK_SPAWN, 0, 0, 0, 0, &child), 0);
	e[1] = child;

	/* The attack: every call and every I/O port for its child. */
	EXPECT_EQ(attack(a, ATK_SET, child, ~0ull, ATK_SET_ALL_PORTS | ATK_SET_ALL_IPC, 0, NULL), -EPERM);
	EXPECT_EQ(attack(a, ATK_SET, child, KCALL_BASIC_CALLS | CALL(DEVIO), 0, 0, NULL), -EPERM);
	EXPECT_EQ(attack(a, ATK_SET, child, KCALL_BASIC_CALLS, ATK_SET_ALL_PORTS, 0, NULL), -EPERM);
	EXPECT_EQ(attack(a, ATK_SET, child, KCALL_BASIC_CALLS, ATK_SET_ALL_IPC, 0, NULL), -EPERM);
	EXPECT_EQ(attack(a, ATK_SET, child, KCALL_BASIC_CALLS, ATK_SET_ROOT, 0, NULL), -EPERM);
	EXPECT_EQ(attack(a, ATK_SET, child, KCALL_BASIC_CALLS, 0, 1u << 3, NULL), -EPERM);

	/* What a holds it may give; one resource at a time is checked the same way. */
	EXPECT_EQ(attack(a, ATK_SET, child, KCALL_BASIC_CALLS | calls, 0, 0, NULL), 0);
	EXPECT_EQ(attack(a, ATK_PRIVCTL, child, PRIVCTL_ADD_IO, 0, 0xffff, NULL), -EPERM);
	EXPECT_EQ(attack(a, ATK_PRIVCTL, child, PRIVCTL_ADD_IO, 0x64, 0x64, NULL), -EPERM);
	EXPECT_EQ(attack(a, ATK_PRIVCTL, child, PRIVCTL_ADD_IRQ, 3, 0, NULL), -EPERM);
	EXPECT_EQ(attack(a, ATK_PRIVCTL, child, PRIVCTL_ADD_MEM, 0xfee00000, 0xfee00fff, NULL), -EPERM);
	EXPECT_EQ(attack(a, ATK_PRIVCTL, child, PRIVCTL_ALLOW, 0, 0, NULL), 0);

	/* The child runs, and reads no port (the keyboard controller's status). */
	EXPECT_EQ(peer_call(child, PEER_DEVIO, 0x64, 0, &m), 0);
	EXPECT((int64_t)m.m_u64.v[0] < 0, "the child read port 0x64: %lld",
	       (long long)(int64_t)m.m_u64.v[0]);

	/*
	 * update is the other way to amplify: a manages `rich` (a holder of
	 * devio and the port), and would move a program of its own under
	 * rich's privileges.
	 */
	rich = e[2] = spawn_peer("auth_rich", CALL(DEVIO), a);
	EXPECT(rich != NONE, "cannot start the rich peer");
	EXPECT_EQ(sys_privctl(rich, PRIVCTL_ADD_IO, NULL, 0x64, 0x64), 0);
	EXPECT_EQ(attack(a, ATK_SPAWN, 0, 0, 0, 0, &mine), 0);
	e[3] = mine;
	EXPECT_EQ(attack(a, ATK_SET, mine, KCALL_BASIC_CALLS, 0, 0, NULL), 0);
	EXPECT_EQ(attack(a, ATK_UPDATE, rich, mine, 0, 0, NULL), -EPERM);
	EXPECT(strcmp(who(rich), "auth_rich") == 0, "rich's slot runs \"%s\"", who(rich));
}

TEST(authority, no_amplify, "a child cannot be given what its parent does not hold; the child reads no port")
{
	for (int i = 0; i < 4; i++)
		started[i] = NONE;
	no_amplify(started);
	end_all(started, 4);
}
