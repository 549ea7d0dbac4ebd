"""The shell at the console (docs/userland.md section 2), typed by the
harness (tools/console.py) as a person would: busybox's ash on the tty
driver, line editing on."""


def check(what, got, want):
    assert got == want, f"{what}: got {got!r}, want {want!r}"


def interactive(con):
    # A pipeline, through busybox applets in separate processes.
    check("echo hello world | wc -w", con.run("echo hello world | wc -w"), "2\n")
    check("a pipeline of three", con.run("printf 'b\\na\\nc\\n' | sort | head -n 2"), "a\nb\n")
    # A redirection into a file, appended to, read back.
    check("redirection", con.run("echo axolotl-$((6 * 7)) > /tmp/sess; echo more >> /tmp/sess"), "")
    check("cat of the file", con.run("cat /tmp/sess"), "axolotl-42\nmore\n")
    check("input redirection", con.run("wc -l < /tmp/sess"), "2\n")
    # $(...): a command's output in a word.
    check("$(...)", con.run('echo "words: $(echo a b c | wc -w), host: $(hostname)"'),
          "words: 3, host: axolotl\n")
    # Exit statuses.
    check("false; echo $?", con.run("false; echo $?"), "1\n")
    con.run("sh -c 'exit 7'")
    check("status of sh -c 'exit 7'", con.status(), 7)
    con.run("true")
    check("status of true", con.status(), 0)
    # Line editing: backspace, cursor left, history (the up arrow).
    con.mark = len(con.raw)
    check("backspace", con.run("echo abX\x7fc"), "abc\n")
    check("cursor left and insert", con.run("echo bd\x1b[Dc\x1b[D\x1b[Da"), "abcd\n")
    check("history (up arrow)", con.run("\x1b[A"), "abcd\n")


TESTS = [("shell.interactive", interactive)]
