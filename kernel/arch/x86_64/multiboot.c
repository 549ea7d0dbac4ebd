/*
 * Reads the multiboot v1 information into the loader-independent boot_info:
 * command line, available memory, modules.  Everything is copied, because the
 * loader's structures live in memory the frame allocator will hand out.
 */
#include "kernel.h"
#include "arch.h"
#include "boot_info.h"

#define MB_BOOT_MAGIC 0x2badb002
#define MBI_CMDLINE   (1 << 2)
#define MBI_MODS      (1 << 3)
#define MBI_MMAP      (1 << 6)

struct mb_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
};

struct mb_module {
	uint32_t mod_start, mod_end;
	uint32_t string;
	uint32_t reserved;
};

struct mb_mmap_entry {
	uint32_t size; /* of the rest of the entry */
	uint64_t addr;
	uint64_t len;
	uint32_t type; /* 1: available RAM */
} __attribute__((packed));

AX_STATIC_ASSERT(sizeof(struct mb_info) == 52, "multiboot info prefix");
AX_STATIC_ASSERT(sizeof(struct mb_module) == 16, "multiboot module");
AX_STATIC_ASSERT(sizeof(struct mb_mmap_entry) == 24, "multiboot mmap entry");

static void
parse_mmap(const struct mb_info *mbi, struct boot_info *bi)
{
	uint64_t p = mbi->mmap_addr, end = p + mbi->mmap_length;

	while (p < end && bi->nr_mem < BOOT_MAX_MEM) {
		const struct mb_mmap_entry *e = phys_to_virt(p);

		if (e->type == 1)
			bi->mem[bi->nr_mem++] = (struct mem_range){ e->addr, e->addr + e->len };
		p += e->size + sizeof(e->size);
	}
}

static void
parse_modules(const struct mb_info *mbi, struct boot_info *bi)
{
	const struct mb_module *m = phys_to_virt(mbi->mods_addr);

	for (uint32_t i = 0; i < mbi->mods_count && bi->nr_mods < BOOT_MAX_MODS; i++) {
		struct boot_module *bm = &bi->mods[bi->nr_mods++];

		bm->start = m[i].mod_start;
		bm->end = m[i].mod_end;
		if (m[i].string)
			strlcpy(bm->cmdline, phys_to_virt(m[i].string), sizeof(bm->cmdline));
		if (bm->end > bi->loader_end)
			bi->loader_end = bm->end;
	}
}

void
arch_parse_boot_info(uint32_t magic, phys_addr_t info, struct boot_info *bi)
{
	const struct mb_info *mbi = phys_to_virt(info);

	if (magic != MB_BOOT_MAGIC)
		panic("not started by a multiboot loader (magic %#x)", magic);
	if (mbi->flags & MBI_CMDLINE)
		strlcpy(bi->cmdline, phys_to_virt(mbi->cmdline), sizeof(bi->cmdline));
	if (!(mbi->flags & MBI_MMAP))
		panic("the boot loader gave no memory map");
	parse_mmap(mbi, bi);
	if (mbi->flags & MBI_MODS)
		parse_modules(mbi, bi);
}
