/*
 * Unit tests of lib/libexec/exec_stack.c: the initial stack a new program
 * gets, checked word by word against Linux's layout (create_elf_tables):
 * rsp 16-byte aligned at argc, argv[] and envp[] pointing at the right
 * strings, the auxv entries in Linux's order with their values, AT_RANDOM
 * at 16 given bytes, AT_PLATFORM at "x86_64", AT_EXECFN at the path, the
 * top 8 bytes zero; and -E2BIG, with nothing written outside the buffer,
 * for every size too small.
 */
#include "host_prefix.h"

#include <ax/errno.h>
#include <stdint.h>
#include <string.h>

#include "libexec.h"
#include "unit.h"

#define TOP   0x00007ffffffff000ULL
#define CAP   8192
#define GUARD 256 /* canary bytes on each side of the buffer */

static uint8_t mem[GUARD + CAP + GUARD];
static uint8_t *const buf = mem + GUARD;

static const char argv_packed[] = "prog\0a b\0";    /* three strings: "prog", "a b", "" */
static const char envp_packed[] = "X=1\0PATH=/bin"; /* two */
static const uint8_t random_bytes[EXEC_RANDOM_BYTES] = { 1, 2,  3,  4,  5,  6,  7,  8,
							 9, 10, 11, 12, 13, 14, 15, 16 };

static struct exec_stack_args
args(void)
{
	return (struct exec_stack_args){
		.argv = argv_packed,
		.argv_len = sizeof(argv_packed), /* the final NUL ends "" */
		.argc = 3,
		.envp = envp_packed,
		.envp_len = sizeof(envp_packed),
		.envc = 2,
		.execfn = "/bin/prog",
		.random = random_bytes,
		.phdr = 0x400040,
		.phnum = 7,
		.entry = 0x401000,
		.uid = 1,
		.euid = 2,
		.gid = 3,
		.egid = 4,
		.secure = false,
		.hwcap = 0x178bfbff,
	};
}

/* The buffer's byte at address a. */
static const uint8_t *
at(uint64_t a)
{
	if (a < TOP - CAP || a >= TOP)
		unit_fail(__FILE__, __LINE__, "address %#llx outside the stack",
			  (unsigned long long)a);
	return buf + (a - (TOP - CAP));
}

static uint64_t
word(uint64_t a)
{
	uint64_t v;

	ax_memcpy(&v, at(a), 8);
	return v;
}

static const char *
str(uint64_t a)
{
	return (const char *)at(a);
}

static void
fill_canaries(void)
{
	ax_memset(mem, 0x5a, sizeof mem);
}

static void
check_canaries(void)
{
	for (size_t i = 0; i < GUARD; i++) {
		CHECK_EQ_INT(mem[i], 0x5a);
		CHECK_EQ_INT(mem[GUARD + CAP + i], 0x5a);
	}
}

TEST(exec_stack_layout, "argc, argv, envp, every auxv entry and the strings, where Linux has them")
{
	static const uint64_t want_types[] = {
		AT_HWCAP,  AT_PAGESZ, AT_CLKTCK, AT_PHDR,     AT_PHENT, AT_PHNUM, AT_BASE,
		AT_FLAGS,  AT_ENTRY,  AT_UID,    AT_EUID,     AT_GID,   AT_EGID,  AT_SECURE,
		AT_RANDOM, AT_HWCAP2, AT_EXECFN, AT_PLATFORM, AT_NULL,
	};
	struct exec_stack_args a = args();
	uint64_t sp, p, v, prev_str = 0;

	fill_canaries();
	CHECK_EQ_INT(exec_stack_build(&a, TOP, buf, CAP, &sp), 0);
	check_canaries();
	CHECK_EQ_INT(sp % 16, 0);
	CHECK_EQ_INT(word(sp), 3);
	CHECK_EQ_STR(str(word(sp + 8)), "prog");
	CHECK_EQ_STR(str(word(sp + 16)), "a b");
	CHECK_EQ_STR(str(word(sp + 24)), "");
	CHECK_EQ_INT(word(sp + 32), 0);
	CHECK_EQ_STR(str(word(sp + 40)), "X=1");
	CHECK_EQ_STR(str(word(sp + 48)), "PATH=/bin");
	CHECK_EQ_INT(word(sp + 56), 0);
	/* Strings ascend in argv, then envp order, as Linux copies them. */
	for (p = sp + 8; p < sp + 56; p += 8) {
		if (!(v = word(p)))
			continue;
		CHECK(v > prev_str && v > sp + 64);
		prev_str = v;
	}
	p = sp + 64;
	for (unsigned i = 0; i < ARRAY_SIZE(want_types); i++, p += 16) {
		uint64_t type = word(p), val = word(p + 8);

		CHECK_EQ_INT(type, want_types[i]);
		switch (type) {
		case AT_HWCAP:
			CHECK_EQ_INT(val, 0x178bfbff);
			break;
		case AT_PAGESZ:
			CHECK_EQ_INT(val, 4096);
			break;
		case AT_CLKTCK:
			CHECK_EQ_INT(val, 100);
			break;
		case AT_PHDR:
			CHECK_EQ_INT(val, 0x400040);
			break;
		case AT_PHENT:
			CHECK_EQ_INT(val, 56);
			break;
		case AT_PHNUM:
			CHECK_EQ_INT(val, 7);
			break;
		case AT_BASE:
		case AT_FLAGS:
		case AT_SECURE:
		case AT_HWCAP2:
		case AT_NULL:
			CHECK_EQ_INT(val, 0);
			break;
		case AT_ENTRY:
			CHECK_EQ_INT(val, 0x401000);
			break;
		case AT_UID:
			CHECK_EQ_INT(val, 1);
			break;
		case AT_EUID:
			CHECK_EQ_INT(val, 2);
			break;
		case AT_GID:
			CHECK_EQ_INT(val, 3);
			break;
		case AT_EGID:
			CHECK_EQ_INT(val, 4);
			break;
		case AT_RANDOM:
			CHECK(ax_memcmp(at(val), random_bytes, EXEC_RANDOM_BYTES) == 0);
			CHECK(val > p && val + EXEC_RANDOM_BYTES <= TOP);
			break;
		case AT_EXECFN:
			CHECK_EQ_STR(str(val), "/bin/prog");
			CHECK_EQ_INT(val + sizeof("/bin/prog") + 8, TOP); /* right below the top */
			break;
		case AT_PLATFORM:
			CHECK_EQ_STR(str(val), "x86_64");
			break;
		}
	}
	CHECK_EQ_INT(word(TOP - 8), 0);
	/* The envp strings sit right below execfn, argv's right below them. */
	CHECK_EQ_INT(word(sp + 48) + sizeof("PATH=/bin"), TOP - 8 - sizeof("/bin/prog"));
	CHECK_EQ_INT(word(sp + 8) + sizeof(argv_packed), word(sp + 40));
}

TEST(exec_stack_alignment,
     "rsp is 16-byte aligned at argc for every count of arguments and string length")
{
	static char packed[6 * 20];

	for (int n = 0; n < 6; n++) {
		for (size_t len = 1; len < 20; len++) {
			struct exec_stack_args a = args();
			uint64_t sp;

			/* n arguments, each len - 1 'x's: packed as n strings. */
			for (int i = 0; i < n; i++) {
				ax_memset(packed + i * len, 'x', len - 1);
				packed[i * len + len - 1] = '\0';
			}
			a.argv = packed;
			a.argv_len = (size_t)n * len;
			a.argc = n;
			a.envc = 0;
			a.envp_len = 0;
			CHECK_EQ_INT(exec_stack_build(&a, TOP, buf, CAP, &sp), 0);
			CHECK_EQ_INT(sp % 16, 0);
			CHECK_EQ_INT(word(sp), n);
			CHECK_EQ_INT(word(sp + 8 * (uint64_t)(n + 1)), 0);
			CHECK_EQ_INT(word(sp + 8 * (uint64_t)(n + 2)), 0);        /* no envp */
			CHECK_EQ_INT(word(sp + 8 * (uint64_t)(n + 3)), AT_HWCAP); /* auxv */
		}
	}
}

TEST(exec_stack_too_small,
     "every buffer smaller than the stack needs is -E2BIG; nothing is written outside it")
{
	struct exec_stack_args a = args();
	uint64_t sp, need;

	CHECK_EQ_INT(exec_stack_build(&a, TOP, buf, CAP, &sp), 0);
	need = TOP - sp;
	for (size_t cap = 0; cap < need; cap++) {
		fill_canaries();
		if (exec_stack_build(&a, TOP, buf + CAP - cap, cap, &sp) != -E2BIG)
			unit_fail(__FILE__, __LINE__, "cap %zu (need %llu) not -E2BIG", cap,
				  (unsigned long long)need);
		check_canaries();
	}
	fill_canaries();
	CHECK_EQ_INT(exec_stack_build(&a, TOP, buf + CAP - need, need, &sp), 0);
	CHECK_EQ_INT(TOP - sp, need);
	check_canaries();
}

TEST(exec_stack_bad_packing, "packed strings that do not hold argc / envc strings are -EINVAL")
{
	struct exec_stack_args a = args();
	uint64_t sp;

	a.argc = 2;
	CHECK_EQ_INT(exec_stack_build(&a, TOP, buf, CAP, &sp), -EINVAL);
	a = args();
	a.argv_len--; /* no final NUL */
	CHECK_EQ_INT(exec_stack_build(&a, TOP, buf, CAP, &sp), -EINVAL);
	a = args();
	a.envc = -1;
	CHECK_EQ_INT(exec_stack_build(&a, TOP, buf, CAP, &sp), -EINVAL);
}

TEST(exec_args_size_counts, "argv + envp are counted as Linux counts: strings and pointers")
{
	CHECK_EQ_INT(exec_args_size(10, 2, 5, 1), 10 + 5 + (2 + 1 + 2) * 8);
	CHECK_EQ_INT(exec_args_size(0, 0, 0, 0), 16);
}
