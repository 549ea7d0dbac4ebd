/*
 * What every kernel file includes: basic types, the ABI headers, console
 * output, panic and assertions, and the kernel's configuration constants.
 */
#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H

#include <ax/types.h>
#include <ax/errno.h>
#include <ax/endpoint.h>
#include <ax/message.h>
#include <string.h>
#include <stdio.h>
#include <assert.h>

#define HZ              100 /* clock ticks per second */
#define NR_PRIVS        64  /* privilege structures: kernel identities + system processes */
#define NR_SCHED_QUEUES 16  /* priorities 0 (highest) .. 15 */
#define USER_Q          12  /* default priority of a boot process */
#define QUANTUM_TICKS   5   /* default round-robin quantum */
#define NR_IRQ_HOOKS    16
#define NR_IRQ_LINES    16


void console_write(const char *s, size_t len);
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* Tracing, compiled in and off by default: flip a switch here to see it. */
#define TRACE_IPC   0
#define TRACE_KCALL 0
#define TRACE_SIG   0 /* every signal and every released slot */
#define TRACE(kind, ...)                     \
	do {                                 \
		if (TRACE_##kind)            \
			printf(__VA_ARGS__); \
	} while (0)

/* One-line diagnostics about a misbehaving process, always on. */
#define KDIAG(p, fmt, ...) \
	printf("kernel: %s(%d): " fmt "\n", (p)->p_name, (p)->p_endpoint, ##__VA_ARGS__)

#endif
