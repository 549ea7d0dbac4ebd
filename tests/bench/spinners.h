/*
 * Spinners: processes that are always ready and never make a system call,
 * for the scheduler's tests and benchmarks (sched.many_ready,
 * ipc_replyrecv_roundtrip_200ready_insns).  Each is a hand-made ELF64
 * executable of one page whose only instruction is "jmp ." at 0x400000,
 * started with sys_spawn_prio and let run with the shared user privileges;
 * spinners_kill() ends them (a user process has no signal manager, so the
 * kernel clears its slot at once).
 *
 * Header-only because two programs in different folders use it.
 */
#ifndef SPINNERS_H
#define SPINNERS_H

#include <libsys.h>
#include <string.h>
#include <ax/signal.h>

#define SPIN_VADDR 0x400000ull

static inline size_t
spin_image(uint8_t *img, size_t len)
{
	const size_t code_off = 64 + 56;
	uint8_t *eh = img, *ph = img + 64;
	uint64_t v;

	if (len < code_off + 2)
		return 0;
	memset(img, 0, code_off + 2);
	memcpy(eh,
	       "\x7f"
	       "ELF\x02\x01\x01",
	       7);   /* ELF64, little-endian, version 1 */
	eh[16] = 2;  /* e_type ET_EXEC */
	eh[18] = 62; /* e_machine x86-64 */
	eh[20] = 1;  /* e_version */
	v = SPIN_VADDR + code_off;
	memcpy(eh + 24, &v, 8); /* e_entry */
	v = 64;
	memcpy(eh + 32, &v, 8); /* e_phoff */
	eh[52] = 64;            /* e_ehsize */
	eh[54] = 56;            /* e_phentsize */
	eh[56] = 1;             /* e_phnum */
	ph[0] = 1;              /* p_type PT_LOAD */
	ph[4] = 5;              /* p_flags R+X */
	v = SPIN_VADDR;
	memcpy(ph + 16, &v, 8); /* p_vaddr */
	memcpy(ph + 24, &v, 8); /* p_paddr */
	v = code_off + 2;
	memcpy(ph + 32, &v, 8); /* p_filesz */
	memcpy(ph + 40, &v, 8); /* p_memsz */
	img[code_off] = 0xeb;   /* jmp . */
	img[code_off + 1] = 0xfe;
	return code_off + 2;
}

static inline void
spinners_kill(const endpoint_t *e, int n)
{
	for (int i = 0; i < n; i++)
		if (e[i] != NONE)
			sys_kill(e[i], SIGKILL);
}

/* Start n spinners at priority prio; 0, or the first error (none left running). */
static inline int
spinners_start(endpoint_t *e, int n, int prio)
{
	uint8_t img[128];
	size_t size = spin_image(img, sizeof(img));
	int r = 0;

	for (int i = 0; i < n; i++)
		e[i] = NONE;
	for (int i = 0; i < n && r == 0; i++)
		if ((r = sys_spawn_prio(img, size, "spinner", NULL, prio, &e[i])) == 0 &&
		    (r = sys_privctl(e[i], PRIVCTL_ALLOW, NULL, 0, 0)) < 0)
			sys_kill(e[i], SIGKILL);
	if (r < 0)
		spinners_kill(e, n);
	return r;
}

#endif
