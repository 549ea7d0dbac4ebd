#!/usr/bin/env python3
"""Linux twin of the benchmarks: boot Debian's Linux kernel in QEMU with
exactly the flags of our own benchmark run, with build/linux/initramfs.cpio.gz
(made by `make linux-bench-build`), whose /init runs user/linux_bench and
powers off.  Under -icount shift=0 the guest TSC counts guest instructions, so
the figures are exact and repeat from run to run.

    run_linux_twin(kernel_path=None, timeout=300) -> {name: int}
    python3 tools/linux_twin.py [vmlinuz]      prints its lines
"""
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INITRAMFS = os.path.join(os.environ.get("AXOLOTL_BUILD") or os.path.join(ROOT, "build"),
                         "linux", "initramfs.cpio.gz")
NAMES = ("linux_pipe_roundtrip_insns", "linux_getpid_insns", "linux_fork_exit_wait_insns",
         "linux_fork_exec_wait_insns", "linux_busybox_true_insns", "linux_shell_script_insns",
         "linux_open_close_insns", "linux_stat_insns",
         "linux_read_4k_cached_insns", "linux_write_4k_insns", "linux_create_unlink_insns",
         "linux_signal_roundtrip_insns",
         "linux_page_fault_insns", "linux_brk_page_insns", "linux_mmap_file_insns")


class LinuxTwinError(Exception):
    pass


def _version_key(path):
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", path)]


def newest_kernel():
    kernels = sorted(glob.glob("/boot/vmlinuz-*"), key=_version_key)
    if not kernels:
        raise LinuxTwinError("no /boot/vmlinuz-* (install linux-image-amd64)")
    return kernels[-1]


def qemu_command(kernel_path, initrd, icount=True):
    """The same machine as Axolotl's benchmark run (axrun.qemu_base)."""
    from axrun import qemu_base
    return qemu_base(icount=icount) + ["-serial", "stdio", "-kernel", kernel_path,
                                     "-initrd", initrd,
                                     "-append", "console=ttyS0 quiet panic=-1"]


def _tail(text, lines=20):
    return "\n".join(text.splitlines()[-lines:])


def boot_linux(initrd, kernel_path=None, timeout=300, icount=True):
    """Boot Debian's kernel with initrd to its poweroff: the console's text
    (carriage returns dropped), or LinuxTwinError on a time-out."""
    kernel_path = kernel_path or newest_kernel()
    if not os.access(kernel_path, os.R_OK):
        raise LinuxTwinError(f"cannot read kernel {kernel_path}")
    qemu = subprocess.Popen(qemu_command(kernel_path, initrd, icount), cwd=ROOT,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    try:
        out, _ = qemu.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        qemu.kill()
        out, _ = qemu.communicate()
        raise LinuxTwinError(f"Linux twin timed out after {timeout} s; last output:\n"
                             + _tail(out.decode(errors="replace")))
    return out.decode(errors="replace").replace("\r", ""), qemu.returncode


def run_linux_twin(kernel_path=None, timeout=300):
    if not os.path.exists(INITRAMFS):
        raise LinuxTwinError(f"no {INITRAMFS}: run `make linux-bench-build` first")
    text, returncode = boot_linux(INITRAMFS, kernel_path, timeout)

    status = re.search(r"^linux_bench_status (\d+)$", text, re.M)
    figures = {}
    for name in NAMES:
        m = re.search(rf"^{name} (\d+)$", text, re.M)
        if m:
            figures[name] = int(m.group(1))
    if status is None or status.group(1) != "0" or len(figures) != len(NAMES):
        raise LinuxTwinError(f"Linux twin failed (QEMU exit {returncode}, bench status "
                             f"{status.group(1) if status else 'missing'}); last output:\n"
                             + _tail(text))
    return figures


def main():
    try:
        figures = run_linux_twin(sys.argv[1] if len(sys.argv) > 1 else None)
    except LinuxTwinError as e:
        print(f"linux_twin: {e}", file=sys.stderr)
        return 1
    for name in NAMES:
        print(f"{name} {figures[name]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
