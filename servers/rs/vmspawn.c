/*
 * Services' memory from VM (docs/processes.md section 5, "services'
 * memory from VM"; include/ax/vm.h).  Once VM runs, RS has it build a
 * service's image instead of the kernel: the slot is made empty (spawn
 * without an image, as PM's PM_START does), gets its privileges (so RS is
 * its signal manager), and libsys's builder (lib/libsys/vm_build.c: the
 * requests PM's exec uses, the boot module RS maps read-only copied in
 * through a magic grant, every page present, the heap VM's) makes its
 * image and the kernel call exec starts it; every service may send to VM
 * for its heap (rs_set_priv adds VM to a narrow ipc list).  RS keeps the
 * policy: when VM may be asked, the privileges, the lifecycle.
 *
 * The lifecycle: a death is VM_EXIT before sys_clear (rs_release), and
 * every swap of two programs by the kernel's update (a live update, its
 * roll-back, a stateful restart) is VM_SWAP first (rs_update_swap), so
 * VM's bookkeeping follows the spaces.  VM is asked only while it runs
 * (RP_RUNNING): not while it starts (it is in its init handshake with RS,
 * and the two would wait on each other), is updated, or is down; then the
 * kernel builds the image, as for the services started before VM and
 * VM's own new version.  RS's replica, and RS and DS when the replica
 * restarts them, are built through VM as well (rs_vm_build, replica.c).
 */
#include "rs.h"
#include <ax/vm.h>
#include <vm_build.h>
#include <string.h>
#include <stdio.h>

/* VM's endpoint if it runs and may be asked now, else NONE. */
static endpoint_t
vm_now(void)
{
	struct rproc *vm = rs_by_label("vm");
	endpoint_t e;

	if (!vm || vm->state != RP_RUNNING || vm->endpt == NONE || sys_lookup("vm", &e) < 0 ||
	    e != vm->endpt)
		return NONE;
	return e;
}

/*
 * A new, held instance of rp running `image` (its own, or a live update's
 * new version) built by VM, with its privileges (rs_set_priv);
 * -ENOSYS when VM cannot be asked now or the image is one the kernel
 * should judge (its diagnostics name what is wrong), or VM could not build
 * it (out of memory: the half-built instance is killed, reaped as a
 * stranger by rs_release): the caller then spawns through the kernel.
 */
int
rs_vm_spawn(struct rproc *rp, const uint8_t *image, size_t size, endpoint_t *e)
{
	struct exec_elf plan;
	const char *why;
	endpoint_t vm;
	int r;

	if (strcmp(rp->label, "vm") == 0 || strcmp(rp->label, "rs") == 0 ||
	    strcmp(rp->label, "ds") == 0 || !image || (vm = vm_now()) == NONE ||
	    exec_elf_image(image, size, &vm_build_space, &plan, &why) < 0)
		return -ENOSYS;
	if ((r = sys_spawn_prio(NULL, 0, rp->label, NULL, rp->priority, e)) < 0)
		return r;
	if ((r = rs_set_priv(rp, *e)) < 0)
		return sys_kill(*e, SIGKILL), r;
	if ((r = vm_build_image(vm, *e, rp->label, rp->args, image, &plan)) < 0) {
		/* Reaped as a stranger (VM_EXIT, sys_clear); the kernel builds another. */
		printf("rs: VM could not build %s (%d): the kernel builds it\n", rp->label, r);
		sys_kill(*e, SIGKILL);
		return -ENOSYS;
	}
	return 0;
}

/*
 * A program built by VM into e, a slot the caller holds empty (spawn, or
 * spawn into a dead process's slot, without an image) and manages: 0;
 * -ENOSYS when libexec refuses the image (the kernel's diagnostics then
 * say why); VM's error, after which VM has forgotten what it built there.
 * Its heap is VM's, or with kernel_heap the kernel's brk (above the
 * segments all the same): RS and its replica must never wait on VM
 * (replica.c).  The replica restarts RS and DS this way, RS its replica.
 */
int
rs_vm_build(endpoint_t vm, endpoint_t e, const char *name, const char *args, const uint8_t *image,
	    size_t size, bool kernel_heap)
{
	struct exec_elf plan;
	const char *why;
	int r;

	if (!image || exec_elf_image(image, size, &vm_build_space, &plan, &why) < 0)
		return -ENOSYS;
	if ((r = vm_build_image_heap(vm, e, name, args, image, &plan, kernel_heap)) < 0)
		(void)vm_build_call(vm, VM_EXIT, e, 0, 0, 0, 0, NONE);
	return r;
}

/* A request to VM about e alone (VM_EXIT): 0 or -E. */
int
rs_vm_request(endpoint_t vm, int type, endpoint_t e)
{
	return vm_build_call(vm, type, e, 0, 0, 0, 0, NONE);
}

/* VM's endpoint if RS may ask it now (it runs, as RS's table says), else NONE. */
endpoint_t
rs_vm_now(void)
{
	return vm_now();
}

/* e has ended: VM frees the space it made for it, if any (before sys_clear). */
void
rs_vm_exit(endpoint_t e)
{
	endpoint_t vm = vm_now();

	if (vm != NONE && e != vm)
		(void)vm_build_call(vm, VM_EXIT, e, 0, 0, 0, 0, NONE);
}

/*
 * The kernel's update (sys_update) swapping the programs of a and b, VM's
 * bookkeeping of their spaces first (VM_SWAP), and back if the kernel
 * refuses.
 */
int
rs_update_swap(endpoint_t a, endpoint_t b, int flags)
{
	endpoint_t vm = vm_now();
	bool told = vm != NONE && a != vm && b != vm &&
		    vm_build_call(vm, VM_SWAP, a, 0, 0, 0, 0, b) == 0;
	int r;

	if ((r = sys_update(a, b, flags)) < 0 && told)
		(void)vm_build_call(vm, VM_SWAP, a, 0, 0, 0, 0, b);
	return r;
}
