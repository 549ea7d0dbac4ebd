"""The console shared by the shell and the log lines (docs/userland.md,
"Console lines"): a log line written while the shell has a partial input
line starts on a line of its own, and the input goes on after it."""
import re
import time


def log_lines(con):
    # RS prints "rs: hello up ..." when hello comes back: a log line at a
    # moment of the test's choosing, two seconds from now.
    con.run("(sleep 2; service restart hello) &")
    start = len(con.raw)
    con.send(b"echo par")
    con.expect(r"rs\(\d+\)\| rs: hello up[^\n]*\n", timeout=30)
    time.sleep(0.5)
    out = con.run("tial")  # the rest of the line typed after the log line
    # (ash may add "[1]+ Done ..." for the background job)
    assert out.split("\n")[0] == "partial", f"the input typed around the log line printed {out!r}"
    text = bytes(con.raw[start:]).decode("utf-8", "replace")
    line = re.search(r"(.)rs\(\d+\)\| rs: hello up", text, re.S)
    assert line and line.group(1) == "\n", \
        f"the log line does not start a line: {text[:line.end() if line else 200]!r}"
    assert re.search(r"echo par\r?\n", text), f"the partial line was not ended: {text[:200]!r}"


TESTS = [("console.log_lines", log_lines)]
