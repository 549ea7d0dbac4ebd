/*
 * ELF64 validation (see elf.h).  Every offset and size is checked against
 * the image before it is used, with overflow-safe arithmetic.
 */
#include "elf.h"
#include <ax/errno.h>
#include <string.h>

static bool
range_ok(uint64_t off, uint64_t len, uint64_t limit)
{
	return off <= limit && len <= limit - off;
}

static int
elf_check_header(const struct elf64_ehdr *eh, size_t size, const char **why)
{
	static const uint8_t magic[4] = { 0x7f, 'E', 'L', 'F' };

	if (size < sizeof(*eh) || memcmp(eh->e_ident, magic, 4) != 0)
		return *why = "not an ELF file", -EINVAL;
	if (eh->e_ident[4] != 2 || eh->e_ident[5] != 1)
		return *why = "not ELF64 little-endian", -EINVAL;
	if (eh->e_type != ET_EXEC || eh->e_machine != EM_X86_64)
		return *why = "not an x86-64 executable", -EINVAL;
	if (eh->e_phentsize != sizeof(struct elf64_phdr))
		return *why = "odd program header size", -EINVAL;
	if (!range_ok(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr), size))
		return *why = "program headers outside the file", -EFAULT;
	if (eh->e_phoff % 8 != 0)
		return *why = "misaligned program headers", -EINVAL;
	return 0;
}

static int
elf_check_segment(const struct elf64_phdr *ph, size_t size, uint64_t user_top, const char **why)
{
	if (ph->p_filesz > ph->p_memsz)
		return *why = "segment file size exceeds memory size", -EINVAL;
	if (!range_ok(ph->p_offset, ph->p_filesz, size))
		return *why = "segment data outside the file", -EFAULT;
	if (ph->p_vaddr < ELF_MIN_VADDR || !range_ok(ph->p_vaddr, ph->p_memsz, user_top))
		return *why = "segment outside user space", -EFAULT;
	return 0;
}

int
elf_parse(const void *img, size_t size, uint64_t user_top, struct elf_image *out, const char **why)
{
	const struct elf64_ehdr *eh = img;
	const struct elf64_phdr *ph;
	int r;

	*why = "";
	if ((r = elf_check_header(eh, size, why)) < 0)
		return r;
	ph = (const struct elf64_phdr *)((const uint8_t *)img + eh->e_phoff);
	out->nr_segments = 0;
	for (int i = 0; i < eh->e_phnum; i++, ph++) {
		struct elf_segment *s;

		if (ph->p_type != PT_LOAD || ph->p_memsz == 0)
			continue;
		if ((r = elf_check_segment(ph, size, user_top, why)) < 0)
			return r;
		if (out->nr_segments == ELF_MAX_SEGMENTS)
			return *why = "too many segments", -E2BIG;
		s = &out->seg[out->nr_segments++];
		*s = (struct elf_segment){ ph->p_vaddr,
					   ph->p_memsz,
					   ph->p_offset,
					   ph->p_filesz,
					   (ph->p_flags & PF_W) != 0,
					   (ph->p_flags & PF_X) != 0 };
	}
	if (out->nr_segments == 0)
		return *why = "nothing to load", -EINVAL;
	if (eh->e_entry == 0 || eh->e_entry >= user_top)
		return *why = "entry point outside user space", -EFAULT;
	out->entry = eh->e_entry;
	return 0;
}
