#!/usr/bin/env python3
"""Where the instructions of one benchmark operation go: boot bench mode
halted under gdb, let the benchmark's operation run `skip` times (warm
caches), then single-step one call of it from its first instruction to its
return, every instruction in every process and the kernel, and print the
count by function and by source line (addr2line on the kernel's and the
processes' ELF files).  Development aid for issue 13's figures, not part of
make test or make bench.

    tools/itrace.py OP [skip] [--lines] [--raw] [--only=P1,P2] [--prog=NAME]

OP is a function of tests/bench/bench.c (op_kcall, op_roundtrip,
op_roundtrip_replyrecv, op_safecopy, op_bdev_read, ...); --only= picks the
figures bench measures (make bench's ONLY), so that OP's calls come first;
--prog= names the program OP is in (default bench): a user program of a
bench_user figure, e.g. `itrace.py stat 1000 --prog=vfstest --only=stat`
steps the 1001st call of libc's stat in vfstest (the hits of other
processes at the same address are not counted).  The build must
exist (make all).  User processes share virtual addresses, so a user
instruction is named by the process the kernel last entered (proc_current
when the kernel leaves).
"""
import collections
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import axrun  # noqa: E402

GDB_SCRIPT = r'''
import gdb
gdb.execute("set pagination off")
gdb.execute("set confirm off")
gdb.execute("target remote :%(port)d")
gdb.execute("hbreak *%(addr)#x")
hits = 0
while True:
    gdb.execute("continue")
    if gdb.parse_and_eval("proc_current->p_name").string() != "%(prog)s":
        continue
    hits += 1
    if hits > %(skip)d:
        break
gdb.execute("delete")
rsp0 = int(gdb.parse_and_eval("$rsp"))
ret = int(gdb.parse_and_eval("*(unsigned long *)$rsp"))
out = open("%(out)s", "w")
who = "%(prog)s"
kernel = False
n = 0
while n < %(limit)d:
    pc = int(gdb.parse_and_eval("$pc"))
    if pc >= 0xffff800000000000:
        kernel = True
    elif kernel:
        kernel = False
        who = gdb.parse_and_eval("proc_current->p_name").string()
    out.write("%%x %%s\n" %% (pc, "kernel" if pc >= 0xffff800000000000 else who))
    if pc == ret and who == "%(prog)s" and int(gdb.parse_and_eval("$rsp")) == rsp0 + 8:
        break
    gdb.execute("stepi", to_string=True)
    n += 1
out.close()
gdb.execute("kill")
'''


def symbol_of(elf):
    elf = {"rootfs": "mfs", "vfsmnt": "mfs"}.get(elf, elf)  # instances named by label
    return os.path.join(axrun.BUILD, "kernel.elf") if elf == "kernel" else \
        os.path.join(axrun.BUILD, "boot", elf + ".elf")


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    op, skip = args[0], int(args[1]) if len(args) > 1 else 2000
    prog = next((a[7:] for a in sys.argv[1:] if a.startswith("--prog=")), "bench")
    nm = subprocess.run(["nm", symbol_of(prog)], capture_output=True, text=True).stdout
    addr = next(int(l.split()[0], 16) for l in nm.splitlines() if l.split()[-1] == op)
    port = 1234 + os.getpid() % 1000
    tmp = tempfile.mkdtemp(prefix="itrace")
    trace = os.path.join(tmp, "trace")
    with open(os.path.join(tmp, "g.py"), "w") as f:
        f.write(GDB_SCRIPT % {"port": port, "addr": addr, "skip": skip, "out": trace, "prog": prog,
                              "limit": 200000})
    only = next((a for a in sys.argv[1:] if a.startswith("--only=")), "")
    cmd = axrun.axolotl_command("bench", serial="file:" + os.path.join(tmp, "console"),
                                extra=["-gdb", f"tcp::{port}", "-S"], args=only[2:])
    qemu = subprocess.Popen(cmd, cwd=ROOT)
    try:
        subprocess.run(["gdb", "-q", "-batch", "-nx", "-ex", f"file {symbol_of('kernel')}",
                        "-x", os.path.join(tmp, "g.py")], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    finally:
        qemu.kill()
        qemu.wait()
    rows = [l.split() for l in open(trace)]
    by_elf = collections.defaultdict(list)
    for pc, who in rows:
        by_elf[who].append(pc)
    names = {}
    for who, pcs in by_elf.items():
        uniq = sorted(set(pcs))
        res = subprocess.run(["addr2line", "-f", "-C", "-e", symbol_of(who)] + uniq,
                             capture_output=True, text=True).stdout.splitlines()
        for i, pc in enumerate(uniq):
            fn, line = res[2 * i], res[2 * i + 1]
            names[(who, pc)] = (fn, line.replace(ROOT + "/", ""))
    print(f"{len(rows)} instructions in {op}")
    if "--raw" in sys.argv:
        for pc, who in rows:
            fn, line = names[(who, pc)]
            print(f"{who:10} {pc:>18} {fn:30} {line}")
        return
    fns = collections.Counter()
    lines = collections.Counter()
    for pc, who in rows:
        fn, line = names[(who, pc)]
        fns[(who, fn)] += 1
        lines[(who, line)] += 1
    for (who, fn), c in fns.most_common():
        print(f"{c:6} {who:10} {fn}")
    if "--lines" in sys.argv:
        print()
        for (who, line), c in lines.most_common(80):
            print(f"{c:6} {who:10} {line}")


if __name__ == "__main__":
    main()
