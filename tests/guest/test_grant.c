/*
 * Grants and safecopy: the runner grants its memory to the "driver" helper
 * (driver.c, driver_proto.h), which copies through the grant on request;
 * "driver2" is a second driver for passing grants on and the victim of the
 * confused-deputy test.  Results are checked in the memory itself: the
 * runner's own buffers, and the drivers' exposed buffers through DRV_PEEK.
 *
 * Every test starts by revoking what an earlier failed test may have left
 * in the runner's table (leftovers()), so no stray grant can make a copy
 * succeed that should fail.
 */
#include "guest.h"
#include "driver_proto.h"
#include <stdlib.h>

#define RW           (GRANT_READ | GRANT_WRITE)
#define AREA_SIZE    (DRV_BUF_SIZE + 8192)
#define UNMAPPED     ((void *)0x40000000) /* nothing is mapped there */
#define KERNEL_VA    ((void *)0xffff800000000000ull)
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define V(r, i)      ((r).m_u64.v[i])
#define CALL(name)   (1ull << (KCALL_##name - KCALL_BASE))

/*
 * The buffers, page-aligned, from the heap at a test's first use: in the
 * bss they were 150 KB in every test process, which -m 32M counts
 * (vm.all_ram).  area, shadow (area as it should be) and copy name them.
 */
static uint8_t *area_p, *shadow_p, *copy_p;

static uint8_t *
page_alloc(size_t n)
{
	uint8_t *p = malloc(n + 4096);

	if (!p)
		panic("no memory for the grant tests' buffers");
	return (uint8_t *)(((uintptr_t)p + 4095) & ~(uintptr_t)4095);
}

static void
grant_buffers(void)
{
	if (!area_p) {
		area_p = page_alloc(AREA_SIZE);
		shadow_p = page_alloc(AREA_SIZE);
		copy_p = page_alloc(8192);
	}
}

#define area   (grant_buffers(), area_p)
#define shadow (grant_buffers(), shadow_p)
#define copy   (grant_buffers(), copy_p)
static const uint8_t ro_data[256] = { 1, 2, 3, 4, 5, 6, 7, 8 }; /* in .rodata */

static grant_id_t made[32];
static int nr_made;

/* Remember g so that leftovers() can revoke it. */
static grant_id_t
track(grant_id_t g)
{
	if (g != GRANT_INVALID && nr_made < (int)ARRAY_LEN(made))
		made[nr_made++] = g;
	return g;
}

static void
leftovers(void)
{
	for (int i = 0; i < nr_made; i++)
		cpf_revoke(made[i]); /* most are revoked already: -EINVAL */
	nr_made = 0;
}

static int
drv_call(endpoint_t d, int cmd, const uint64_t *args, size_t n, message *reply)
{
	int r;

	memset(reply, 0, sizeof(*reply));
	reply->m_type = cmd;
	memcpy(reply->m_u64.v, args, n * sizeof(args[0]));
	if ((r = ipc_sendrec(d, reply)) < 0)
		return r;
	return reply->m_type;
}

/* DRV(driver, command, &reply, args...): the command's result. */
#define DRV(d, cmd, reply, ...)                                 \
	drv_call((d), (cmd), (const uint64_t[]){ __VA_ARGS__ }, \
		 sizeof((const uint64_t[]){ __VA_ARGS__ }) / sizeof(uint64_t), (reply))

/* e's slot with the next generation: a dead endpoint. */
static endpoint_t
stale(endpoint_t e)
{
	return endpoint_make(endpoint_slot(e), endpoint_gen(e) + 1);
}

static void
fill_pattern(uint8_t *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 31 + seed + (i >> 8));
	memcpy(shadow + (p - area), p, n);
}

/* First byte where area differs from shadow, or -1. */
static long
area_diff(void)
{
	for (size_t i = 0; i < AREA_SIZE; i++)
		if (area[i] != shadow[i])
			return (long)i;
	return -1;
}

TEST(grant, read_write,
     "a driver copies from and into a grant the runner made for it, and nowhere else")
{
	endpoint_t d = find("driver");
	message r;
	grant_id_t g;

	leftovers();
	fill_pattern(area, AREA_SIZE, 7);
	g = track(cpf_grant_direct(d, area + 100, DRV_BUF_SIZE, RW));
	EXPECT(g != GRANT_INVALID, "no grant");
	EXPECT_EQ(DRV(d, DRV_READ, &r, g, 0, DRV_BUF_SIZE), 0);
	EXPECT_EQ(V(r, 0), drv_checksum(area + 100, DRV_BUF_SIZE));
	EXPECT_EQ(DRV(d, DRV_READ, &r, g, 4093, 17), 0);
	EXPECT_EQ(V(r, 0), drv_checksum(area + 100 + 4093, 17));
	EXPECT_EQ(DRV(d, DRV_READ, &r, g, 8, 8), 0);
	EXPECT(memcmp(&V(r, 1), area + 108, 8) == 0, "wrong bytes read");

	EXPECT_EQ(DRV(d, DRV_WRITE, &r, g, 3000, 5000, 0xa5), 0);
	memset(shadow + 3100, 0xa5, 5000);
	EXPECT_EQ(area_diff(), -1);
	EXPECT_EQ(DRV(d, DRV_WRITE, &r, g, DRV_BUF_SIZE - 1, 1, 0x5a), 0);
	shadow[100 + DRV_BUF_SIZE - 1] = 0x5a;
	EXPECT_EQ(area_diff(), -1);
	EXPECT_EQ(cpf_revoke(g), 0);
}

TEST(grant, access_mode,
     "a read-only grant cannot be written, a write-only one not read, read-only memory not written")
{
	endpoint_t d = find("driver");
	uint64_t ro_sum = drv_checksum(ro_data, sizeof(ro_data));
	grant_id_t g, w, ro;
	message r;

	leftovers();
	fill_pattern(area, 4096, 11);
	g = track(cpf_grant_direct(d, area, 4096, GRANT_READ));
	EXPECT_EQ(DRV(d, DRV_READ, &r, g, 0, 64), 0);
	EXPECT_EQ(V(r, 0), drv_checksum(area, 64));
	EXPECT_EQ(DRV(d, DRV_WRITE, &r, g, 0, 64, 0x11), -EPERM);
	EXPECT_EQ(area_diff(), -1);

	w = track(cpf_grant_direct(d, area, 4096, GRANT_WRITE));
	EXPECT_EQ(DRV(d, DRV_READ, &r, w, 0, 64), -EPERM);
	EXPECT_EQ(DRV(d, DRV_WRITE, &r, w, 0, 64, 0x22), 0);
	memset(shadow, 0x22, 64);
	EXPECT_EQ(area_diff(), -1);

	/* The grant allows writing, but the owner's page does not. */
	ro = track(cpf_grant_direct(d, ro_data, sizeof(ro_data), RW));
	EXPECT_EQ(DRV(d, DRV_READ, &r, ro, 0, sizeof(ro_data)), 0);
	EXPECT_EQ(V(r, 0), ro_sum);
	EXPECT_EQ(DRV(d, DRV_WRITE, &r, ro, 0, 16, 0x33), -EFAULT);
	EXPECT_EQ(drv_checksum(ro_data, sizeof(ro_data)), ro_sum);

	EXPECT_EQ(cpf_grant_direct(d, area, 16, 0), GRANT_INVALID);
	EXPECT_EQ(cpf_grant_direct(d, area, 16, GRANT_VALID | GRANT_READ), GRANT_INVALID);
	leftovers();
}

TEST(grant, bounds,
     "copies outside a grant, or with huge lengths or offsets, fail and change nothing")
{
	endpoint_t d = find("driver");
	grant_id_t g, big, un, h;
	message r;

	leftovers();
	fill_pattern(area, 8192, 13);
	g = track(cpf_grant_direct(d, area, 100, RW));
	EXPECT_EQ(DRV(d, DRV_READ, &r, g, 0, 100), 0);
	EXPECT_EQ(DRV(d, DRV_READ, &r, g, 1, 100), -EFAULT);
	EXPECT_EQ(DRV(d, DRV_READ, &r, g, 100, 0), 0);
	EXPECT_EQ(DRV(d, DRV_READ, &r, g, 101, 0), -EFAULT);
	EXPECT_EQ(DRV(d, DRV_WRITE, &r, g, 99, 2, 0x44), -EFAULT);
	EXPECT_EQ(DRV(d, DRV_WRITE, &r, g, ~0ull, 2, 0x44), -EFAULT);
	EXPECT_EQ(area_diff(), -1);

	/* A grant as large as can be still only covers user memory. */
	big = track(cpf_grant_direct(d, area, ~(size_t)0, RW));
	EXPECT_EQ(DRV(d, DRV_READ, &r, big, 1ull << 47, 16), -EFAULT);
	EXPECT_EQ(DRV(d, DRV_WRITE, &r, big, ~0ull - (uint64_t)area - 8, 16, 0x45), -EFAULT);
	un = track(cpf_grant_direct(d, UNMAPPED, 8192, RW));
	EXPECT_EQ(DRV(d, DRV_READ, &r, un, 4096, 16), -EFAULT);
	EXPECT_EQ(area_diff(), -1);

	/* The runner as grantee, with lengths the driver would not pass. */
	EXPECT_EQ(DRV(d, DRV_GRANT, &r, self_endpoint, 0, 4096, RW), 0);
	h = (grant_id_t)V(r, 0);
	EXPECT_EQ(sys_safecopyfrom(d, h, 0, copy, 4096), 0);
	EXPECT_EQ(sys_safecopyfrom(d, h, 0, copy, ~(size_t)0), -EFAULT);
	EXPECT_EQ(sys_safecopyfrom(d, h, 4095, copy, ~(size_t)0 - 4000), -EFAULT);
	EXPECT_EQ(sys_safecopyfrom(d, h, ~0ull, copy, 2), -EFAULT);
	/* ...and a bad buffer of its own. */
	EXPECT_EQ(sys_safecopyfrom(d, h, 0, (void *)0x10, 8), -EFAULT);
	EXPECT_EQ(sys_safecopyfrom(d, h, 0, KERNEL_VA, 8), -EFAULT);
	EXPECT_EQ(sys_safecopyfrom(d, h, 0, (void *)ro_data, 8), -EFAULT);
	EXPECT_EQ(sys_safecopyto(d, h, 0, UNMAPPED, 8), -EFAULT);
	EXPECT_EQ(DRV(d, DRV_REVOKE, &r, h), 0);
	leftovers();
}

TEST(grant, revoke, "a revoked grant fails at its very next use, from either side")
{
	endpoint_t d = find("driver");
	grant_id_t g, h;
	message r;

	leftovers();
	fill_pattern(area, 4096, 17);
	g = track(cpf_grant_direct(d, area, 64, RW));
	EXPECT_EQ(DRV(d, DRV_READ, &r, g, 0, 64), 0);
	EXPECT_EQ(cpf_revoke(g), 0);
	EXPECT_EQ(DRV(d, DRV_READ, &r, g, 0, 64), -EPERM);
	EXPECT_EQ(DRV(d, DRV_WRITE, &r, g, 0, 64, 0x55), -EPERM);
	EXPECT_EQ(area_diff(), -1);
	EXPECT_EQ(cpf_revoke(g), -EINVAL);
	EXPECT_EQ(cpf_revoke(GRANT_INVALID), -EINVAL);

	EXPECT_EQ(DRV(d, DRV_GRANT, &r, self_endpoint, 0, 64, RW), 0);
	h = (grant_id_t)V(r, 0);
	EXPECT_EQ(sys_safecopyfrom(d, h, 0, copy, 64), 0);
	EXPECT_EQ(DRV(d, DRV_REVOKE, &r, h), 0);
	EXPECT_EQ(sys_safecopyfrom(d, h, 0, copy, 64), -EPERM);
	EXPECT_EQ(sys_safecopyto(d, h, 0, copy, 64), -EPERM);
	EXPECT_EQ(DRV(d, DRV_REVOKE, &r, h), -EINVAL);
}

TEST(grant, stale_id, "an entry reused for a new grant gets a new sequence, and the old id fails")
{
	endpoint_t d = find("driver");
	grant_id_t g1, g2;
	message r;

	leftovers();
	fill_pattern(area, 4096, 19);
	g1 = track(cpf_grant_direct(d, area, 64, RW));
	EXPECT_EQ(cpf_revoke(g1), 0);
	g2 = track(cpf_grant_direct(d, area + 64, 64, RW));
	EXPECT_EQ(grant_index(g2), grant_index(g1));
	EXPECT_EQ(grant_seq(g2), (grant_seq(g1) + 1) % (GRANT_MAX_SEQ + 1));
	EXPECT_EQ(DRV(d, DRV_READ, &r, g1, 0, 64), -EPERM);
	EXPECT_EQ(DRV(d, DRV_WRITE, &r, g1, 0, 64, 0x66), -EPERM);
	EXPECT_EQ(area_diff(), -1);
	EXPECT_EQ(DRV(d, DRV_READ, &r, g2, 0, 64), 0);
	EXPECT_EQ(V(r, 0), drv_checksum(area + 64, 64));
	EXPECT_EQ(DRV(d, DRV_READ, &r, grant_make_id(grant_index(g2), grant_seq(g2) + 1), 0, 64),
		  -EPERM);
	EXPECT_EQ(cpf_revoke(g1), -EINVAL); /* the old id cannot revoke the new grant */
	EXPECT_EQ(DRV(d, DRV_READ, &r, g2, 0, 64), 0);
	leftovers();
}

/* A chain runner -> driver -> driver2 -> runner; revoking the middle breaks it. */
static void
three_hops(endpoint_t d, endpoint_t d2, grant_id_t g)
{
	grant_id_t mid, last;
	message r;

	EXPECT_EQ(DRV(d, DRV_REGRANT, &r, g, d2), 0);
	mid = (grant_id_t)V(r, 0);
	EXPECT_EQ(DRV(d, DRV_ASK, &r, d2, DRV_REGRANT, mid, self_endpoint), 0);
	last = (grant_id_t)V(r, 0);
	memset(copy, 0, 4096);
	EXPECT_EQ(sys_safecopyfrom(d2, last, 0, copy, 4096), 0);
	EXPECT(memcmp(copy, area, 4096) == 0, "wrong bytes through three grants");
	EXPECT_EQ(DRV(d, DRV_REVOKE, &r, mid), 0);
	EXPECT_EQ(sys_safecopyfrom(d2, last, 0, copy, 4096), -EPERM);
	EXPECT_EQ(DRV(d2, DRV_REVOKE, &r, last), 0);
}

/* GRANT_MAX_DEPTH indirect grants in a row are followed; one more is ELOOP. */
static void
depth_limit(endpoint_t d)
{
	grant_id_t chain[GRANT_MAX_DEPTH + 2];
	message r;

	chain[0] = track(cpf_grant_direct(ANY, area, 64, GRANT_READ));
	for (int i = 1; i < GRANT_MAX_DEPTH + 2; i++)
		chain[i] = track(cpf_grant_indirect(ANY, self_endpoint, chain[i - 1]));
	EXPECT_EQ(DRV(d, DRV_READ, &r, chain[GRANT_MAX_DEPTH], 0, 64), 0);
	EXPECT_EQ(V(r, 0), drv_checksum(area, 64));
	EXPECT_EQ(DRV(d, DRV_READ, &r, chain[GRANT_MAX_DEPTH + 1], 0, 64), -ELOOP);
}

TEST(grant, indirect,
     "a driver passes a grant on to driver2; the chain checks every hop and breaks when a link is "
     "revoked")
{
	endpoint_t d = find("driver"), d2 = find("driver2");
	grant_id_t g, ro, fake;
	message r;

	leftovers();
	fill_pattern(area, 8192, 23);
	g = track(cpf_grant_direct(d, area, 8192, RW));
	EXPECT_EQ(DRV(d, DRV_FORWARD, &r, g, d2, DRV_READ, 1000, 5000, 0), 0);
	EXPECT_EQ(V(r, 0), drv_checksum(area + 1000, 5000));
	EXPECT_EQ(DRV(d, DRV_FORWARD, &r, g, d2, DRV_WRITE, 10, 20, 0x6b), 0);
	memset(shadow + 10, 0x6b, 20);
	EXPECT_EQ(area_diff(), -1);
	/* The driver revoked what it passed on; bounds and access come from the original. */
	EXPECT_EQ(DRV(d, DRV_ASK, &r, d2, DRV_READ, V(r, 2), 0, 16), -EPERM);
	EXPECT_EQ(DRV(d, DRV_FORWARD, &r, g, d2, DRV_READ, 8000, 193, 0), -EFAULT);
	ro = track(cpf_grant_direct(d, area, 64, GRANT_READ));
	EXPECT_EQ(DRV(d, DRV_FORWARD, &r, ro, d2, DRV_WRITE, 0, 8, 0x6c), -EPERM);
	EXPECT_EQ(area_diff(), -1);

	three_hops(d, d2, g);
	if (test_failure[0])
		return;

	/* driver2 passes on a grant that was never given to it: useless. */
	EXPECT_EQ(DRV(d2, DRV_REGRANT, &r, g, d), 0);
	fake = (grant_id_t)V(r, 0);
	EXPECT_EQ(DRV(d2, DRV_ASK, &r, d, DRV_READ, fake, 0, 16), -EPERM);
	EXPECT_EQ(DRV(d2, DRV_REVOKE, &r, fake), 0);

	depth_limit(d);
	leftovers();
}

/* What the driver has at boot (kernel/table.c), plus `flags`. */
static int
set_driver_privs(endpoint_t d, uint32_t flags)
{
	struct priv_desc desc;

	memset(&desc, 0, sizeof(desc));
	desc.flags = flags;
	desc.call_mask = CALL(GETINFO) | CALL(SETALARM) | CALL(TIMES) | CALL(EXIT) | CALL(DIAGCTL) |
			 CALL(STATECTL) | CALL(SAFECOPYFROM) | CALL(SAFECOPYTO) | CALL(VSAFECOPY) |
			 CALL(SETGRANT);
	desc.sig_mgr = NONE;
	desc.nr_ipc = PRIV_DESC_ALL_IPC;
	return sys_privctl(d, PRIVCTL_SET, &desc, 0, 0);
}

/* The driver's magic grant of driver2's memory works only while it may make them. */
static void
magic_allowed(endpoint_t d, endpoint_t d2, uint64_t addr, uint64_t sum)
{
	grant_id_t m, k, dead;
	message r;

	EXPECT_EQ(DRV(d, DRV_MAGIC, &r, self_endpoint, d2, addr, 256, GRANT_READ), 0);
	m = (grant_id_t)V(r, 0);
	EXPECT_EQ(sys_safecopyfrom(d, m, 0, copy, 256), -EPERM);
	EXPECT_EQ(set_driver_privs(d, PRIV_FLAG_MAGIC_GRANTS), 0);
	memset(copy, 0, 256);
	EXPECT_EQ(sys_safecopyfrom(d, m, 0, copy, 256), 0);
	EXPECT_EQ(drv_checksum(copy, 256), sum);
	EXPECT_EQ(sys_safecopyto(d, m, 0, copy, 256), -EPERM);
	EXPECT_EQ(sys_safecopyfrom(d, m, 1, copy, 256), -EFAULT);
	EXPECT_EQ(DRV(d, DRV_MAGIC, &r, self_endpoint, SYSTEM, 0x400000, 16, GRANT_READ), 0);
	k = (grant_id_t)V(r, 0);
	EXPECT_EQ(sys_safecopyfrom(d, k, 0, copy, 16), -EPERM);
	EXPECT_EQ(DRV(d, DRV_MAGIC, &r, self_endpoint, stale(d2), addr, 16, GRANT_READ), 0);
	dead = (grant_id_t)V(r, 0);
	EXPECT_EQ(sys_safecopyfrom(d, dead, 0, copy, 16), -EDEADSRCDST);
	EXPECT_EQ(set_driver_privs(d, 0), 0);
	EXPECT_EQ(sys_safecopyfrom(d, m, 0, copy, 256), -EPERM);
	EXPECT_EQ(DRV(d, DRV_REVOKE, &r, m), 0);
	EXPECT_EQ(DRV(d, DRV_REVOKE, &r, k), 0);
	EXPECT_EQ(DRV(d, DRV_REVOKE, &r, dead), 0);
}

TEST(grant, magic_denied, "a magic grant by a process without PRIV_MAGIC_GRANTS is refused (EPERM)")
{
	endpoint_t d = find("driver"), d2 = find("driver2");
	uint64_t addr, sum;
	grant_id_t g;
	message r;

	leftovers();
	EXPECT_EQ(DRV(d2, DRV_FILL, &r, 0, 256, 0x5a), 0);
	EXPECT_EQ(DRV(d2, DRV_FILL, &r, 7, 1, 0x07), 0);
	EXPECT_EQ(DRV(d2, DRV_PEEK, &r, 0, 256), 0);
	sum = V(r, 0);
	addr = V(r, 2);

	g = track(cpf_grant_magic(d, d2, addr, 256, RW));
	EXPECT(g != GRANT_INVALID, "no grant");
	EXPECT_EQ(DRV(d, DRV_READ, &r, g, 0, 256), -EPERM);
	EXPECT_EQ(DRV(d, DRV_WRITE, &r, g, 0, 256, 0), -EPERM);
	EXPECT_EQ(DRV(d2, DRV_PEEK, &r, 0, 256), 0);
	EXPECT_EQ(V(r, 0), sum);

	magic_allowed(d, d2, addr, sum);
	if (test_failure[0])
		set_driver_privs(d, 0);
	leftovers();
}

TEST(grant, confused_deputy,
     "a request naming a victim's endpoint cannot make a driver copy the victim's memory")
{
	endpoint_t c = self_endpoint, d = find("driver"), b = find("driver2");
	grant_id_t gb, forged;
	uint64_t sum;
	message r;

	leftovers();
	EXPECT_EQ(DRV(b, DRV_FILL, &r, 0, 128, 0xb0), 0);
	EXPECT_EQ(DRV(b, DRV_PEEK, &r, 0, 128), 0);
	sum = V(r, 0);
	EXPECT_EQ(DRV(b, DRV_GRANT, &r, d, 0, 128, RW), 0);
	gb = (grant_id_t)V(r, 0);
	/* B's own request works: the grant is good. */
	EXPECT_EQ(DRV(b, DRV_ASK, &r, d, DRV_READ, gb, 0, 128), 0);
	EXPECT_EQ(V(r, 0), sum);

	/* C names B in the body; D takes the owner from m_source, C, who made no such grant. */
	EXPECT_EQ(DRV(d, DRV_WRITE_FOR, &r, b, gb, 0, 128, 0xee), -EPERM);
	EXPECT_EQ(DRV(d, DRV_READ_FOR, &r, b, gb, 0, 128), -EPERM);
	/* Nor may C use B's grant itself, or pass it on as if B had given it to C. */
	EXPECT_EQ(sys_safecopyto(b, gb, 0, area, 128), -EPERM);
	forged = track(cpf_grant_indirect(d, b, gb));
	EXPECT_EQ(DRV(d, DRV_WRITE, &r, forged, 0, 128, 0xee), -EPERM);
	EXPECT_EQ(DRV(b, DRV_PEEK, &r, 0, 128), 0);
	EXPECT(V(r, 0) == sum, "B's memory was changed (%d's request)", c);
	EXPECT_EQ(DRV(b, DRV_REVOKE, &r, gb), 0);
	leftovers();
}

TEST(grant, not_grantee, "a process that is not a grant's grantee cannot copy through it (EPERM)")
{
	endpoint_t d = find("driver"), d2 = find("driver2");
	grant_id_t g, a, h;
	message r;

	leftovers();
	fill_pattern(area, 4096, 29);
	g = track(cpf_grant_direct(d, area, 64, RW));
	EXPECT_EQ(DRV(d2, DRV_READ, &r, g, 0, 64), -EPERM);
	EXPECT_EQ(DRV(d2, DRV_WRITE, &r, g, 0, 64, 0x77), -EPERM);
	EXPECT_EQ(area_diff(), -1);
	EXPECT_EQ(DRV(d, DRV_READ, &r, g, 0, 64), 0);

	EXPECT_EQ(DRV(d, DRV_GRANT, &r, d2, 0, 64, RW), 0);
	h = (grant_id_t)V(r, 0);
	EXPECT_EQ(sys_safecopyfrom(d, h, 0, copy, 64), -EPERM);
	EXPECT_EQ(DRV(d, DRV_ASK, &r, d2, DRV_READ, h, 0, 64), 0);
	EXPECT_EQ(DRV(d, DRV_REVOKE, &r, h), 0);

	/* A grant for ANY is anyone's. */
	a = track(cpf_grant_direct(ANY, area, 64, GRANT_READ));
	EXPECT_EQ(DRV(d2, DRV_READ, &r, a, 0, 64), 0);
	EXPECT_EQ(V(r, 0), drv_checksum(area, 64));
	EXPECT_EQ(sys_safecopyfrom(self_endpoint, a, 0, copy, 64), 0);
	leftovers();
}

static grant_entry_t own_table[4] __attribute__((aligned(8)));

static void
entry(int i, uint32_t flags, uint32_t seq, endpoint_t grantee)
{
	own_table[i] = (grant_entry_t){ .cp_flags = flags,
					.cp_seq = seq,
					.cp_grantee = grantee,
					.cp_addr = (uint64_t)area,
					.cp_len = 64 };
}

/* A table of the runner's own making: every check on an entry. */
static void
hand_made_table(endpoint_t d)
{
	message r;

	entry(0, GRANT_VALID | GRANT_DIRECT | RW, 0, d);
	entry(1, GRANT_VALID | GRANT_DIRECT | GRANT_MAGIC | RW, 0, d);
	entry(2, GRANT_DIRECT | RW, 0, d);
	entry(3, GRANT_VALID | GRANT_DIRECT | RW, 5, d);
	EXPECT_EQ(sys_setgrant(own_table, 4), 0);
	EXPECT_EQ(DRV(d, DRV_READ, &r, grant_make_id(0, 0), 0, 64), 0);
	EXPECT_EQ(DRV(d, DRV_READ, &r, grant_make_id(1, 0), 0, 64), -EPERM);
	EXPECT_EQ(DRV(d, DRV_READ, &r, grant_make_id(2, 0), 0, 64), -EPERM);
	EXPECT_EQ(DRV(d, DRV_READ, &r, grant_make_id(3, 4), 0, 64), -EPERM);
	EXPECT_EQ(DRV(d, DRV_READ, &r, grant_make_id(3, 5), 0, 64), 0);
	EXPECT_EQ(DRV(d, DRV_READ, &r, grant_make_id(4, 0), 0, 64), -EPERM);
	EXPECT_EQ(sys_setgrant(own_table, 3), 0); /* entry 3 is valid, but past the end */
	EXPECT_EQ(DRV(d, DRV_READ, &r, grant_make_id(3, 5), 0, 64), -EPERM);
	EXPECT_EQ(sys_setgrant(own_table, 4), 0);
	own_table[0].cp_flags = 0; /* revoked by clearing: no kernel call needed */
	EXPECT_EQ(DRV(d, DRV_READ, &r, grant_make_id(0, 0), 0, 64), -EPERM);
	EXPECT_EQ(sys_setgrant(NULL, 0), 0);
	EXPECT_EQ(DRV(d, DRV_READ, &r, grant_make_id(3, 5), 0, 64), -EPERM);
}

TEST(grant, setgrant,
     "setgrant checks the table, a hand-made table's entries are checked, 0 entries unregisters")
{
	endpoint_t d = find("driver");
	grant_id_t g;
	message r;

	leftovers();
	g = track(cpf_grant_direct(d, area, 64, RW));
	EXPECT_EQ(sys_setgrant((grant_entry_t *)((uint64_t)own_table + 4), 2), -EINVAL);
	EXPECT_EQ(sys_setgrant(own_table, GRANT_MAX_ENTRIES + 1), -EINVAL);
	EXPECT_EQ(sys_setgrant(UNMAPPED, 4), -EFAULT);
	EXPECT_EQ(sys_setgrant(KERNEL_VA, 4), -EFAULT);
	EXPECT_EQ(sys_setgrant((grant_entry_t *)0x8, 4), -EFAULT);
	EXPECT_EQ(DRV(d, DRV_READ, &r, g, 0, 64), 0); /* failed calls changed nothing */

	hand_made_table(d);
	EXPECT_EQ(cpf_reload(), 0);
	EXPECT_EQ(DRV(d, DRV_READ, &r, g, 0, 64), 0);
	leftovers();
}

/* The runner's own vectors, with a grant from the driver to the runner. */
static void
own_vectors(endpoint_t d, grant_id_t h)
{
	struct vscp_vec v[2] = {
		{ .v_src = SELF,
		  .v_dst = d,
		  .v_grant = h,
		  .v_addr = (uint64_t)area,
		  .v_bytes = 64 },
		{ .v_src = d,
		  .v_dst = SELF,
		  .v_grant = h,
		  .v_addr = (uint64_t)copy,
		  .v_bytes = 64 },
	};
	uint64_t before;
	message r;

	memset(copy, 0, 64);
	EXPECT_EQ(sys_vsafecopy(v, 2), 0);
	EXPECT(memcmp(copy, area, 64) == 0, "vector copies did not run in order");
	EXPECT_EQ(sys_vsafecopy(v, 0), 0);

	EXPECT_EQ(DRV(d, DRV_PEEK, &r, 0, 64), 0);
	before = V(r, 0);
	memset(area, 0x99, 64);
	v[1].v_offset = 1; /* out of bounds: the whole vector fails, the first copy too */
	EXPECT_EQ(sys_vsafecopy(v, 2), -EFAULT);
	v[1].v_offset = 0;
	v[1].v_src = SELF; /* both SELF */
	EXPECT_EQ(sys_vsafecopy(v, 2), -EINVAL);
	v[1].v_src = d;
	v[1].v_dst = d; /* neither */
	EXPECT_EQ(sys_vsafecopy(v, 2), -EINVAL);
	EXPECT_EQ(DRV(d, DRV_PEEK, &r, 0, 64), 0);
	EXPECT_EQ(V(r, 0), before);
	EXPECT_EQ(sys_vsafecopy(v, VSCP_MAX + 1), -EINVAL);
	EXPECT_EQ(sys_vsafecopy(UNMAPPED, 1), -EFAULT);
	EXPECT_EQ(sys_vsafecopy(KERNEL_VA, 2), -EFAULT);
}

TEST(grant, vsafecopy,
     "a vector of safecopies runs in order; a bad element fails the vector before any copy")
{
	endpoint_t d = find("driver");
	grant_id_t src, dst, h;
	message r;

	leftovers();
	fill_pattern(area, 12288, 31);
	src = track(cpf_grant_direct(d, area, 4096, GRANT_READ));
	dst = track(cpf_grant_direct(d, area + 8192, 4096, GRANT_WRITE));
	EXPECT_EQ(DRV(d, DRV_VCOPY, &r, src, dst, 4096), 0);
	memcpy(shadow + 8192, area, 4096);
	EXPECT_EQ(area_diff(), -1);
	memset(area + 8192, 0, 4096);
	memset(shadow + 8192, 0, 4096);
	EXPECT_EQ(DRV(d, DRV_VCOPY, &r, dst, dst, 4096), -EPERM);
	EXPECT_EQ(DRV(d, DRV_VCOPY, &r, src, src, 4096), -EPERM);
	EXPECT_EQ(area_diff(), -1);

	EXPECT_EQ(DRV(d, DRV_GRANT, &r, self_endpoint, 0, 64, RW), 0);
	h = (grant_id_t)V(r, 0);
	own_vectors(d, h);
	EXPECT_EQ(DRV(d, DRV_REVOKE, &r, h), 0);
	leftovers();
}

TEST(grant, bad_id, "malformed grant ids and owner endpoints are refused")
{
	endpoint_t d = find("driver");
	grant_id_t g, h;
	message r;

	leftovers();
	g = track(cpf_grant_direct(d, area, 64, RW));
	EXPECT_EQ(DRV(d, DRV_READ, &r, GRANT_INVALID, 0, 64), -EINVAL);
	EXPECT_EQ(DRV(d, DRV_READ, &r, (grant_id_t)0x80000000u, 0, 64), -EINVAL);
	EXPECT_EQ(DRV(d, DRV_READ, &r, grant_make_id(GRANT_INDEX_MASK, 0), 0, 64), -EPERM);
	EXPECT_EQ(DRV(d, DRV_READ, &r, grant_make_id(63, 0), 0, 64), -EPERM);
	EXPECT_EQ(DRV(d, DRV_READ, &r, grant_make_id(grant_index(g), GRANT_MAX_SEQ), 0, 64),
		  -EPERM);
	EXPECT_EQ(DRV(d, DRV_READ, &r, g, 0, 64), 0);

	EXPECT_EQ(DRV(d, DRV_GRANT, &r, self_endpoint, 0, 64, RW), 0);
	h = (grant_id_t)V(r, 0);
	EXPECT_EQ(sys_safecopyfrom(d, h, 0, copy, 64), 0);
	EXPECT_EQ(sys_safecopyfrom(ANY, h, 0, copy, 64), -EINVAL);
	EXPECT_EQ(sys_safecopyfrom(SELF, h, 0, copy, 64), -EINVAL);
	EXPECT_EQ(sys_safecopyfrom(-5, h, 0, copy, 64), -EINVAL);
	EXPECT_EQ(sys_safecopyfrom(endpoint_make(NR_SLOTS + 3, 0), h, 0, copy, 64), -EINVAL);
	EXPECT_EQ(sys_safecopyfrom(stale(d), h, 0, copy, 64), -EDEADSRCDST);
	EXPECT_EQ(sys_safecopyfrom(SYSTEM, h, 0, copy, 64), -EPERM);
	EXPECT_EQ(sys_safecopyfrom(find("peer_a"), h, 0, copy, 64), -EPERM);
	EXPECT_EQ(DRV(d, DRV_REVOKE, &r, h), 0);
	leftovers();
}
