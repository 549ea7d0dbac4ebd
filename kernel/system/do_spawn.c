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
 * ENOEXEC (not a valid executable), EAGAIN (no free slot), ENOMEM.
 */
#include "system.h"
#include "exec.h"
#include "priv.h"
#include "vm.h"

/* Kernel calls never nest: one buffer serves every spawn. */
static uint8_t image[EXEC_MAX_IMAGE];

static int
read_args(struct proc *caller, const struct msg_sys_spawn *req, char *name, char *args)
{
	if (strnlen(req->name, sizeof(req->name)) == sizeof(req->name) || !req->name[0])
		return -EINVAL;
	strlcpy(name, req->name, PROC_NAME_LEN);
	if (req->args_len >= SPAWN_ARGS_MAX)
		return -E2BIG;
	args[req->args_len] = '\0';
	if (req->args_len && vm_copy_from_user(caller, args, req->args, req->args_len) < 0)
		return -EFAULT;
	if (req->size > sizeof(image))
		return -E2BIG;
	return vm_copy_from_user(caller, image, req->image, req->size);
}

int
do_spawn(struct proc *caller, message *m)
{
	struct msg_sys_spawn req = m->m_sys_spawn;
	char name[PROC_NAME_LEN], args[SPAWN_ARGS_MAX];
	char *argv[EXEC_MAX_ARGS + 1];
	const char *why;
	struct proc *p;
	int argc = 1, r;

	if (req.priority < -1 || req.priority >= NR_SCHED_QUEUES)
		return -EINVAL;
	if (req.priority >= 0 && req.priority < caller->p_priority)
		return -EPERM;
	if ((r = read_args(caller, &req, name, args)) < 0)
		return r;
	argv[0] = name;
	argc += exec_split_words(args, argv + 1, EXEC_MAX_ARGS);
	if (!(p = proc_alloc(-1)))
		return -EAGAIN;
	strlcpy(p->p_name, name, sizeof(p->p_name));
	p->p_priv = priv_user();
	p->p_creator = caller->p_endpoint;
	p->p_priority = req.priority < 0 ? caller->p_priority : (uint8_t)req.priority;
	p->p_rts_flags = RTS_NO_PRIV;
	if ((r = exec_image(p, image, req.size, argv, argc, &why)) < 0) {
		KDIAG(caller, "spawn %s: %s", name, why);
		proc_clear(p, why);
		return r == -ENOMEM ? r : -ENOEXEC;
	}
	memset(&m->m_sys_spawn_reply, 0, sizeof(m->m_sys_spawn_reply));
	m->m_sys_spawn_reply.endpt = p->p_endpoint;
	return 0;
}
