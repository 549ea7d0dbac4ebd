/*
 * The boot image: each boot module is an ELF64 executable that becomes a
 * system process in its own address space, in ring 3.  The module's command
 * line is "path [name [args...]]": the program (path's file name without
 * ".elf") selects the privileges in table.c, the name names the process
 * (default: the program) and becomes argv[0], the args follow it.
 *
 * A module that is not a valid executable is reported and skipped: the rest
 * of the system still boots.  Executables not in the table are programs RS
 * (or a test) starts; modules not named *.elf are data (RS's configuration).
 */
#include "boot_info.h"
#include "exec.h"
#include "priv.h"
#include "proc.h"
#include "table.h"
#include "vm.h"


struct boot_proc {
	struct proc *proc;
	const struct boot_entry *entry;
};

static struct boot_proc boot_procs[BOOT_MAX_MODS];
static int nr_boot_procs;

static void
set_privileges(struct proc *p, const struct boot_entry *e)
{
	struct priv *s = p->p_priv;

	s->s_call_mask = e->calls;
	s->s_irq_mask = e->irqs;
	s->s_flags |= e->flags & (PRIV_ROOT | PRIV_ADMIN | PRIV_MAGIC_GRANTS);
	s->s_mem_limit = (e->flags & PRIV_ROOT) ? PRIV_MEM_UNLIMITED : PRIV_MEM_DEFAULT;
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
	char *words[EXEC_MAX_ARGS + 1];
	const struct boot_entry *e;
	const char *why;
	struct proc *p;
	int n, r;

	strlcpy(cmdline, mod->cmdline, sizeof(cmdline));
	n = exec_split_words(cmdline, words, EXEC_MAX_ARGS + 1);
	if (n == 0)
		return printf("boot: module without a command line skipped\n"), -EINVAL;
	exec_program_name(words[0], program, sizeof(program));
	if (n == 1)
		words[n++] = program;
	if (strlen(words[0]) < 4 || strcmp(words[0] + strlen(words[0]) - 4, ".elf") != 0)
		return -ENOENT; /* a data module, such as RS's configuration */
	if (!(e = boot_table_find(program)))
		return -ENOENT; /* RS's, or a test's: started with privileges from system.conf */
	if (!(p = proc_alloc(-1)) || !priv_alloc(p))
		return printf("boot: %s: no free slot\n", program), -ENOSPC;
	proc_set_name(p, words[1]);
	set_privileges(p, e);
	r = exec_image(p,
		       &(struct exec_src){ .bytes = phys_to_virt(mod->start),
					   .size = mod->end - mod->start },
		       words + 1, n - 1, &why);
	if (r < 0) {
		printf("boot: %s: %s, skipped\n", program, why);
		proc_clear(p, "boot failed");
		return r;
	}
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
	printf("boot: %d of %d modules started, the rest left for RS\n", nr_boot_procs,
	       bi->nr_mods);
}
