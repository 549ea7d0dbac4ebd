#!/usr/bin/env python3
"""Collect the boot-time system.conf of one boot mode from the system.conf
files beside the services' code (drivers/hello/system.conf, ...).

    sysconf.py MODE OUT FILE...

Each FILE holds service lines in RS's format (lib/libconf/conf.h) and
comments.  A line `mode NAME...` says which boot modes (normal, demo, test,
bench) the lines after it are for, up to the next `mode` line; lines
before any `mode` line are for every mode.  OUT gets, in the order of the
FILEs, the lines for MODE without comments and blank lines (RS reads the
file into a fixed buffer), each file's under a comment naming it, so that
RS's "system.conf:LINE" errors lead back to the source.  A `mode` line
naming an unknown mode is an error here, at build time.

tools/axrun.py reads the same files through services() for the names of
the processes (label -> program) that the symbolizer needs.
"""
import os
import sys

MODES = ("normal", "demo", "test", "bench")


def lines_for(path, mode):
    """The lines of one file that are for `mode`."""
    out, modes = [], set(MODES)
    with open(path) as f:
        for number, line in enumerate(f, 1):
            words = line.split()
            if words and words[0] == "mode":
                bad = [w for w in words[1:] if w not in MODES]
                if len(words) < 2 or bad:
                    sys.exit(f"{path}:{number}: mode wants some of {', '.join(MODES)}")
                modes = set(words[1:])
            elif mode in modes and words and not words[0].startswith("#"):
                out.append(line.rstrip("\n"))
    return out


def collect(mode, files):
    text = [f"# system.conf for {mode} mode, collected by tools/sysconf.py: do not edit."]
    for path in files:
        body = lines_for(path, mode)
        if body:
            text.append(f"# {path}")
            text += body
    return "\n".join(text) + "\n"


def services(path):
    """(label, program) of each service and helper line of a collected file."""
    found = []
    with open(path) as f:
        for line in f:
            words = line.split("#", 1)[0].split()
            if len(words) >= 2 and words[0] in ("service", "helper"):
                program = words[1]
                for w in words[2:]:
                    if w.startswith("program="):
                        program = w[len("program="):]
                found.append((words[1], program))
    return found


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in MODES:
        print(__doc__, file=sys.stderr)
        return 2
    mode, out = sys.argv[1], sys.argv[2]
    text = collect(mode, sys.argv[3:])
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    with open(out + ".tmp", "w") as f:
        f.write(text)
    os.replace(out + ".tmp", out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
