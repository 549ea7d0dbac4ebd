/*
 * MAPIMAGE: a data boot module mapped in place into the caller's space,
 * writable, so that the memory driver serves the root file system's image
 * (and the test images) from the memory the boot loader put it in instead
 * of a copy: at -m 32M the copy of the 8 MiB root image was what did not
 * fit.  Reads: m_sys_mapimage.index.  Writes: m_sys_mapimage_reply (addr,
 * size).
 *
 * The module's frames are mapped with AS_VM: they are not the kernel's
 * pool's, so a space that ends (the driver's exit or crash, an update's
 * old version) leaves them as they are, and the next instance that maps
 * the module finds what was written: the image lives as long as the
 * machine, like a disk.  The module stays reserved at boot as every module
 * does (frame.c never hands out its frames).
 *
 * A program's module (an ELF file) is mapped read-only: it is what RS and
 * PM load services and programs from, and must not change, but reading it
 * in place spares RS (and the test runner) a copy of every program they
 * start (vm.all_ram at -m 32M: RS's copies were 1.4 MiB).  The call itself
 * is in no process's basic set: configuration gives it
 * (`calls=basic,mapimage`, the memory driver's line; RS has every call).
 * Errors: ENOENT (no such module), EINVAL (a module not on a page
 * boundary, or empty), EBUSY (something is mapped in its window already:
 * mapped twice), ENOMEM (page tables).
 */
#include "system.h"
#include "boot_info.h"
#include "frame.h"
#include "vm.h"

static bool
is_program(const struct boot_module *mod)
{
	const uint8_t *b = phys_to_virt(mod->start);

	return mod->end - mod->start >= 4 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' &&
	       b[3] == 'F';
}

int
do_mapimage(struct proc *caller, message *m)
{
	int index = m->m_sys_mapimage.index;
	const struct boot_module *mod;
	vir_addr_t va, pages;
	unsigned rights;
	int made;

	if (index < 0 || index >= boot_info.nr_mods)
		return -ENOENT;
	mod = &boot_info.mods[index];
	pages = (mod->end - mod->start + FRAME_SIZE - 1) / FRAME_SIZE;
	if ((mod->start & (FRAME_SIZE - 1)) || pages == 0 || pages * FRAME_SIZE > MAPIMAGE_STRIDE)
		return -EINVAL;
	rights = is_program(mod) ? AS_VM : AS_WRITE | AS_VM; /* a program: read-only */
	va = MAPIMAGE_BASE + (vir_addr_t)index * MAPIMAGE_STRIDE;
	if (!arch_user_range_ok(va, pages * FRAME_SIZE) || caller->p_arch.cr3 == 0)
		return -EINVAL;
	for (vir_addr_t i = 0; i < pages; i++)
		if (arch_as_lookup(caller->p_arch.cr3, va + i * FRAME_SIZE, false) != AS_NO_PAGE)
			return -EBUSY;
	vm_tlb_forget(caller);
	for (vir_addr_t i = 0; i < pages; i++) {
		made = arch_as_map(caller->p_arch.cr3, va + i * FRAME_SIZE,
				   mod->start + i * FRAME_SIZE, rights);
		if (made < 0) {
			while (i-- > 0) /* the module's frames: unmapped, not freed */
				(void)arch_as_unmap(caller->p_arch.cr3, va + i * FRAME_SIZE);
			return made;
		}
	}
	memset(&m->m_sys_mapimage_reply, 0, sizeof(m->m_sys_mapimage_reply));
	m->m_sys_mapimage_reply.addr = va;
	m->m_sys_mapimage_reply.size = mod->end - mod->start;
	return 0;
}
