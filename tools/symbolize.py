#!/usr/bin/env python3
"""Add function names and source lines to the stack traces in a console log.

    qemu ... | python3 tools/symbolize.py [--build DIR]
    python3 tools/symbolize.py < log.txt

Copies standard input to standard output unchanged.  After every line of the
form

    kernel: stacktrace: 0xffffffff80104abc 0xffffffff80102def
    testrun(7): stacktrace: 0x401234 0x4015ff

it adds one indented line per address:

    0xffffffff80104abc panic at kernel/panic.c:42
    0x401234 helper at user/testrun.c:17 (inlined into main at user/testrun.c:80)

The word that starts the line names the ELF file: "kernel" is
DIR/kernel.elf, anything else DIR/proc/<word>.elf (DIR defaults to build).
A process running a program of another name (peer_a runs peer) is mapped
with --alias peer_a=peer; tools/axrun.py passes its boot image's names.
A line whose ELF file does not exist, or that addr2line cannot read, is left
as it is.

Every address after the first is looked up one byte lower: those are return
addresses, which point just past the call, possibly into the next line or the
next function.  The printed address is always the one in the log, as the log wrote it.

Standard library only; needs binutils' addr2line.  The log is handled as
bytes, so whatever the console printed passes through intact.
"""

import argparse
import os
import re
import subprocess
import sys

TRACE_RE = re.compile(r"^\s*([A-Za-z0-9_.-]+)[(:].*?stacktrace:((?:[ \t]+0x[0-9a-fA-F]+)+)")


def elf_for(name, build):
    """The ELF file holding the code of component `name`, or None."""
    if name == "kernel":
        path = os.path.join(build, "kernel.elf")
    else:
        path = os.path.join(build, "proc", name + ".elf")
    return path if os.path.isfile(path) else None


def short_path(path):
    """A source path relative to the current directory when it lies below it."""
    cwd = os.getcwd()
    if os.path.isabs(path) and path.startswith(cwd + os.sep):
        return os.path.relpath(path, cwd)
    return path


def run_addr2line(elf, addrs):
    """addr2line's answer for addrs: a list, per address, of (function, place)
    frames, innermost first.  None if addr2line failed."""
    cmd = ["addr2line", "-a", "-f", "-i", "-C", "-e", elf] + ["0x%x" % a for a in addrs]
    try:
        done = subprocess.run(cmd, capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    out = done.stdout.decode("latin-1")
    groups = []
    lines = out.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("0x"):
            groups.append([])
            i += 1
            continue
        if not groups or i + 1 >= len(lines):
            return None
        place = re.sub(r" \(discriminator \d+\)$", "", lines[i + 1])
        groups[-1].append((lines[i], short_path(place)))
        i += 2
    return groups if len(groups) == len(addrs) else None


def describe(word, frames):
    """One indented line for one address, as the log wrote it, and its
    (possibly inlined) frames."""
    if not frames or frames[0][0] == "??":
        return "    %s ??" % word
    text = "    %s %s at %s" % (word, frames[0][0], frames[0][1])
    for func, place in frames[1:]:
        text += " (inlined into %s at %s)" % (func, place)
    return text


def symbolize(line, build, aliases=None):
    """The lines to print after `line`: empty unless it holds a stack trace."""
    m = TRACE_RE.match(line)
    if not m:
        return []
    elf = elf_for((aliases or {}).get(m.group(1), m.group(1)), build)
    if elf is None:
        return []
    words = m.group(2).split()
    addrs = [int(w, 16) if i == 0 else int(w, 16) - 1 for i, w in enumerate(words)]
    groups = run_addr2line(elf, addrs)
    if groups is None:
        return []
    return [describe(w, frames) for w, frames in zip(words, groups)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build", help="build directory (default: build)")
    parser.add_argument("--alias", action="append", default=[], metavar="NAME=PROGRAM",
                        help="process NAME runs build/proc/PROGRAM.elf")
    args = parser.parse_args()
    aliases = dict(a.split("=", 1) for a in args.alias if "=" in a)

    out = sys.stdout.buffer
    for raw in iter(sys.stdin.buffer.readline, b""):
        out.write(raw)
        line = raw.decode("latin-1")
        ending = "\r\n" if line.endswith("\r\n") else "\n"
        extras = symbolize(line.rstrip("\r\n"), args.build, aliases)
        if extras and not line.endswith("\n"):
            out.write(ending.encode("latin-1"))
        for extra in extras:
            out.write((extra + ending).encode("latin-1"))
        out.flush()


if __name__ == "__main__":
    main()
