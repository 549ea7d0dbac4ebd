/*
 * The root image to the host after a clean shutdown, when the kernel
 * command line asks for it with the word `rootdump` (init.poweroff_fsck;
 * tools/axrun.py, RootImage).  The root file system lives only in this
 * driver's heap, and the machine has no disk a host could read: the
 * console is the way out, as for mfs.linux_fsck (docs/files.md).
 *
 * When the last opener of the rootfs drive closes it (MFS does at its
 * unmount, after writing its dirty blocks and the clean flag: VFS's
 * shutdown, servers/vfs/shutdown.c), every 512-byte piece that differs
 * from the boot module the drive was loaded from goes out as a line
 * "AXROOT-BLOCK <offset hex> <base64>", then "AXROOT-END <size hex>
 * <hash hex>", FNV-1a over the drive's 64-bit words.  The host applies the pieces to its
 * copy of the module (build/rootfs, the file it booted) and checks the
 * checksum, so the image it checks is byte for byte the one in this
 * driver's memory; sending only the changes keeps a shutdown short.
 */
#include <libsys.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rootdump.h"

#define PIECE 512
#define CHUNK 65536 /* of the boot module read at a time */

static bool wanted;

/* Is `rootdump` a word of the kernel command line (after the mode)? */
void
rootdump_init(void)
{
	static const char word[] = "rootdump";
	struct msg_sys_kinfo k;
	const char *p;

	if (sys_getkinfo(&k) < 0)
		return;
	k.args[sizeof(k.args) - 1] = '\0';
	for (p = k.args; (p = strstr(p, word)); p += sizeof(word) - 1)
		wanted |= (p == k.args || p[-1] == ' ') &&
			  (p[sizeof(word) - 1] == ' ' || p[sizeof(word) - 1] == '\0');
}

static void
base64(const uint8_t *in, size_t n, char *out)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t o = 0;

	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0) |
			     (i + 2 < n ? in[i + 2] : 0);

		out[o++] = digits[v >> 18 & 63];
		out[o++] = digits[v >> 12 & 63];
		out[o++] = i + 1 < n ? digits[v >> 6 & 63] : '=';
		out[o++] = i + 2 < n ? digits[v & 63] : '=';
	}
	out[o] = '\0';
}

/*
 * FNV-1a over 64-bit words (little-endian), not bytes: eight times fewer
 * steps over the 8 MiB drive, which this driver must cover between two of
 * RS's pings.
 */
static uint64_t
fnv64_words(uint64_t h, const uint64_t *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ w[i]) * 1099511628211ull;
	return h;
}

static bool
same_piece(const uint64_t *a, const uint64_t *b)
{
	for (int i = 0; i < PIECE / 8; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* The index of boot module `module`, or -ENOENT. */
static int
module_index(const char *module, size_t *size)
{
	char name[PROC_NAME_LEN];

	for (int i = 0; sys_getimage(i, NULL, 0, size, name) == 0; i++)
		if (strcmp(name, module) == 0)
			return i;
	return -ENOENT;
}

static void
send_piece(const uint8_t *piece, size_t off)
{
	static char line[64 + PIECE * 4 / 3 + 8];
	int len = snprintf(line, sizeof(line), "AXROOT-BLOCK %zx ", off);

	base64(piece, PIECE, line + len);
	len += (int)strlen(line + len);
	line[len++] = '\n';
	sys_diag_print(line, (size_t)len);
}

void
rootdump_send(const uint8_t *data, size_t size, const char *module)
{
	static uint64_t base[CHUNK / 8];
	uint64_t h = 14695981039346656037ull;
	size_t base_size = 0, sent = 0, got;
	int index;

	if (!wanted || !data || size % PIECE)
		return;
	if ((index = module_index(module, &base_size)) < 0) {
		printf("memory: rootdump: no boot module %s to compare with\n", module);
		return;
	}
	for (size_t off = 0; off < size; off += CHUNK) {
		size_t n = size - off < CHUNK ? size - off : CHUNK;

		memset(base, 0, sizeof(base));
		if (off < base_size &&
		    sys_getimage_at(index, off, base, n, &got, (char[PROC_NAME_LEN]){ 0 }) < 0) {
			printf("memory: rootdump: the boot module %s cannot be read\n", module);
			return;
		}
		for (size_t p = 0; p < n; p += PIECE)
			if (!same_piece((const uint64_t *)(data + off + p), base + p / 8)) {
				send_piece(data + off + p, off + p);
				sent++;
			}
		h = fnv64_words(h, (const uint64_t *)(data + off), n / 8);
	}
	printf("AXROOT-END %zx %016llx\n", size, (unsigned long long)h);
	printf("memory: rootdump: %zu pieces of %d bytes differ from the boot image\n", sent,
	       PIECE);
}
