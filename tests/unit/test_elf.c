/*
 * Unit tests of kernel/elf.c, built for the host like lib/libc (elf.c's
 * memcmp is ax_memcmp, see host_prefix.h).
 *
 * make_image() writes a valid static executable into img: the ELF header,
 * two PT_LOAD program headers (text r-x; data rw- with bss after its file
 * bytes) and the bytes they load.  Each test breaks one thing in it and
 * checks what elf_parse returns and the reason it gives.  The tests of
 * short files copy the image to the end of a buffer followed by an
 * inaccessible page (guard_page.h), so a read past the size elf_parse was
 * given kills the test instead of passing unnoticed.
 */
#include "host_prefix.h"

#include <ax/errno.h>
#include <stdint.h>
#include <string.h>

#include "elf.h"
#include "guard_page.h"
#include "unit.h"

#define TOP          0x00007fffffff0000ULL /* the user_top given to elf_parse */
#define TEXT_VA      0x400000ULL
#define TEXT_SIZE    0x40
#define DATA_VA      0x401000ULL
#define DATA_FILESZ  0x20
#define DATA_MEMSZ   0x1000
#define ENTRY        (TEXT_VA + 0x10)
#define PHOFF        64
#define PHSIZE       56
#define MAX_PH       (ELF_MAX_SEGMENTS + 2)
#define TEXT_OFF     0x280 /* leaves room for MAX_PH program headers */
#define DATA_OFF     (TEXT_OFF + TEXT_SIZE)
#define IMG_SIZE     (DATA_OFF + DATA_FILESZ)
#define FLAG_R       4 /* PF_R; elf.h names only the flags it uses */
#define PT_NOTE      4
#define PT_GNU_STACK 0x6474e551

AX_STATIC_ASSERT(PHOFF + MAX_PH * PHSIZE <= TEXT_OFF, "program headers overlap the text");

static union {
	struct {
		struct elf64_ehdr eh;
		struct elf64_phdr ph[MAX_PH];
	} h;
	uint8_t bytes[IMG_SIZE];
} img;

static struct elf_image out;
static const char *why;

/*
 * elf_parse of img's first size bytes must return want (0 or -E...) and set
 * why to want_why.  out is filled with junk first, so a field elf_parse
 * forgets to set shows.
 */
#define CHECK_PARSE(size, top, want, want_why)                                       \
	do {                                                                         \
		ax_memset(&out, 0xa5, sizeof out);                                   \
		why = "(not set)";                                                   \
		unit_check_int(__FILE__, __LINE__, "elf_parse(" #size ", " #top ")", \
			       elf_parse(&img, (size), (top), &out, &why), (want));  \
		CHECK_EQ_STR(why, (want_why));                                       \
	} while (0)

#define CHECK_SEGMENT(s, va, msz, off, fsz, w, x)   \
	do {                                        \
		CHECK_EQ_INT((s)->vaddr, (va));     \
		CHECK_EQ_INT((s)->memsz, (msz));    \
		CHECK_EQ_INT((s)->offset, (off));   \
		CHECK_EQ_INT((s)->filesz, (fsz));   \
		CHECK_EQ_INT((s)->writable, (w));   \
		CHECK_EQ_INT((s)->executable, (x)); \
	} while (0)

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
	img.h.ph[0] = load_phdr(TEXT_OFF, TEXT_VA, TEXT_SIZE, TEXT_SIZE, FLAG_R | PF_X);
	img.h.ph[1] = load_phdr(DATA_OFF, DATA_VA, DATA_FILESZ, DATA_MEMSZ, FLAG_R | PF_W);
	for (size_t i = TEXT_OFF; i < IMG_SIZE; i++)
		img.bytes[i] = (uint8_t)i;
}

TEST(elf_valid_two_segments,
     "a valid executable gives its entry and both segments in order, with their flags")
{
	make_image();
	CHECK_PARSE(IMG_SIZE, TOP, 0, "");
	CHECK_EQ_INT(out.entry, ENTRY);
	CHECK_EQ_INT(out.nr_segments, 2);
	CHECK_SEGMENT(&out.seg[0], TEXT_VA, TEXT_SIZE, TEXT_OFF, TEXT_SIZE, false, true);
	CHECK_SEGMENT(&out.seg[1], DATA_VA, DATA_MEMSZ, DATA_OFF, DATA_FILESZ, true, false);
}

TEST(elf_wrong_magic, "a change to any of the four magic bytes gives -EINVAL, not an ELF file")
{
	for (int i = 0; i < 4; i++) {
		make_image();
		img.bytes[i] ^= 0x20;
		CHECK_PARSE(IMG_SIZE, TOP, -EINVAL, "not an ELF file");
	}
}

TEST(elf_32bit_class, "ELFCLASS32 (and class 0) is refused as not ELF64")
{
	make_image();
	img.h.eh.e_ident[4] = 1;
	CHECK_PARSE(IMG_SIZE, TOP, -EINVAL, "not ELF64 little-endian");
	img.h.eh.e_ident[4] = 0;
	CHECK_PARSE(IMG_SIZE, TOP, -EINVAL, "not ELF64 little-endian");
}

TEST(elf_big_endian, "ELFDATA2MSB (and data encoding 0) is refused as not little-endian")
{
	make_image();
	img.h.eh.e_ident[5] = 2;
	CHECK_PARSE(IMG_SIZE, TOP, -EINVAL, "not ELF64 little-endian");
	img.h.eh.e_ident[5] = 0;
	CHECK_PARSE(IMG_SIZE, TOP, -EINVAL, "not ELF64 little-endian");
}

TEST(elf_not_exec, "ET_NONE, ET_REL, ET_DYN and ET_CORE files are refused")
{
	static const uint16_t types[] = { 0, 1, 3, 4 };

	for (unsigned i = 0; i < sizeof types / sizeof types[0]; i++) {
		make_image();
		img.h.eh.e_type = types[i];
		CHECK_PARSE(IMG_SIZE, TOP, -EINVAL, "not an x86-64 executable");
	}
}

TEST(elf_wrong_machine, "executables for i386, ARM, AArch64 or no machine are refused")
{
	static const uint16_t machines[] = { 0, 3, 40, 183 };

	for (unsigned i = 0; i < sizeof machines / sizeof machines[0]; i++) {
		make_image();
		img.h.eh.e_machine = machines[i];
		CHECK_PARSE(IMG_SIZE, TOP, -EINVAL, "not an x86-64 executable");
	}
}

TEST(elf_bad_phentsize, "an e_phentsize other than 56 is refused")
{
	static const uint16_t sizes[] = { 0, 32, 55, 57, 64, 0xffff };

	for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		make_image();
		img.h.eh.e_phentsize = sizes[i];
		CHECK_PARSE(IMG_SIZE, TOP, -EINVAL, "odd program header size");
	}
}

TEST(elf_phdrs_past_end,
     "program headers ending at the last byte are read; one byte further is -EFAULT")
{
	make_image();
	img.h.eh.e_phnum = (IMG_SIZE - PHOFF) / PHSIZE + 1;
	CHECK_PARSE(IMG_SIZE, TOP, -EFAULT, "program headers outside the file");

	/* Move both headers to the very end (over the bytes they describe). */
	make_image();
	ax_memmove(img.bytes + IMG_SIZE - 2 * PHSIZE, img.h.ph, 2 * PHSIZE);
	img.h.eh.e_phoff = IMG_SIZE - 2 * PHSIZE;
	CHECK_PARSE(IMG_SIZE, TOP, 0, "");
	CHECK_EQ_INT(out.nr_segments, 2);
	CHECK_PARSE(IMG_SIZE - 1, TOP, -EFAULT, "program headers outside the file");
	img.h.eh.e_phoff = IMG_SIZE;
	CHECK_PARSE(IMG_SIZE, TOP, -EFAULT, "program headers outside the file");
}

TEST(elf_phdr_table_wraps,
     "an e_phoff so large that e_phoff + e_phnum * 56 wraps past 2^64 is -EFAULT")
{
	static const uint64_t offs[] = { (uint64_t)0 - 56, (uint64_t)0 - 8, (uint64_t)0 - 112,
					 (uint64_t)1 << 63 };

	for (unsigned i = 0; i < sizeof offs / sizeof offs[0]; i++) {
		make_image();
		img.h.eh.e_phoff = offs[i];
		CHECK_PARSE(IMG_SIZE, TOP, -EFAULT, "program headers outside the file");
	}
	make_image();
	img.h.eh.e_phnum = 0xffff;
	CHECK_PARSE(IMG_SIZE, TOP, -EFAULT, "program headers outside the file");
}

TEST(elf_misaligned_phdrs, "an e_phoff that is not a multiple of 8 is refused")
{
	make_image();
	img.h.eh.e_phoff = PHOFF + 4;
	CHECK_PARSE(IMG_SIZE, TOP, -EINVAL, "misaligned program headers");
}

TEST(elf_segment_data_past_end,
     "a segment whose file bytes run past the end of the image is -EFAULT")
{
	make_image();
	img.h.ph[1].p_offset++;
	CHECK_PARSE(IMG_SIZE, TOP, -EFAULT, "segment data outside the file");

	make_image();
	img.h.ph[1].p_filesz++;
	CHECK_PARSE(IMG_SIZE, TOP, -EFAULT, "segment data outside the file");

	make_image();
	CHECK_PARSE(IMG_SIZE - 1, TOP, -EFAULT, "segment data outside the file");
}

TEST(elf_segment_offset_wraps, "a segment offset + file size that wraps past 2^64 is -EFAULT")
{
	make_image();
	img.h.ph[1].p_offset = (uint64_t)0 - 0x10;
	CHECK_PARSE(IMG_SIZE, TOP, -EFAULT, "segment data outside the file");

	make_image();
	img.h.ph[1].p_filesz = (uint64_t)0 - DATA_OFF + 1;
	img.h.ph[1].p_memsz = img.h.ph[1].p_filesz;
	CHECK_PARSE(IMG_SIZE, (uint64_t)0 - 1, -EFAULT, "segment data outside the file");
}

TEST(elf_filesz_exceeds_memsz, "a segment with more file bytes than memory bytes is refused")
{
	make_image();
	img.h.ph[0].p_filesz = TEXT_SIZE + 1;
	CHECK_PARSE(IMG_SIZE, TOP, -EINVAL, "segment file size exceeds memory size");
}

TEST(elf_segment_crosses_user_top,
     "a segment may end exactly at user_top; one byte beyond, or starting above, is -EFAULT")
{
	make_image();
	CHECK_PARSE(IMG_SIZE, DATA_VA + DATA_MEMSZ, 0, "");
	CHECK_PARSE(IMG_SIZE, DATA_VA + DATA_MEMSZ - 1, -EFAULT, "segment outside user space");
	CHECK_PARSE(IMG_SIZE, DATA_VA, -EFAULT, "segment outside user space");
	img.h.ph[1].p_vaddr = TOP;
	CHECK_PARSE(IMG_SIZE, TOP, -EFAULT, "segment outside user space");
}

TEST(elf_vaddr_wraps,
     "a segment whose vaddr + memsz wraps past 2^64 is -EFAULT even with user_top at 2^64-1")
{
	make_image();
	img.h.ph[1].p_vaddr = (uint64_t)0 - 0x800;
	CHECK_PARSE(IMG_SIZE, (uint64_t)0 - 1, -EFAULT, "segment outside user space");

	make_image();
	img.h.ph[1].p_memsz = (uint64_t)0 - 1;
	CHECK_PARSE(IMG_SIZE, (uint64_t)0 - 1, -EFAULT, "segment outside user space");
}

TEST(elf_vaddr_zero, "a segment at virtual address 0 is -EFAULT")
{
	make_image();
	img.h.ph[0].p_vaddr = 0;
	CHECK_PARSE(IMG_SIZE, TOP, -EFAULT, "segment outside user space");
}

/*
 * Page 0 is kept unmapped so that null pointers fault, and elf_parse
 * refuses vaddr 0 for that reason; but the loader maps whole pages
 * (vm_map_zeroed rounds down), so vaddr 1..4095 would map page 0 as well.
 */
TEST(elf_segment_in_page_zero,
     "a segment starting inside page 0 (vaddr 8 or 4095) is refused like vaddr 0")
{
	make_image();
	img.h.ph[0].p_vaddr = 8;
	CHECK_PARSE(IMG_SIZE, TOP, -EFAULT, "segment outside user space");
	img.h.ph[0].p_vaddr = 4095;
	CHECK_PARSE(IMG_SIZE, TOP, -EFAULT, "segment outside user space");
}

TEST(elf_entry_outside, "an entry point of 0 or at or above user_top is -EFAULT")
{
	static const uint64_t entries[] = { 0, TOP, TOP + 1, (uint64_t)0 - 1 };

	for (unsigned i = 0; i < sizeof entries / sizeof entries[0]; i++) {
		make_image();
		img.h.eh.e_entry = entries[i];
		CHECK_PARSE(IMG_SIZE, TOP, -EFAULT, "entry point outside user space");
	}
}

TEST(elf_no_pt_load, "no PT_LOAD header, or only empty ones, is -EINVAL: nothing to load")
{
	static const uint32_t types[] = { 0, PT_NOTE, PT_GNU_STACK };

	for (unsigned i = 0; i < sizeof types / sizeof types[0]; i++) {
		make_image();
		img.h.ph[0].p_type = types[i];
		img.h.ph[1].p_type = types[i];
		CHECK_PARSE(IMG_SIZE, TOP, -EINVAL, "nothing to load");
	}
	make_image();
	img.h.eh.e_phnum = 0;
	CHECK_PARSE(IMG_SIZE, TOP, -EINVAL, "nothing to load");

	make_image();
	img.h.ph[0].p_filesz = img.h.ph[0].p_memsz = 0;
	img.h.ph[1].p_filesz = img.h.ph[1].p_memsz = 0;
	CHECK_PARSE(IMG_SIZE, TOP, -EINVAL, "nothing to load");
}

TEST(elf_skips_other_headers, "non-PT_LOAD headers are skipped, however wild their fields")
{
	make_image();
	img.h.ph[2] = img.h.ph[1];
	img.h.ph[1] = load_phdr((uint64_t)0 - 1, 0, (uint64_t)0 - 1, 1, 0);
	img.h.ph[1].p_type = PT_GNU_STACK;
	img.h.eh.e_phnum = 3;
	CHECK_PARSE(IMG_SIZE, TOP, 0, "");
	CHECK_EQ_INT(out.nr_segments, 2);
	CHECK_SEGMENT(&out.seg[0], TEXT_VA, TEXT_SIZE, TEXT_OFF, TEXT_SIZE, false, true);
	CHECK_SEGMENT(&out.seg[1], DATA_VA, DATA_MEMSZ, DATA_OFF, DATA_FILESZ, true, false);
}

/* Gives img n PT_LOAD headers, one page apart, all loading the text. */
static void
make_many_segments(int n)
{
	make_image();
	for (int i = 0; i < n; i++)
		img.h.ph[i] = load_phdr(TEXT_OFF, TEXT_VA + (uint64_t)i * 0x1000, TEXT_SIZE,
					TEXT_SIZE, FLAG_R | PF_X);
	img.h.eh.e_phnum = (uint16_t)n;
}

TEST(elf_max_segments, "ELF_MAX_SEGMENTS segments load; one more is -E2BIG")
{
	make_many_segments(ELF_MAX_SEGMENTS);
	CHECK_PARSE(IMG_SIZE, TOP, 0, "");
	CHECK_EQ_INT(out.nr_segments, ELF_MAX_SEGMENTS);
	CHECK_EQ_INT(out.seg[ELF_MAX_SEGMENTS - 1].vaddr,
		     TEXT_VA + (ELF_MAX_SEGMENTS - 1) * 0x1000);

	make_many_segments(ELF_MAX_SEGMENTS + 1);
	CHECK_PARSE(IMG_SIZE, TOP, -E2BIG, "too many segments");
}

/*
 * Parses the first size bytes of img from a copy that ends right before a
 * guard page; returns elf_parse's result and sets why.
 */
static int
parse_guarded(uint8_t *end, size_t size)
{
	uint8_t *copy = end - size;

	ax_memcpy(copy, img.bytes, size);
	why = "(not set)";
	return elf_parse(copy, size, TOP, &out, &why);
}

TEST(elf_truncated_header, "a file shorter than the 64-byte ELF header is not an ELF file")
{
	uint8_t *end = (uint8_t *)guard_page_alloc(IMG_SIZE) + IMG_SIZE;

	make_image();
	CHECK_EQ_INT(parse_guarded(end, 63), -EINVAL);
	CHECK_EQ_STR(why, "not an ELF file");
	CHECK_EQ_INT(parse_guarded(end, 4), -EINVAL);
	CHECK_EQ_STR(why, "not an ELF file");
}

TEST(elf_size_zero, "an image of size 0, right before an unreadable page, is not an ELF file")
{
	uint8_t *end = guard_page_alloc(0);

	make_image();
	CHECK_EQ_INT(parse_guarded(end, 0), -EINVAL);
	CHECK_EQ_STR(why, "not an ELF file");
}

/* What elf_parse must say about the valid image cut to size bytes. */
static int
truncated_result(size_t size, const char **want_why)
{
	if (size < sizeof(struct elf64_ehdr))
		return *want_why = "not an ELF file", -EINVAL;
	if (size < PHOFF + 2 * PHSIZE)
		return *want_why = "program headers outside the file", -EFAULT;
	if (size < IMG_SIZE)
		return *want_why = "segment data outside the file", -EFAULT;
	return *want_why = "", 0;
}

TEST(elf_every_truncation,
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
