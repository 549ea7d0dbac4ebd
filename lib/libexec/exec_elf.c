/*
 * ELF64 executables (libexec.h): exec_elf_header() checks the file header,
 * exec_elf_check() every program header, and both produce the plan a
 * loader follows -- segments (bytes to copy, zeros after them) and regions
 * (pages to map, with their protections).  Everything is checked before
 * the plan is returned, with overflow-safe arithmetic, so a loader that
 * follows it needs no checks of its own and never has to undo anything.
 *
 * What is refused (-ENOEXEC, with a reason): not ELF64 little-endian
 * x86-64; a type other than ET_EXEC and ET_DYN; PT_INTERP (dynamic
 * linking: there is no ld.so); program headers of another size, or more
 * than 64 KiB of them, or outside the file; a PT_LOAD whose file bytes
 * are outside the file, with filesz > memsz, with an alignment that is
 * not a power of two or that its address and offset do not share, out of
 * address order or overlapping another, or outside [lo, hi) of the space;
 * an entry point outside every executable segment; nothing to load.
 */
#include "libexec.h"
#include <ax/errno.h>
#include <string.h>

#define PAGE_MASK ((uint64_t)EXEC_PAGE - 1)

static bool
range_ok(uint64_t off, uint64_t len, uint64_t limit)
{
	return off <= limit && len <= limit - off;
}

static uint64_t
page_down(uint64_t a)
{
	return a & ~PAGE_MASK;
}

int
exec_elf_header(const void *buf, size_t len, uint64_t file_size, uint64_t *phoff, size_t *phlen,
		const char **why)
{
	static const uint8_t magic[4] = { 0x7f, 'E', 'L', 'F' };
	const struct elf64_ehdr *eh = buf;
	uint64_t n;

	*why = "";
	if (len < sizeof(*eh) || file_size < sizeof(*eh) || memcmp(eh->e_ident, magic, 4) != 0)
		return *why = "not an ELF file", -ENOEXEC;
	if (eh->e_ident[4] != 2 || eh->e_ident[5] != 1 || eh->e_ident[6] != 1)
		return *why = "not ELF64 little-endian, version 1", -ENOEXEC;
	if ((eh->e_type != ET_EXEC && eh->e_type != ET_DYN) || eh->e_machine != EM_X86_64)
		return *why = "not an x86-64 executable", -ENOEXEC;
	if (eh->e_phentsize != sizeof(struct elf64_phdr))
		return *why = "odd program header size", -ENOEXEC;
	n = (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr);
	if (n == 0)
		return *why = "nothing to load", -ENOEXEC;
	if (n > EXEC_MAX_PHDRS)
		return *why = "too many program headers", -ENOEXEC;
	if (!range_ok(eh->e_phoff, n, file_size))
		return *why = "program headers outside the file", -ENOEXEC;
	if (eh->e_phoff % 8 != 0)
		return *why = "misaligned program headers", -ENOEXEC;
	*phoff = eh->e_phoff;
	*phlen = (size_t)n;
	return 0;
}

/* One PT_LOAD against the file, before the load bias is known. */
static int
check_load(const struct elf64_phdr *ph, uint64_t file_size, const struct exec_space *space,
	   const char **why)
{
	if (ph->p_filesz > ph->p_memsz)
		return *why = "segment file size exceeds memory size", -ENOEXEC;
	if (!range_ok(ph->p_offset, ph->p_filesz, file_size))
		return *why = "segment data outside the file", -ENOEXEC;
	if (ph->p_align > 1 && ((ph->p_align & (ph->p_align - 1)) != 0 ||
				(ph->p_vaddr - ph->p_offset) % ph->p_align != 0))
		return *why = "segment misaligned", -ENOEXEC;
	if (space->linux_rules && ((ph->p_vaddr - ph->p_offset) & PAGE_MASK) != 0)
		return *why = "segment offset and address differ within a page", -ENOEXEC;
	if (!range_ok(ph->p_vaddr, ph->p_memsz, UINT64_MAX))
		return *why = "segment outside user space", -ENOEXEC;
	return 0;
}

static unsigned
prot_of(uint32_t flags)
{
	return ((flags & PF_R) ? EXEC_PROT_R : 0) | ((flags & PF_W) ? EXEC_PROT_W : 0) |
	       ((flags & PF_X) ? EXEC_PROT_X : 0);
}

/*
 * First pass: the headers one by one.  Fills out's segments (unbiased),
 * type-level facts, and *max_align (the largest PT_LOAD alignment).
 */
static int
scan_headers(const struct elf64_ehdr *eh, const struct elf64_phdr *ph, uint64_t file_size,
	     const struct exec_space *space, struct exec_elf *out, uint64_t *max_align,
	     const char **why)
{
	int r;

	*max_align = EXEC_PAGE;
	for (int i = 0; i < eh->e_phnum; i++, ph++) {
		struct exec_segment *s;

		if (ph->p_type == PT_INTERP)
			return *why = "dynamically linked (PT_INTERP)", -ENOEXEC;
		if (ph->p_type == PT_GNU_STACK)
			out->exec_stack = (ph->p_flags & PF_X) != 0;
		if (ph->p_type != PT_LOAD || ph->p_memsz == 0)
			continue;
		if ((r = check_load(ph, file_size, space, why)) < 0)
			return r;
		if (out->nr_segments == EXEC_MAX_SEGMENTS)
			return *why = "too many segments", -ENOEXEC;
		if (out->nr_segments > 0 &&
		    ph->p_vaddr < out->seg[out->nr_segments - 1].vaddr +
					  out->seg[out->nr_segments - 1].memsz)
			return *why = "segments overlap or out of order", -ENOEXEC;
		if (ph->p_align > *max_align)
			*max_align = ph->p_align;
		s = &out->seg[out->nr_segments++];
		*s = (struct exec_segment){ ph->p_vaddr, ph->p_memsz, ph->p_offset, ph->p_filesz,
					    prot_of(ph->p_flags) };
		/* AT_PHDR, as Linux 6.1: the segment whose file bytes hold the table. */
		if (eh->e_phoff >= ph->p_offset && eh->e_phoff - ph->p_offset < ph->p_filesz)
			out->phdr = ph->p_vaddr + (eh->e_phoff - ph->p_offset);
	}
	if (out->nr_segments == 0)
		return *why = "nothing to load", -ENOEXEC;
	return 0;
}

/* The load bias: 0 for ET_EXEC; a static PIE's lowest page at pie_base, aligned. */
static int
choose_bias(const struct exec_space *space, uint64_t max_align, struct exec_elf *out,
	    const char **why)
{
	uint64_t low, base;

	if (out->type == ET_EXEC)
		return out->bias = 0, 0;
	if (max_align > EXEC_MAX_ALIGN)
		return *why = "segment alignment too large", -ENOEXEC;
	low = out->seg[0].vaddr & ~(max_align - 1);
	base = (space->pie_base + max_align - 1) & ~(max_align - 1);
	if (base < space->pie_base || low > base)
		return *why = "segment outside user space", -ENOEXEC;
	out->bias = base - low;
	return 0;
}

/* Apply the bias; every segment inside [lo, hi); build the regions. */
static int
place(const struct exec_space *space, struct exec_elf *out, const char **why)
{
	out->nr_regions = 0;
	for (int i = 0; i < out->nr_segments; i++) {
		struct exec_segment *s = &out->seg[i];
		struct exec_region *prev =
			out->nr_regions ? &out->region[out->nr_regions - 1] : NULL;
		uint64_t end;

		if (!range_ok(s->vaddr, out->bias, UINT64_MAX))
			return *why = "segment outside user space", -ENOEXEC;
		s->vaddr += out->bias;
		if (page_down(s->vaddr) < space->lo || !range_ok(s->vaddr, s->memsz, space->hi))
			return *why = "segment outside user space", -ENOEXEC;
		end = s->vaddr + s->memsz;
		end = end > space->hi - EXEC_PAGE ? space->hi : (end + PAGE_MASK) & ~PAGE_MASK;
		/* A shared page goes to this (the later) segment, as Linux's mapping. */
		if (prev && prev->end > page_down(s->vaddr)) {
			prev->end = page_down(s->vaddr);
			if (prev->end <= prev->start)
				out->nr_regions--;
		}
		out->region[out->nr_regions++] =
			(struct exec_region){ page_down(s->vaddr), end, s->prot };
	}
	out->brk = out->region[out->nr_regions - 1].end;
	if (out->phdr)
		out->phdr += out->bias;
	return 0;
}

/* The entry point must lie in an executable segment. */
static int
check_entry(const struct elf64_ehdr *eh, struct exec_elf *out, const char **why)
{
	uint64_t entry = eh->e_entry + out->bias;

	for (int i = 0; i < out->nr_segments; i++) {
		const struct exec_segment *s = &out->seg[i];

		if ((s->prot & EXEC_PROT_X) && entry >= s->vaddr && entry - s->vaddr < s->memsz) {
			out->entry = entry;
			return 0;
		}
	}
	return *why = "entry point outside the executable segments", -ENOEXEC;
}

int
exec_elf_check(const void *ehdr, const void *phdrs, uint64_t file_size,
	       const struct exec_space *space, struct exec_elf *out, const char **why)
{
	const struct elf64_ehdr *eh = ehdr;
	uint64_t max_align;
	int r;

	*why = "";
	memset(out, 0, sizeof(*out));
	out->type = eh->e_type;
	out->phnum = eh->e_phnum;
	if ((r = scan_headers(eh, phdrs, file_size, space, out, &max_align, why)) < 0 ||
	    (r = choose_bias(space, max_align, out, why)) < 0 || (r = place(space, out, why)) < 0 ||
	    (r = check_entry(eh, out, why)) < 0)
		return r;
	return 0;
}

int
exec_elf_image(const void *img, size_t size, const struct exec_space *space, struct exec_elf *out,
	       const char **why)
{
	uint64_t phoff;
	size_t phlen;
	int r;

	if ((r = exec_elf_header(img, size, size, &phoff, &phlen, why)) < 0)
		return r;
	return exec_elf_check(img, (const uint8_t *)img + phoff, size, space, out, why);
}
