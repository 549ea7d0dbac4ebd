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
 * The split of the free RAM at boot (frame_split): the kernel keeps what
 * the processes it still builds need, and hands the rest to the VM server,
 * which serves the services RS starts once VM runs and every user
 * process (servers/vm/README.md, "Physical memory").  What the kernel
 * builds, each term measured at -m 32M in test mode:
 *   KEEP_SYSTEM  the boot processes (RS, DS), the services RS starts
 *                before VM (VM among them), every process's page tables,
 *                the kernel heaps of these and of RS's replica: 4.2 MiB
 *                at the runner's start; VM's new version in an update,
 *                and RS, DS or the replica when VM cannot build them
 *                (docs/processes.md section 5): about 0.7
 *   free / KEEP_SHARE  what grows with the machine: the page tables of
 *                VM's memory (1/512 of it, more when sparse), the kernel
 *                heaps of the processes it builds, its restart reserve
 *                (quota.h)
 *   free / KEEP_TESTS_SHARE  in test and bench mode, the processes the
 *                runner still has the kernel build (the tests of the
 *                kernel's own spawn, brk and quota: heap.* and their
 *                peers, hostile, the authority-model peers) with their
 *                heaps: heap.* take 60% of what is free, a copier in
 *                authority.bounded_kcall 32 MiB (make test runs at
 *                256M).  Every other test process, helper and subject
 *                is VM's (tests/guest/testrun.c).
 * at most KEEP_MAX; VM always gets VM_MIN.  At -m 32M in test mode:
 * 9,008 KiB kept and 11,728 KiB VM's (it was 13,864 and 6,932, and
 * vm.lu left VM 57 pages above its reserve; now 1,078, with its test
 * process VM's too).
 */
#define MIB_FRAMES(n)    ((size_t)(n) * (1 << 20) / FRAME_SIZE)
#define KEEP_SYSTEM      MIB_FRAMES(5)
#define KEEP_SHARE       8
#define KEEP_TESTS_SHARE 16
#define KEEP_MAX         MIB_FRAMES(512)
#define VM_MIN           MIB_FRAMES(4)

static size_t
kernel_keep(size_t free)
{
	size_t keep = KEEP_SYSTEM + free / KEEP_SHARE;

	if (boot_mode == BOOT_TEST || boot_mode == BOOT_BENCH)
		keep += free / KEEP_TESTS_SHARE;
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
