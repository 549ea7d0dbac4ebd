/*
 * Page tables.  The kernel's PML4 maps the upper half only: physical memory
 * at DIRECT_MAP (2 MiB pages) and the kernel image at KERNEL_VMA.  Every
 * process's PML4 shares those upper-half entries and has its own lower half,
 * built of 4 KiB pages.  The kernel reads and writes user memory through the
 * direct map after a lookup here, so a bad user address is an error code,
 * never a kernel page fault.
 */
#include "cpu.h"
#include "layout.h"
#include "x86.h"
#include "kernel.h"
#include "arch.h"
#include "frame.h"

#define PTE_P    0x001ULL
#define PTE_W    0x002ULL
#define PTE_U    0x004ULL
#define PTE_PS   0x080ULL
#define PTE_G    0x100ULL
#define PTE_VM   0x200ULL /* an available bit: the frame is the VM server's */
#define PTE_NX   (1ULL << 63)
#define PTE_ADDR 0x000ffffffffff000ULL

#define PML4_USER_ENTRIES 256

static phys_addr_t kernel_root;

AX_STATIC_ASSERT(ARCH_DIRECT_MAP == DIRECT_MAP, "one direct map");
AX_STATIC_ASSERT(ARCH_USER_TOP == USER_TOP, "one user half");

static inline int
pt_index(vir_addr_t va, int level) /* level 3 = PML4 .. 0 = PT */
{
	return (va >> (12 + 9 * level)) & 511;
}

static phys_addr_t
table_alloc(void)
{
	phys_addr_t f = frame_alloc();

	if (f != FRAME_NONE)
		memset(phys_to_virt(f), 0, FRAME_SIZE);
	return f;
}

/*
 * The entry for va at `level`, creating the tables above it; NULL if out of
 * memory.  *made (if not NULL) counts the tables created.
 */
static uint64_t *
pt_walk_made(phys_addr_t root, vir_addr_t va, int level, uint64_t table_flags, int *made)
{
	uint64_t *table = phys_to_virt(root);

	for (int l = 3; l > level; l--) {
		uint64_t *e = &table[pt_index(va, l)];

		if (!(*e & PTE_P)) {
			phys_addr_t t = table_alloc();

			if (t == FRAME_NONE)
				return NULL;
			*e = t | table_flags;
			if (made)
				(*made)++;
		}
		table = phys_to_virt(*e & PTE_ADDR);
	}
	return &table[pt_index(va, level)];
}

static uint64_t *
pt_walk_create(phys_addr_t root, vir_addr_t va, int level, uint64_t table_flags)
{
	return pt_walk_made(root, va, level, table_flags, NULL);
}

static void
map_large_range(phys_addr_t root, vir_addr_t va, phys_addr_t pa, phys_addr_t end, uint64_t flags)
{
	for (; pa < end; pa += LARGE_PAGE_SIZE, va += LARGE_PAGE_SIZE) {
		uint64_t *e = pt_walk_create(root, va, 1, PTE_P | PTE_W);

		if (!e)
			panic("out of memory building the kernel page tables");
		*e = pa | flags | PTE_P | PTE_PS | PTE_G;
	}
}

/* [start, end) of the kernel image (page-aligned) with 4 KiB pages and these rights. */
static void
map_image_range(const char *start, const char *end, uint64_t flags)
{
	for (vir_addr_t va = (vir_addr_t)start; va < (vir_addr_t)end; va += FRAME_SIZE) {
		uint64_t *e = pt_walk_create(kernel_root, va, 0, PTE_P | PTE_W);

		if (!e)
			panic("out of memory building the kernel page tables");
		*e = (va - KERNEL_VMA) | flags | PTE_P | PTE_G;
	}
}

/*
 * The kernel image by section (kernel.ld): text read-only and executable,
 * rodata read-only, data and bss writable; nothing else of the image's
 * 2 GiB window is mapped, and nothing there is both writable and
 * executable.  CR0.WP (boot.S) makes read-only hold for the kernel too.
 */
static void
map_image(void)
{
	extern char __text_start[], __rodata_start[], __data_start[], __kernel_end[];

	map_image_range(__text_start, __rodata_start, 0);
	map_image_range(__rodata_start, __data_start, PTE_NX);
	map_image_range(__data_start, __kernel_end, PTE_W | PTE_NX);
}

void
arch_vm_init(phys_addr_t mem_top)
{
	phys_addr_t direct_end = mem_top > ((phys_addr_t)4 << 30) ? mem_top : (phys_addr_t)4 << 30;

	kernel_root = table_alloc();
	if (kernel_root == FRAME_NONE)
		panic("no memory for the kernel page table");
	/* Covers device memory below 4 GiB too, for drivers' MMIO later. */
	map_large_range(kernel_root, DIRECT_MAP, 0, direct_end, PTE_W | PTE_NX);
	map_image();
	write_cr3(kernel_root);
}

phys_addr_t
arch_as_create(void)
{
	phys_addr_t root = table_alloc();
	uint64_t *k, *t;

	if (root == FRAME_NONE)
		return AS_NO_PAGE;
	k = phys_to_virt(kernel_root);
	t = phys_to_virt(root);
	memcpy(t + PML4_USER_ENTRIES, k + PML4_USER_ENTRIES, PML4_USER_ENTRIES * sizeof(uint64_t));
	return root;
}

/*
 * Map frame pa at user address va (replacing what was there).  AS_VM marks
 * a frame of the VM server's: destroying the space leaves it alone.
 * Returns the number of page tables it had to make (0..3) or -ENOMEM.
 */
int
arch_as_map(phys_addr_t root, vir_addr_t va, phys_addr_t pa, unsigned flags)
{
	uint64_t *e;
	int made = 0;

	if (va >= USER_TOP)
		return -EFAULT;
	e = pt_walk_made(root, va, 0, PTE_P | PTE_W | PTE_U, &made);
	if (!e)
		return -ENOMEM;
	*e = pa | PTE_P | PTE_U | (flags & AS_WRITE ? PTE_W : 0) | (flags & AS_EXEC ? 0 : PTE_NX) |
	     (flags & AS_VM ? PTE_VM : 0);
	if (read_cr3() == root)
		invlpg(va);
	return made;
}

/* The rights of the page at va (AS_WRITE, AS_EXEC): 0, or -ENOENT if none is mapped. */
int
arch_as_protect(phys_addr_t root, vir_addr_t va, unsigned flags)
{
	uint64_t *table = phys_to_virt(root), *pte;

	if (va >= USER_TOP)
		return -ENOENT;
	for (int l = 3; l > 0; l--) {
		uint64_t e = table[pt_index(va, l)];

		if (!(e & PTE_P) || (e & PTE_PS))
			return -ENOENT;
		table = phys_to_virt(e & PTE_ADDR);
	}
	pte = &table[pt_index(va, 0)];
	if (!(*pte & PTE_P))
		return -ENOENT;
	*pte = (*pte & ~(PTE_W | PTE_NX)) | (flags & AS_WRITE ? PTE_W : 0) |
	       (flags & AS_EXEC ? 0 : PTE_NX);
	if (read_cr3() == root)
		invlpg(va);
	return 0;
}

/* The physical page behind user address va, if the user may access it so. */
phys_addr_t
arch_as_lookup(phys_addr_t root, vir_addr_t va, bool write)
{
	uint64_t need = PTE_P | PTE_U | (write ? PTE_W : 0);
	uint64_t *table = phys_to_virt(root);

	if (va >= USER_TOP)
		return AS_NO_PAGE;
	for (int l = 3; l >= 0; l--) {
		uint64_t e = table[pt_index(va, l)];

		if ((e & need) != need || (e & PTE_PS))
			return AS_NO_PAGE;
		if (l == 0)
			return e & PTE_ADDR;
		table = phys_to_virt(e & PTE_ADDR);
	}
	return AS_NO_PAGE;
}

/*
 * The page table that maps user address va in the space root, down to
 * which every level allows `need`, or NULL.
 */
static inline uint64_t *
table_below(const uint64_t *table, vir_addr_t va, int level, uint64_t need)
{
	uint64_t e = table[pt_index(va, level)];

	return (e & (need | PTE_PS)) == need ? phys_to_virt(e & PTE_ADDR) : NULL;
}

static uint64_t *
page_table_of(phys_addr_t root, vir_addr_t va, uint64_t need)
{
	uint64_t *table;

	if (va >= USER_TOP || !(table = table_below(phys_to_virt(root), va, 3, need)) ||
	    !(table = table_below(table, va, 2, need)))
		return NULL;
	return table_below(table, va, 1, need);
}

/* Both entries present and user, the destination's writable (sneed, dneed). */
static inline bool
entries_ok(uint64_t se, uint64_t de)
{
	return (se & de & (PTE_P | PTE_U)) == (PTE_P | PTE_U) && (de & PTE_W);
}

/*
 * k whole pages, from the pages of the entries at s to those at d: 0, or
 * -EFAULT at the first entry that does not allow it (those before it
 * copied).  Two pages a turn: the loop's own steps count under -icount.
 */
static inline int
copy_pages(const uint64_t *d, const uint64_t *s, size_t k)
{
	size_t i;

	for (i = 0; i + 1 < k; i += 2) {
		uint64_t s0 = s[i], d0 = d[i], s1 = s[i + 1], d1 = d[i + 1];

		if (!entries_ok(s0, d0))
			return -EFAULT;
		arch_copy_page(phys_to_virt(d0 & PTE_ADDR), phys_to_virt(s0 & PTE_ADDR));
		if (!entries_ok(s1, d1))
			return -EFAULT;
		arch_copy_page(phys_to_virt(d1 & PTE_ADDR), phys_to_virt(s1 & PTE_ADDR));
	}
	if (i < k) {
		if (!entries_ok(s[i], d[i]))
			return -EFAULT;
		arch_copy_page(phys_to_virt(d[i] & PTE_ADDR), phys_to_virt(s[i] & PTE_ADDR));
	}
	return 0;
}

/*
 * Copy len bytes from sva in the space sroot to dva in the space droot (the
 * user must be able to read the source and write the destination), in
 * pieces that end at a page boundary of either side.  0, or -EFAULT at the
 * first page that is missing; the pieces before it have been copied.
 *
 * Each side's page table is found once per page table (a walk per 2 MiB);
 * inside it the next page's entry is the next one in the table, so a page
 * costs two entry checks and the copy (make bench's safecopy_64k_insns).
 * Only good while the page tables do not change, which holds for one copy
 * (the kernel runs nothing else meanwhile).
 */
int
arch_as_copy(phys_addr_t droot, vir_addr_t dva, phys_addr_t sroot, vir_addr_t sva, size_t len)
{
	const uint64_t sneed = PTE_P | PTE_U, dneed = PTE_P | PTE_U | PTE_W;

	while (len > 0) {
		uint64_t *spt = page_table_of(sroot, sva, sneed);
		uint64_t *dpt = page_table_of(droot, dva, dneed);
		unsigned si = pt_index(sva, 0), di = pt_index(dva, 0);

		if (!spt || !dpt)
			return -EFAULT;
		do {
			if (((sva | dva) & (FRAME_SIZE - 1)) == 0 && len >= FRAME_SIZE) {
				/* whole pages on both sides: the entries' checks, the copy */
				size_t k = len / FRAME_SIZE;

				k = k < 512 - si ? k : 512 - si;
				k = k < 512 - di ? k : 512 - di;
				if (copy_pages(&dpt[di], &spt[si], k) < 0)
					return -EFAULT;
				si += k;
				di += k;
				sva += k * FRAME_SIZE;
				dva += k * FRAME_SIZE;
				len -= k * FRAME_SIZE;
				continue;
			}
			size_t soff = sva & (FRAME_SIZE - 1), doff = dva & (FRAME_SIZE - 1);
			size_t n = FRAME_SIZE - (soff > doff ? soff : doff);
			uint64_t se = spt[si], de = dpt[di];

			if ((se & sneed) != sneed || (de & dneed) != dneed)
				return -EFAULT;
			n = n < len ? n : len;
			arch_copy_bytes(phys_to_virt((de & PTE_ADDR) + doff),
					phys_to_virt((se & PTE_ADDR) + soff), n);
			sva += n;
			dva += n;
			len -= n;
			si += (sva & (FRAME_SIZE - 1)) == 0;
			di += (dva & (FRAME_SIZE - 1)) == 0;
		} while (len > 0 && si < 512 && di < 512);
	}
	return 0;
}

/*
 * Remove the 4 KiB user page at va; returns the frame that was there (the
 * caller frees it), or AS_NO_PAGE.  The page tables above it stay (they go
 * with the space).  Called on the running process's space, the TLB forgets
 * the page at once.
 */
phys_addr_t
arch_as_unmap(phys_addr_t root, vir_addr_t va)
{
	uint64_t *table = phys_to_virt(root);

	if (va >= USER_TOP)
		return AS_NO_PAGE;
	for (int l = 3; l > 0; l--) {
		uint64_t e = table[pt_index(va, l)];

		if (!(e & PTE_P) || (e & PTE_PS))
			return AS_NO_PAGE;
		table = phys_to_virt(e & PTE_ADDR);
	}
	uint64_t *pte = &table[pt_index(va, 0)];
	phys_addr_t frame = *pte & PTE_ADDR;

	if (!(*pte & PTE_P))
		return AS_NO_PAGE;
	*pte = 0;
	if (read_cr3() == root)
		invlpg(va);
	return frame;
}

static void
free_level(phys_addr_t table, int level)
{
	uint64_t *t = phys_to_virt(table);
	int n = level == 3 ? PML4_USER_ENTRIES : 512;

	for (int i = 0; i < n; i++) {
		if (!(t[i] & PTE_P))
			continue;
		if (level > 0)
			free_level(t[i] & PTE_ADDR, level - 1);
		else if (!(t[i] & PTE_VM))
			frame_free(t[i] & PTE_ADDR); /* VM frees its own frames */
	}
	frame_free(table);
}

/* Free the lower half and the kernel's frames mapped there (VM's are VM's to free). */
void
arch_as_destroy(phys_addr_t root)
{
	if (read_cr3() == root)
		write_cr3(kernel_root);
	free_level(root, 3);
}
