"""init (docs/userland.md section 1): busybox's init as pid 1, started by
PM, respawning the console's shell from /etc/inittab."""

ONE_BOOT_PER_TEST = True


def respawn(con):
    first = con.run("echo $$ $PPID").split()
    assert len(first) == 2 and first[1] == "1", f"the shell's pid and parent: {first}"
    con.send(b"exit\n")
    con.expect(r"Welcome to Axolotl", timeout=30)  # the new shell's banner (/etc/profile)
    con.wait_prompt(timeout=30, what="the new shell's prompt")
    second = con.run("echo $$ $PPID").split()
    assert len(second) == 2 and second[1] == "1", f"the new shell's pid and parent: {second}"
    assert second[0] != first[0], f"the same pid {first[0]} after exit: no new shell"
    out = con.run("echo alive | tr a-z A-Z")
    assert out == "ALIVE\n", f"the new shell's pipeline printed {out!r}"


TESTS = [("init.respawn", respawn)]
