#!/usr/bin/env python3
"""Session tests: a person at the console, played by the harness
(tools/console.py), against Axolotl booted in normal mode to its shell.

    session.py [GROUP...]       run tests/session/GROUP.py (default: all of them)

`make test` runs them after the guest tests (tools/axrun.py).  Each file
tests/session/<group>.py holds

    TESTS = [("shell.interactive", func), ...]   # func(con): AssertionError fails it
    BOOT = {"mem": "256M", "args": ""}           # optional: Console's arguments
    ONE_BOOT_PER_TEST = True                     # optional: a fresh boot for each test

The tests of a file share one boot, in order, unless it asks for one per
test; after a failure the next test gets a fresh boot, so one broken
shell does not fail the rest.  Each test is bounded: TEST_LIMIT seconds,
after which QEMU is stopped and the test fails.  Each line printed is
`PASS name` or `FAIL name: reason`; the console of each boot is kept in
build/session-<group>.log (the boots after the first of a file append).
"""
import glob
import importlib.util
import os
import sys
import threading
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import axrun  # noqa: E402
from console import Console, ConsoleError  # noqa: E402

SESSION_DIR = os.path.join(axrun.ROOT, "tests", "session")
TEST_LIMIT = 180  # seconds for one test, its boot not included


def load(path):
    name = "session_" + os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def reason_of(exc):
    """A FAIL line's reason: one line, not too long."""
    text = str(exc) if isinstance(exc, AssertionError) else \
        f"{type(exc).__name__}: {exc} ({traceback.extract_tb(exc.__traceback__)[-1].lineno})"
    text = " ".join(text.split()) or type(exc).__name__
    return text if len(text) <= 400 else text[:400] + "..."


def run_one(con, name, func):
    """func(con) within TEST_LIMIT: None, or the FAIL reason."""
    timer = threading.Timer(TEST_LIMIT, con.kill)
    timer.start()
    try:
        func(con)
        return None
    except Exception as exc:  # noqa: BLE001 (any error is the test's failure)
        if not timer.is_alive():
            return f"not done within {TEST_LIMIT} s ({reason_of(exc)})"
        return reason_of(exc)
    finally:
        timer.cancel()


def run_group(path):
    """The tests of one file: their PASS/FAIL lines."""
    group = os.path.splitext(os.path.basename(path))[0]
    log = os.path.join(axrun.BUILD, f"session-{group}.log")
    try:
        mod = load(path)
        tests = list(mod.TESTS)
    except Exception as exc:  # noqa: BLE001
        line = f"FAIL session.{group}: {path} does not load: {reason_of(exc)}"
        print(line, flush=True)
        return [line]
    boot = dict(getattr(mod, "BOOT", {}))
    fresh_each = getattr(mod, "ONE_BOOT_PER_TEST", False)
    if os.path.exists(log):
        os.unlink(log)
    results, con = [], None
    for name, func in tests:
        if con is None:
            con = Console(log=log, append_log=True, **boot)
            try:
                con.__enter__()
            except Exception as exc:  # noqa: BLE001
                con = None
                reason = f"no shell prompt: {reason_of(exc)}; console in {os.path.relpath(log)}"
                results.append(f"FAIL {name}: {reason}")
                print(results[-1], flush=True)
                continue
        reason = run_one(con, name, func)
        results.append(f"PASS {name}" if reason is None else f"FAIL {name}: {reason}")
        print(results[-1], flush=True)
        if reason is not None or fresh_each:
            con.close()
            con = None
    if con is not None:
        con.close()
    return results


def run_all(groups=None):
    paths = sorted(glob.glob(os.path.join(SESSION_DIR, "*.py")))
    if groups:
        paths = [p for p in paths if os.path.splitext(os.path.basename(p))[0] in groups]
    results = []
    for path in paths:
        results += run_group(path)
    return results


def main():
    results = run_all(sys.argv[1:])
    passed = sum(r.startswith("PASS ") for r in results)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if results and passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
