# shell_script_insns (make bench): a fixed busybox sh script, the same file
# on Axolotl (/bin/shell_script.sh, run in /tmp) and on the Linux twin
# (/mnt/bin/shell_script.sh in the same root image, run in /mnt/tmp, the
# same Minix file system): loops, the shell's forks and execs of busybox
# applets, pipes, command substitution, a small file tree made, read,
# searched and removed.  It prints nothing; its exit status says whether
# every step gave what it should (tests/bench/bench.c, linux_bench.c).
d=${1:-/tmp}/shbench.$$
mkdir -p "$d" && cd "$d" || exit 1
i=0
while [ $i -lt 8 ]; do
	mkdir -p dir$i/sub
	echo "file $i" > dir$i/sub/f$i.txt
	seq 1 $i > dir$i/n.txt
	i=$((i + 1))
done
n=$(find . -type f | wc -l)
[ "$n" -eq 16 ] || exit 2
total=0
for f in dir*/n.txt; do
	total=$((total + $(cat $f | wc -l)))
done
[ "$total" -eq 28 ] || exit 3
ls -R . | sort | uniq | wc -l > count.txt
grep -r "file" . | sort > found.txt
tr a-z A-Z < found.txt | head -n 5 | sed -e 's/FILE/f/' | cut -d: -f2 > cut.txt
[ "$(wc -l < cut.txt)" -eq 5 ] || exit 4
cd / && rm -rf "$d" || exit 5
