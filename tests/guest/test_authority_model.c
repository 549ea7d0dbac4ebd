/*
 * The authority model (kernel/authority.c, docs/kernel.md): control calls
 * act only on processes the caller is responsible for, and privctl gives
 * only what the caller holds.  Each attack is made by a peer that holds
 * exactly the kernel calls it needs (peer_attack.c), never by this test
 * process, which is a root.  A peer is not a root, so the kernel loads no
 * program for it: its children are empty slots that it manages and has VM
 * build (vm_build_image, as RS builds a service), under a memlimit it
 * lends out of its own.  Memory quotas (kernel/quota.c): a limit per
 * process, and a reserve that keeps RS able to restart services.  (The
 * kernel defects of issue 11 are in test_authority.c.)
 */
#include "guest.h"
#include <ax/signal.h>
#include <cdev_client.h>
#include <ax/linux.h>

#define CALL(name) KCALL_BIT(name)

/* What a peer needs to have VM build a child (ATK_BUILD: vm_build.h): the module, exec, a copy. */
#define BUILD_CALLS (CALL(MAPIMAGE) | CALL(EXEC) | CALL(SETGRANT) | CALL(SAFECOPYTO))

/*
 * A running copy of the peer program holding `calls` and getinfo only, or
 * NONE.  Its only IPC target is VM (its children's builds; it answers
 * everyone else: replies need no permission).
 */
static endpoint_t
spawn_peer(const char *name, uint64_t calls, endpoint_t sig_mgr)
{
	struct priv_desc d;
	endpoint_t e;

	memset(&d, 0, sizeof(d));
	d.call_mask = CALL(GETINFO) | calls; /* what libsys needs to start, and the attack */
	d.sig_mgr = sig_mgr;
	if (sys_lookup("vm", &d.ipc_to[0]) < 0)
		return NONE;
	d.nr_ipc = 1;
	/* The kernel builds it: its own memory is what the kernel counts when it lends (quota.c). */
	return spawn_program_kernel("peer", name, NULL, -1, &d, &e) < 0 ? NONE : e;
}

/* Have attacker a try v[0] (enum peer_attack) with v[1..5]; the kernel's answer. */
static int64_t
attack_v(endpoint_t a, const uint64_t v[6], endpoint_t *child)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_type = PEER_ATTACK;
	memcpy(m.m_u64.v, v, 6 * sizeof(v[0]));
	if ((r = ipc_sendrec(a, &m)) < 0)
		return r;
	if (child)
		*child = (endpoint_t)m.m_u64.v[1];
	return (int64_t)m.m_u64.v[0];
}

/*
 * The same with four arguments.  *child: a spawned child.  ATK_SET asks
 * for a memory limit of 1 MiB, which every attacker here can lend, so
 * that only what a test tries can be refused (and which holds the peer
 * program VM builds).
 */
static int64_t
attack(endpoint_t a, int kind, uint64_t v1, uint64_t v2, uint64_t v3, uint64_t v4,
       endpoint_t *child)
{
	return attack_v(a, (const uint64_t[6]){ (uint64_t)kind, v1, v2, v3, v4, 1024 * 1024 },
			child);
}

/*
 * A child of attacker a running the peer program, made as a process that
 * is not a root can: an empty slot (the kernel loads nothing for it), a's
 * to manage with the calls in mask, IPC to VM and a 1 MiB memlimit lent
 * out of a's, then built by VM on a's request (ATK_BUILD).  Held; 0 or
 * the first refusal.
 */
static int64_t
own_child(endpoint_t a, uint64_t mask, endpoint_t *child)
{
	int64_t r;

	*child = NONE;
	if ((r = attack(a, ATK_SPAWN, 0, 0, 0, 0, child)) < 0 ||
	    (r = attack(a, ATK_SET, *child, mask, ATK_SET_MANAGE | ATK_SET_VM, 0, NULL)) < 0)
		return r;
	return attack(a, ATK_BUILD, *child, 0, 0, 0, NULL);
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

/* The processes a test started, ended however it ends. */
#define MAX_STARTED 8
static endpoint_t started[MAX_STARTED];

/* Run a test's body, then end every process it started, however it ended. */
static void
run_and_clean_up(void (*body)(endpoint_t *e))
{
	for (int i = 0; i < MAX_STARTED; i++)
		started[i] = NONE;
	body(started);
	for (int i = 0; i < MAX_STARTED; i++)
		if (started[i] != NONE)
			sys_kill(started[i], SIGKILL);
}

static void
foreign_target(endpoint_t *e)
{
	uint64_t calls =
		CALL(UPDATE) | CALL(PRIVCTL) | CALL(KILL) | CALL(CLEAR) | CALL(SPAWN) | BUILD_CALLS;
	endpoint_t hello = NONE, hello_after = NONE;
	endpoint_t a, v1, v2, own, lx, pm;

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
	EXPECT_EQ(attack(a, ATK_SET, v2, CALL(GETINFO), 0, 0, NULL), -EPERM);
	EXPECT_EQ(attack(a, ATK_CLEAR, v1, 0, 0, 0, NULL), -EPERM);

	/* Nothing happened to them. */
	EXPECT(strcmp(who(v1), "auth_v1") == 0, "v1 runs \"%s\"", who(v1));
	EXPECT(strcmp(who(v2), "auth_v2") == 0, "v2 runs \"%s\"", who(v2));
	EXPECT_EQ(sys_lookup("hello", &hello_after), 0);
	EXPECT_EQ(hello_after, hello);

	/*
	 * Its own child it may manage: the rule is not "refuse everything".
	 * It builds it through VM as its manager, then lets it go unmanaged.
	 */
	EXPECT_EQ(own_child(a, CALL(GETINFO), &own), 0);
	e[3] = own;
	EXPECT_EQ(attack(a, ATK_SET, own, CALL(GETINFO), 0, 0, NULL), 0);
	EXPECT_EQ(attack(a, ATK_PRIVCTL, own, PRIVCTL_ALLOW, 0, 0, NULL), 0);
	EXPECT(strcmp(who(own), "atk_child") == 0, "a's child runs \"%s\"", who(own));
	EXPECT_EQ(attack(a, ATK_KILL, own, SIGKILL, 0, 0, NULL), 0);
	EXPECT_EQ(ipc_send(own, &(message){ .m_type = PEER_NOP }), -EDEADSRCDST);

	/* A signal manager is responsible too: v1 now names a as its manager. */
	EXPECT_EQ(sys_privctl(v1, PRIVCTL_SET,
			      &(struct priv_desc){ .call_mask = KCALL_BASIC_CALLS, .sig_mgr = a },
			      0, 0),
		  0);
	EXPECT_EQ(attack(a, ATK_PRIVCTL, v1, PRIVCTL_DISALLOW, 0, 0, NULL), 0);
	EXPECT_EQ(attack(a, ATK_PRIVCTL, v1, PRIVCTL_ALLOW, 0, 0, NULL), 0);
	EXPECT(strcmp(who(v1), "auth_v1") == 0, "v1 runs \"%s\"", who(v1));

	/* linuxctl names no process, but would take PM's calls and its user processes. */
	EXPECT_EQ(sys_lookup("pm", &pm), 0);
	lx = e[4] = spawn_peer("auth_lx", CALL(LINUXCTL), NONE);
	EXPECT(lx != NONE, "cannot start the linuxctl holder");
	EXPECT_EQ(attack(lx, ATK_LINUXCTL, LX_OWNER_PM, 0, 0, 0, NULL), -EPERM);
}

TEST(authority, foreign_target,
     "a holder of update/privctl/kill/clear is refused on a process it is not responsible for")
{
	run_and_clean_up(foreign_target);
}

static void
no_amplify(endpoint_t *e)
{
	uint64_t calls = CALL(PRIVCTL) | CALL(SPAWN) | CALL(UPDATE) | CALL(KILL) | BUILD_CALLS;
	endpoint_t a, child, rich, mine, loaded = NONE;
	message m;

	a = e[0] = spawn_peer("auth_a", calls, NONE);
	EXPECT(a != NONE, "cannot start the attacker");

	/*
	 * A program the kernel loads would be memory out of nobody's limit:
	 * only a root has the kernel load one; a holder of spawn makes empty
	 * slots, whose memory VM gives under the limit it lends them.
	 */
	EXPECT_EQ(attack(a, ATK_SPAWN, 1, 0, 0, 0, &loaded), -EPERM);
	EXPECT_EQ(loaded, NONE);
	EXPECT_EQ(own_child(a, CALL(GETINFO), &child), 0);
	e[1] = child;

	/* The attack: every call and every I/O port for its child. */
	EXPECT_EQ(attack(a, ATK_SET, child, ~0ull, ATK_SET_ALL_PORTS | ATK_SET_ALL_IPC, 0, NULL),
		  -EPERM);
	EXPECT_EQ(attack(a, ATK_SET, child, CALL(GETINFO) | CALL(DEVIO), 0, 0, NULL), -EPERM);
	EXPECT_EQ(attack(a, ATK_SET, child, CALL(GETINFO), ATK_SET_ALL_PORTS, 0, NULL), -EPERM);
	EXPECT_EQ(attack(a, ATK_SET, child, CALL(GETINFO), ATK_SET_ALL_IPC, 0, NULL), -EPERM);
	EXPECT_EQ(attack(a, ATK_SET, child, CALL(GETINFO), ATK_SET_ROOT, 0, NULL), -EPERM);
	EXPECT_EQ(attack(a, ATK_SET, child, CALL(GETINFO), 0, 1u << 3, NULL), -EPERM);

	/* What a holds it may give; one resource at a time is checked the same way. */
	EXPECT_EQ(attack(a, ATK_SET, child, CALL(GETINFO) | calls, 0, 0, NULL), 0);
	EXPECT_EQ(attack(a, ATK_PRIVCTL, child, PRIVCTL_ADD_IO, 0, 0xffff, NULL), -EPERM);
	EXPECT_EQ(attack(a, ATK_PRIVCTL, child, PRIVCTL_ADD_IO, 0x64, 0x64, NULL), -EPERM);
	EXPECT_EQ(attack(a, ATK_PRIVCTL, child, PRIVCTL_ADD_IRQ, 3, 0, NULL), -EPERM);
	EXPECT_EQ(attack(a, ATK_PRIVCTL, child, PRIVCTL_ADD_MEM, 0xfee00000, 0xfee00fff, NULL),
		  -EPERM);
	EXPECT_EQ(attack(a, ATK_PRIVCTL, child, PRIVCTL_ALLOW, 0, 0, NULL), 0);

	/* The child runs, and reads no port (the keyboard controller's status). */
	EXPECT_EQ(peer_call(child, PEER_DEVIO, 0x64, 0, &m), 0);
	EXPECT((int64_t)m.m_u64.v[0] < 0, "the child read port 0x64: %lld",
	       (long long)(int64_t)m.m_u64.v[0]);

	/*
	 * update and a spawn into a dead slot are the other ways to amplify:
	 * a manages `rich` (a holder of devio and the port), and would put a
	 * program of its own under rich's privileges.
	 */
	rich = e[2] = spawn_peer("auth_rich", CALL(DEVIO), a);
	EXPECT(rich != NONE, "cannot start the rich peer");
	EXPECT_EQ(sys_privctl(rich, PRIVCTL_ADD_IO, NULL, 0x64, 0x64), 0);
	EXPECT_EQ(own_child(a, CALL(GETINFO), &mine), 0);
	e[3] = mine;
	EXPECT_EQ(attack(a, ATK_SET, mine, CALL(GETINFO), 0, 0, NULL), 0);
	EXPECT_EQ(attack(a, ATK_UPDATE, rich, mine, 0, 0, NULL), -EPERM);
	EXPECT(strcmp(who(rich), "auth_rich") == 0, "rich's slot runs \"%s\"", who(rich));

	/*
	 * So is taking rich's slot once rich is dead: to have VM build a
	 * program of a's there (spawn into, empty), or (the kernel loading
	 * one) a's own program under rich's privileges.
	 */
	EXPECT_EQ(attack(a, ATK_KILL, rich, SIGKILL, 0, 0, NULL), 0); /* a manages it */
	EXPECT_EQ(attack(a, ATK_RESPAWN, rich, 0, 0, 0, NULL), -EPERM);
	EXPECT_EQ(attack(a, ATK_RESPAWN, rich, 1, 0, 0, NULL), -EPERM);
}

TEST(authority, no_amplify,
     "a child cannot be given what its parent does not hold; the child reads no port")
{
	run_and_clean_up(no_amplify);
}

#define MIB (1024 * 1024)

/* How much memory e's address space holds now (getinfo(PRIV)), or 0. */
static uint64_t
mem_used(endpoint_t e)
{
	struct msg_sys_privinfo info;

	return sys_getpriv(e, &info) == 0 ? info.mem_used : 0;
}

/* Have peer e move its break to heap start + size: brk's result. */
static int64_t
peer_brk(endpoint_t e, uint64_t size)
{
	message m;
	int r = peer_call(e, PEER_BRK, size, 0, &m);

	return r < 0 ? r : (int64_t)m.m_u64.v[0];
}

/* Grow e's heap as far as it goes; how far that was. */
static uint64_t
grow_greedily(endpoint_t e)
{
	uint64_t size = 0;

	for (uint64_t step = 256 * MIB; step >= 64 * 1024; step /= 2)
		if (peer_brk(e, size + step) == 0)
			size += step;
	return size;
}

/* How often RS restarted label; its endpoint in *e (NONE: not running). */
static uint32_t
restarts(const char *label, endpoint_t *e)
{
	struct msg_rs_reply reply;

	*e = NONE;
	if (rs_request(RS_LOOKUP, label, &reply) < 0)
		return 0;
	*e = reply.endpt;
	return reply.restarts;
}

/* Wait up to `ticks` for label to run again after restart number `before`. */
static bool
restarted(const char *label, uint32_t before, int ticks)
{
	endpoint_t e;

	for (int i = 0; i < ticks; i++) {
		if (restarts(label, &e) > before && e != NONE)
			return true;
		tickdelay(1);
	}
	return false;
}

/*
 * Have a give its child basic calls, IPC to VM (the child's heap is VM's),
 * a memory limit (0: the default) and, if `manage`, a as its manager (so
 * that a may have VM build it).
 */
static int64_t
set_with_limit(endpoint_t a, endpoint_t child, uint64_t limit, bool manage)
{
	uint64_t what = ATK_SET_VM | (manage ? ATK_SET_MANAGE : 0);

	return attack_v(
		a,
		(const uint64_t[6]){ ATK_SET, (uint64_t)child, KCALL_BASIC_CALLS, what, 0, limit },
		NULL);
}

static void
memory_quota(endpoint_t *e)
{
	endpoint_t hog, greedy, a, child, child2, child3, child4, hello3;
	uint64_t rest;
	uint32_t before;
	uint64_t base, got;
	struct msg_sys_resources res;
	struct priv_desc d;

	/* A hog with basic calls and 8 MiB is refused at its limit, and goes on. */
	hog = e[0] = spawn_peer("auth_hog", 0, NONE);
	EXPECT(hog != NONE, "cannot start the hog");
	memset(&d, 0, sizeof(d));
	d.call_mask = KCALL_BASIC_CALLS;
	d.sig_mgr = NONE;
	d.mem_limit = 8 * MIB;
	EXPECT_EQ(sys_privctl(hog, PRIVCTL_SET, &d, 0, 0), 0);
	base = mem_used(hog); /* its image and stack */
	EXPECT(base > 0 && base < 2 * MIB, "the hog holds %llu bytes", (unsigned long long)base);
	EXPECT_EQ(peer_brk(hog, 8 * MIB - base + 4096), -ENOMEM);
	EXPECT_EQ(peer_brk(hog, 238 * MIB), -ENOMEM); /* the 238 MiB */
	EXPECT_EQ(peer_brk(hog, 8 * MIB - base), 0);  /* exactly its limit */
	EXPECT_EQ(mem_used(hog), 8 * MIB);
	EXPECT_EQ(peer_brk(hog, 8 * MIB - base + 4096), -ENOMEM);
	EXPECT(strcmp(who(hog), "auth_hog") == 0, "the hog no longer answers");

	/*
	 * Nor can a process give more than its own limit.  It has the kernel
	 * load no program (EPERM: only a root may); it makes empty slots and
	 * has VM build them, and VM holds each to the limit it set, which is
	 * lent out of its own: spawning does not multiply memory, and what a
	 * child borrowed comes back when it ends.
	 */
	a = e[1] = spawn_peer("auth_a", KCALL_BIT(PRIVCTL) | KCALL_BIT(SPAWN) | BUILD_CALLS, NONE);
	EXPECT(a != NONE, "cannot start the attacker");
	d.call_mask = KCALL_BASIC_CALLS | KCALL_BIT(PRIVCTL) | KCALL_BIT(SPAWN) | BUILD_CALLS;
	EXPECT_EQ(sys_lookup("vm", &d.ipc_to[0]), 0);
	d.nr_ipc = 1;
	EXPECT_EQ(sys_privctl(a, PRIVCTL_SET, &d, 0, 0), 0);         /* 8 MiB */
	EXPECT_EQ(attack(a, ATK_SPAWN, 1, 0, 0, 0, &child), -EPERM); /* a program: the kernel's */
	EXPECT_EQ(attack(a, ATK_SPAWN, 0, 0, 0, 0, &child), 0);
	e[2] = child;
	EXPECT_EQ(set_with_limit(a, child, 0, true), -EPERM); /* 0: the default, 64 MiB */
	EXPECT_EQ(set_with_limit(a, child, 9 * MIB, true), -EPERM);
	EXPECT_EQ(set_with_limit(a, child, 4 * MIB, true), 0); /* within its own */
	EXPECT_EQ(attack(a, ATK_BUILD, child, 0, 0, 0, NULL), 0);
	EXPECT_EQ(attack(a, ATK_PRIVCTL, child, PRIVCTL_ALLOW, 0, 0, NULL), 0);

	/* VM holds the child to those 4 MiB: its heap takes what its program leaves, no more. */
	EXPECT_EQ(peer_brk(child, 4 * MIB), -ENOMEM);
	got = grow_greedily(child);
	EXPECT(got > 3 * MIB && got < 4 * MIB, "a's child's heap grew to %llu KiB of its 4 MiB",
	       (unsigned long long)(got / 1024));
	EXPECT_EQ(peer_brk(child, got + 64 * 1024), -ENOMEM);
	EXPECT(strcmp(who(child), "atk_child") == 0, "a's child no longer answers");
	EXPECT_EQ(set_with_limit(a, child, 4 * MIB, false), 0); /* unmanaged: a kill ends it */

	EXPECT_EQ(attack(a, ATK_SPAWN, 0, 0, 0, 0, &child2), 0);
	e[4] = child2;
	EXPECT_EQ(set_with_limit(a, child2, 4 * MIB, false), -EPERM); /* 4 + 4 + its own > 8 */
	rest = 4 * MIB - mem_used(a) - 16 * 1024;
	EXPECT_EQ(set_with_limit(a, child2, rest, false), 0); /* 16 KiB left unused */

	/*
	 * An empty slot costs nothing, but a's last 16 KiB hold no program:
	 * a cannot lend a child room for one, and VM refuses the build past
	 * the 16 KiB it can lend (ENOMEM); a and the system go on.
	 */
	EXPECT_EQ(attack(a, ATK_SPAWN, 0, 0, 0, 0, &child3), 0);
	e[5] = child3;
	EXPECT_EQ(set_with_limit(a, child3, 1 * MIB, true), -EPERM);
	EXPECT_EQ(set_with_limit(a, child3, 16 * 1024, true), 0);
	EXPECT_EQ(attack(a, ATK_BUILD, child3, 0, 0, 0, NULL), -ENOMEM);
	EXPECT(strcmp(who(a), "auth_a") == 0, "the attacker no longer answers");
	EXPECT_EQ(set_with_limit(a, child3, 16 * 1024, false), 0); /* unmanaged: a kill ends it */
	EXPECT_EQ(sys_kill(child3, SIGKILL), 0);
	e[5] = NONE;

	EXPECT_EQ(sys_kill(child, SIGKILL), 0); /* its 4 MiB come back */
	e[2] = NONE;
	EXPECT_EQ(own_child(a, KCALL_BASIC_CALLS, &child4), 0);
	e[6] = child4;
	EXPECT_EQ(attack(a, ATK_PRIVCTL, child4, PRIVCTL_ALLOW, 0, 0, NULL), 0);
	EXPECT(strcmp(who(child4), "atk_child") == 0, "a's new child runs \"%s\"", who(child4));

	/*
	 * One allowed everything takes all memory but the reserve; RS can
	 * still restart a crashed service: its spawn may use the reserve.
	 * hello3 restarts statefully, so the new instance is made while the
	 * dead one still holds its memory: nothing the crash freed helps.
	 */
	greedy = e[3] = spawn_peer("auth_greedy", 0, NONE);
	EXPECT(greedy != NONE, "cannot start the greedy peer");
	d.call_mask = KCALL_BASIC_CALLS;
	d.mem_limit = PRIV_MEM_UNLIMITED;
	EXPECT_EQ(sys_privctl(greedy, PRIVCTL_SET, &d, 0, 0), 0);
	got = grow_greedily(greedy);
	EXPECT_EQ(sys_getresources(&res), 0);
	/* All but the reserve, or (with much memory) the heap's own 256 MiB limit. */
	EXPECT(got > 0 && (res.free_frames < 2 * 1024 + 64 || got >= 256 * MIB - 64 * 1024),
	       "took %llu MiB, %llu frames left", (unsigned long long)(got / MIB),
	       (unsigned long long)res.free_frames);
	before = restarts("hello3", &hello3);
	EXPECT(hello3 != NONE, "hello3 is not running");
	EXPECT_EQ(sys_kill(hello3, SIGKILL), 0);
	EXPECT(restarted("hello3", before, 300), "RS did not restart hello3 (%llu frames free)",
	       (unsigned long long)res.free_frames);
	EXPECT_EQ(cdev_open(hello3, 0, CDEV_R_BIT), 0); /* it answers */
	EXPECT_EQ(peer_brk(greedy, 0), 0);
	EXPECT_EQ(sys_getresources(&res), 0);
	EXPECT(res.free_frames * 4096 > got, "%llu frames free after the greedy peer shrank",
	       (unsigned long long)res.free_frames);
}

TEST(authority, memory_quota,
     "a hog is refused at its memory limit (ENOMEM); a child VM builds is held to the limit "
     "its non-root parent lends it; RS still restarts a crashed service")
{
	run_and_clean_up(memory_quota);
}
