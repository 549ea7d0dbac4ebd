#!/usr/bin/env python3
"""Boot Axolotl in QEMU: the host side of `make run`, `make test`,
`make bench` and `make gdb`.

    axrun.py run                      normal mode to a shell, console on this terminal
    axrun.py demo                     the scripted demo, console on this terminal
    axrun.py test --unit BIN... --expect NAME...
                                      host unit tests, the guest tests, the session tests
    axrun.py session [GROUP...]       the session tests alone (tests/session/GROUP.py)
    axrun.py bench [only=P1,P2]       benchmarks, then the Linux twin (only=:
                                      the figures named P1..., no twin)
    axrun.py gdb                      boot halted with gdb attached

Every boot uses the same machine (qemu_base); the kernel command line picks
the mode.  The boot image is every program the build made (those of
tests/guest and tests/bench only in their modes) and the mode's
system.conf (collected by the build, tools/sysconf.py): the kernel starts
RS and DS, RS the rest.  Pass and fail come from the guest's
lines and from isa-debug-exit: the kernel powers off with 33 (success),
35 (failure) or 37 (kernel panic).  QEMU's 0 means a triple fault.

TCG, not KVM: /dev/kvm on these machines is a nested paravirtual module
that runs this guest far slower.  AXOLOTL_KVM=1 opts in.
"""
import base64
import os
import re
import select
import shutil
import struct
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The build folder: build/ unless the Makefile says otherwise (make BUILD=...).
BUILD = os.path.abspath(os.environ.get("AXOLOTL_BUILD") or os.path.join(ROOT, "build"))
KERNEL = os.path.join(BUILD, "kernel32.elf")

EXIT_PASS, EXIT_FAIL, EXIT_PANIC = 33, 35, 37
# Wall clock: the guest's tests are bounded in virtual time; this bounds a
# hung QEMU on a machine that may be running eight others.
TEST_TIMEOUT = 900
BENCH_TIMEOUT = 1500

# Data modules per mode (RS's configuration, collected by the build from the
# system.conf beside each service: tools/sysconf.py; the memory driver's boot
# ramdisk, made by make_ramdisk()), after the executables.  A data module's
# name is its file name.
RAMDISK = os.path.join(BUILD, "ramdisk")
FSIMAGE = os.path.join(BUILD, "fsimage")
# The root file system (the Makefile builds it from ROOT_FILES), in every mode.
ROOTFS = os.path.join(BUILD, "rootfs")


def sysconf(mode):
    return os.path.join(BUILD, "conf", mode, "system.conf")


DATA_MODULES = {"normal": [sysconf("normal"), ROOTFS],
                "demo": [sysconf("demo"), ROOTFS],
                "test": [sysconf("test"), RAMDISK, FSIMAGE, ROOTFS],
                "bench": [sysconf("bench"), ROOTFS]}


# Programs from these folders are booted in one mode only (build/boot/folders).
MODE_FOLDERS = {"tests/guest/": "test", "tests/bench/": "bench"}


def programs(mode):
    """Every program the build made is a boot module (but those of a test
    folder only in its mode): the kernel starts the ones its boot table
    names (RS and DS, kernel/table.c), RS the ones the mode's system.conf
    names, a test its helpers; the rest are images RS, PM or a test may
    start later (hello_v2, for an update)."""
    boot = os.path.join(BUILD, "boot")
    folder = {}
    if os.path.exists(os.path.join(boot, "folders")):
        with open(os.path.join(boot, "folders")) as f:
            folder = dict(line.split() for line in f if len(line.split()) == 2)
    return sorted(f[:-4] for f in os.listdir(boot) if f.endswith(".elf") and
                  MODE_FOLDERS.get(folder.get(f[:-4]), mode) == mode)

# The test image's boot ramdisk: 32-bit little-endian words, word k being
# imgrd_word(k) of tests/guest/imgrd_pattern.h, then a partial sector that
# the memory driver pads with zeroes.
RAMDISK_BYTES = 256 * 1024 + 1000


def make_ramdisk():
    words = [((k * 0x9E3779B1) & 0xFFFFFFFF) ^ 0xA5A5A5A5 for k in range(RAMDISK_BYTES // 4)]
    os.makedirs(BUILD, exist_ok=True)
    with open(RAMDISK, "wb") as f:
        f.write(b"".join(w.to_bytes(4, "little") for w in words))


# The test image's file-system disk (the memory driver's fsimage drive, the
# MFS tests in tests/guest/test_mfs.c): an MBR and two partitions, each a
# Minix v3 file system from mkfs.minix -3.  The first holds the tree of
# tests/guest/mfs_tree.h, written in by tools/mkfs_tree.py; the second is
# empty, for the write tests.  fsck.minix -f must find both clean.  File
# contents: byte i of the file with seed s is mfs_tree_byte(s, i), the same
# formula as the header's.
FSIMAGE_PARTS_KIB = (2048, 18 * 1024)
FSIMAGE_FIRST_SECTOR = 2048
MFS_TREE = [("small", 1, 100), ("direct", 2, 7 * 1024), ("indirect", 3, 100000),
            ("double", 4, 300000), ("dir/sub/deep", 5, 5000), ("n" * 60, 6, 10), ("empty", 7, 0)]
MFS_HELLO = b"Hello from a Minix v3 image made by mkfs.minix -3\n"


def mfs_tree_bytes(seed, size):
    return bytes((((i * 0x9E3779B1 + seed * 0x85EBCA6B) & 0xFFFFFFFF) >> 24) for i in range(size))


def fsck_clean(image):
    fsck = subprocess.run(["fsck.minix", "-f", image], capture_output=True, text=True)
    if fsck.returncode != 0:
        sys.exit(f"axrun: fsck.minix -f finds {image} unclean:\n{fsck.stdout}{fsck.stderr}")


def make_fsimage():
    tree = os.path.join(BUILD, "mfs-tree")
    shutil.rmtree(tree, ignore_errors=True)
    os.makedirs(os.path.join(tree, "dir", "sub"))
    for name, seed, size in MFS_TREE:
        with open(os.path.join(tree, name), "wb") as f:
            f.write(mfs_tree_bytes(seed, size))
    with open(os.path.join(tree, "hello.txt"), "wb") as f:
        f.write(MFS_HELLO)
    os.symlink("dir/sub/deep", os.path.join(tree, "link"))
    parts = [FSIMAGE + ".p1", FSIMAGE + ".p2"]
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "mkfs_tree.py"), parts[0],
                    str(FSIMAGE_PARTS_KIB[0]), tree], check=True)
    with open(parts[1], "wb") as f:
        f.truncate(FSIMAGE_PARTS_KIB[1] * 1024)
    subprocess.run(["mkfs.minix", "-3", parts[1]], check=True, stdout=subprocess.DEVNULL)
    mbr = bytearray(512)
    start = FSIMAGE_FIRST_SECTOR
    with open(FSIMAGE, "wb") as disk:
        for i, (part, kib) in enumerate(zip(parts, FSIMAGE_PARTS_KIB)):
            fsck_clean(part)
            sectors = kib * 2
            mbr[446 + 16 * i + 4] = 0x81  # Minix
            mbr[446 + 16 * i + 8:446 + 16 * i + 16] = (start.to_bytes(4, "little")
                                                       + sectors.to_bytes(4, "little"))
            disk.seek(start * 512)
            with open(part, "rb") as f:
                disk.write(f.read())
            start += sectors
        mbr[510:512] = b"\x55\xaa"
        disk.seek(0)
        disk.write(mbr)


def qemu_base(icount=False, mem="256M"):
    """The machine every run uses, Axolotl's and the Linux twin's (vm.all_ram
    changes its memory)."""
    accel = ["-accel", "tcg"]
    if os.environ.get("AXOLOTL_KVM") == "1":
        accel = ["-enable-kvm", "-cpu", "host,-arch-capabilities"]
    # 256M: room for every heap the tests grow, and less than the 256 MiB
    # heap limit plus the rest, which heap.limit and heap.exit_frees rely on.
    # +smep,+smap: the kernel turns both on (docs/kernel.md); the Linux twin
    # runs on this same machine and uses them too.
    cmd = ["qemu-system-x86_64", "-machine", "pc", "-cpu", "qemu64,+smep,+smap", "-m", mem] + accel
    if icount:
        # The CMOS clock follows guest time too (irq.notify uses its interrupt);
        # on the host's clock it would race the instruction count.
        cmd += ["-icount", "shift=0,sleep=off", "-rtc", "clock=vm"]
    return cmd + ["-nodefaults", "-no-reboot", "-display", "none",
                  "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]


def axolotl_command(mode, serial="stdio", icount=False, extra=(), serial2=None, mem="256M",
                    args="", data=None):
    """COM1 is the kernel's console (`serial`); `serial2`, if given, is COM2.
    `args` follow the mode on the kernel command line; `data` replaces the
    mode's data modules."""
    data = DATA_MODULES.get(mode, []) if data is None else data
    if RAMDISK in data:
        make_ramdisk()
    if FSIMAGE in data:
        make_fsimage()
    mods = [f"{BUILD}/boot/{prog}.elf" for prog in programs(mode)]
    mods = ",".join(mods + data)
    com2 = ["-serial", serial2] if serial2 else []
    append = f"{mode} {args}".strip()
    return qemu_base(icount, mem) + ["-serial", serial] + com2 + ["-kernel", KERNEL,
                                     "-initrd", mods, "-append", append] + list(extra)


class Typist:
    """The far end of COM2 in test mode, where the tty driver runs (its tests
    are tests/guest/test_tty.c).  QEMU's `pipe:` backend joins COM2 to two
    FIFOs, build/com2.in (what the guest receives) and build/com2.out (what
    it sends); everything sent is kept in build/test-com2.log.

    The guest asks for input by writing a request line through the tty:

        AXTTY-TYPE HEX    type these bytes (hex, so that any byte can be asked for)
        AXTTY-ECHO TOKEN  answer "ECHO <TOKEN reversed> crlf|lf": proof that the
                          line arrived, and of how it ended (ONLCR)

    A request may follow echoed input on the same line, so it is looked for
    at the end of each line, not the start.  Input comes only when asked
    for, so every test chooses the terminal's mode before its bytes arrive.
    """

    REQUEST = re.compile(rb"AXTTY-(TYPE|ECHO) ([0-9A-Za-z]*)(\r?)$")

    def __init__(self, on_line=None):
        self.on_line = on_line  # also sees every line (decoded), for a test's own lines
        self.path = os.path.join(BUILD, "com2")
        for end in (".in", ".out"):
            if os.path.exists(self.path + end):
                os.unlink(self.path + end)
            os.mkfifo(self.path + end)
        # O_RDWR: opening a FIFO does not wait for its other end.  O_NONBLOCK:
        # a guest that stopped reading must not hang the harness.
        self.to_guest = os.open(self.path + ".in", os.O_RDWR | os.O_NONBLOCK)
        self.from_guest = os.open(self.path + ".out", os.O_RDWR | os.O_NONBLOCK)
        self.log = open(os.path.join(BUILD, "test-com2.log"), "wb")
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        partial = b""
        while not self.stopping.is_set():
            ready, _, _ = select.select([self.from_guest], [], [], 0.1)
            if not ready:
                continue
            try:
                data = os.read(self.from_guest, 4096)
            except BlockingIOError:
                continue
            self.log.write(data)
            self.log.flush()
            partial += data
            while b"\n" in partial:
                line, partial = partial.split(b"\n", 1)
                self.answer(line)

    def answer(self, line):
        if self.on_line:
            self.on_line(line.decode(errors="replace"))
        m = self.REQUEST.search(line)
        if not m:
            return
        if m.group(1) == b"TYPE":
            try:
                reply = bytes.fromhex(m.group(2).decode())
            except ValueError:
                return  # a malformed request gets no input: the test times out and fails
        else:
            ending = b"crlf" if m.group(3) else b"lf"
            reply = b"ECHO " + m.group(2)[::-1] + b" " + ending + b"\n"
        try:
            os.write(self.to_guest, reply)
        except BlockingIOError:
            pass  # 64 KiB the guest never took: the test waiting for this fails on its own

    def close(self):
        self.stopping.set()
        self.thread.join(timeout=5)
        for fd in (self.to_guest, self.from_guest):
            os.close(fd)
        self.log.close()
        for end in (".in", ".out"):
            os.unlink(self.path + end)


def console_log(mode):
    """Where the console of a run is kept: build/<mode>-console.log."""
    return os.path.relpath(os.path.join(BUILD, f"{mode}-console.log"), os.getcwd())


# A guest line asking the harness to press the console's dump key (Ctrl-T,
# kernel/dump.c) on COM1, the kernel's console: the test kit.dump_tables.
DUMP_KEY_REQUEST = "AXCON-DUMPKEY"
DUMP_KEY = "\x14"


def press_dump_key(qemu):
    try:
        qemu.stdin.write(DUMP_KEY)
        qemu.stdin.flush()
    except (BrokenPipeError, OSError):
        pass    # QEMU is gone; the test times out and says so


def boot(mode, timeout, icount=False, on_line=None, log=None, on_com2=None, **machine):
    """Boot in `mode`, feed each console line to on_line; return (exit, lines).
    In test mode COM1's input is ours: a guest line DUMP_KEY_REQUEST presses
    the dump key; each line of COM2 goes to on_com2.  `machine`:
    axolotl_command's mem, args, data; `log`: the console log's name
    (default: the mode's)."""
    typist = Typist(on_com2) if mode == "test" else None
    serial2 = "pipe:" + typist.path if typist else None
    qemu = subprocess.Popen(axolotl_command(mode, icount=icount, serial2=serial2, **machine),
                            cwd=ROOT,
                            stdin=subprocess.PIPE if typist else subprocess.DEVNULL,
                            stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, errors="replace")
    # A guest that hangs silently prints nothing: the watchdog ends it.
    watchdog = threading.Timer(timeout, qemu.kill)
    watchdog.start()
    lines = []
    for raw in qemu.stdout:
        line = raw.rstrip("\r\n")
        if "AXFSCK-BLOCK" not in line and "AXROOT-BLOCK" not in line:  # images: not worth a log
            lines.append(line)
        if typist and line.endswith(DUMP_KEY_REQUEST):
            press_dump_key(qemu)
        if on_line:
            on_line(line)
    rc = qemu.wait()
    if not watchdog.is_alive():
        lines.append(f"axrun: no shutdown within {timeout} s: QEMU killed")
        rc = None
    watchdog.cancel()
    if typist:
        typist.close()
    with open(console_log(log or mode), "w") as f:
        f.write("\n".join(lines) + "\n")
    return rc, lines


def symbolize(lines):
    """Console lines with stack traces resolved (tools/symbolize.py)."""
    tool = os.path.join(ROOT, "tools", "symbolize.py")
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import sysconf as conf
    names = [s for mode in DATA_MODULES if os.path.exists(sysconf(mode))
             for s in conf.services(sysconf(mode))]
    aliases = [f"--alias={name}={prog}" for name, prog in names]
    out = subprocess.run([sys.executable, tool, "--build", BUILD] + aliases,
                         input="\n".join(lines) + "\n", capture_output=True, text=True)
    return out.stdout if out.returncode == 0 else "\n".join(lines)


def run_unit_tests(binaries):
    results = []
    for binary in binaries:
        out = subprocess.run([binary], cwd=ROOT, capture_output=True, text=True, timeout=300)
        got = [l for l in out.stdout.splitlines() if l.startswith(("PASS ", "FAIL "))]
        for line in got:
            print(line, flush=True)
        results += got
        if out.returncode != 0 and not any(l.startswith("FAIL ") for l in got):
            line = f"FAIL {os.path.basename(binary)}: exited {out.returncode}"
            print(line, flush=True)
            results.append(line)
    return results


def exit_reason(rc):
    return {None: "timed out", 0: "triple fault (QEMU exited 0)",
            EXIT_FAIL: "the runner reported failures", EXIT_PANIC: "kernel panic"}.get(
        rc, f"QEMU exited {rc}")


def check_guest_stacktrace(lines):
    """The panic.process test's stack trace must resolve to panic()'s caller:
    the line of tests/guest/peer.c that calls it.  Not to a function name:
    whether handle() is a function of its own or inlined into main() is the
    compiler's choice (gcc keeps it, clang inlines it)."""
    trace = [l for l in lines if re.match(r"^panicky\(\d+\)\| panicky\(\d+\): stacktrace:", l)]
    if not trace:
        return "FAIL tools.symbolize_guest: no stack trace from panicky on the console"
    with open(os.path.join(ROOT, "tests", "guest", "peer.c")) as f:
        calls = [n for n, l in enumerate(f, 1) if 'panic("asked to panic' in l]
    if len(calls) != 1:
        return "FAIL tools.symbolize_guest: peer.c should call panic() on one line"
    resolved = symbolize(trace)
    if re.search(rf"^\s+0x[0-9a-f]+ \S+ at tests/guest/peer\.c:{calls[0]}\b", resolved, re.M):
        return "PASS tools.symbolize_guest"
    return (f"FAIL tools.symbolize_guest: trace did not resolve to peer.c:{calls[0]}, "
            f"the panic() call: {resolved!r}")


# The kernel starts every line a process prints with "name(endpoint)| "
# (kernel/console.c), so a verdict counts only from the runner (testrun)
# or a test's own process (tcaseN): nobody else can forge one.
VERDICT_RE = re.compile(r"^(?:testrun|tcase\d+)\(\d+\)\| ((PASS|FAIL) (\S+?)(?::|$).*)")


def check_console_forge(lines):
    """authority.console_forge, the host's half: every line with the hostile
    writer's marker must carry the kernel's prefix for it, and no raw
    control byte may reach the console from it."""
    marked = [l for l in lines if "FORGED-BY-HOSTILE" in l]
    if not marked:
        return "FAIL authority.console_forge: the hostile writer's text never reached the console"
    for l in marked:
        if not re.match(r"^hforge\(\d+\)\| ", l) or re.search(r"[\x00-\x08\x0b-\x1f\x7f]", l):
            return f"FAIL authority.console_forge: an unattributed or raw line: {l!r}"
    return None


class FsckImage:
    """mfs.linux_fsck, the host's half.  The guest test writes a tree through
    MFS onto a RAM disk, unmounts, and sends the image over the console
    (tests/guest/test_mfs_ops.c: send_image): each 512-byte piece that is not
    all zeroes as "AXFSCK-BLOCK <offset hex> <base64>", then "AXFSCK-END
    <size hex> <fnv-1a hex>".  The console is the one channel out of the
    guest that needs nothing new: the RAM disk lives in the memory driver's
    heap, not at a physical address QEMU's pmemsave could name, and the
    machine has no disk controller.  The image is rebuilt in
    build/fsck-guest.img (the pieces not sent are zeroes), its checksum
    checked, and fsck.minix -f run on it: anything but a clean answer is a
    FAIL, which overrides the guest's PASS."""

    RE = re.compile(r"AXFSCK-(BLOCK|END) ([0-9a-f]+) (\S+)$")
    NAME = "mfs.linux_fsck"
    END = "AXFSCK-END"
    IMAGE = "fsck-guest.img"

    def __init__(self):
        self.pieces, self.end = {}, None

    def feed(self, line):
        m = self.RE.search(line)
        if not m:
            return False
        if m.group(1) == "BLOCK":
            try:
                self.pieces[int(m.group(2), 16)] = base64.b64decode(m.group(3), validate=True)
            except ValueError:
                self.pieces[int(m.group(2), 16)] = None
        else:
            self.end = (int(m.group(2), 16), m.group(3))
        return True

    def start(self, size):
        """The image the pieces are written over: zeroes."""
        return bytearray(size)

    @staticmethod
    def checksum(image):
        """FNV-1a over the bytes, as hex."""
        h = 2166136261
        for b in image:
            h = ((h ^ b) * 16777619) & 0xFFFFFFFF
        return f"{h:08x}"

    def verdict(self):
        if self.end is None:
            return f"FAIL {self.NAME}: the guest sent no image ({self.END})"
        size, want = self.end
        image = self.start(size)
        for off, data in self.pieces.items():
            if data is None or len(data) != 512 or off + 512 > size:
                return f"FAIL {self.NAME}: a malformed piece at {off:#x}"
            image[off:off + 512] = data
        h = self.checksum(image)
        if h != want:
            return f"FAIL {self.NAME}: the image arrived damaged (fnv {h}, not {want})"
        path = os.path.join(BUILD, self.IMAGE)
        with open(path, "wb") as f:
            f.write(image)
        fsck = subprocess.run(["fsck.minix", "-f", path], capture_output=True, text=True,
                              stdin=subprocess.DEVNULL)
        if fsck.returncode != 0:
            said = " | ".join((fsck.stdout + fsck.stderr).strip().splitlines()[-12:])
            return f"FAIL {self.NAME}: fsck.minix -f {os.path.relpath(path)}: {said}"
        return None


class RootImage(FsckImage):
    """init.poweroff_fsck, the host's half: the root file system after a
    clean poweroff.  Booted with `rootdump` on the command line, the memory
    driver sends the rootfs drive when MFS closes it at its unmount
    (drivers/memory/rootdump.c): each 512-byte piece that differs from the
    boot module as "AXROOT-BLOCK <offset hex> <base64>", then "AXROOT-END
    <size hex> <hash hex>" (FNV-1a over the drive's 64-bit words).  The pieces are applied
    to the module this boot used (build/rootfs), the checksum proves the
    result is the guest's drive byte for byte, and fsck.minix -f judges
    build/fsck-root.img.  The last image sent counts."""

    RE = re.compile(r"AXROOT-(BLOCK|END) ([0-9a-f]+) (\S+)$")
    NAME = "init.poweroff_fsck"
    END = "AXROOT-END"
    IMAGE = "fsck-root.img"

    def feed(self, line):
        if "AXROOT-END" in line and self.end is not None:
            self.pieces = {}  # a second image: only the last counts
        return super().feed(line)

    def start(self, size):
        with open(ROOTFS, "rb") as f:
            base = bytearray(f.read(size))
        return base + bytearray(size - len(base))

    @staticmethod
    def checksum(image):
        """FNV-1a over little-endian 64-bit words, as hex (rootdump.c)."""
        h = 14695981039346656037
        for (w,) in struct.iter_unpack("<Q", image):
            h = ((h ^ w) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
        return f"{h:016x}"

def run_guest_tests(expected):
    seen = {}
    fsck = FsckImage()
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import applets
    applets_out = applets.Decoder()

    def on_line(line):
        if fsck.feed(line):
            return
        m = VERDICT_RE.match(line)
        if m and not seen.get(m.group(3), "").startswith("FAIL"):	# a FAIL sticks
            seen[m.group(3)] = m.group(1)
            if m.group(1) != "PASS " + applets.NAME:  # said once compared, below
                print(m.group(1), flush=True)

    rc, lines = boot("test", TEST_TIMEOUT, icount=True, on_line=on_line,
                     on_com2=applets_out.feed)
    # shell.applets: the guest's PASS says the script ran; the host
    # compares its output with the Linux twin's.
    if seen.get(applets.NAME, "").startswith("PASS"):
        differs = applets.verdict(applets_out, os.path.join(BUILD, "linux", "applets.out"), BUILD)
        seen[applets.NAME] = differs or seen[applets.NAME]
        print(seen[applets.NAME], flush=True)
    unclean = fsck.verdict()
    if unclean and FsckImage.NAME in expected:
        seen[FsckImage.NAME] = unclean
        print(unclean, flush=True)
    forged = check_console_forge(lines)
    if forged:
        seen["authority.console_forge"] = forged
        print(forged, flush=True)
    results = list(seen.values()) + [check_guest_stacktrace(lines)]
    print(results[-1], flush=True)
    seen["tools.symbolize_guest"] = results[-1]
    for name in expected:
        if name not in seen:
            results.append(f"FAIL {name}: did not run ({exit_reason(rc)})")
            print(results[-1], flush=True)
    if rc != EXIT_PASS:
        results.append(f"FAIL guest.boot: {exit_reason(rc)}; console in {console_log('test')}")
        print(results[-1], flush=True)
        print(symbolize(lines[-60:]), file=sys.stderr)
    return results


# vm.all_ram: the memory tests at a small and a large machine.  Without the
# test mode's file-system image (21 MiB), so only the tests that do not read
# it run ("only=" on the command line, tests/guest/runner.c).  At 32M the
# test mode's thirty services fit since programs are read in place (RS and
# the runner map boot modules, spawn copies no image into the kernel),
# system stacks are 16 KiB and the tests' big buffers are heap, not bss
# (servers/vm/README.md, "Physical memory").  At 8G all but vm.oom: filling
# 7.5 GiB a page at a time under TCG takes minutes; VM gives out its highest
# frames first, so every page the others touch there lies above 4 GiB.
ALL_RAM_RUNS = (("32M", 32 << 20, "only=vm.,heap."),
                ("8G", 8 << 30, "only=vm.,heap.,-vm.oom"))
MEMORY_RE = re.compile(r"^memory: (\d+) KiB usable up to (0x[0-9a-f]+), (\d+) KiB kept free, "
                       r"(\d+) KiB for VM")
ROOM_RE = re.compile(r"testrun: \d+ tests, each in its own process; (\d+) KiB free")
VM_RE = re.compile(r"^vm\(\d+\)\| vm: (\d+) KiB of memory in \d+ ranges, up to (0x[0-9a-f]+)")


def check_all_ram():
    """Boot the vm.* and heap.* tests at -m 32M and -m 8G: the kernel finds
    all the RAM (usable within 1 MiB of the machine's; at 8G the part above
    4 GiB too), keeps for itself and hands VM everything but its image, the
    boot modules and its tables (under 16 MiB), VM finds what it was given,
    and every selected test passes."""
    for mem, size, args in ALL_RAM_RUNS:
        seen = {}

        def on_line(line):
            m = VERDICT_RE.match(line)
            if m:
                seen.setdefault(m.group(3), m.group(1))
                if m.group(2) == "FAIL":
                    seen[m.group(3)] = m.group(1)

        rc, lines = boot("test", TEST_TIMEOUT, icount=True, on_line=on_line,
                         log=f"all-ram-{mem}", mem=mem, args=args, data=[sysconf("test"), ROOTFS])
        where = f"-m {mem}, console in {console_log(f'all-ram-{mem}')}"
        mm = next((MEMORY_RE.match(l) for l in lines if MEMORY_RE.match(l)), None)
        vm = next((VM_RE.match(l) for l in lines if VM_RE.match(l)), None)
        if not mm or not vm:
            return f"FAIL vm.all_ram: no memory lines from the kernel and VM ({where})"
        usable, kept, given = int(mm.group(1)) * 1024, int(mm.group(3)) * 1024, int(mm.group(4)) * 1024
        vm_bytes, vm_top = int(vm.group(1)) * 1024, int(vm.group(2), 16)
        if usable < size - (1 << 20) or usable > size:
            return f"FAIL vm.all_ram: {usable >> 10} KiB usable of {size >> 10} KiB ({where})"
        if usable - kept - given >= 16 << 20:
            return (f"FAIL vm.all_ram: {(usable - kept - given) >> 10} KiB neither kept nor "
                    f"given to VM ({where})")
        if vm_bytes != given:
            return f"FAIL vm.all_ram: VM has {vm_bytes >> 10} KiB, the kernel gave {given >> 10} ({where})"
        if size > 4 << 30 and vm_top <= 4 << 30:
            return f"FAIL vm.all_ram: VM's memory ends at {vm_top:#x}, below 4 GiB ({where})"
        failed = [v for v in seen.values() if v.startswith("FAIL")]
        if failed or rc != EXIT_PASS or not any(k.startswith("vm.") for k in seen):
            # How much the system processes left the runner: at 32M a few MiB, and
            # a service or test that grows its bss by as much fails the small run.
            room = next((m.group(1) for m in map(ROOM_RE.search, lines) if m), "?")
            return (f"FAIL vm.all_ram: {failed[0] if failed else exit_reason(rc)} "
                    f"({where}; {room} KiB free for system processes at the runner's start)")
    return "PASS vm.all_ram"


def run_session_tests(groups=None):
    """tests/session/*.py: the console typed into, normal mode (tools/session.py)."""
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import session
    return session.run_all(groups)


def cmd_session(args):
    """Only the session tests (all, or the groups named): `make test-session`."""
    results = run_session_tests(args)
    passed = sum(r.startswith("PASS ") for r in results)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if results and passed == len(results) else 1


def cmd_test(args):
    unit, expected, cur = [], [], None
    for a in args:
        if a in ("--unit", "--expect"):
            cur = unit if a == "--unit" else expected
        elif cur is not None:
            cur.extend(a.split())
    results = run_unit_tests(unit) + run_guest_tests(expected)
    results.append(check_all_ram())
    print(results[-1], flush=True)
    results += run_session_tests()
    passed = sum(r.startswith("PASS ") for r in results)
    failed = len(results) - passed
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


KINFO_ARGS_MAX = 31  # include/ax/kcall.h: struct msg_sys_kinfo's args[32]


def cmd_bench(args):
    """args: "only=P1,P2" (make bench ONLY=P1,P2) measures only the figures
    whose names begin so, and leaves out the Linux twin."""
    only = next((a for a in args if a.startswith("only=") and len(a) > 5), "")
    if len(only) > KINFO_ARGS_MAX:
        # The kernel hands the bench its command line in kinfo's 32 bytes:
        # a longer list would be cut silently and figures left out.
        print(f"bench: ONLY= is at most {KINFO_ARGS_MAX - 5} characters (the kernel's "
              f"command line in kinfo); split it into runs", file=sys.stderr)
        return 2
    figures, boot_ms = {}, []
    start = time.monotonic()

    def on_line(line):
        if "entering user mode" in line and not boot_ms:
            boot_ms.append((time.monotonic() - start) * 1000)
        m = re.match(r"^bench\(\d+\)\| BENCH (\S+) (\d+) (\S+)", line)
        if m:
            figures[m.group(1)] = (int(m.group(2)), m.group(3))
            print(f"{m.group(1)} {m.group(2)} {m.group(3)}", flush=True)

    rc, lines = boot("bench", BENCH_TIMEOUT, icount=True, on_line=on_line, args=only)
    if rc != EXIT_PASS or not figures or (not only and "ipc_roundtrip_insns" not in figures):
        print(symbolize(lines[-40:]), file=sys.stderr)
        print(f"bench: Axolotl run failed: {exit_reason(rc)}", file=sys.stderr)
        return 1
    print(f"boot_ms {boot_ms[0]:.0f} ms" if boot_ms else "boot_ms ? ms", flush=True)
    if only:
        return 0
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import linux_twin
    linux = linux_twin.run_linux_twin()
    for name, value in linux.items():
        print(f"{name} {value} insns", flush=True)
    ours = figures["ipc_roundtrip_insns"][0]
    print(f"ipc_vs_linux_pipe {linux['linux_pipe_roundtrip_insns'] / ours:.2f} ratio")
    return bench_boot_to_prompt()


PROMPT_ROUNDS = 3


def bench_boot_to_prompt():
    """boot_to_prompt_ms beside linux_boot_to_prompt_ms: wall-clock
    milliseconds from QEMU's start to the shell's first prompt on the
    console, on `make run`'s machine (TCG, no -icount: what a person
    waits), Axolotl's normal mode and Debian's Linux with an initramfs of
    the same busybox and /etc (tools/linux_prompt_initramfs.sh), booted in
    turn PROMPT_ROUNDS times each: the medians.  Wall-clock time on a
    shared machine varies from run to run; the two are measured in the
    same run, in turn, so that the ratio means something."""
    import console
    import linux_twin
    prompt_initrd = os.path.join(BUILD, "linux", "prompt.cpio.gz")
    linux_cmd = qemu_base() + ["-serial", "stdio", "-kernel", linux_twin.newest_kernel(),
                               "-initrd", prompt_initrd, "-append",
                               "console=ttyS0 quiet panic=-1"]
    ours, theirs = [], []
    try:
        for i in range(PROMPT_ROUNDS):
            for times, name, cmd in ((ours, "prompt", axolotl_command("normal", serial="stdio")),
                                     (theirs, "linux-prompt", linux_cmd)):
                log = os.path.join(BUILD, f"bench-{name}-console.log")
                with console.Console(command=cmd, log=log, boot_timeout=600) as con:
                    times.append(con.boot_ms)
    except console.ConsoleError as e:
        print(f"bench: boot to prompt failed: {e}", file=sys.stderr)
        return 1
    mine, linux = sorted(ours)[len(ours) // 2], sorted(theirs)[len(theirs) // 2]
    print(f"boot_to_prompt_ms {mine:.0f} ms", flush=True)
    print(f"linux_boot_to_prompt_ms {linux:.0f} ms", flush=True)
    print(f"boot_to_prompt_vs_linux {linux / mine:.2f} ratio", flush=True)
    return 0


def cmd_run(args, mode="normal"):
    """The console on this terminal (with QEMU's monitor on Ctrl-A C), and
    everything the guest prints kept in build/<run|demo>-console.log as
    well.  Normal mode boots to init's shell; `demo` to the scripted demo."""
    log = console_log("run" if mode == "normal" else mode)
    print(f"axrun: booting Axolotl; Ctrl-A X quits QEMU; console kept in {log}", flush=True)
    console = ["-chardev", f"stdio,id=con,mux=on,logfile={os.path.abspath(log)}",
               "-mon", "chardev=con,mode=readline"]
    rc = subprocess.call(axolotl_command(mode, serial="chardev:con", extra=console), cwd=ROOT)
    # A clean power-off (poweroff at the prompt, the demo's end) is the
    # kernel's EXIT_PASS: not a failure of `make run`.
    return 0 if rc == EXIT_PASS else rc


def cmd_demo(args):
    return cmd_run(args, "demo")


def cmd_gdb(args):
    if not shutil.which("gdb"):
        print("axrun: gdb is not installed (make gdb installs it: tools/deps.sh --gdb)",
              file=sys.stderr)
        return 1
    gdbinit = os.path.join(BUILD, "gdbinit")
    with open(gdbinit, "w") as f:
        f.write(f"set architecture i386:x86-64\nfile {BUILD}/kernel.elf\n"
                f"source {ROOT}/tools/axolotl.gdb\ntarget remote :1234\n")
    mode = args[0] if args else "normal"
    log = console_log("gdb")
    qemu = subprocess.Popen(axolotl_command(mode, serial="file:" + os.path.abspath(log),
                                            extra=["-s", "-S"]), cwd=ROOT)
    print(f"axrun: QEMU halted at reset, console in {log}; gdb -x {gdbinit}")
    try:
        return subprocess.call(["gdb", "-q", "-x", gdbinit])
    finally:
        qemu.kill()
        qemu.wait()


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ("run", "demo", "test", "session", "bench", "gdb"):
        print(__doc__, file=sys.stderr)
        return 2
    return globals()["cmd_" + sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
