#!/bin/sh
# The Linux twin of `make run`: an initramfs in which Debian's kernel boots
# to the same busybox shell prompt as Axolotl, for boot_to_prompt_ms
# (tools/axrun.py bench).  The same busybox binary with a name for every
# applet, the same /etc (user/init/etc: inittab, rc, profile, ...), /init
# being busybox's init.  Linux's initramfs has no /dev/ttyS0, which the
# inittab's shell line opens: /etc/rc mounts devtmpfs first (Axolotl's
# /dev is on its root image).
#
#   sh tools/linux_prompt_initramfs.sh <etc dir> <out.cpio.gz>
set -eu

if [ $# -ne 2 ]; then
	echo "usage: $0 <etc dir> <out.cpio.gz>" >&2
	exit 2
fi
etc=$1
out=$2
busybox=/bin/busybox
[ -x "$busybox" ] || { echo "linux_prompt_initramfs: no $busybox (install busybox-static)" >&2; exit 1; }

mkdir -p "$(dirname "$out")"
stage=$(mktemp -d "$(dirname "$out")/prompt.XXXXXX")
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage/bin" "$stage/sbin" "$stage/usr/bin" "$stage/usr/sbin" "$stage/proc" \
	"$stage/sys" "$stage/dev" "$stage/tmp" "$stage/root" "$stage/home/user" "$stage/etc"
cp "$busybox" "$stage/bin/busybox"
for applet in $("$busybox" --list-full); do
	[ "$applet" = bin/busybox ] || ln -sf /bin/busybox "$stage/$applet"
done
ln -sf /bin/busybox "$stage/init"
cp "$etc"/* "$stage/etc/"
{ echo '#!/bin/sh'; echo 'mount -t devtmpfs devtmpfs /dev'; tail -n +2 "$etc/rc"; } > "$stage/etc/rc"
chmod 0755 "$stage/etc/rc" "$stage/bin/busybox"
chmod 1777 "$stage/tmp"

(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
	cpio -o -H newc -R 0:0 --reproducible --quiet) | gzip -9 -n > "$out.tmp"
mv "$out.tmp" "$out"
