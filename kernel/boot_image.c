/*
 * The boot image: each boot module is an ELF64 executable that becomes a
 * system process in its own address space, in ring 3.  The module's command
 * line is "path [name [args...]]": the program (path's file name without
 * ".elf") selects the privileges in table.c, the name names the process
 * (default: the program) and becomes argv[0], the args follow it.
 *
 * A module that is not a valid executable, or not in the table, is reported
 * and skipped: the rest of the system still boots.
 */
#include "boot_info.h"
#include "elf.h"
#include "priv.h"
#include "proc.h"
#include "table.h"
#include "vm.h"

#define USER_STACK_TOP	0x00007ffffffff000
#define USER_STACK_SIZE	(64 * 1024)
#define MAX_ARGS	16

struct boot_proc {
	struct proc *proc;
	const struct boot_entry *entry;
};

static struct boot_proc boot_procs[BOOT_MAX_MODS];
static int nr_boot_procs;

/* Split s in place into words; returns how many (at most max). */
static int
split_words(char *s, char **words, int max)
{
	int n = 0;

	while (*s && n < max) {
		while (*s == ' ')
			*s++ = '\0';
		if (!*s)
			break;
		words[n++] = s;
		while (*s && *s != ' ')
			s++;
	}
	while (*s == ' ')
		*s++ = '\0';
	return n;
}

static void
program_name(const char *path, char *out, size_t len)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t n = strnlen(base, len - 1);

	if (n > 4 && strncmp(base + n - 4, ".elf", 4) == 0)
		n -= 4;
	memcpy(out, base, n);
	out[n] = '\0';
}

static int
load_segments(struct proc *p, const uint8_t *img, const struct elf_image *ei)
{
	for (int i = 0; i < ei->nr_segments; i++) {
		const struct elf_segment *s = &ei->seg[i];
		unsigned flags = (s->writable ? AS_WRITE : 0) | (s->executable ? AS_EXEC : 0);
		int r;

		if ((r = vm_map_zeroed(p, s->vaddr, s->memsz, flags)) < 0)
			return r;
		if ((r = vm_load(p, s->vaddr, img + s->offset, s->filesz)) < 0)
			return r;
	}
	return 0;
}

/*
 * The initial stack, as the System V ABI has it: argc, argv[], NULL, an empty
 * environment, an empty auxiliary vector, then the strings.  Returns the
 * stack pointer (16-byte aligned, pointing at argc) or 0.
 */
static vir_addr_t
setup_stack(struct proc *p, char **argv, int argc)
{
	uint64_t vec[MAX_ARGS + 5];
	vir_addr_t sp = USER_STACK_TOP;
	int n = 0;

	if (vm_map_zeroed(p, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_SIZE, AS_WRITE) < 0)
		return 0;
	vec[n++] = (uint64_t)argc;
	for (int i = 0; i < argc; i++) {
		size_t len = strlen(argv[i]) + 1;

		sp -= len;
		if (vm_copy_to_user(p, sp, argv[i], len) < 0)
			return 0;
		vec[n++] = sp;
	}
	vec[n++] = 0;	/* end of argv */
	vec[n++] = 0;	/* end of envp */
	vec[n++] = 0;	/* AT_NULL */
	vec[n++] = 0;
	sp = (sp - n * sizeof(uint64_t)) & ~(vir_addr_t)15;
	if (vm_copy_to_user(p, sp, vec, n * sizeof(uint64_t)) < 0)
		return 0;
	return sp;
}

static void
set_privileges(struct proc *p, const struct boot_entry *e)
{
	struct priv *s = p->p_priv;

	s->s_call_mask = e->calls;
	s->s_irq_mask = e->irqs;
	for (size_t i = 0; i < ARRAY_SIZE(e->io); i++)
		if (e->io[i].limit)
			s->s_io_tab[s->s_nr_io_ranges++] = e->io[i];
	p->p_priority = e->priority;
}

/* Is `program` in the space-separated list? */
static bool
list_has(const char *list, const char *program)
{
	size_t n = strlen(program);

	for (const char *s = list; (s = strstr(s, program)); s += n)
		if ((s == list || s[-1] == ' ') && (s[n] == ' ' || s[n] == '\0'))
			return true;
	return false;
}

/*
 * IPC masks name programs, so they are resolved once every module is in.
 * "ALL" means every privilege id, including ones given out later.
 */
static void
resolve_ipc_masks(void)
{
	for (int i = 0; i < nr_boot_procs; i++) {
		struct boot_proc *from = &boot_procs[i];

		if (strcmp(from->entry->ipc_to, "ALL") == 0) {
			from->proc->p_priv->s_flags |= PRIV_IPC_ALL;
			continue;
		}
		for (int j = 0; j < nr_boot_procs; j++) {
			struct boot_proc *to = &boot_procs[j];

			if (list_has(from->entry->ipc_to, to->entry->program))
				bitmap_set(from->proc->p_priv->s_ipc_to, to->proc->p_priv->s_id);
		}
	}
}

static int
boot_module_start(const struct boot_module *mod)
{
	char cmdline[BOOT_CMDLINE], program[PROC_NAME_LEN];
	char *words[MAX_ARGS + 1];
	const struct boot_entry *e;
	const char *why;
	struct elf_image ei;
	struct proc *p;
	vir_addr_t sp;
	int n, r;

	strlcpy(cmdline, mod->cmdline, sizeof(cmdline));
	n = split_words(cmdline, words, MAX_ARGS + 1);
	if (n == 0)
		return printf("boot: module without a command line skipped\n"), -EINVAL;
	program_name(words[0], program, sizeof(program));
	if (n == 1)
		words[n++] = program;
	if (!(e = boot_table_find(program)))
		return printf("boot: %s: not in the boot table, skipped\n", program), -ENOENT;
	r = elf_parse(phys_to_virt(mod->start), mod->end - mod->start, USER_STACK_TOP - USER_STACK_SIZE,
		      &ei, &why);
	if (r < 0)
		return printf("boot: %s: bad executable (%s), skipped\n", program, why), r;
	if (!(p = proc_alloc(-1)) || !priv_alloc(p))
		return printf("boot: %s: no free slot\n", program), -ENOSPC;
	strlcpy(p->p_name, words[1], sizeof(p->p_name));
	set_privileges(p, e);
	if ((r = vm_create(p)) < 0 || (r = load_segments(p, phys_to_virt(mod->start), &ei)) < 0 ||
	    !(sp = setup_stack(p, words + 1, n - 1))) {
		printf("boot: %s: out of memory\n", program);
		proc_clear(p, "boot failed");
		return -ENOMEM;
	}
	arch_proc_init(&p->p_arch, ei.entry, sp, 0);
	boot_procs[nr_boot_procs++] = (struct boot_proc){ p, e };
	return 0;
}

void
boot_image_load(const struct boot_info *bi)
{
	for (int i = 0; i < bi->nr_mods; i++)
		boot_module_start(&bi->mods[i]);
	resolve_ipc_masks();
	for (int i = 0; i < nr_boot_procs; i++)
		sched_enqueue(boot_procs[i].proc);
	printf("boot: %d of %d modules started\n", nr_boot_procs, bi->nr_mods);
}
