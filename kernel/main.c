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
#include "quota.h"
#include "proc.h"
#include "priv.h"
#include "vm.h"

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

/*
 * What the kernel keeps of the free RAM for itself and the system
 * processes (page tables, services, their heaps): three quarters of what
 * is free after the boot modules (the test services' RAM disks and heaps
 * need them), at most KEEP_MAX; on a small machine (less than SMALL_FREE
 * free) two thirds, and VM_MIN is always VM's.  The rest is the VM
 * server's (frame_split), for user processes.  At -m 32M the test mode's
 * thirty services take some 9 MiB (programs mapped in place, 16 KiB
 * stacks) of the 14 MiB kept, and vm.lu's processes with busybox need
 * some 6 MiB of VM's 7 (vm.all_ram).
 */
#define SMALL_FREE ((size_t)(64 << 20) / FRAME_SIZE)
#define KEEP_MAX   ((size_t)(512 << 20) / FRAME_SIZE)
#define VM_MIN     ((size_t)(4 << 20) / FRAME_SIZE)

static size_t
kernel_keep(size_t free)
{
	size_t keep = free < SMALL_FREE ? free / 3 * 2 : free / 4 * 3;

	keep = keep > KEEP_MAX ? KEEP_MAX : keep;
	if (free > 2 * VM_MIN && keep > free - VM_MIN)
		keep = free - VM_MIN;
	return keep < free ? keep : free;
}

/* The end of the highest usable RAM: the direct map covers all of it. */
static phys_addr_t
ram_top(const struct boot_info *bi)
{
	phys_addr_t top = 0;

	for (int i = 0; i < bi->nr_mem; i++)
		top = bi->mem[i].end > top ? bi->mem[i].end : top;
	return top;
}

/* All usable RAM, in bytes. */
static phys_addr_t
ram_usable(const struct boot_info *bi)
{
	phys_addr_t sum = 0;

	for (int i = 0; i < bi->nr_mem; i++)
		sum += bi->mem[i].end - bi->mem[i].base;
	return sum;
}

static void
memory_init(const struct boot_info *bi)
{
	extern char __kernel_phys_start[], __kernel_phys_end[];
	size_t given;

	frame_init(bi->mem, bi->nr_mem);
	frame_reserve((phys_addr_t)__kernel_phys_start, (phys_addr_t)__kernel_phys_end);
	for (int i = 0; i < bi->nr_mods; i++)
		frame_reserve(bi->mods[i].start, bi->mods[i].end);
	arch_vm_init(ram_top(bi));
	given = frame_split(bi->mem, bi->nr_mem, kernel_keep(frame_free_count()));
	vm_pt_budget = frame_free_count() / 4; /* user page tables: a quarter of what we keep */
	quota_init(frame_free_count());
	/* vm.all_ram (tools/axrun.py) reads this line: keep its words. */
	printf("memory: %llu KiB usable up to %#llx, %zu KiB kept free, %zu KiB for VM\n",
	       (unsigned long long)(ram_usable(bi) / 1024), (unsigned long long)ram_top(bi),
	       frame_free_count() * 4, given * 4);
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
