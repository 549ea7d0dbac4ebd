#!/bin/sh
# Build the Linux twin's initramfs: Debian's static busybox, our static
# benchmark program and an /init that runs it and powers the machine off.
# tools/linux_twin.py boots Debian's kernel with it; make builds it through
# user/linux_bench/Makefile.inc.
#
#   sh tools/linux_initramfs.sh <linux_bench binary> <out.cpio.gz> <minix image>
#   sh tools/linux_initramfs.sh --chroot <program> <out.cpio.gz> <minix image>
#
# With --chroot, /init runs <program>, a path inside the Minix image, chrooted
# into it (with /proc and /dev mounted there): the program sees the same
# files as on Axolotl (shell.applets: user/applets, tools/applets.py).
#
# The Minix image (Axolotl's root file system, build/rootfs) goes in as
# /fs.img with the newest kernel's brd and minix modules: /init copies it
# onto the RAM disk /dev/ram0 and mounts it on /mnt, where linux_bench
# measures the file benchmarks (the same kind of disk and file system as
# Axolotl's).
# The staging directory holds no device nodes (no root needed): the kernel's
# built-in initramfs already provides /dev/console, and /init mounts devtmpfs.
set -eu

chroot=
if [ "${1:-}" = --chroot ]; then
	chroot=$2
	shift
fi
if [ $# -ne 3 ]; then
	echo "usage: $0 [--chroot <program in the image> | <linux_bench binary>] <out.cpio.gz> <minix image>" >&2
	exit 2
fi
bench=$1
out=$2
image=$3
modules=$(ls -d /lib/modules/* 2>/dev/null | sort -V | tail -n 1)
busybox=/bin/busybox

[ -x "$busybox" ] || { echo "linux_initramfs: no $busybox (install busybox-static)" >&2; exit 1; }
[ -n "$chroot" ] || [ -x "$bench" ] || { echo "linux_initramfs: no benchmark program $bench" >&2; exit 1; }
[ -f "$image" ] || { echo "linux_initramfs: no Minix image $image" >&2; exit 1; }
for m in drivers/block/brd.ko fs/minix/minix.ko; do
	[ -f "$modules/kernel/$m" ] || { echo "linux_initramfs: no $modules/kernel/$m" >&2; exit 1; }
done

mkdir -p "$(dirname "$out")"
stage=$(mktemp -d "$(dirname "$out")/initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage/bin" "$stage/proc" "$stage/sys" "$stage/dev" "$stage/mnt"
cp "$image" "$stage/fs.img"
cp "$modules/kernel/drivers/block/brd.ko" "$modules/kernel/fs/minix/minix.ko" "$stage/"
cp "$busybox" "$stage/bin/busybox"
for applet in sh mount poweroff insmod dd chroot; do
	ln -s busybox "$stage/bin/$applet"
done
if [ -n "$chroot" ]; then
	run="mount -t proc proc /mnt/proc
mount -t devtmpfs devtmpfs /mnt/dev
chroot /mnt $chroot
echo \"linux_run_status \$?\""
else
	cp "$bench" "$stage/linux_bench"
	chmod 0755 "$stage/linux_bench"
	run='/linux_bench
echo "linux_bench_status $?"'
fi

cat > "$stage/init" <<INIT
#!/bin/sh
# Linux twin: run the program, report its status, power off.
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
insmod /brd.ko rd_nr=1 rd_size=8192
insmod /minix.ko
dd if=/fs.img of=/dev/ram0 bs=65536 2>/dev/null
mount -t minix /dev/ram0 /mnt
$run
poweroff -f
INIT
chmod 0755 "$stage/init" "$stage/bin/busybox"

# Sorted names, owner root and no timestamps in gzip: the same inputs give
# the same archive.
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
	cpio -o -H newc -R 0:0 --reproducible --quiet) | gzip -9 -n > "$out.tmp"
mv "$out.tmp" "$out"
