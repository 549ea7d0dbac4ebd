#!/bin/sh
# Install what building, running and testing Axolotl needs on Debian 12, and
# say so.  Called by `make run`, `make test`, `make bench`, `make gdb` and
# `make format-check`; does nothing when everything is already there.
#
#   qemu-system-x86   the machine Axolotl runs on (TCG)
#   busybox-static    the shell and tools of the user land, and of the Linux twin
#   musl-tools        musl-gcc, for static user programs
#   util-linux        mkfs.minix / fsck.minix (Debian's base has it)
#   cpio              packs the Linux twin's initramfs
#   python3           the test and benchmark harness
#   gcc, binutils, make: the host toolchain; gcc is also the compiler of the
#                     unit test test_symbolize.sh
#   $CC               the compiler the Makefile uses, if not gcc (make CC=clang:
#                     the package of that name)
#
# And what one command alone needs, named by an option:
#   --linux   linux-image-amd64, the Linux kernel `make bench` compares against
#             (and `make test`: shell.applets runs its script there too)
#   --gdb     gdb, for `make gdb`
#   --format  clang-format, for `make format-check` and tools/format.sh
set -e
need=""
have() { command -v "$1" >/dev/null 2>&1; }
have qemu-system-x86_64 || need="$need qemu-system-x86"
have busybox || [ -x /bin/busybox ] || need="$need busybox-static"
have musl-gcc || need="$need musl-tools"
have mkfs.minix || need="$need util-linux"
have cpio || need="$need cpio"
have python3 || need="$need python3"
have gcc || need="$need gcc"
have ld || need="$need binutils"
have make || need="$need make"
# Debian names its compiler packages after the command: clang, clang-14, gcc-12.
cc="${CC:-gcc}"
case "$cc" in
gcc) ;;
gcc*|clang*) have "$cc" || need="$need $cc" ;;
*) have "$cc" || { echo "deps: compiler $cc not found, and no package known for it" >&2; exit 1; } ;;
esac
for opt in "$@"; do
	case "$opt" in
	--linux) ls /boot/vmlinuz-* >/dev/null 2>&1 || need="$need linux-image-amd64" ;;
	--gdb) have gdb || need="$need gdb" ;;
	--format) have clang-format-14 || have clang-format || need="$need clang-format" ;;
	*) echo "deps: unknown option $opt" >&2; exit 2 ;;
	esac
done
[ -z "$need" ] && exit 0
echo "deps: installing$need with apt-get"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need >/dev/null
echo "deps: done"
