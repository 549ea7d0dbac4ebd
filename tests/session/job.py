"""Job control at the console (docs/userland.md section 2, docs/files.md
"Terminals"): busybox's ash with job control on, typed into by the harness
(tools/console.py) as a person would.  ^C and ^Z go through the tty's line
discipline to PM as signals for the foreground group; ash's `jobs`, `fg`
and `bg` rest on wait4's WUNTRACED, SIGCONT and TIOCSPGRP."""
import re
import time

# How long a typed command is given to be running (forked, exec'd, in the
# foreground) before a key is sent to it: nothing on the console says so.
# A key that comes earlier, while ash still edits the line (no ISIG), is
# only a byte of input: it is sent again until its effect shows.
SETTLE = 1.0
KEY_WAIT = 6
KEY_TRIES = 5
STOPPED = r"\[1\]\+ +Stopped +sleep 100"


def check(what, got, want):
    assert got == want, f"{what}: got {got!r}, want {want!r}"


def start(con, line):
    """Type line and wait until it is running (its echo, then SETTLE)."""
    con.mark = len(con.raw)
    con.send(line + "\n")
    con.expect(re.escape(line))
    time.sleep(SETTLE)


def key(con, byte, effect):
    """A control key, again until effect(con, timeout) finds what it does."""
    for _ in range(KEY_TRIES):
        con.send(byte)
        try:
            return effect(con, KEY_WAIT)
        except AssertionError:
            continue
    raise AssertionError(f"{byte!r} sent {KEY_TRIES} times: no effect; the console ended "
                         f"with {con.lines[-3:]!r}")


def prompt(con, timeout):
    return con.wait_prompt(timeout, what="the prompt")


def stopped(con, timeout):
    con.expect(STOPPED, timeout=timeout)
    return con.wait_prompt(what="the prompt after ^Z")


def job_control(con):
    # ^C ends the foreground job; the shell is back with 128 + SIGINT.
    start(con, "sleep 100")
    key(con, b"\x03", prompt)
    check("$? after ^C", con.status(), 130)
    # ^Z stops it, jobs shows it stopped, fg brings it back, ^C ends it.
    start(con, "sleep 100")
    key(con, b"\x1a", stopped)
    assert re.search(STOPPED, con.run("jobs")), "jobs does not show the stopped sleep"
    start(con, "fg")
    key(con, b"\x03", prompt)
    check("$? after fg and ^C", con.status(), 130)
    check("jobs after it ended", con.run("jobs"), "")
    # bg: stopped, then running in the background while the shell takes commands.
    start(con, "sleep 100")
    key(con, b"\x1a", stopped)
    check("bg", con.run("bg").strip(), "[1] sleep 100")
    assert re.search(r"\[1\]\+ +Running +sleep 100", con.run("jobs")), "not running after bg"
    check("a command beside it", con.run("echo beside"), "beside\n")
    out = con.run("kill %1") + con.run("true") + con.run("jobs")
    assert re.search(r"Terminated +sleep 100", out), f"kill %1: {out!r}"
    check("jobs after kill", con.run("jobs"), "")


def pm_crash(con):
    """PM crashes (`service fi pm`): its processes end at their next call
    (docs/processes.md), init comes back as pid 1 with a new shell, and ^C
    reaches that shell's foreground job through the new PM (the tty looks
    PM up by its label, not by the endpoint it had)."""
    con.run("service fi pm", timeout=60)
    con.run("true", timeout=60)  # the old shell, if it answered, ends here
    check("the new shell computes", con.run("echo $((6 * 7))", timeout=60), "42\n")
    start(con, "sleep 100")
    key(con, b"\x03", prompt)
    check("$? after ^C", con.status(), 130)
    # The new PM's wall clock reached DS (where VFS reads it for file times).
    assert not any("cannot be published" in line for line in con.lines), \
        "PM could not publish the wall clock after its restart"
    # The file's time lies between the dates read before and after the
    # touch (a fixed tolerance failed under host load: seconds pass between
    # two commands of a TCG guest).
    con.run("a=$(date +%s); touch /tmp/t; b=$(date +%s)")
    out = con.run("echo $a $(stat -c %Y /tmp/t) $b").split()
    assert len(out) == 3 and int(out[0]) <= int(out[1]) <= int(out[2]), \
        f"a file's time is not the date: {out!r} (before, file, after)"


TESTS = [("shell.job_control", job_control), ("service.fault_pm", pm_crash)]
