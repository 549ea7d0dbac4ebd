/*
 * The boot image table (table.c): program name to privileges.
 */
#ifndef KERNEL_TABLE_H
#define KERNEL_TABLE_H

#include "kernel.h"
#include "priv.h"

struct boot_entry {
	const char *program;
	uint8_t priority;
	uint64_t calls;        /* kernel-call mask */
	const char *ipc_to;    /* "ALL", or program names separated by spaces */
	struct io_range io[2]; /* limit 0: unused */
	uint32_t irqs;         /* bit per IRQ line */
	uint32_t flags;        /* PRIV_ROOT (authority.h); PRIV_ADMIN: RS obeys it */
};

extern const struct boot_entry boot_table[];
extern const size_t boot_table_len;

const struct boot_entry *boot_table_find(const char *program);

#endif
