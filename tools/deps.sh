#!/bin/sh
# Install what building, running and testing Axolotl needs on Debian 12, and
# say so.  Called by `make run`, `make test` and `make bench`; does nothing
# when everything is already there.
#
#   qemu-system-x86   the machine Axolotl runs on (TCG)
#   busybox-static    the shell and tools of the user land, and of the Linux twin
#   musl-tools        musl-gcc, for static user programs
#   util-linux        mkfs.minix / fsck.minix (Debian's base has it)
#   linux-image-amd64 the Linux kernel the benchmarks compare against
#   cpio              packs the Linux twin's initramfs
#   python3           the test and benchmark harness
#   gcc, binutils, make: the host toolchain
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
if [ "${1:-}" = "--linux" ] && ! ls /boot/vmlinuz-* >/dev/null 2>&1; then
	need="$need linux-image-amd64"
fi
[ -z "$need" ] && exit 0
echo "deps: installing$need with apt-get"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need >/dev/null
echo "deps: done"
