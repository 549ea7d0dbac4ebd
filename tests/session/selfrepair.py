"""Self-repair from the shell (docs/userland.md section 3): a live update of
/dev/hello's driver to a binary read from the file system, which a restart
then starts again (the update sticks), and a restart of the tty driver
under the running shell."""
import re

GREETING = re.compile(r"^(Hello|Howdy) from hello \(endpoint (\d+)\): opened (\d+) times$", re.M)


def read_hello(con):
    out = con.run("cat /dev/hello")
    m = GREETING.search(out)
    assert m, f"`cat /dev/hello` printed {out!r}"
    return m.group(1), int(m.group(2)), int(m.group(3))


def update_hello(con):
    word, endpt, opens = read_hello(con)
    assert word == "Hello", f"the first greeting is {word!r}, not the first version's"
    out = con.run("service update hello -program /sbin/hello_v2")
    rc = con.status()
    assert rc == 0, f"service update exited {rc}: {out!r}"
    word2, endpt2, opens2 = read_hello(con)
    assert word2 == "Howdy", f"after the update the greeting is {word2!r}: not the new version"
    assert endpt2 == endpt, f"the endpoint changed: {endpt} then {endpt2}"
    assert opens2 == opens + 1, f"opened {opens} times, then {opens2}: the count was not kept"
    # The file's program is hello's from now on: a restart starts it, not the boot module.
    before = restarts_of(con, "hello")
    con.run("service restart hello")
    assert restarts_of(con, "hello") == before + 1, "hello was not restarted"
    word3, endpt3, _ = read_hello(con)
    assert word3 == "Howdy", f"after a restart the greeting is {word3!r}: the update did not stick"
    assert endpt3 != endpt, "a restart kept the endpoint"


def restarts_of(con, label):
    out = con.run(f"service status {label}")
    fields = out.split()
    assert len(fields) == 5 and fields[0] == label, f"`service status {label}` printed {out!r}"
    return int(fields[3])


def fault_hello(con):
    """`service fi hello`: the driver crashes (a SIGSEGV injected by RS), RS
    restarts it as from any crash, and /dev/hello answers again."""
    _, endpt, _ = read_hello(con)
    before = restarts_of(con, "hello")
    out = con.run("service fi hello")
    rc = con.status()
    assert rc == 0, f"service fi hello exited {rc}: {out!r}"
    out = con.run("for i in 1 2 3 4 5 6 7 8 9 10; do cat /dev/hello 2>/dev/null && break; "
                  "sleep 1; done")
    assert GREETING.search(out), f"after the fault /dev/hello printed {out!r}"
    after = restarts_of(con, "hello")
    assert after == before + 1, f"hello restarted {before} times, then {after}"
    con.run("service fi nosuch")
    assert con.status() == 2, "service fi of an unknown label is not ENOENT"


def tty_restart(con):
    before = restarts_of(con, "tty")
    con.run("service restart tty")
    # The next command, and the one after: the shell reads and writes the
    # restarted driver (its descriptors were opened again by VFS: dev_up).
    out = con.run("echo after | tr a-z A-Z", timeout=60)
    assert out == "AFTER\n", f"the first command after the restart printed {out!r}"
    after = restarts_of(con, "tty")
    assert after == before + 1, f"tty restarted {before} times, then {after}"
    out = con.run("echo $((6 * 7))")
    assert out == "42\n", f"the shell printed {out!r}"


def update_pm(con):
    """PM updated under the console's shell and init (servers/pm/lu.c): the
    shell, its session and job control, the clock and the process table go
    on; another build of PM is refused and the update rolled back."""
    before = con.run("ps")
    assert "init" in before and "sh" in before, f"`ps` printed {before!r}"
    year = con.run("date +%Y")
    out = con.run("service update pm -program pm")
    rc = con.status()
    assert rc == 0, f"service update pm exited {rc}: {out!r}"
    assert con.run("echo $((6 * 7))") == "42\n", "the shell does not compute after the update"
    assert con.run("date +%Y") == year, "the clock moved across the update"
    after = con.run("ps")
    assert "init" in after and "sh" in after, f"after the update `ps` printed {after!r}"
    out = con.run("sleep 1 & wait $!; echo waited $?")
    assert "waited 0\n" in out, f"a background job after the update: {out!r}"
    out = con.run("service update pm -program /sbin/pm_b")
    rc = con.status()
    assert rc == 22, f"an update to another build of PM exited {rc}: {out!r}"
    assert con.run("echo still here") == "still here\n", "the shell after the roll-back"


TESTS = [("service.update_hello", update_hello), ("service.fault_hello", fault_hello),
         ("shell.tty_restart", tty_restart),
         ("service.update_pm", update_pm)]
