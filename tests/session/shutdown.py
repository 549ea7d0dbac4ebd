"""Shutdown (docs/userland.md section 4): busybox's `poweroff` from the
shell signals init, which runs its shutdown actions, ends every process
and calls reboot(2); PM has VFS sync and unmount every file system, then
the kernel powers off.  Booted with `rootdump`, the memory driver sends
the root image when MFS closes it at its unmount (drivers/memory/rootdump.c);
the host rebuilds it over build/rootfs (RootImage in tools/axrun.py) and
runs fsck.minix -f on it."""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
import axrun  # noqa: E402

BOOT = {"args": "rootdump"}
ONE_BOOT_PER_TEST = True
POWEROFF_TIMEOUT = 90  # seconds: init's TERM, its second's wait, KILL, the dump


def wait_exit(con, timeout):
    """QEMU's exit status once the guest stopped, or None if it did not."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rc = con.qemu.poll()
        if rc is not None:
            return rc
        time.sleep(0.2)
    return None


def poweroff_fsck(con):
    # Writes that must reach the image: a directory, files, a link, an unlink.
    for line in ["mkdir -p /home/pw/sub", "echo kept > /home/pw/a",
                 "seq 1 3000 > /home/pw/sub/b", "ln /home/pw/a /home/pw/c",
                 "head -c 300000 /bin/busybox > /home/pw/big", "rm /home/pw/big", "sync"]:
        con.run(line)
        assert con.status() == 0, f"`{line}` failed"
    con.send(b"poweroff\n")
    rc = wait_exit(con, POWEROFF_TIMEOUT)
    lines = [l.strip() for l in con.lines]
    assert rc is not None, f"QEMU still runs {POWEROFF_TIMEOUT} s after poweroff"
    assert rc == axrun.EXIT_PASS, f"QEMU's exit status {rc}, not {axrun.EXIT_PASS} (power-off)"
    assert any("power-off asked by" in l for l in lines), "PM's power-off line is missing"
    img = axrun.RootImage()
    for l in lines:
        img.feed(l)
    verdict = img.verdict()
    assert verdict is None, verdict.split(": ", 1)[-1]
    # fsck.minix -l lists every name: what the shell wrote is there, the unlinked file is not.
    listed = subprocess.run(["fsck.minix", "-l", os.path.join(axrun.BUILD, img.IMAGE)],
                            capture_output=True, text=True, stdin=subprocess.DEVNULL).stdout
    names = set(listed.split())
    for want in ["/home/pw/a", "/home/pw/c", "/home/pw/sub/b"]:
        assert want in names, f"{want} is not in the image after poweroff"
    assert "/home/pw/big" not in names, "/home/pw/big, removed, is still in the image"
    assert any("vfs: shutdown:" in l and "(with errors)" not in l for l in lines), \
        "VFS did not unmount every file system cleanly"


TESTS = [("init.poweroff_fsck", poweroff_fsck)]
