#!/usr/bin/env python3
"""mkfs_tree.py IMAGE SIZE_KIB SRCDIR [NODES]: a Minix v3 file system image
holding the tree SRCDIR, without a loop mount (the host needs no minix
driver).  NODES, if given, is a file of device nodes (the build machine
cannot make them in SRCDIR without root) and symbolic links to add, and
owners to give, one a line:
    PATH c|b MAJOR MINOR MODE       e.g. /dev/null c 1 40 0666
    PATH l TARGET                   e.g. /vt/abs l /vt/file
    PATH o UID GID                  e.g. /home/user o 1000 1000
the directory of each must exist in SRCDIR (for an owner, PATH itself).
A device node keeps its number, major << 8 | minor, in its first zone
field, as Minix and Linux do.

util-linux's `mkfs.minix -3` makes the empty file system (1 KiB blocks, the
only size util-linux's mkfs and fsck handle); this tool then writes the
tree into it the way a Minix file system would: for each directory, its
entries (64 bytes: a 32-bit inode number and a 60-byte name), for each file
its data zones, 7 direct, then single, double and triple indirect, and the
inode and zone bitmaps to match.  Directories, regular files and symbolic
links are copied; their modes come from the host, owners are root unless
NODES says otherwise; files hard-linked in SRCDIR share one inode.  The
result passes `fsck.minix -f` (the caller, tools/axrun.py, checks that).
Layout facts: docs/files.md and ../shared/reference/linux-abi-and-tools.md.
"""
import os
import stat
import struct
import subprocess
import sys

BS = 1024
NAME_MAX = 60
S_IFDIR, S_IFREG, S_IFLNK = 0o040000, 0o100000, 0o120000
S_IFCHR, S_IFBLK = 0o020000, 0o060000


class Image:
    def __init__(self, path, nodes=None, owners=None):
        self.nodes = nodes or {}  # directory (relative, "" the root) -> [(name, mode, rdev)]
        self.owners = owners or {}  # path (relative) -> (uid, gid)
        self.linked = {}  # (st_dev, st_ino) of a hard-linked host file -> its inode
        self.f = open(path, "r+b")
        self.f.seek(BS)
        sb = self.f.read(32)
        (self.ninodes, _, self.imap_blocks, self.zmap_blocks, self.firstdata, log_zone, _,
         _, self.zones, magic, _, bsize, _) = struct.unpack("<IHHHHHHIIHHHB", sb[:31])
        if magic != 0x4D5A or bsize != BS or log_zone != 0:
            sys.exit(f"mkfs_tree: {path} is not a 1 KiB Minix v3 image")
        self.imap = bytearray(self.read(2, self.imap_blocks))
        self.zmap = bytearray(self.read(2 + self.imap_blocks, self.zmap_blocks))
        self.itable = 2 + self.imap_blocks + self.zmap_blocks
        self.time = 0x60000000  # fixed: images are reproducible

    def read(self, block, count=1):
        self.f.seek(block * BS)
        return self.f.read(count * BS)

    def write(self, block, data):
        assert len(data) <= BS
        self.f.seek(block * BS)
        self.f.write(data.ljust(BS, b"\0"))

    @staticmethod
    def take(bitmap, limit):
        for bit in range(1, limit):
            if not bitmap[bit // 8] & (1 << (bit % 8)):
                bitmap[bit // 8] |= 1 << (bit % 8)
                return bit
        sys.exit("mkfs_tree: the image is full")

    def alloc_inode(self):
        return self.take(self.imap, self.ninodes + 1)

    def alloc_zone(self):
        return self.take(self.zmap, self.zones - self.firstdata + 1) + self.firstdata - 1

    def write_inode(self, ino, mode, nlinks, size, zones, owner=(0, 0)):
        raw = struct.pack("<HHHHIIII10I", mode, nlinks, owner[0], owner[1], size, self.time,
                          self.time, self.time, *zones)
        self.f.seek(self.itable * BS + (ino - 1) * 64)
        self.f.write(raw)

    def write_data(self, data):
        """Data zones for data, and the zone array pointing at them."""
        blocks = [data[i:i + BS] for i in range(0, len(data), BS)]
        zones = [0] * 10
        per = BS // 4

        def indirect(items, level):
            # items: the data blocks under this indirect block (level 1: direct).
            block = self.alloc_zone()
            ptrs = []
            step = per ** (level - 1)
            for i in range(0, len(items), step):
                chunk = items[i:i + step]
                ptrs.append(self.put(chunk[0]) if level == 1 else indirect(chunk, level - 1))
            self.write(block, struct.pack(f"<{len(ptrs)}I", *ptrs))
            return block

        for i, b in enumerate(blocks[:7]):
            zones[i] = self.put(b)
        rest = blocks[7:]
        for slot, level in ((7, 1), (8, 2), (9, 3)):
            if not rest:
                break
            span = per ** level
            zones[slot] = indirect(rest[:span], level)
            rest = rest[span:]
        if rest:
            sys.exit("mkfs_tree: file too large")
        return zones

    def put(self, block):
        zone = self.alloc_zone()
        self.write(zone, block)
        return zone

    def add_dir(self, ino, parent, src, rel=""):
        entries = [(".", ino), ("..", parent)]
        subdirs = 0
        for name, mode, what in self.nodes.get(rel, []):
            child = self.alloc_inode()
            entries.append((name, child))
            if mode == S_IFLNK | 0o777:
                self.write_inode(child, mode, 1, len(what), self.write_data(what))
            else:
                self.write_inode(child, mode, 1, 0, [what] + [0] * 9)
        for name in sorted(os.listdir(src)):
            if len(name.encode()) > NAME_MAX:
                sys.exit(f"mkfs_tree: name longer than {NAME_MAX} bytes: {name}")
            path = os.path.join(src, name)
            st = os.lstat(path)
            key = (st.st_dev, st.st_ino)
            if stat.S_ISREG(st.st_mode) and key in self.linked:
                entries.append((name, self.linked[key]))  # another name of a file written
                continue
            child = self.alloc_inode()
            entries.append((name, child))
            owner = self.owners.get(os.path.join(rel, name), (0, 0))
            perm = stat.S_IMODE(st.st_mode)
            if stat.S_ISDIR(st.st_mode):
                subdirs += 1
                self.add_dir(child, ino, path, os.path.join(rel, name))
                self.fix_mode(child, S_IFDIR | perm, owner)
            elif stat.S_ISLNK(st.st_mode):
                target = os.readlink(path).encode()
                self.write_inode(child, S_IFLNK | 0o777, 1, len(target), self.write_data(target))
            elif stat.S_ISREG(st.st_mode):
                with open(path, "rb") as f:
                    data = f.read()
                # Every name of the file lies in SRCDIR (the build makes the tree afresh).
                self.linked[key] = child
                self.write_inode(child, S_IFREG | perm, st.st_nlink, len(data),
                                 self.write_data(data), owner)
            else:
                sys.exit(f"mkfs_tree: not a file, directory or link: {path}")
        raw = b"".join(struct.pack("<I", i) + n.encode().ljust(NAME_MAX, b"\0") for n, i in entries)
        self.write_inode(ino, S_IFDIR | 0o755, 2 + subdirs, len(raw), self.write_data(raw))

    def fix_mode(self, ino, mode, owner=(0, 0)):
        self.f.seek(self.itable * BS + (ino - 1) * 64)
        self.f.write(struct.pack("<H", mode))
        self.f.seek(self.itable * BS + (ino - 1) * 64 + 4)
        self.f.write(struct.pack("<HH", *owner))

    def close(self):
        self.f.seek(2 * BS)
        self.f.write(self.imap)
        self.f.write(self.zmap)
        self.f.close()


def read_nodes(path, src):
    """(nodes, owners) of a NODES file."""
    nodes, owners = {}, {}
    with open(path) as f:
        for line in f:
            words = line.split()
            if not words or words[0].startswith("#"):
                continue
            if len(words) == 4 and words[1] == "o" and words[0].startswith("/"):
                rel = words[0].strip("/")
                if not os.path.lexists(os.path.join(src, rel)):
                    sys.exit(f"mkfs_tree: no {rel} in {src} to give an owner")
                owners[rel] = (int(words[2]), int(words[3]))
                continue
            if len(words) == 3 and words[1] == "l" and words[0].startswith("/"):
                d, name = os.path.split(words[0].strip("/"))
                if not os.path.isdir(os.path.join(src, d)):
                    sys.exit(f"mkfs_tree: no directory {d} in {src} for {words[0]}")
                nodes.setdefault(d, []).append((name, S_IFLNK | 0o777, words[2].encode()))
                continue
            if len(words) != 5 or words[1] not in ("c", "b") or not words[0].startswith("/"):
                sys.exit(f"mkfs_tree: bad node line: {line.strip()}")
            major, minor, perm = int(words[2]), int(words[3]), int(words[4], 8)
            if major > 255 or minor > 255:
                sys.exit(f"mkfs_tree: device number too large: {line.strip()}")
            d, name = os.path.split(words[0].strip("/"))
            if not os.path.isdir(os.path.join(src, d)):
                sys.exit(f"mkfs_tree: no directory {d} in {src} for {words[0]}")
            kind = S_IFCHR if words[1] == "c" else S_IFBLK
            nodes.setdefault(d, []).append((name, kind | perm, major << 8 | minor))
    return nodes, owners


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    image, size_kib, src = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    nodes, owners = read_nodes(sys.argv[4], src) if len(sys.argv) == 5 else ({}, {})
    with open(image, "wb") as f:
        f.truncate(size_kib * 1024)
    subprocess.run(["mkfs.minix", "-3", image], check=True, stdout=subprocess.DEVNULL)
    img = Image(image, nodes, owners)
    # mkfs made the root (inode 1, one zone): rewrite it with the tree's
    # entries; its old zone is reused, since the bitmap is rebuilt from 1.
    img.zmap[0:len(img.zmap)] = bytes(len(img.zmap))
    img.zmap[0] = 1
    # Bits past the last zone stay set, as mkfs left them (fsck checks them).
    last = img.zones - img.firstdata + 1
    for bit in range(last, img.zmap_blocks * BS * 8):
        img.zmap[bit // 8] |= 1 << (bit % 8)
    img.add_dir(1, 1, src)
    img.close()


if __name__ == "__main__":
    main()
