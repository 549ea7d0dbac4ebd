/*
 * Linux's x86-64 signal frame (rt_sigframe), built on a user process's
 * stack when PM asks for it (sigctl FRAME, kernel/linux_signal.c), and
 * taken back by rt_sigreturn.  The layout is the kernel ABI's:
 *
 *   rsp at handler entry -> pretcode (the action's sa_restorer)
 *                           struct ucontext   (uc_flags, uc_link, uc_stack,
 *                                              sigcontext, uc_sigmask)
 *                           struct siginfo    (128 bytes)
 *   64-byte aligned above -> the FXSAVE area (512 bytes), sigcontext.fpstate
 *
 * below the 128-byte red zone (or at the top of the sigaltstack), with
 * rsp + 8 a multiple of 16 at the handler's first instruction, as a call
 * would leave it.  rt_sigreturn restores only what the frame holds, and
 * only what a user may hold: a canonical user rip, the user selectors,
 * the user-writable EFLAGS bits, an MXCSR without reserved bits.
 */
#include "cpu.h"
#include "layout.h"
#include "proc.h"
#include "vm.h"
#include <ax/linux.h>

struct lx_sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate; /* user address of the FXSAVE area, or 0 */
	uint64_t reserved1[8];
};

struct lx_ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	struct lx_stack uc_stack;
	struct lx_sigcontext uc_mcontext;
	uint64_t uc_sigmask;
};

struct lx_rt_sigframe {
	uint64_t pretcode;
	struct lx_ucontext uc;
	struct lx_siginfo info;
};

AX_STATIC_ASSERT(sizeof(struct lx_sigcontext) == 256, "Linux's sigcontext");
AX_STATIC_ASSERT(sizeof(struct lx_ucontext) == 304, "Linux's ucontext");
AX_STATIC_ASSERT(sizeof(struct lx_rt_sigframe) == 440, "Linux's rt_sigframe");

#define UC_SIGCONTEXT_SS     0x2
#define UC_STRICT_RESTORE_SS 0x4
#define RED_ZONE             128
#define FPU_AREA             sizeof(struct fpu_state)

/* The EFLAGS bits a program may set: CF PF AF ZF SF DF OF AC. */
#define USER_EFLAGS 0x40cd5ull
#define EFLAGS_TF   0x100ull
#define EFLAGS_DF   0x400ull
#define EFLAGS_RF   0x10000ull

#define MXCSR_OFFSET      24
#define MXCSR_MASK_OFFSET 28

/* Is sp on the alternate stack st (Linux's on_sig_stack)? */
static bool
on_altstack(const struct lx_stack *st, uint64_t sp)
{
	return !(st->ss_flags & LX_SS_DISABLE) && st->ss_size && sp > st->ss_sp &&
	       sp - st->ss_sp <= st->ss_size;
}

static void
fpu_init_state(struct fpu_state *f)
{
	memset(f, 0, sizeof(*f));
	*(uint16_t *)&f->fx[0] = 0x37f;
	*(uint32_t *)&f->fx[MXCSR_OFFSET] = 0x1f80;
}

/*
 * Build the frame for signal `sig` on p's stack and point p at the
 * handler.  p is not running (its registers and FPU state are in its
 * slot).  0, or -EFAULT when the frame cannot be written (nothing of p
 * changed then).
 */
int
arch_sigframe_build(struct proc *p, int sig, const struct lx_sigframe_req *rq)
{
	struct trapframe *r = &p->p_arch.reg;
	struct lx_rt_sigframe f;
	struct lx_sigcontext *sc = &f.uc.uc_mcontext;
	uint64_t sp = r->rsp, fp, frame;
	bool on = on_altstack(&rq->altstack, sp);

	arch_fpu_save(p);
	if ((rq->flags & LX_SA_ONSTACK) && !(rq->altstack.ss_flags & LX_SS_DISABLE) &&
	    rq->altstack.ss_size && !on)
		sp = rq->altstack.ss_sp + rq->altstack.ss_size;
	else
		sp -= RED_ZONE;
	fp = (sp - FPU_AREA) & ~63ull;
	frame = ((fp - sizeof(f)) & ~15ull) - 8;

	memset(&f, 0, sizeof(f));
	f.pretcode = rq->restorer;
	f.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	f.uc.uc_stack = rq->altstack;
	f.uc.uc_stack.ss_flags = (rq->altstack.ss_flags & LX_SS_DISABLE) || !rq->altstack.ss_size
					 ? LX_SS_DISABLE
				 : on ? LX_SS_ONSTACK
				      : 0;
	sc->r8 = r->r8, sc->r9 = r->r9, sc->r10 = r->r10, sc->r11 = r->r11;
	sc->r12 = r->r12, sc->r13 = r->r13, sc->r14 = r->r14, sc->r15 = r->r15;
	sc->rdi = r->rdi, sc->rsi = r->rsi, sc->rbp = r->rbp, sc->rbx = r->rbx;
	sc->rdx = r->rdx, sc->rax = r->rax, sc->rcx = r->rcx, sc->rsp = r->rsp;
	sc->rip = r->rip, sc->eflags = r->rflags;
	sc->cs = SEL_UCODE, sc->ss = SEL_UDATA;
	sc->err = r->error;
	sc->trapno = r->vector < 256 ? r->vector : 0;
	sc->oldmask = rq->mask;
	sc->cr2 = (sig == 11 || sig == 7) ? rq->info.u.addr : 0; /* SIGSEGV, SIGBUS */
	sc->fpstate = fp;
	f.uc.uc_sigmask = rq->mask;
	f.info = rq->info;

	if (vm_copy_to_user(p, fp, &p->p_arch.fpu, FPU_AREA) < 0 ||
	    vm_copy_to_user(p, frame, &f, sizeof(f)) < 0) {
		/* A stack page shared since fork, or never touched: VM's to fix. */
		vm_note_user_fault(p, frame, fp + FPU_AREA - frame, true);
		return -EFAULT;
	}

	r->rip = rq->handler;
	r->rsp = frame;
	r->rdi = (uint64_t)sig;
	r->rsi = frame + offsetof(struct lx_rt_sigframe, info);
	r->rdx = frame + offsetof(struct lx_rt_sigframe, uc);
	r->rax = 0;
	r->rflags &= ~(EFLAGS_DF | EFLAGS_TF | EFLAGS_RF);
	r->cs = SEL_UCODE;
	r->ss = SEL_UDATA;
	fpu_init_state(&p->p_arch.fpu); /* the handler starts with a clean FPU */
	arch_fpu_load(p);
	return 0;
}

/*
 * rt_sigreturn of p (the current process, in its system call): the frame
 * is at rsp - 8 (the handler's ret popped pretcode).  On success p's
 * registers and FPU state are the frame's and *mask is uc_sigmask; the
 * frame leaves by iretq (VEC_RESTORED), so rcx and r11 come back too.
 * -EFAULT for a frame that cannot be read or holds what a user may not
 * (nothing of p changed then).
 */
int
arch_sigreturn(struct proc *p, uint64_t *mask)
{
	struct trapframe *r = &p->p_arch.reg;
	struct lx_rt_sigframe f;
	const struct lx_sigcontext *sc = &f.uc.uc_mcontext;
	struct fpu_state fpu;
	uint32_t mxcsr_mask;

	if (vm_copy_from_user(p, &f, r->rsp - 8, sizeof(f)) < 0)
		return -EFAULT;
	if (sc->rip >= ARCH_USER_TOP || sc->cs != SEL_UCODE || (sc->ss && sc->ss != SEL_UDATA))
		return -EFAULT;
	arch_fpu_save(p);
	if (sc->fpstate) {
		if (vm_copy_from_user(p, &fpu, sc->fpstate, sizeof(fpu)) < 0)
			return -EFAULT;
		mxcsr_mask = *(uint32_t *)&p->p_arch.fpu.fx[MXCSR_MASK_OFFSET];
		if (!mxcsr_mask)
			mxcsr_mask = 0xffbf;
		*(uint32_t *)&fpu.fx[MXCSR_OFFSET] &= mxcsr_mask;
		*(uint32_t *)&fpu.fx[MXCSR_MASK_OFFSET] = mxcsr_mask;
	} else {
		fpu_init_state(&fpu);
	}

	r->r8 = sc->r8, r->r9 = sc->r9, r->r10 = sc->r10, r->r11 = sc->r11;
	r->r12 = sc->r12, r->r13 = sc->r13, r->r14 = sc->r14, r->r15 = sc->r15;
	r->rdi = sc->rdi, r->rsi = sc->rsi, r->rbp = sc->rbp, r->rbx = sc->rbx;
	r->rdx = sc->rdx, r->rax = sc->rax, r->rcx = sc->rcx, r->rsp = sc->rsp;
	r->rip = sc->rip;
	r->rflags = (r->rflags & ~USER_EFLAGS) | (sc->eflags & USER_EFLAGS);
	r->cs = SEL_UCODE;
	r->ss = SEL_UDATA;
	r->vector = VEC_RESTORED;
	r->error = 0;
	p->p_arch.fpu = fpu;
	arch_fpu_load(p);
	*mask = f.uc.uc_sigmask;
	return 0;
}
