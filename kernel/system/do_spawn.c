/*
 * SPAWN: a new process running an ELF image from the caller's memory; how
 * RS starts services until VM owns address spaces.  Reads: m_sys_spawn
 * (image, size, name, args, args_len).  Writes: m_sys_spawn_reply.endpt.
 *
 * The process gets a free slot with a new generation, the priority asked
 * for (or its creator's; never a higher one: EPERM), the shared user
 * privileges, and RTS_NO_PRIV: it does not run until the caller gives it
 * privileges (privctl SET) and lets it go (privctl ALLOW).  Errors: EINVAL
 * (name), E2BIG (image or arguments too large), EFAULT (unreadable),
 * ENOEXEC (not a valid executable), EAGAIN (no free slot), ENOMEM, EPERM
 * (an image from a caller that is not a root).
 *
 * Only a root (RS, its replica, the test runner) has the kernel load an
 * image; anyone else with the call makes only empty slots, which their
 * signal manager has VM build under the memlimit it gives them (the limit
 * a caller that is not a root sets is lent out of its own: privctl SET,
 * quota.h), so a program's memory is never the spawner's to multiply.
 *
 * With image 0 and size 0 the process is made empty, for a program that
 * VM and PM build (include/ax/vm.h): an empty address space, registers
 * unset until the kernel call exec.  With `into` too: the dead program is
 * forgotten as below and the slot is left empty and held, for its manager
 * to have VM build the new one (the replica restarting RS or DS through
 * VM, RS its replica: docs/processes.md section 5).
 *
 * With m_sys_spawn.into, the program starts instead in the slot of a dead
 * process: one frozen by a signal (EBUSY otherwise) whose signal manager
 * is the caller and whose privileges the caller holds all of (EPERM
 * otherwise: like update, this puts the caller's program under them).
 * This is how the replica restarts RS and DS, and RS the replica: recovery needs no free slot, no privilege
 * structure and no memory beyond what the dead one held, which it frees
 * first.  What belongs to the endpoint stays, as in an update: endpoint,
 * privileges, the callers queued on it, pending notifications.  What
 * belonged to the dead program goes: its memory, registers, a send it was
 * blocked in, its grant and SENDA tables, its alarm and IRQ hooks.  The
 * image is checked before anything is touched; if the memory then runs
 * out, the process stays frozen, without a program, for another try.
 */
#include "system.h"
#include "exec.h"
#include "priv.h"
#include "vm.h"
#include "ipc.h"
#include "interrupt.h"
#include "authority.h"

/*
 * The name and arguments, and where the image is: it is read in place, in
 * the caller's memory (exec.c), never copied whole into the kernel, so the
 * whole range must be readable now (EFAULT).
 */
static int
read_args(struct proc *caller, const struct msg_sys_spawn *req, char *name, char *args,
	  struct exec_src *src)
{
	if (strnlen(req->name, sizeof(req->name)) == sizeof(req->name) || !req->name[0])
		return -EINVAL;
	strlcpy(name, req->name, PROC_NAME_LEN);
	if (req->args_len >= SPAWN_ARGS_MAX)
		return -E2BIG;
	args[req->args_len] = '\0';
	if (req->args_len && vm_copy_from_user(caller, args, req->args, req->args_len) < 0)
		return -EFAULT;
	if (req->size > EXEC_MAX_IMAGE)
		return -E2BIG;
	if (req->size == 0 && req->image == 0)
		return 0; /* an empty program (see below) */
	*src = (struct exec_src){ .from = caller, .va = req->image, .size = req->size };
	return vm_check_user(caller, req->image, req->size, false);
}

/* The dead process at `into`, if the caller may restart it in place. */
static int
dead_slot(struct proc *caller, endpoint_t into, struct proc **pp)
{
	struct proc *p;
	int r;

	if ((r = proc_lookup(into, &p)) < 0)
		return r;
	if (proc_is_kernel(p) || p == caller || !p->p_priv || p->p_priv == priv_user() ||
	    p->p_priv->s_sig_mgr != caller->p_endpoint)
		return -EPERM;
	if (!(p->p_rts_flags & RTS_SIG_PENDING))
		return -EBUSY;
	if (!auth_holds_all(caller, p->p_priv))
		return -EPERM; /* its program would run under more than we hold */
	*pp = p;
	return 0;
}

/* Forget everything of p's dead program; what belongs to its endpoint stays. */
static void
forget_program(struct proc *p)
{
	struct priv *s = p->p_priv;

	ipc_unqueue_send(p);
	irq_release_all(p);
	timer_cancel(&s->s_alarm);
	timer_cancel(&s->s_call_timer);
	vm_destroy(p);
	/*
	 * The whole program half afresh (proc.h), so that no field of the dead
	 * program -- a kernel call's resume point, its tables -- reaches the
	 * new one; the registers are set by exec, the name by our caller.
	 */
	p->p_program = (struct proc_program){
		.p_arch = p->p_arch, .p_getfrom_e = NONE, .p_rts_flags = RTS_SIG_PENDING
	}; /* frozen until it has a program */
	vm_tlb_forget(p);
	p->p_sendto_e = NONE;
}

/*
 * A new program in the dead process p's slot (see the top of the file), or
 * none (src empty): an empty space, held until VM built it and exec ran.
 */
static int
respawn(struct proc *caller, struct proc *p, const struct exec_src *src, char **argv, int argc,
	int prio)
{
	struct exec_elf ei;
	const char *why;
	int r;

	if (!src->from) {
		forget_program(p);
		proc_set_name(p, argv[0]);
		p->p_priority = (uint8_t)prio;
		if ((r = vm_create(p)) < 0)
			return r; /* frozen still, without a program, for another try */
		arch_proc_init(&p->p_arch, 0, 0, 0);
		p->p_rts_flags = RTS_NO_PRIV; /* thawed, held until exec and privctl ALLOW */
		return 0;
	}
	if ((r = exec_check(src, &ei, &why)) < 0) {
		KDIAG(caller, "spawn into %s: %s", p->p_name, why);
		return r == -EFAULT ? r : -ENOEXEC;
	}
	forget_program(p);
	proc_set_name(p, argv[0]);
	p->p_priority = (uint8_t)prio;
	if ((r = exec_image(p, src, argv, argc, &why)) < 0) {
		KDIAG(caller, "spawn into %s: %s", p->p_name, why);
		vm_destroy(p);
		return r == -ENOMEM ? r : -ENOEXEC;
	}
	p->p_rts_flags = RTS_NO_PRIV; /* thawed, held until privctl ALLOW */
	return 0;
}

int
do_spawn(struct proc *caller, message *m)
{
	struct msg_sys_spawn req = m->m_sys_spawn;
	char name[PROC_NAME_LEN], args[SPAWN_ARGS_MAX];
	char *argv[EXEC_MAX_ARGS + 1];
	struct exec_src src = { 0 };
	const char *why;
	struct proc *p;
	int argc = 1, r;

	if (req.priority < -1 || req.priority >= NR_SCHED_QUEUES)
		return -EINVAL;
	if (req.priority >= 0 && req.priority < caller->p_priority)
		return -EPERM;
	if ((req.image || req.size) && !auth_is_root(caller))
		return -EPERM; /* only empty slots: VM builds them (see the top) */
	if ((r = read_args(caller, &req, name, args, &src)) < 0)
		return r;
	argv[0] = name;
	argc += exec_split_words(args, argv + 1, EXEC_MAX_ARGS);
	if (req.into) {
		if ((r = dead_slot(caller, req.into, &p)) < 0 ||
		    (r = respawn(caller, p, &src, argv, argc,
				 req.priority < 0 ? caller->p_priority : req.priority)) < 0)
			return r;
		memset(&m->m_sys_spawn_reply, 0, sizeof(m->m_sys_spawn_reply));
		m->m_sys_spawn_reply.endpt = p->p_endpoint;
		return 0;
	}
	if (!(p = proc_alloc(-1)))
		return -EAGAIN;
	strlcpy(p->p_name, name, sizeof(p->p_name));
	p->p_priv = priv_user();
	p->p_creator = caller->p_endpoint;
	p->p_priority = req.priority < 0 ? caller->p_priority : (uint8_t)req.priority;
	p->p_rts_flags = RTS_NO_PRIV;
	if (req.size == 0 && req.image == 0) {
		/* Empty: an empty space and no registers; VM and exec fill it in. */
		if (vm_create(p) < 0) {
			proc_clear(p, "out of memory");
			return -ENOMEM;
		}
		arch_proc_init(&p->p_arch, 0, 0, 0);
	} else if ((r = exec_image(p, &src, argv, argc, &why)) < 0) {
		KDIAG(caller, "spawn %s: %s", name, why);
		proc_clear(p, why);
		return r == -ENOMEM || r == -EFAULT ? r : -ENOEXEC;
	}
	memset(&m->m_sys_spawn_reply, 0, sizeof(m->m_sys_spawn_reply));
	m->m_sys_spawn_reply.endpt = p->p_endpoint;
	return 0;
}
