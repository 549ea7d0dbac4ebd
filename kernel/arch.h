/*
 * What generic kernel code needs from the architecture, and nothing more.
 * Implemented in kernel/arch/x86_64/; no other generic header includes an
 * x86 header (arch_proc.h only gives the register accessors).
 */
#ifndef KERNEL_ARCH_H
#define KERNEL_ARCH_H

#include <ax/types.h>
#include "arch_proc.h"

struct proc;
struct boot_info;

/* Boot: CPU tables, interrupt controller, timer at `hz`, console. */
void arch_init(unsigned hz);
void arch_console_putc(char c);
int arch_console_getc(void); /* a byte received on the console, or -1 */
int arch_console_irq(void);  /* the console port's IRQ line */
/* A driver writes value to port (DEVIO): true if that sends a byte out of the console's port. */
bool arch_console_sends(uint32_t port, uint32_t value);
void arch_parse_boot_info(uint32_t magic, phys_addr_t info, struct boot_info *bi);

/* phys_to_virt(pa): physical memory is mapped in the kernel half (arch_proc.h). */

/* Address spaces.  Flags for arch_as_map: */
#define AS_WRITE   0x1
#define AS_EXEC    0x2
#define AS_VM      0x4 /* the frame is the VM server's: not freed with the space */
#define AS_NO_PAGE ((phys_addr_t)-1)

void arch_vm_init(phys_addr_t mem_top);
phys_addr_t arch_as_create(void);
int arch_as_map(phys_addr_t root, vir_addr_t va, phys_addr_t pa,
		unsigned flags); /* tables made (0..3), or -E */
phys_addr_t arch_as_lookup(phys_addr_t root, vir_addr_t va, bool write);
phys_addr_t arch_as_unmap(phys_addr_t root, vir_addr_t va);           /* the frame, or AS_NO_PAGE */
int arch_as_protect(phys_addr_t root, vir_addr_t va, unsigned flags); /* 0 or -ENOENT */
int arch_as_copy(phys_addr_t droot, vir_addr_t dva, phys_addr_t sroot, vir_addr_t sva,
		 size_t len); /* between two spaces: 0 or -EFAULT (paging.c) */
void arch_as_destroy(phys_addr_t root);

/* Processes. */
void arch_proc_init(struct arch_proc *a, vir_addr_t entry, vir_addr_t sp, uint64_t arg);
void arch_switch_to(struct proc *next) __attribute__((noreturn));
void arch_fpu_forget(const struct proc *p);                 /* its FPU state was replaced (exec) */
void arch_proc_released(const struct proc *p);              /* its slot was released (proc_clear) */
void arch_resume(struct proc *p) __attribute__((noreturn)); /* p entered the kernel last */
void arch_dump_frame(const struct arch_proc *a);
void arch_fpu_save(struct proc *p); /* p's FPU state into p_arch, if the CPU holds it */
int64_t arch_linux_prctl(struct proc *p, uint64_t code, uint64_t addr); /* arch_prctl */
void arch_fpu_load(struct proc *p); /* ...and back into the CPU if p owns it */
struct lx_sigframe_req;
int arch_sigframe_build(struct proc *p, int sig, const struct lx_sigframe_req *rq);
int arch_sigreturn(struct proc *p, uint64_t *mask); /* sigframe.c */

/* Interrupts and time. */
void arch_irq_mask(int irq);
void arch_irq_unmask(int irq);
bool arch_irq_reserved(int irq);
uint64_t arch_read_tsc(void);
void arch_idle(void); /* wait for an interrupt, interrupts on only inside */

/* Devices and the machine. */
int arch_devio(int request, uint32_t port, uint32_t *value);
#define SHUTDOWN_PANIC 0x7fff /* arch_shutdown status of a kernel panic */
void arch_shutdown(int how, int status) __attribute__((noreturn));
void arch_stacktrace(const char *who, uint64_t frame_pointer);
int arch_probe(int kind, vir_addr_t addr); /* probe.S: 0, or -EFAULT when it faulted */
uint64_t arch_frame_pointer(void);

#endif
