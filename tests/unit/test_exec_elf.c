/*
 * Unit tests of lib/libexec/exec_elf.c, built for the host like lib/libc
 * (its memcmp is ax_memcmp, see host_prefix.h).
 *
 * make_image() writes a valid static executable into img: the ELF header,
 * two PT_LOAD program headers (text r-x; data rw- with bss after its file
 * bytes) and the bytes they load.  Each test breaks one thing in it and
 * checks what exec_elf_image returns and the reason it gives.  The tests
 * of short files copy the image to the end of a buffer followed by an
 * inaccessible page (guard_page.h), so a read past the size the checker
 * was given kills the test instead of passing unnoticed.
 */
#include "host_prefix.h"

#include <ax/errno.h>
#include <stdint.h>
#include <string.h>

#include "libexec.h"
#include "guard_page.h"
#include "unit.h"

#define TOP         0x00007fffffff0000ULL /* the space's hi */
#define PIE_BASE    0x555555554000ULL
#define TEXT_VA     0x400000ULL
#define TEXT_SIZE   0x40
#define DATA_VA     0x401000ULL
#define DATA_FILESZ 0x20
#define DATA_MEMSZ  0x1000
#define ENTRY       (TEXT_VA + 0x10)
#define PHOFF       64
#define PHSIZE      56
#define MAX_PH      (EXEC_MAX_SEGMENTS + 2)
#define TEXT_OFF    0x500 /* leaves room for MAX_PH program headers */
#define DATA_OFF    (TEXT_OFF + TEXT_SIZE)
#define IMG_SIZE    (DATA_OFF + DATA_FILESZ)
#define PT_NOTE     4

AX_STATIC_ASSERT(PHOFF + MAX_PH * PHSIZE <= TEXT_OFF, "program headers overlap the text");

static union {
	struct {
		struct elf64_ehdr eh;
		struct elf64_phdr ph[MAX_PH];
	} h;
	uint8_t bytes[IMG_SIZE];
} img;

static struct exec_elf out;
static const char *why;
static struct exec_space space = { .lo = 0x1000, .hi = TOP, .pie_base = PIE_BASE };

/*
 * exec_elf_image of img's first size bytes, in a space whose hi is top,
 * must return want (0 or -E...) and set why to want_why.  out is filled
 * with junk first, so a field the checker forgets to set shows.
 */
#define CHECK_PARSE(size, top, want, want_why)                                            \
	do {                                                                              \
		ax_memset(&out, 0xa5, sizeof out);                                        \
		why = "(not set)";                                                        \
		space.hi = (top);                                                         \
		unit_check_int(__FILE__, __LINE__, "exec_elf_image(" #size ", " #top ")", \
			       exec_elf_image(&img, (size), &space, &out, &why), (want)); \
		CHECK_EQ_STR(why, (want_why));                                            \
	} while (0)

#define CHECK_SEGMENT(s, va, msz, off, fsz, pr)   \
	do {                                      \
		CHECK_EQ_INT((s)->vaddr, (va));   \
		CHECK_EQ_INT((s)->memsz, (msz));  \
		CHECK_EQ_INT((s)->offset, (off)); \
		CHECK_EQ_INT((s)->filesz, (fsz)); \
		CHECK_EQ_INT((s)->prot, (pr));    \
	} while (0)

#define CHECK_REGION(rg, s, e, p)               \
	do {                                    \
		CHECK_EQ_INT((rg)->start, (s)); \
		CHECK_EQ_INT((rg)->end, (e));   \
		CHECK_EQ_INT((rg)->prot, (p));  \
	} while (0)

#define RX (EXEC_PROT_R | EXEC_PROT_X)
#define RW (EXEC_PROT_R | EXEC_PROT_W)

static struct elf64_phdr
load_phdr(uint64_t off, uint64_t va, uint64_t filesz, uint64_t memsz, uint32_t flags)
{
	return (struct elf64_phdr){ .p_type = PT_LOAD,
				    .p_flags = flags,
				    .p_offset = off,
				    .p_vaddr = va,
				    .p_paddr = va,
				    .p_filesz = filesz,
				    .p_memsz = memsz,
				    .p_align = 0x1000 };
}

/* Writes the valid two-segment executable of IMG_SIZE bytes into img. */
static void
make_image(void)
{
	static const uint8_t ident[] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };
	struct elf64_ehdr *eh = &img.h.eh;

	ax_memset(&img, 0, sizeof img);
	ax_memcpy(eh->e_ident, ident, sizeof ident);
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_version = 1;
	eh->e_entry = ENTRY;
	eh->e_phoff = PHOFF;
	eh->e_ehsize = sizeof *eh;
	eh->e_phentsize = PHSIZE;
	eh->e_phnum = 2;
	img.h.ph[0] = load_phdr(TEXT_OFF, TEXT_VA + TEXT_OFF, TEXT_SIZE, TEXT_SIZE, PF_R | PF_X);
	img.h.ph[1] = load_phdr(DATA_OFF, DATA_VA + DATA_OFF, DATA_FILESZ, DATA_MEMSZ, PF_R | PF_W);
	eh->e_entry = TEXT_VA + TEXT_OFF + 0x10;
	for (size_t i = TEXT_OFF; i < IMG_SIZE; i++)
		img.bytes[i] = (uint8_t)i;
	space.linux_rules = true;
}

#define TEXT_AT (TEXT_VA + TEXT_OFF)
#define DATA_AT (DATA_VA + DATA_OFF)

TEST(exec_elf_valid_two_segments,
     "a valid executable gives its entry, both segments in order, their pages and the heap start")
{
	make_image();
	CHECK_PARSE(IMG_SIZE, TOP, 0, "");
	CHECK_EQ_INT(out.type, ET_EXEC);
	CHECK_EQ_INT(out.bias, 0);
	CHECK_EQ_INT(out.entry, TEXT_AT + 0x10);
	CHECK_EQ_INT(out.nr_segments, 2);
	CHECK_SEGMENT(&out.seg[0], TEXT_AT, TEXT_SIZE, TEXT_OFF, TEXT_SIZE, RX);
	CHECK_SEGMENT(&out.seg[1], DATA_AT, DATA_MEMSZ, DATA_OFF, DATA_FILESZ, RW);
	CHECK_EQ_INT(out.nr_regions, 2);
	CHECK_REGION(&out.region[0], TEXT_VA, TEXT_VA + 0x1000, RX);
	CHECK_REGION(&out.region[1], DATA_VA, DATA_VA + 0x2000, RW);
	CHECK_EQ_INT(out.brk, DATA_VA + 0x2000);
	CHECK_EQ_INT(out.phnum, 2);
	CHECK_EQ_INT(out.phdr, 0); /* no segment loads the headers: Linux gives 0 too */
	CHECK_EQ_INT(out.exec_stack, false);
}

TEST(exec_elf_phdr_address,
     "AT_PHDR is where the segment that holds the headers in the file puts them")
{
	make_image();
	img.h.ph[0] =
		load_phdr(0, TEXT_VA, TEXT_OFF + TEXT_SIZE, TEXT_OFF + TEXT_SIZE, PF_R | PF_X);
	CHECK_PARSE(IMG_SIZE, TOP, 0, "");
	CHECK_EQ_INT(out.phdr, TEXT_VA + PHOFF);
}

TEST(exec_elf_wrong_magic, "a change to any of the four magic bytes is -ENOEXEC, not an ELF file")
{
	for (int i = 0; i < 4; i++) {
		make_image();
		img.bytes[i] ^= 0x20;
		CHECK_PARSE(IMG_SIZE, TOP, -ENOEXEC, "not an ELF file");
	}
}

TEST(exec_elf_class_data_version, "ELFCLASS32, big-endian or an odd ident version is refused")
{
	static const int idx[] = { 4, 4, 5, 5, 6 };
	static const uint8_t val[] = { 1, 0, 2, 0, 0 };

	for (unsigned i = 0; i < ARRAY_SIZE(idx); i++) {
		make_image();
		img.h.eh.e_ident[idx[i]] = val[i];
		CHECK_PARSE(IMG_SIZE, TOP, -ENOEXEC, "not ELF64 little-endian, version 1");
	}
}

TEST(exec_elf_not_exec, "ET_NONE, ET_REL and ET_CORE files are refused")
{
	static const uint16_t types[] = { 0, 1, 4, 0xfe00 };

	for (unsigned i = 0; i < ARRAY_SIZE(types); i++) {
		make_image();
		img.h.eh.e_type = types[i];
		CHECK_PARSE(IMG_SIZE, TOP, -ENOEXEC, "not an x86-64 executable");
	}
}

TEST(exec_elf_wrong_machine, "executables for i386, ARM, AArch64 or no machine are refused")
{
	static const uint16_t machines[] = { 0, 3, 40, 183 };

	for (unsigned i = 0; i < ARRAY_SIZE(machines); i++) {
		make_image();
		img.h.eh.e_machine = machines[i];
		CHECK_PARSE(IMG_SIZE, TOP, -ENOEXEC, "not an x86-64 executable");
	}
}

TEST(exec_elf_bad_phentsize, "an e_phentsize other than 56 is refused")
{
	static const uint16_t sizes[] = { 0, 32, 55, 57, 64, 0xffff };

	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) {
		make_image();
		img.h.eh.e_phentsize = sizes[i];
		CHECK_PARSE(IMG_SIZE, TOP, -ENOEXEC, "odd program header size");
	}
}

TEST(exec_elf_phdrs_past_end,
     "program headers ending at the last byte are read; one byte further is refused")
{
	make_image();
	img.h.eh.e_phnum = (IMG_SIZE - PHOFF) / PHSIZE + 1;
	CHECK_PARSE(IMG_SIZE, TOP, -ENOEXEC, "program headers outside the file");

	/* Move both headers to the very end (over the bytes they describe). */
	make_image();
	ax_memmove(img.bytes + IMG_SIZE - 2 * PHSIZE, img.h.ph, 2 * PHSIZE);
	img.h.eh.e_phoff = IMG_SIZE - 2 * PHSIZE;
	CHECK_PARSE(IMG_SIZE, TOP, 0, "");
	CHECK_EQ_INT(out.nr_segments, 2);
	CHECK_PARSE(IMG_SIZE - 1, TOP, -ENOEXEC, "program headers outside the file");
	img.h.eh.e_phoff = IMG_SIZE;
	CHECK_PARSE(IMG_SIZE, TOP, -ENOEXEC, "program headers outside the file");
}

TEST(exec_elf_phdr_table_wraps,
     "an e_phoff so large that e_phoff + e_phnum * 56 wraps past 2^64 is refused")
{
	static const uint64_t offs[] = { (uint64_t)0 - 56, (uint64_t)0 - 8, (uint64_t)0 - 112,
					 (uint64_t)1 << 63 };

	for (unsigned i = 0; i < ARRAY_SIZE(offs); i++) {
		make_image();
		img.h.eh.e_phoff = offs[i];
		CHECK_PARSE(IMG_SIZE, TOP, -ENOEXEC, "program headers outside the file");
	}
}

TEST(exec_elf_phnum_limits, "no program headers, or more than Linux's 64 KiB of them, are refused")
{
	make_image();
	img.h.eh.e_phnum = 0;
	CHECK_PARSE(IMG_SIZE, TOP, -ENOEXEC, "nothing to load");
	img.h.eh.e_phnum = 65536 / PHSIZE + 1;
	CHECK_PARSE(IMG_SIZE, TOP, -ENOEXEC, "too many program headers");
	img.h.eh.e_phnum = 0xffff;
	CHECK_PARSE(IMG_SIZE, TOP, -ENOEXEC, "too many program headers");
}

TEST(exec_elf_misaligned_phdrs, "an e_phoff that is not a multiple of 8 is refused")
{
	make_image();
	img.h.eh.e_phoff = PHOFF + 4;
	CHECK_PARSE(IMG_SIZE, TOP, -ENOEXEC, "misaligned program headers");
}

TEST(exec_elf_interp, "a PT_INTERP header (a dynamically linked program) is refused")
{
	make_image();
	img.h.ph[2] = img.h.ph[1];
	img.h.ph[1].p_type = PT_INTERP;
	img.h.eh.e_phnum = 3;
	CHECK_PARSE(IMG_SIZE, TOP, -ENOEXEC, "dynamically linked (PT_INTERP)");
}

TEST(exec_elf_segment_data_past_end, "a segment whose file bytes run past the end is refused")
{
	make_image();
	img.h.ph[1].p_offset += 0x1000;
	img.h.ph[1].p_vaddr += 0x1000;
	CHECK_PARSE(IMG_SIZE, TOP, -ENOEXEC, "segment data outside the file");

	make_image();
	img.h.ph[1].p_filesz++;
	CHECK_PARSE(IMG_SIZE, TOP, -ENOEXEC, "segment data outside the file");

	make_image();
	CHECK_PARSE(IMG_SIZE - 1, TOP, -ENOEXEC, "segment data outside the file");
}

TEST(exec_elf_segment_offset_wraps, "a segment offset + file size that wraps past 2^64 is refused")
{
	make_image();
	img.h.ph[1].p_offset = (uint64_t)0 - 0x1000 + DATA_OFF;
	CHECK_PARSE(IMG_SIZE, TOP, -ENOEXEC, "segment data outside the file");

	make_image();
	img.h.ph[1].p_filesz = (uint64_t)0 - DATA_OFF + 1;
	img.h.ph[1].p_memsz = img.h.ph[1].p_filesz;
	CHECK_PARSE(IMG_SIZE, (uint64_t)0 - 0x1000, -ENOEXEC, "segment data outside the file");
}

TEST(exec_elf_filesz_exceeds_memsz, "a segment with more file bytes than memory bytes is refused")
{
	make_image();
	img.h.ph[0].p_filesz = TEXT_SIZE + 1;
	CHECK_PARSE(IMG_SIZE, TOP, -ENOEXEC, "segment file size exceeds memory size");
}

TEST(exec_elf_alignment,
     "p_align must be a power of two that address and offset share; Linux's page rule")
{
	make_image();
	img.h.ph[1].p_align = 0x3000;
	CHECK_PARSE(IMG_SIZE, TOP, -ENOEXEC, "segment misaligned");
	make_image();
	img.h.ph[1].p_align = 0x200000;
	CHECK_PARSE(IMG_SIZE, TOP, -ENOEXEC, "segment misaligned");
	make_image();
	img.h.ph[1].p_align = 0;
	img.h.ph[0].p_align = 1;
	CHECK_PARSE(IMG_SIZE, TOP, 0, "");

	/* Address and offset differ within a page: Linux cannot map it; the kernel copies. */
	make_image();
	img.h.ph[1].p_vaddr += 0x10;
	img.h.ph[1].p_align = 0x10;
	CHECK_PARSE(IMG_SIZE, TOP, -ENOEXEC, "segment offset and address differ within a page");
	space.linux_rules = false;
	CHECK_PARSE(IMG_SIZE, TOP, 0, "");
	CHECK_SEGMENT(&out.seg[1], DATA_AT + 0x10, DATA_MEMSZ, DATA_OFF, DATA_FILESZ, RW);
}

TEST(exec_elf_overlap_and_order, "segments that overlap, or come out of address order, are refused")
{
	make_image();
	img.h.ph[1].p_vaddr = TEXT_AT + 0x20;
	img.h.ph[1].p_offset = TEXT_OFF + 0x20;
	CHECK_PARSE(IMG_SIZE, TOP, -ENOEXEC, "segments overlap or out of order");

	make_image();
	img.h.ph[1] = img.h.ph[0];
	img.h.ph[0] = load_phdr(DATA_OFF, DATA_AT, DATA_FILESZ, DATA_MEMSZ, PF_R | PF_W);
	CHECK_PARSE(IMG_SIZE, TOP, -ENOEXEC, "segments overlap or out of order");
}

TEST(exec_elf_shared_page,
     "two segments in one page: the page gets the later one's protection, as Linux; no W+X")
{
	make_image();
	/* Data right after the text, in the same page (and file page). */
	img.h.ph[1] = load_phdr(DATA_OFF, TEXT_VA + DATA_OFF, DATA_FILESZ, DATA_MEMSZ, PF_R | PF_W);
	CHECK_PARSE(IMG_SIZE, TOP, 0, "");
	CHECK_EQ_INT(out.nr_segments, 2);
	CHECK_EQ_INT(out.nr_regions, 1);
	CHECK_REGION(&out.region[0], TEXT_VA, TEXT_VA + 0x2000, RW);

	/* The text spans two pages; only its last is shared. */
	make_image();
	img.h.ph[0].p_memsz = 0x1000;
	img.h.ph[1] = load_phdr(DATA_OFF, TEXT_VA + 0x1000 + DATA_OFF, DATA_FILESZ, DATA_MEMSZ,
				PF_R | PF_W);
	CHECK_PARSE(IMG_SIZE, TOP, 0, "");
	CHECK_EQ_INT(out.nr_regions, 2);
	CHECK_REGION(&out.region[0], TEXT_VA, TEXT_VA + 0x1000, RX);
	CHECK_REGION(&out.region[1], TEXT_VA + 0x1000, TEXT_VA + 0x3000, RW);
	for (int i = 0; i < out.nr_regions; i++)
		CHECK((out.region[i].prot & (EXEC_PROT_W | EXEC_PROT_X)) !=
		      (EXEC_PROT_W | EXEC_PROT_X));
}

TEST(exec_elf_segment_crosses_hi,
     "a segment may end exactly at the space's top; one byte beyond, or starting above, is refused")
{
	make_image();
	CHECK_PARSE(IMG_SIZE, DATA_AT + DATA_MEMSZ, 0, "");
	CHECK_PARSE(IMG_SIZE, DATA_AT + DATA_MEMSZ - 1, -ENOEXEC, "segment outside user space");
	CHECK_PARSE(IMG_SIZE, DATA_AT, -ENOEXEC, "segment outside user space");
	img.h.ph[1].p_vaddr = TOP + DATA_OFF;
	CHECK_PARSE(IMG_SIZE, TOP, -ENOEXEC, "segment outside user space");
}

TEST(exec_elf_kernel_half, "segments in the kernel half, or wrapping past 2^64, are refused")
{
	static const uint64_t vas[] = { 0xffff800000000000ULL, 0xffffffff80000000ULL,
					(uint64_t)0 - 0x1000 };

	for (unsigned i = 0; i < ARRAY_SIZE(vas); i++) {
		make_image();
		img.h.ph[1].p_vaddr = vas[i] + DATA_OFF;
		CHECK_PARSE(IMG_SIZE, TOP, -ENOEXEC, "segment outside user space");
	}
	make_image();
	img.h.ph[1].p_memsz = (uint64_t)0 - 1;
	CHECK_PARSE(IMG_SIZE, (uint64_t)0 - 0x1000, -ENOEXEC, "segment outside user space");
}

TEST(exec_elf_page_zero, "a segment at address 0, or starting inside page 0, is refused")
{
	static const uint64_t vas[] = { 0, 8, 4095 };

	for (unsigned i = 0; i < ARRAY_SIZE(vas); i++) {
		make_image();
		space.linux_rules = false;
		img.h.ph[0].p_vaddr = vas[i];
		img.h.ph[0].p_align = 1;
		CHECK_PARSE(IMG_SIZE, TOP, -ENOEXEC, "segment outside user space");
	}
}

TEST(exec_elf_entry_outside,
     "an entry point outside every executable segment (in data, 0, past the text) is refused")
{
	static const uint64_t entries[] = { 0,           TEXT_AT - 1, TEXT_AT + TEXT_SIZE,
					    DATA_AT + 4, TOP,         (uint64_t)0 - 1 };

	for (unsigned i = 0; i < ARRAY_SIZE(entries); i++) {
		make_image();
		img.h.eh.e_entry = entries[i];
		CHECK_PARSE(IMG_SIZE, TOP, -ENOEXEC, "entry point outside the executable segments");
	}
	make_image();
	img.h.eh.e_entry = TEXT_AT + TEXT_SIZE - 1;
	CHECK_PARSE(IMG_SIZE, TOP, 0, "");
}

TEST(exec_elf_no_pt_load, "no PT_LOAD header, or only empty ones, is refused: nothing to load")
{
	static const uint32_t types[] = { 0, PT_NOTE, PT_GNU_STACK };

	for (unsigned i = 0; i < ARRAY_SIZE(types); i++) {
		make_image();
		img.h.ph[0].p_type = types[i];
		img.h.ph[1].p_type = types[i];
		CHECK_PARSE(IMG_SIZE, TOP, -ENOEXEC, "nothing to load");
	}
	make_image();
	img.h.ph[0].p_filesz = img.h.ph[0].p_memsz = 0;
	img.h.ph[1].p_filesz = img.h.ph[1].p_memsz = 0;
	CHECK_PARSE(IMG_SIZE, TOP, -ENOEXEC, "nothing to load");
}

TEST(exec_elf_gnu_stack, "non-PT_LOAD headers are skipped, however wild; PT_GNU_STACK's X is read")
{
	make_image();
	img.h.ph[2] = img.h.ph[1];
	img.h.ph[1] = load_phdr((uint64_t)0 - 1, 0, (uint64_t)0 - 1, 1, PF_R | PF_W);
	img.h.ph[1].p_type = PT_GNU_STACK;
	img.h.eh.e_phnum = 3;
	CHECK_PARSE(IMG_SIZE, TOP, 0, "");
	CHECK_EQ_INT(out.nr_segments, 2);
	CHECK_EQ_INT(out.exec_stack, false);
	CHECK_SEGMENT(&out.seg[0], TEXT_AT, TEXT_SIZE, TEXT_OFF, TEXT_SIZE, RX);
	CHECK_SEGMENT(&out.seg[1], DATA_AT, DATA_MEMSZ, DATA_OFF, DATA_FILESZ, RW);
	img.h.ph[1].p_flags |= PF_X;
	CHECK_PARSE(IMG_SIZE, TOP, 0, "");
	CHECK_EQ_INT(out.exec_stack, true);
}

TEST(exec_elf_static_pie,
     "ET_DYN without PT_INTERP loads at the PIE base, aligned, everything biased")
{
	make_image();
	img.h.eh.e_type = ET_DYN;
	img.h.ph[0].p_vaddr = TEXT_OFF;
	img.h.ph[1].p_vaddr = 0x1000 + DATA_OFF;
	img.h.eh.e_entry = TEXT_OFF + 0x10;
	CHECK_PARSE(IMG_SIZE, TOP, 0, "");
	CHECK_EQ_INT(out.type, ET_DYN);
	CHECK_EQ_INT(out.bias, PIE_BASE);
	CHECK_EQ_INT(out.entry, PIE_BASE + TEXT_OFF + 0x10);
	CHECK_SEGMENT(&out.seg[1], PIE_BASE + 0x1000 + DATA_OFF, DATA_MEMSZ, DATA_OFF, DATA_FILESZ,
		      RW);
	CHECK_EQ_INT(out.brk, PIE_BASE + 0x3000);

	/* A 2 MiB alignment: the base rounds up to it. */
	img.h.ph[0].p_align = 0x200000;
	CHECK_PARSE(IMG_SIZE, TOP, 0, "");
	CHECK_EQ_INT(out.bias, (PIE_BASE + 0x1fffff) & ~0x1fffffULL);

	/* A PIE too big for the space above the base. */
	img.h.ph[1].p_memsz = TOP;
	CHECK_PARSE(IMG_SIZE, TOP, -ENOEXEC, "segment outside user space");
}

TEST(exec_elf_max_segments, "EXEC_MAX_SEGMENTS segments load; one more is refused")
{
	make_image();
	for (int i = 0; i < EXEC_MAX_SEGMENTS + 1; i++)
		img.h.ph[i] = load_phdr(TEXT_OFF, TEXT_AT + (uint64_t)i * 0x1000, TEXT_SIZE,
					TEXT_SIZE, PF_R | PF_X);
	img.h.eh.e_phnum = EXEC_MAX_SEGMENTS;
	CHECK_PARSE(IMG_SIZE, TOP, 0, "");
	CHECK_EQ_INT(out.nr_segments, EXEC_MAX_SEGMENTS);
	CHECK_EQ_INT(out.nr_regions, EXEC_MAX_SEGMENTS);
	img.h.eh.e_phnum = EXEC_MAX_SEGMENTS + 1;
	CHECK_PARSE(IMG_SIZE, TOP, -ENOEXEC, "too many segments");
}

TEST(exec_elf_header_then_phdrs,
     "the two-step check (header page, then the table read apart) agrees with the one-step")
{
	uint64_t phoff;
	size_t phlen;
	struct elf64_phdr ph[2];

	make_image();
	CHECK_EQ_INT(exec_elf_header(&img, 64, 1 << 20, &phoff, &phlen, &why), 0);
	CHECK_EQ_INT(phoff, PHOFF);
	CHECK_EQ_INT(phlen, 2 * PHSIZE);
	ax_memcpy(ph, img.bytes + phoff, phlen);
	space.hi = TOP;
	CHECK_EQ_INT(exec_elf_check(&img, ph, IMG_SIZE, &space, &out, &why), 0);
	CHECK_EQ_INT(out.nr_segments, 2);
	CHECK_EQ_INT(exec_elf_check(&img, ph, IMG_SIZE - 1, &space, &out, &why), -ENOEXEC);
	CHECK_EQ_STR(why, "segment data outside the file");
}

/*
 * Checks the first size bytes of img from a copy that ends right before a
 * guard page; returns the result and sets why.
 */
static int
parse_guarded(uint8_t *end, size_t size)
{
	uint8_t *copy = end - size;

	ax_memcpy(copy, img.bytes, size);
	why = "(not set)";
	space.hi = TOP;
	return exec_elf_image(copy, size, &space, &out, &why);
}

TEST(exec_elf_size_zero, "an image of size 0, right before an unreadable page, is not an ELF file")
{
	uint8_t *end = guard_page_alloc(0);

	make_image();
	CHECK_EQ_INT(parse_guarded(end, 0), -ENOEXEC);
	CHECK_EQ_STR(why, "not an ELF file");
}

/* What the checker must say about the valid image cut to size bytes. */
static int
truncated_result(size_t size, const char **want_why)
{
	if (size < sizeof(struct elf64_ehdr))
		return *want_why = "not an ELF file", -ENOEXEC;
	if (size < PHOFF + 2 * PHSIZE)
		return *want_why = "program headers outside the file", -ENOEXEC;
	if (size < IMG_SIZE)
		return *want_why = "segment data outside the file", -ENOEXEC;
	return *want_why = "", 0;
}

TEST(exec_elf_every_truncation,
     "every shorter prefix of the image is refused for the right reason, never read past its end")
{
	uint8_t *end = (uint8_t *)guard_page_alloc(IMG_SIZE) + IMG_SIZE;

	make_image();
	for (size_t size = 0; size <= IMG_SIZE; size++) {
		const char *want_why;
		int want = truncated_result(size, &want_why);
		int r = parse_guarded(end, size);

		if (r != want || ax_strcmp(why, want_why) != 0)
			unit_fail(__FILE__, __LINE__, "size %zu: got %d \"%s\", expected %d \"%s\"",
				  size, r, why, want, want_why);
	}
	CHECK_EQ_INT(out.nr_segments, 2);
}
