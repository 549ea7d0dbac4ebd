/*
 * What the boot loader told us, in a form that does not depend on the loader:
 * the command line, usable RAM, and the boot modules (the executables of the
 * boot-time processes).  arch_parse_boot_info() fills it in from multiboot.
 */
#ifndef KERNEL_BOOT_INFO_H
#define KERNEL_BOOT_INFO_H

#include <ax/types.h>

#define BOOT_MAX_MEM  32
#define BOOT_MAX_MODS 64 /* programs, test files (busybox, exec's bad files), data */
#define BOOT_CMDLINE  256

struct mem_range {
	phys_addr_t base;
	phys_addr_t end; /* exclusive */
};

struct boot_module {
	phys_addr_t start;
	phys_addr_t end;            /* exclusive */
	char cmdline[BOOT_CMDLINE]; /* "path [name [args...]]" */
};

struct boot_info {
	char cmdline[BOOT_CMDLINE];
	struct mem_range mem[BOOT_MAX_MEM];
	int nr_mem;
	struct boot_module mods[BOOT_MAX_MODS];
	int nr_mods;
	phys_addr_t loader_end; /* highest address the loader put anything at */
};

extern struct boot_info boot_info;
extern uint32_t boot_mode; /* enum boot_mode */
extern char boot_args[32]; /* the command line after the mode word */

void boot_image_load(const struct boot_info *bi);

#endif
