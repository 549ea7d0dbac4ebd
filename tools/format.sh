#!/bin/sh
# The C sources' format, by clang-format and the style in .clang-format.
#
#   tools/format.sh            rewrite every .c and .h file of the tree (tracked,
#                              or new and not ignored) in place
#   tools/format.sh --check    change nothing; show the difference and exit 1
#                              if any file is not formatted (make format-check)
#   tools/format.sh FILE...    rewrite just these files
#
# The style is written for clang-format 14 (Debian 12, what tools/deps.sh
# --format installs); another version may format a few constructs otherwise,
# so a different one is named in a warning.
set -eu
cd "$(dirname "$0")/.."
fmt=clang-format
command -v clang-format-14 >/dev/null 2>&1 && fmt=clang-format-14
command -v "$fmt" >/dev/null 2>&1 || { echo "format: clang-format is not installed (tools/deps.sh --format)" >&2; exit 2; }
"$fmt" --version | grep -q ' version 14\.' ||
	echo "format: $("$fmt" --version) is not clang-format 14; the result may differ from CI's" >&2

check=false
if [ "${1:-}" = "--check" ]; then
	check=true
	shift
fi
if [ $# -gt 0 ]; then
	files="$*"
else
	files=$(git ls-files --cached --others --exclude-standard '*.c' '*.h')
fi

if ! $check; then
	# shellcheck disable=SC2086
	"$fmt" -i --style=file $files
	exit 0
fi
bad=0
for f in $files; do
	if ! "$fmt" --style=file "$f" | diff -u --label "$f" --label "$f (formatted)" "$f" -; then
		bad=$((bad + 1))
	fi
done
if [ "$bad" -gt 0 ]; then
	echo "format: $bad file(s) not formatted; tools/format.sh rewrites them" >&2
	exit 1
fi
echo "format: every file formatted"
