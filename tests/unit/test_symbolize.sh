#!/bin/sh
# Unit test of tools/symbolize.py, run by the harness like the C test
# binaries (it is listed in UNIT_TESTS): prints "PASS unit.symbolize" or
# "FAIL unit.symbolize: why" and nothing else on stdout.
#
# Builds a tiny program with -g as if it were the system process "probe",
# then feeds symbolize.py a log with a stack trace holding two addresses
# inside probe_inner and probe_outer (found with nm), a trace for a process
# that has no ELF file, and ordinary lines.  The known trace must gain a
# line naming each function and its source file; everything else must pass
# through unchanged.  Needs gcc, nm, addr2line and python3.

top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
	echo "FAIL unit.symbolize: $*"
	exit 1
}

mkdir -p "$tmp/build/proc"
cat > "$tmp/probe.c" <<'CODE'
int probe_inner(int x) __attribute__((noinline));
int probe_outer(int x) __attribute__((noinline));
int probe_inner(int x) { return x * 3 + 1; }
int probe_outer(int x) { return probe_inner(x) + 2; }
int main(void) { return probe_outer(4) == 15 ? 0 : 1; }
CODE
gcc -g -O0 -o "$tmp/build/proc/probe.elf" "$tmp/probe.c" 2>"$tmp/err" ||
	fail "cannot compile the probe: $(head -1 "$tmp/err")"

addr_of() {
	nm "$tmp/build/proc/probe.elf" | awk -v f="$1" '$3 == f { print $1 }'
}
inner=$(addr_of probe_inner)
outer=$(addr_of probe_outer)
[ -n "$inner" ] && [ -n "$outer" ] || fail "nm found no probe functions"
# The second address is treated as a return address (looked up one byte
# lower), so point it a few bytes into probe_outer.
outer_ret=$(printf '0x%x' $((0x$outer + 4)))

printf '%s\n' "boot: hello" \
	"probe(7): stacktrace: 0x$inner $outer_ret" \
	"ghost(3): stacktrace: 0x1234" \
	"last line" > "$tmp/log"
python3 "$top/tools/symbolize.py" --build "$tmp/build" < "$tmp/log" > "$tmp/out" 2>"$tmp/err" ||
	fail "symbolize.py failed: $(head -1 "$tmp/err")"

[ "$(sed -n 1p "$tmp/out")" = "boot: hello" ] || fail "first line changed"
[ "$(sed -n 2p "$tmp/out")" = "probe(7): stacktrace: 0x$inner $outer_ret" ] ||
	fail "the trace line itself changed"
sed -n 3p "$tmp/out" | grep -q "^    0x$inner probe_inner at .*probe.c:3" ||
	fail "no probe_inner line, got: $(sed -n 3p "$tmp/out")"
sed -n 4p "$tmp/out" | grep -q "^    $outer_ret probe_outer at .*probe.c:4" ||
	fail "no probe_outer line, got: $(sed -n 4p "$tmp/out")"
[ "$(sed -n 5p "$tmp/out")" = "ghost(3): stacktrace: 0x1234" ] ||
	fail "a trace without an ELF file was changed"
[ "$(sed -n 6p "$tmp/out")" = "last line" ] && [ "$(wc -l < "$tmp/out")" -eq 6 ] ||
	fail "unexpected extra output"
echo "PASS unit.symbolize"
