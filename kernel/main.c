/*
 * kmain: the kernel's start.  The arch layer has switched to long mode; here
 * we bring up the console and CPU tables, read the boot information, build
 * the frame allocator and the kernel's own page tables, start the boot
 * processes, and leave for user mode, never to return.
 *
 * The command line's first word selects the mode (normal, test, bench); the
 * rest is available to processes through getinfo(KINFO).
 */
#include "boot_info.h"
#include "frame.h"
#include "proc.h"
#include "priv.h"

struct boot_info boot_info;
uint32_t boot_mode;
char boot_args[32];

/* QEMU and GRUB put the kernel image's path first: a word with a '/', unlike any mode. */
static void
parse_cmdline(const char *cmdline)
{
	const char *space = strchr(cmdline, ' '), *slash = strchr(cmdline, '/');
	size_t n = 0;

	if (space && slash && slash < space)
		cmdline = space + 1;
	while (cmdline[n] && cmdline[n] != ' ')
		n++;
	if (n == 4 && strncmp(cmdline, "test", n) == 0)
		boot_mode = BOOT_TEST;
	else if (n == 5 && strncmp(cmdline, "bench", n) == 0)
		boot_mode = BOOT_BENCH;
	else
		boot_mode = BOOT_NORMAL;
	while (cmdline[n] == ' ')
		n++;
	strlcpy(boot_args, cmdline + n, sizeof(boot_args));
}

static void
memory_init(const struct boot_info *bi)
{
	extern char __kernel_phys_start[], __kernel_phys_end[];

	frame_init(bi->mem, bi->nr_mem);
	frame_reserve((phys_addr_t)__kernel_phys_start, (phys_addr_t)__kernel_phys_end);
	for (int i = 0; i < bi->nr_mods; i++)
		frame_reserve(bi->mods[i].start, bi->mods[i].end);
	arch_vm_init(frame_top());
	printf("memory: %zu KiB free of %zu KiB\n", frame_free_count() * 4,
	       (size_t)(frame_top() / 1024));
}

void kmain(uint32_t magic, uint32_t info);

void
kmain(uint32_t magic, uint32_t info)
{
	arch_init(HZ);
	printf("Axolotl kernel\n");
	arch_parse_boot_info(magic, info, &boot_info);
	parse_cmdline(boot_info.cmdline);
	memory_init(&boot_info);
	proc_init();
	boot_image_load(&boot_info);
	printf("kernel: entering user mode\n");
	switch_to_user();
}
