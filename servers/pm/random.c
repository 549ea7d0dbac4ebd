/*
 * Random bytes: getrandom(2) and exec's AT_RANDOM.  A ChaCha20 generator
 * (RFC 8439's block function) with fast key erasure: the bytes of a
 * request come from the key and a counter, then a fresh block replaces
 * the key, so bytes already handed out cannot be recomputed from PM's
 * memory afterwards.  Each request first stirs into the key what the
 * machine offers: the time-stamp counter (its low bits vary with
 * interrupts and the host's load), RDRAND where the CPU has it, and once
 * the CMOS date (time.c).  There is no entropy device yet (virtio-rng
 * would be one): under -icount the TSC is exact, so a test run's bytes
 * are the same each time.  Good for hash seeds, stack protectors and
 * ASLR-like uses; not yet for long-term keys.
 */
#include <string.h>
#include "pm.h"

#define LX_GRND_NONBLOCK 0x1
#define LX_GRND_RANDOM   0x2
#define LX_GRND_INSECURE 0x4
#define GETRANDOM_MAX    33554431 /* what one call gives at most (Linux before 5.18) */

static uint32_t key[8];
static uint64_t counter;

/* What a live update carries of this file (lu.c): the generator goes on, not over. */
void
random_lu_state(pm_lu_add_fn *add)
{
	add(key, sizeof(key));
	add(&counter, sizeof(counter));
}

static uint32_t
rotl(uint32_t v, int n)
{
	return v << n | v >> (32 - n);
}

#define QUARTER(a, b, c, d)                  \
	do {                                 \
		a += b, d = rotl(d ^ a, 16); \
		c += d, b = rotl(b ^ c, 12); \
		a += b, d = rotl(d ^ a, 8);  \
		c += d, b = rotl(b ^ c, 7);  \
	} while (0)

/* One 64-byte block of the key stream: key, block counter, nonce 0. */
static void
chacha20_block(uint32_t out[16], uint64_t n)
{
	uint32_t in[16] = { 0x61707865,  0x3320646e,
			    0x79622d32,  0x6b206574,
			    key[0],      key[1],
			    key[2],      key[3],
			    key[4],      key[5],
			    key[6],      key[7],
			    (uint32_t)n, (uint32_t)(n >> 32),
			    0,           0 };
	uint32_t *x = out;

	memcpy(x, in, sizeof(in));
	for (int i = 0; i < 10; i++) {
		QUARTER(x[0], x[4], x[8], x[12]);
		QUARTER(x[1], x[5], x[9], x[13]);
		QUARTER(x[2], x[6], x[10], x[14]);
		QUARTER(x[3], x[7], x[11], x[15]);
		QUARTER(x[0], x[5], x[10], x[15]);
		QUARTER(x[1], x[6], x[11], x[12]);
		QUARTER(x[2], x[7], x[8], x[13]);
		QUARTER(x[3], x[4], x[9], x[14]);
	}
	for (int i = 0; i < 16; i++)
		x[i] += in[i];
}

/* A new key from the stream: what came before cannot be computed again. */
static void
rekey(void)
{
	uint32_t b[16];

	chacha20_block(b, counter++);
	memcpy(key, b, sizeof(key));
	memset(b, 0, sizeof(b));
}

static bool
has_rdrand(void)
{
	uint32_t a = 1, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return c & (1u << 30);
}

void
random_stir(uint64_t v)
{
	key[counter % 8] ^= (uint32_t)v;
	key[(counter + 1) % 8] ^= (uint32_t)(v >> 32);
	rekey();
}

/* len bytes of the stream into out, after stirring in the TSC (and RDRAND). */
void
random_bytes(void *out, size_t len)
{
	static int rdrand = -1;
	uint8_t *p = out;
	uint32_t b[16];
	uint64_t v;
	uint8_t ok;

	if (rdrand < 0)
		rdrand = has_rdrand();
	random_stir(read_tsc());
	if (rdrand) {
		__asm__ volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok));
		if (ok)
			random_stir(v);
	}
	for (size_t n; len; p += n, len -= n) {
		chacha20_block(b, counter++);
		n = len < sizeof(b) ? len : sizeof(b);
		memcpy(p, b, n);
	}
	memset(b, 0, sizeof(b));
	rekey();
}

/*
 * getrandom(buf, len, flags): len bytes (at most GETRANDOM_MAX), never
 * blocking (the generator is seeded before the first program runs).
 * EINVAL for unknown flags or GRND_RANDOM with GRND_INSECURE; a bad buffer
 * is EFAULT, or the count copied before it.
 */
int64_t
lx_getrandom(struct mproc *mp, const uint64_t *arg)
{
	static uint8_t chunk[4096];
	uint64_t len = arg[1], done = 0;
	uint32_t flags = (uint32_t)arg[2];

	if (arg[2] & ~(uint64_t)(LX_GRND_NONBLOCK | LX_GRND_RANDOM | LX_GRND_INSECURE) ||
	    (flags & (LX_GRND_RANDOM | LX_GRND_INSECURE)) == (LX_GRND_RANDOM | LX_GRND_INSECURE))
		return -EINVAL;
	if (len > GETRANDOM_MAX)
		len = GETRANDOM_MAX;
	while (done < len) {
		size_t n = len - done < sizeof(chunk) ? (size_t)(len - done) : sizeof(chunk);

		random_bytes(chunk, n);
		if (pm_copy_to_user(mp, arg[0] + done, chunk, n) < 0)
			break;
		done += n;
	}
	memset(chunk, 0, sizeof(chunk));
	return done || !len ? (int64_t)done : -EFAULT;
}
