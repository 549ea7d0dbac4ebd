/*
 * Loading a program (see exec.h): validate the ELF image (libexec's checks,
 * shared with PM's execve), build a fresh address space with its segments
 * and a stack holding argc/argv in the System V layout, place the (empty)
 * heap above the segments, and set the registers to start at its entry
 * point.
 */
#include "exec.h"
#include "libexec.h"
#include "vm.h"
#include "quota.h"

/* Split s in place into words; returns how many (at most max). */
int
exec_split_words(char *s, char **words, int max)
{
	int n = 0;

	while (*s && n < max) {
		while (*s == ' ')
			*s++ = '\0';
		if (!*s)
			break;
		words[n++] = s;
		while (*s && *s != ' ')
			s++;
	}
	while (*s == ' ')
		*s++ = '\0';
	return n;
}

/* The program a path names: its file name without ".elf". */
void
exec_program_name(const char *path, char *out, size_t len)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t n = strnlen(base, len - 1);

	if (n > 4 && strncmp(base + n - 4, ".elf", 4) == 0)
		n -= 4;
	memcpy(out, base, n);
	out[n] = '\0';
}

/*
 * The ELF header and the program headers of src, checked (libexec), into
 * *ei.  A spawn's image is read where it lies, in the caller's memory:
 * only its headers are copied, into `headers` (kernel calls never nest),
 * so the kernel keeps no buffer of a whole image.
 */
int
exec_check(const struct exec_src *src, struct exec_elf *ei, const char **why)
{
	static uint8_t headers[EXEC_KERNEL_PHDRS];
	struct elf64_ehdr eh;
	uint64_t phoff;
	size_t phlen;
	int r;

	if (src->bytes)
		return exec_elf_image(src->bytes, src->size, &exec_kernel_space, ei, why);
	*why = "image unreadable";
	if (src->size < sizeof(eh))
		return *why = "not an ELF file", -ENOEXEC;
	if (vm_copy_from_user(src->from, &eh, src->va, sizeof(eh)) < 0)
		return -EFAULT;
	if ((r = exec_elf_header(&eh, sizeof(eh), src->size, &phoff, &phlen, why)) < 0)
		return r;
	if (phlen > sizeof(headers))
		return *why = "too many program headers", -ENOEXEC;
	if (vm_copy_from_user(src->from, headers, src->va + phoff, phlen) < 0)
		return *why = "image unreadable", -EFAULT;
	return exec_elf_check(&eh, headers, src->size, &exec_kernel_space, ei, why);
}

/*
 * len bytes of src from `offset` to va in p (mapped there already, maybe
 * read-only: text): from the caller's memory a page at a time through
 * `chunk`, since a copy between spaces writes only where the target may.
 */
static int
load_bytes(struct proc *p, vir_addr_t va, const struct exec_src *src, uint64_t offset, size_t len)
{
	static uint8_t chunk[PAGE_BYTES];
	int r;

	if (src->bytes)
		return vm_load(p, va, src->bytes + offset, len);
	for (size_t done = 0, n; done < len; done += n) {
		n = len - done < sizeof(chunk) ? len - done : sizeof(chunk);
		if ((r = vm_copy_from_user(src->from, chunk, src->va + offset + done, n)) < 0 ||
		    (r = vm_load(p, va + done, chunk, n)) < 0)
			return r;
	}
	return 0;
}

/* The plan's regions, mapped zeroed, then each segment's file bytes. */
static int
load_segments(struct proc *p, const struct exec_src *src, const struct exec_elf *ei)
{
	for (int i = 0; i < ei->nr_regions; i++) {
		const struct exec_region *rg = &ei->region[i];
		unsigned flags = ((rg->prot & EXEC_PROT_W) ? AS_WRITE : 0) |
				 ((rg->prot & EXEC_PROT_X) ? AS_EXEC : 0);
		int r;

		if ((r = vm_map_zeroed(p, rg->start, rg->end - rg->start, flags)) < 0)
			return r;
	}
	for (int i = 0; i < ei->nr_segments; i++) {
		const struct exec_segment *s = &ei->seg[i];
		int r;

		if ((r = load_bytes(p, s->vaddr, src, s->offset, s->filesz)) < 0)
			return r;
	}
	return 0;
}

/* The heap starts empty at the first page above the highest segment (do_brk.c). */
static void
init_heap(struct proc *p, const struct exec_elf *ei)
{
	p->p_heap = (struct proc_heap){ .h_start = ei->brk, .h_end = ei->brk };
}

/*
 * The initial stack, as the System V ABI has it: argc, argv[], NULL, an empty
 * environment, an empty auxiliary vector, then the strings.  Returns the
 * stack pointer (16-byte aligned, pointing at argc) or 0.
 */
static vir_addr_t
setup_stack(struct proc *p, char **argv, int argc)
{
	uint64_t vec[EXEC_MAX_ARGS + 5];
	vir_addr_t sp = USER_STACK_TOP;
	int n = 0;

	if (vm_map_zeroed(p, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_SIZE, AS_WRITE) < 0)
		return 0;
	vec[n++] = (uint64_t)argc;
	for (int i = 0; i < argc; i++) {
		size_t len = strlen(argv[i]) + 1;

		sp -= len;
		if (vm_copy_to_user(p, sp, argv[i], len) < 0)
			return 0;
		vec[n++] = sp;
	}
	vec[n++] = 0; /* end of argv */
	vec[n++] = 0; /* end of envp */
	vec[n++] = 0; /* AT_NULL */
	vec[n++] = 0;
	sp = (sp - n * sizeof(uint64_t)) & ~(vir_addr_t)15;
	if (vm_copy_to_user(p, sp, vec, n * sizeof(uint64_t)) < 0)
		return 0;
	return sp;
}


/* The pages the program will hold: its regions and the stack. */
static size_t
image_pages(const struct exec_elf *ei)
{
	size_t pages = USER_STACK_SIZE / PAGE_BYTES;

	for (int i = 0; i < ei->nr_regions; i++)
		pages += (ei->region[i].end - ei->region[i].start) / PAGE_BYTES;
	return pages;
}

/*
 * Where boot modules and spawned programs go (libexec.h): above page 0,
 * below the stack.  They are copied, not mapped from a file, so Linux's
 * page-congruence rule is off (the system processes' link keeps it anyway,
 * for VM's shared text: lib/libsys/proc.ld; tests spawn images that do not).
 */
const struct exec_space exec_kernel_space = {
	.lo = PAGE_BYTES,
	.hi = USER_STACK_TOP - USER_STACK_SIZE,
	.pie_base = 0x555555554000,
	.linux_rules = false,
};

/*
 * Make the image src names the program of p, with argv[0..argc).
 * p must have no address space yet.  Its callers are the boot and a
 * root's spawn (do_spawn.c: nobody else has the kernel load), so the
 * frames kept for restarts may be used (quota.h).  On failure *why says what was
 * wrong and the caller releases p.  -ENOEXEC: a bad image (libexec's
 * checks); -E2BIG: too many arguments; -ENOMEM; -EFAULT: a spawn's image
 * could not be read (its caller checks the whole range first).
 */
int
exec_image(struct proc *p, const struct exec_src *src, char **argv, int argc, const char **why)
{
	struct exec_elf ei;
	vir_addr_t sp;
	int r;

	if (argc > EXEC_MAX_ARGS)
		return *why = "too many arguments", -E2BIG;
	if ((r = exec_check(src, &ei, why)) < 0)
		return r;
	*why = "out of memory";
	if ((r = quota_may_map(p, image_pages(&ei), true)) < 0)
		return r;
	if ((r = vm_create(p)) < 0 || (r = load_segments(p, src, &ei)) < 0)
		return r;
	if (!(sp = setup_stack(p, argv, argc)))
		return -ENOMEM;
	init_heap(p, &ei);
	arch_proc_init(&p->p_arch, ei.entry, sp, 0);
	return 0;
}
