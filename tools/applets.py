#!/usr/bin/env python3
"""shell.applets, the host's half (docs/userland.md, "shell.applets").

The script tests/session/applets.sh runs under Debian's busybox-static on
Axolotl (the guest test starts user/applets through PM; its lines reach the
host on the console, COM2 in test mode) and under the same binary on the
Linux twin (Debian's kernel, chrooted into the same root image: the
initramfs of tools/linux_initramfs.sh --chroot).  user/applets sends the
script's output the same way on both, as lines

    AXAPPLETS-DATA <base64>
    AXAPPLETS-END <size> <wait status, hex>

Decoder rebuilds the bytes; verdict() compares Axolotl's with Linux's byte
for byte and keeps both and their diff in build/ (applets-axolotl.out,
linux/applets.out, applets.diff).

    applets.py linux INITRD OUT     boot the twin, write its output to OUT
                                    (and OUT's wait status to OUT.status)
"""
import base64
import difflib
import os
import re
import sys

NAME = "shell.applets"
LINE_RE = re.compile(r"AXAPPLETS-(DATA|END) (\S+)(?: ([0-9a-f]+))?\s*$")
# The Linux twin's run: short (a boot and the script), no -icount needed
# since nothing is timed.
LINUX_TIMEOUT = 300


class Decoder:
    def __init__(self):
        self.pieces, self.end, self.bad = [], None, None

    def feed(self, line):
        """Take one console line; True if it was one of ours."""
        m = LINE_RE.search(line)
        if not m:
            return False
        if m.group(1) == "DATA":
            try:
                self.pieces.append(base64.b64decode(m.group(2), validate=True))
            except ValueError:
                self.bad = self.bad or f"a damaged line: {line!r}"
        elif m.group(3) is not None:
            self.end = (int(m.group(2)), int(m.group(3), 16))
        return True

    def result(self):
        """(bytes, wait status), or a string saying what went wrong."""
        if self.bad:
            return self.bad
        if self.end is None:
            return "no output arrived (no AXAPPLETS-END)"
        data = b"".join(self.pieces)
        if len(data) != self.end[0]:
            return f"{len(data)} bytes arrived of {self.end[0]}"
        return data, self.end[1]


def status_text(status):
    if status & 0x7F:
        return f"killed by signal {status & 0x7F}"
    return f"exit {status >> 8}"


def verdict(decoder, linux_out, build):
    """None when Axolotl's output is Linux's, byte for byte (and the wait
    status the same); else the FAIL line."""
    got = decoder.result()
    if isinstance(got, str):
        return f"FAIL {NAME}: Axolotl's output: {got}"
    ours, our_status = got
    with open(os.path.join(build, "applets-axolotl.out"), "wb") as f:
        f.write(ours)
    try:
        with open(linux_out, "rb") as f:
            theirs = f.read()
        with open(linux_out + ".status") as f:
            their_status = int(f.read().strip(), 16)
    except (OSError, ValueError) as e:
        return f"FAIL {NAME}: no output of the Linux twin ({e})"
    if ours == theirs and our_status == their_status:
        return None
    a = theirs.decode(errors="backslashreplace").splitlines(keepends=True)
    b = ours.decode(errors="backslashreplace").splitlines(keepends=True)
    diff = list(difflib.unified_diff(a, b, "linux", "axolotl", n=1))
    path = os.path.join(build, "applets.diff")
    with open(path, "w") as f:
        f.writelines(diff)
    changed = [l.rstrip("\n") for l in diff[2:] if l[:1] in "+-"]
    first = "; ".join(repr(l) for l in changed[:4])
    what = (f"{sum(l.startswith('+') for l in changed)} lines differ from Linux's "
            f"(first: {first}); {os.path.relpath(path)}" if diff else
            f"same text, wait status {status_text(our_status)} (Linux: "
            f"{status_text(their_status)})")
    return f"FAIL {NAME}: {what}"


def run_linux(initrd, out):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import linux_twin
    text, _ = linux_twin.boot_linux(initrd, timeout=LINUX_TIMEOUT, icount=False)
    decoder = Decoder()
    for line in text.splitlines():
        decoder.feed(line)
    got = decoder.result()
    if isinstance(got, str):
        tail = "\n".join(text.splitlines()[-20:])
        raise linux_twin.LinuxTwinError(f"shell.applets on Linux: {got}; last output:\n{tail}")
    with open(out + ".tmp", "wb") as f:
        f.write(got[0])
    with open(out + ".status", "w") as f:
        f.write(f"{got[1]:x}\n")
    os.replace(out + ".tmp", out)


def main():
    if len(sys.argv) != 4 or sys.argv[1] != "linux":
        print(__doc__, file=sys.stderr)
        return 2
    try:
        run_linux(sys.argv[2], sys.argv[3])
    except Exception as e:  # the twin's errors, said plainly for make
        print(f"applets: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
