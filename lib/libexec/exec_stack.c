/*
 * The initial stack of a new program (libexec.h), laid out as Linux's
 * create_elf_tables() and copy_strings() do, so that glibc's and musl's
 * start-up code (and anything that walks past envp to the auxv) finds what
 * it finds on Linux.  From the stack's top down:
 *
 *   8 zero bytes            (Linux's end marker)
 *   execfn                  AT_EXECFN points here
 *   envp strings, argv strings  (each list in order, argv lowest)
 *   "x86_64"                AT_PLATFORM
 *   16 random bytes         AT_RANDOM
 *   (padding to 16)
 *   argc, argv[0..argc-1], NULL, envp[0..envc-1], NULL, auxv pairs, AT_NULL
 *                           <- rsp, 16-byte aligned
 *
 * The builder works in a buffer standing for [top - cap, top); the caller
 * copies the used part, [*sp, top), into the process.
 */
#include "libexec.h"
#include <ax/errno.h>
#include <string.h>

/* Where the next bytes go, growing down; fails once it would leave the buffer. */
struct cursor {
	uint64_t top; /* the address of buf + cap */
	uint64_t at;  /* the lowest address used so far */
	uint8_t *buf;
	size_t cap;
};

static uint8_t *
at_addr(struct cursor *c, uint64_t addr)
{
	return c->buf + (c->cap - (c->top - addr));
}

/* Reserve len bytes below what is used: their address, or 0 if they do not fit. */
static uint64_t
push(struct cursor *c, const void *src, size_t len)
{
	if (len > c->cap - (c->top - c->at))
		return 0;
	c->at -= len;
	if (src)
		memcpy(at_addr(c, c->at), src, len);
	return c->at;
}

size_t
exec_args_size(size_t argv_len, int argc, size_t envp_len, int envc)
{
	return argv_len + envp_len + ((size_t)argc + (size_t)envc + 2) * sizeof(uint64_t);
}

/* Do the packed strings s[0..len) hold exactly n NUL-terminated strings? */
static bool
packed_ok(const char *s, size_t len, int n)
{
	int found = 0;

	if (len == 0)
		return n == 0;
	if (s[len - 1] != '\0')
		return false;
	for (size_t i = 0; i < len; i++)
		found += s[i] == '\0';
	return found == n;
}

/* Store one 8-byte word at addr (any alignment of buf). */
static void
put64(struct cursor *c, uint64_t addr, uint64_t v)
{
	memcpy(at_addr(c, addr), &v, sizeof(v));
}

/* The pointers to the n packed strings at str_addr, then NULL, from addr on. */
static uint64_t
string_pointers(struct cursor *c, uint64_t addr, const char *s, int n, uint64_t str_addr)
{
	for (int i = 0; i < n; i++) {
		size_t len = strlen(s) + 1;

		put64(c, addr, str_addr);
		addr += 8;
		str_addr += len;
		s += len;
	}
	put64(c, addr, 0);
	return addr + 8;
}

/* The auxiliary vector in Linux's order (no vDSO, no AT_MINSIGSTKSZ): how many words. */
static size_t
auxv(uint64_t *v, const struct exec_stack_args *a, uint64_t platform, uint64_t random,
     uint64_t execfn)
{
	/* clang-format off */
	const uint64_t pairs[][2] = {
		{ AT_HWCAP, a->hwcap },
		{ AT_PAGESZ, EXEC_PAGE },
		{ AT_CLKTCK, EXEC_CLKTCK },
		{ AT_PHDR, a->phdr },
		{ AT_PHENT, sizeof(struct elf64_phdr) },
		{ AT_PHNUM, a->phnum },
		{ AT_BASE, a->base },
		{ AT_FLAGS, 0 },
		{ AT_ENTRY, a->entry },
		{ AT_UID, a->uid },
		{ AT_EUID, a->euid },
		{ AT_GID, a->gid },
		{ AT_EGID, a->egid },
		{ AT_SECURE, a->secure },
		{ AT_RANDOM, random },
		{ AT_HWCAP2, 0 },
		{ AT_EXECFN, execfn },
		{ AT_PLATFORM, platform },
		{ AT_NULL, 0 },
	};
	/* clang-format on */

	AX_STATIC_ASSERT(ARRAY_SIZE(pairs) <= EXEC_AUXV_ENTRIES, "auxv entries");
	memcpy(v, pairs, sizeof(pairs));
	return 2 * ARRAY_SIZE(pairs);
}

int
exec_stack_build(const struct exec_stack_args *a, uint64_t top, uint8_t *buf, size_t cap,
		 uint64_t *sp)
{
	struct cursor c = { top, top, buf, cap };
	static const uint64_t zero;
	uint64_t aux[2 * EXEC_AUXV_ENTRIES];
	uint64_t execfn, envp, argv, platform, random, vec, addr;
	size_t naux, nvec;

	if (a->argc < 0 || a->envc < 0 || !packed_ok(a->argv, a->argv_len, a->argc) ||
	    !packed_ok(a->envp, a->envp_len, a->envc))
		return -EINVAL;
	/* An empty list pushes nothing; its address is unused. */
	if (!push(&c, &zero, sizeof(zero)) ||
	    !(execfn = push(&c, a->execfn, strlen(a->execfn) + 1)) ||
	    !(envp = push(&c, a->envp, a->envp_len)) || !(argv = push(&c, a->argv, a->argv_len)) ||
	    !(platform = push(&c, EXEC_PLATFORM, sizeof(EXEC_PLATFORM))) ||
	    !(random = push(&c, a->random, EXEC_RANDOM_BYTES)))
		return -E2BIG;
	naux = auxv(aux, a, platform, random, execfn);
	nvec = 1 + (size_t)a->argc + 1 + (size_t)a->envc + 1 + naux;
	/* Linux's STACK_ROUND: the vector's start, rsp, is 16-byte aligned. */
	if (nvec * 8 + 15 > c.cap - (c.top - c.at))
		return -E2BIG;
	vec = (c.at - nvec * 8) & ~(uint64_t)15;
	put64(&c, vec, (uint64_t)a->argc);
	addr = string_pointers(&c, vec + 8, a->argv, a->argc, argv);
	addr = string_pointers(&c, addr, a->envp, a->envc, envp);
	memcpy(at_addr(&c, addr), aux, naux * 8);
	*sp = vec;
	return 0;
}
