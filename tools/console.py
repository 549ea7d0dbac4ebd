#!/usr/bin/env python3
"""The console session harness: Axolotl booted in normal mode, its console
(COM1, where the tty driver serves busybox's shell and the kernel and the
services write their log lines) joined to a test, which types into it as
a person would (docs/testing.md, "Session tests").

    with Console(mem="256M", args="") as con:   # boots, waits for the shell's prompt
        out = con.run("echo hi | wc -c")   # types the line and "\\n", waits for the
                                             # next prompt, returns the output between
        con.send(b"\\x03")                   # raw bytes to the console
        con.expect(r"regex", timeout=20)     # regex in the output after the last mark
        rc = con.status()                    # `echo $?` of the last command
        con.lines                            # everything the console printed

run()'s output is what the command printed: without the echo of the typed
line, without CR, without the `ESC[6n` cursor query ash writes after
each prompt, and without the kernel's and the services' log lines
(`name(endpoint)| ...`, and the kernel's own `kernel: ...`): those stay in
`lines` and in the log.  The
prompt is the shell's: /etc/profile's `user@host:dir# ` (or `$ `), or
busybox's default `# `/`$ ` for a shell without it, at the start of a
line: output that does not end in a newline runs into the prompt, which
the harness then does not see; end such commands with `; echo`.

Every byte the console printed goes to the log (build/session-<name>.log
by default) when the session ends, whatever the outcome.
"""
import os
import re
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import axrun  # noqa: E402  (the same machine and boot modules as every run)

BOOT_TIMEOUT = 120  # seconds to the first prompt (TCG on a loaded machine)
RUN_TIMEOUT = 30

# The prompt at the end of what the console printed: /etc/profile's PS1
# (\u@\h:\w\$ ), or a bare "# " or "$ " (a shell that read no profile),
# followed by ash's cursor query at most, and by log lines that came later.
# At the start of a line: ash's redraw of its line (an up arrow) begins
# with CR alone, and must not pass for the next prompt.
PROMPT = re.compile(rb"(?:^|(?<=\n))(?:[\w.-]+@[\w.-]+:[^\r\n]*?[#$] |[#$] )(?:\x1b\[6n)?"
                    rb"(?:\r?\n(?:[\w.-]+\(-?\d+\)\| |kernel: )[^\n]*)*(?:\r?\n)?\Z")
# Log lines of the kernel's console: a process's (kernel/console.c's
# prefix), the kernel's own diagnostics.
LOG_LINE = re.compile(r"^(?:[\w.-]+\(-?\d+\)\| |kernel: )")
CURSOR_QUERY = b"\x1b[6n"


class ConsoleError(AssertionError):
    """A session step that failed: the message is a test's FAIL reason."""


class Console:
    def __init__(self, mem="256M", args="", log=None, boot_timeout=BOOT_TIMEOUT,
                 mode="normal", append_log=False, command=None):
        self.log = log or os.path.join(axrun.BUILD, "session.log")
        self.append_log = append_log
        self.done = False
        self.raw = bytearray()
        self.mark = 0
        self.cond = threading.Condition()
        self.closed = False
        self.boot_ms = None
        # `command`: another machine's QEMU command line, its console on
        # stdio (the bench's Linux twin).  Guest time counts instructions
        # while it runs (-icount), so a
        # loaded host cannot make a service miss its pings; idle, it follows
        # the host's clock (sleep on), so `sleep 1` takes a second.
        cmd = command or axrun.axolotl_command(mode, serial="stdio", mem=mem, args=args,
                                               extra=["-icount", "shift=0"])
        self.start = time.monotonic()
        self.qemu = subprocess.Popen(cmd, cwd=axrun.ROOT, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.boot_timeout = boot_timeout

    # ---- the context manager: boot to the prompt, then stop QEMU and keep the log ----

    def __enter__(self):
        try:
            self.wait_prompt(self.boot_timeout, what="the shell's first prompt")
        except BaseException:
            self.close()
            raise
        self.boot_ms = (time.monotonic() - self.start) * 1000
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def kill(self):
        """Stop QEMU now (a test out of time): every wait then fails."""
        if self.qemu.poll() is None:
            self.qemu.kill()

    def close(self):
        """Stop QEMU and write the log (once)."""
        if self.done:
            return
        self.done = True
        self.kill()
        self.qemu.wait()
        self.reader.join(timeout=5)
        os.makedirs(os.path.dirname(self.log), exist_ok=True)
        with open(self.log, "ab" if self.append_log else "wb") as f:
            f.write(bytes(self.raw))

    def _read(self):
        fd = self.qemu.stdout.fileno()
        while True:
            data = os.read(fd, 4096)
            with self.cond:
                if not data:
                    self.closed = True
                    self.cond.notify_all()
                    return
                self.raw += data
                self.cond.notify_all()

    # ---- the interface ----

    @property
    def lines(self):
        """Everything the console printed, as text lines (CR removed)."""
        return bytes(self.raw).decode("utf-8", "replace").replace("\r", "").split("\n")

    def send(self, data):
        """Raw bytes (or text) to the console."""
        if isinstance(data, str):
            data = data.encode()
        try:
            self.qemu.stdin.write(data)
            self.qemu.stdin.flush()
        except (BrokenPipeError, OSError):
            raise ConsoleError("QEMU has gone: " + self._tail())

    def expect(self, regex, timeout=20):
        """Wait for regex (str or bytes) in the output after the mark; the mark
        moves past the match.  Returns the match (on the bytes)."""
        pat = re.compile(regex.encode() if isinstance(regex, str) else regex)
        m = self._wait(lambda: pat.search(self.raw, self.mark), timeout, f"/{pat.pattern!r}/")
        self.mark = m.end()
        return m

    def wait_prompt(self, timeout=RUN_TIMEOUT, what="the prompt"):
        """Wait until the output ends in a prompt (after the mark): its match."""
        m = self._wait(lambda: PROMPT.search(self.raw, self.mark), timeout, what)
        self.mark = m.end()
        return m

    def run(self, line, timeout=RUN_TIMEOUT):
        """Type line and Enter, wait for the next prompt; what the command printed."""
        if "\n" in line:
            raise ValueError("run() takes one line")
        start = len(self.raw)
        self.mark = start
        self.send(line.encode() + b"\n")
        m = self.wait_prompt(timeout, what=f"the prompt after {line!r}")
        return self.clean(bytes(self.raw[start:m.start()]), echo=True)

    def status(self):
        """The exit status of the last command (`echo $?`)."""
        out = self.run("echo $?").strip()
        if not out.isdigit():
            raise ConsoleError(f"`echo $?` printed {out!r}")
        return int(out)

    # ---- helpers ----

    @staticmethod
    def clean(data, echo=False):
        """Output as text: no CR, no cursor query, no log lines; with echo,
        without the first line (the typed line's echo)."""
        text = data.replace(CURSOR_QUERY, b"").decode("utf-8", "replace").replace("\r", "")
        if echo:
            text = text.split("\n", 1)[1] if "\n" in text else ""
        lines = [l for l in text.split("\n") if not LOG_LINE.match(l)]
        return "\n".join(lines)

    def _wait(self, found, timeout, what):
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                got = found()
                if got:
                    return got
                left = deadline - time.monotonic()
                if self.closed or left <= 0:
                    why = "QEMU exited" if self.closed else f"no {what} within {timeout} s"
                    raise ConsoleError(f"{why}; the console ended with {self._tail()!r}")
                self.cond.wait(min(left, 0.5))

    def _tail(self, n=200):
        return bytes(self.raw[-n:]).decode("utf-8", "replace")


if __name__ == "__main__":
    # A quick look: boot, run the words given (default `uname -a`), print.
    with Console(log=os.path.join(axrun.BUILD, "session-manual.log")) as con:
        print(f"prompt after {con.boot_ms:.0f} ms")
        for cmd in sys.argv[1:] or ["uname -a"]:
            print(f"$ {cmd}\n{con.run(cmd)}")
