#!/usr/bin/env python3
"""The bad and script files execve's guest tests exec (user/exectest/exectest.c),
written into OUT_DIR; user/exectest/Makefile.inc puts them in the root file
system's /bin.

    mkfiles.py EXECTEST_ELF OUT_DIR

xt_trunc    the first 3000 bytes of exectest: headers intact, segments cut off
xt_corrupt  exectest whose first PT_LOAD has p_filesz > p_memsz
xt_text     a text file without #!
xt_script   "#!/bin/exectest scripted": runs exectest in mode scripted
xt_loop     a script whose interpreter is a script (one level only: ELOOP)
xt_noint    a script whose interpreter does not exist (ENOENT)
"""
import os
import struct
import sys

src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
with open(src, "rb") as f:
    elf = bytearray(f.read())


def write(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


write("xt_trunc", elf[:3000])
phoff, = struct.unpack_from("<Q", elf, 32)
phnum, = struct.unpack_from("<H", elf, 56)
for i in range(phnum):
    at = phoff + 56 * i
    if struct.unpack_from("<I", elf, at)[0] == 1:  # PT_LOAD
        memsz, = struct.unpack_from("<Q", elf, at + 40)
        struct.pack_into("<Q", elf, at + 32, memsz + 1)  # p_filesz
        break
write("xt_corrupt", elf)
write("xt_text", b"this is not a program\n")
write("xt_script", b"#!/bin/exectest scripted\n")
write("xt_loop", b"#!/bin/xt_script\n")
write("xt_noint", b"#!/bin/nosuch\n")
