/*
 * The root image to the host after a clean shutdown, when the kernel
 * command line asks for it with the word `rootdump` (init.poweroff_fsck;
 * tools/axrun.py, RootImage).  The root file system lives only in this
 * driver's heap, and the machine has no disk a host could read: the
 * console is the way out, as for mfs.linux_fsck (docs/files.md).
 *
 * When the last opener of the rootfs drive closes it (MFS does at its
 * unmount, after writing its dirty blocks and the clean flag: VFS's
 * shutdown, servers/vfs/shutdown.c), every 512-byte piece written since
 * boot goes out as a line "AXROOT-BLOCK <offset hex> <base64>", then
 * "AXROOT-END <size hex> <hash hex>", FNV-1a over the drive's 64-bit
 * words.  The host applies the pieces to its copy of the module
 * (build/rootfs, the file it booted) and checks the checksum, so the image
 * it checks is byte for byte the one in this driver's memory; sending only
 * the changes keeps a shutdown short.
 *
 * Which pieces were written is a bitmap kept here (rootdump_wrote), not a
 * comparison with the boot module: the drive is the module's own memory
 * (served in place, memory.c), so no pristine copy is left to compare
 * with.  The bitmap is this instance's: after a restart or live update of
 * the driver the earlier writes are not sent, the host's checksum then
 * differs and the test says so (init.poweroff_fsck restarts nothing).
 */
#include <libsys.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rootdump.h"

#define PIECE        512
#define ROOTDUMP_MAX (64u << 20) /* the largest drive the bitmap covers */

static bool wanted;
static uint64_t written[ROOTDUMP_MAX / PIECE / 64]; /* a bit per piece written */

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

/* The drive's bytes [pos, pos + len) were written. */
void
rootdump_wrote(uint64_t pos, uint64_t len)
{
	if (!wanted || len == 0)
		return;
	for (uint64_t p = pos / PIECE; p <= (pos + len - 1) / PIECE && p < ROOTDUMP_MAX / PIECE;
	     p++)
		written[p / 64] |= 1ull << (p % 64);
}

void
rootdump_send(const uint8_t *data, size_t size)
{
	uint64_t h = 14695981039346656037ull;
	size_t sent = 0;

	if (!wanted || !data || size % PIECE)
		return;
	if (size > ROOTDUMP_MAX) {
		printf("memory: rootdump: a drive of %zu bytes is larger than %u\n", size,
		       ROOTDUMP_MAX);
		return;
	}
	for (size_t p = 0; p < size / PIECE; p++)
		if (written[p / 64] & 1ull << (p % 64)) {
			send_piece(data + p * PIECE, p * PIECE);
			sent++;
		}
	h = fnv64_words(h, (const uint64_t *)data, size / 8);
	printf("AXROOT-END %zx %016llx\n", size, (unsigned long long)h);
	printf("memory: rootdump: %zu pieces of %d bytes written since boot\n", sent, PIECE);
}
