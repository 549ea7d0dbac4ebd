/*
 * The tree in the test image's Minix v3 file system (the memory driver's
 * fsimage drive): tools/axrun.py (MFS_TREE, MFS_HELLO, mfs_tree_bytes)
 * writes it with tools/mkfs_tree.py into an image from `mkfs.minix -3`;
 * test_mfs.c reads it back through MFS.  The two lists must agree.
 */
#ifndef MFS_TREE_H
#define MFS_TREE_H

#include <stdint.h>

struct mfs_tree_file {
	const char *path;
	uint32_t seed;
	uint32_t size;
};

#define MFS_N60 "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"

static const struct mfs_tree_file mfs_tree[] = {
	{ "small", 1, 100 },         { "direct", 2, 7 * 1024 }, /* the 7 direct zones, full */
	{ "indirect", 3, 100000 },                       /* through the single indirect zone */
	{ "double", 4, 300000 },                         /* past 263 KiB: double indirect */
	{ "dir/sub/deep", 5, 5000 }, { MFS_N60, 6, 10 }, /* a name of 60 bytes, no NUL on disk */
	{ "empty", 7, 0 },
};

#define MFS_HELLO       "Hello from a Minix v3 image made by mkfs.minix -3\n"
#define MFS_LINK        "link" /* -> MFS_LINK_TARGET */
#define MFS_LINK_TARGET "dir/sub/deep"

/* Byte i of the file with seed s. */
static inline uint8_t
mfs_tree_byte(uint32_t seed, uint32_t i)
{
	return (uint8_t)((i * 0x9E3779B1u + seed * 0x85EBCA6Bu) >> 24);
}

#endif
