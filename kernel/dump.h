/*
 * The kernel's tables as text (dump.c): to the console (on the console's
 * dump key, at a panic, DIAG_DUMP_PROCS) or into a system process's
 * buffer (DIAG_DUMP_TABLES).
 */
#ifndef KERNEL_DUMP_H
#define KERNEL_DUMP_H

#include "kernel.h"

struct proc;

/* Where the text goes: the console (k_to NULL) or k_to's memory at k_addr. */
struct kdump {
	struct proc *k_to;
	vir_addr_t k_addr;
	size_t k_size; /* bytes there */
	size_t k_len;  /* bytes produced, copied or cut */
	int k_error;   /* the first failed copy, or 0 */
};

extern struct kdump kdump_console;

#define DUMP_KEY 0x14 /* Ctrl-T on COM1: every table, the kernel's and the servers' */

void kdump_printf(struct kdump *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void proc_dump(struct kdump *d);   /* the resources and the process table */
void kernel_dump(struct kdump *d); /* processes, privileges, grants */
void dump_key_poll(void);          /* from the clock: the dump key pressed? */
uint32_t dump_key_count(void);     /* dump keys seen since boot */

#endif
