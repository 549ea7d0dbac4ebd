/*
 * ELF64 executables: the layouts we read (checked against the
 * specification's sizes) and elf_parse(), which validates an image and lists
 * its loadable segments without touching any address space.  It is pure, so
 * the host unit tests feed it corrupt images.
 */
#ifndef KERNEL_ELF_H
#define KERNEL_ELF_H

#include <ax/types.h>

struct elf64_ehdr {
	uint8_t e_ident[16];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
};

AX_STATIC_ASSERT(sizeof(struct elf64_ehdr) == 64, "ELF64 file header");
AX_STATIC_ASSERT(sizeof(struct elf64_phdr) == 56, "ELF64 program header");

#define ET_EXEC   2
#define EM_X86_64 62
#define PT_LOAD   1
#define PF_X      1
#define PF_W      2

#define ELF_MAX_SEGMENTS 8
#define ELF_MIN_VADDR    4096 /* page 0 stays unmapped: null pointers fault */

struct elf_segment {
	uint64_t vaddr;
	uint64_t memsz;
	uint64_t offset; /* in the image */
	uint64_t filesz;
	bool writable;
	bool executable;
};

struct elf_image {
	uint64_t entry;
	int nr_segments;
	struct elf_segment seg[ELF_MAX_SEGMENTS];
};

/*
 * Validate img[0..size) as a static x86-64 executable whose segments lie
 * below user_top.  Returns 0 and fills *out, or -ENOEXEC-style errors:
 * -EINVAL (not ELF64 x86-64 EXEC, bad header sizes), -EFAULT (a segment or
 * table lies outside the image or outside user space), -E2BIG (too many
 * segments).  *why gets a short reason for the log.
 */
int elf_parse(const void *img, size_t size, uint64_t user_top, struct elf_image *out,
	      const char **why);

#endif
