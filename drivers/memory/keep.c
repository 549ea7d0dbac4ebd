/*
 * Kept RAM disks: contents that outlive the driver (keep.h).
 *
 * A new instance of the driver starts with new memory, so what a RAM disk
 * must keep across a restart lives in DS, written through: the disk's size
 * is the u32 entry "<label>.ram<n>", and its contents are mem entries of
 * KEEP_CHUNK bytes, "<label>.ram<n>.<c>" for chunk c.  A chunk never
 * published reads as zeroes, so a fresh disk costs one entry.  Entries are
 * private and belong to the driver's service label, so the next instance
 * (with a new endpoint) owns them once RS has published its label: after
 * its init, which is when keep_restore() runs.
 *
 * A write is published before it is answered.  If the driver dies between
 * the two, the client never got its answer and writes again (libbdev
 * reissues it), so DS never lags behind an acknowledged write.
 */
#include "keep.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ax/ds.h>

#define KEEP_CHUNK MEMORY_KEEP_CHUNK

_Static_assert(KEEP_CHUNK <= DS_MAX_MEMLEN, "a chunk is one DS mem entry");

static void
size_key(char *key, int n)
{
	snprintf(key, DS_MAX_KEYLEN, "%s.ram%d", self_name, n);
}

static void
chunk_key(char *key, int n, uint64_t c)
{
	snprintf(key, DS_MAX_KEYLEN, "%s.ram%d.%llu", self_name, n, (unsigned long long)c);
}

static bool
all_zero(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

static int
publish_chunk(int n, const uint8_t *data, uint64_t c)
{
	char key[DS_MAX_KEYLEN];

	chunk_key(key, n, c);
	return ds_publish_mem(key, data + c * KEEP_CHUNK, KEEP_CHUNK, DSF_PRIVATE | DSF_OVERWRITE);
}

int
keep_start(int n, const uint8_t *data, uint64_t size)
{
	char key[DS_MAX_KEYLEN];
	int r;

	if (size == 0 || size > MEMORY_KEEP_MAX || size % KEEP_CHUNK != 0)
		return -EINVAL;
	for (uint64_t c = 0; c < size / KEEP_CHUNK; c++) {
		if (all_zero(data + c * KEEP_CHUNK, KEEP_CHUNK))
			continue;
		if ((r = publish_chunk(n, data, c)) < 0) {
			keep_stop(n, size);
			return r;
		}
	}
	size_key(key, n);
	if ((r = ds_publish_u32(key, (uint32_t)size, DSF_PRIVATE | DSF_OVERWRITE)) < 0)
		keep_stop(n, size);
	return r;
}

void
keep_stop(int n, uint64_t size)
{
	char key[DS_MAX_KEYLEN];

	/* The size goes first: a restart in between finds nothing kept. */
	size_key(key, n);
	ds_delete(key, DSF_TYPE_U32);
	for (uint64_t c = 0; c < size / KEEP_CHUNK; c++) {
		chunk_key(key, n, c);
		ds_delete(key, DSF_TYPE_MEM); /* ENOENT for chunks never written */
	}
}

int
keep_write(int n, const uint8_t *data, uint64_t pos, uint64_t len)
{
	int r;

	for (uint64_t c = pos / KEEP_CHUNK; c * KEEP_CHUNK < pos + len; c++)
		if ((r = publish_chunk(n, data, c)) < 0)
			return r;
	return 0;
}

bool
keep_size(int n, uint64_t *size)
{
	char key[DS_MAX_KEYLEN];
	uint32_t kept;

	size_key(key, n);
	if (ds_retrieve_u32(key, &kept) < 0 || kept == 0 || kept > MEMORY_KEEP_MAX ||
	    kept % KEEP_CHUNK != 0)
		return false;
	*size = kept;
	return true;
}

int
keep_load(int n, uint8_t *data, uint64_t size)
{
	char key[DS_MAX_KEYLEN];

	for (uint64_t c = 0; c < size / KEEP_CHUNK; c++) {
		size_t len = KEEP_CHUNK;
		int r;

		chunk_key(key, n, c);
		r = ds_retrieve_mem(key, data + c * KEEP_CHUNK, &len);
		if (r < 0 && r != -ENOENT) /* never written: zeroes */
			return r;
	}
	return 0;
}
