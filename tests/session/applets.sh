# shell.applets: busybox sh exercising the applets of issue 16, run by
# Debian's busybox-static on Axolotl and by the same binary on the Linux
# twin, on the same Minix image; tools/applets.py compares the two outputs
# byte for byte (docs/userland.md, "shell.applets").
#
# Run as `busybox sh applets.sh` from user/applets_run with PATH=/bin,
# TZ=UTC, LC_ALL=C, in a fresh /tmp/applets, the inputs in
# /usr/share/applets (tests/session/applets/).  Everything printed must be
# the same on both systems: times are set (touch -d) or fixed (date -d @N),
# owners and modes are set (chmod), and of the machine only facts that do
# not depend on it are printed (a process the script started, found by its
# pid; the header of top; df's total of the same image; uname -s -m).
# Whatever is left out says why where it is left out.

IN=/usr/share/applets
sec() { echo "== $1"; }

# One link per applet, as a system with busybox has them in /bin: ash runs
# an applet by exec of /proc/self/exe first and by PATH second, tar runs
# gzip by PATH; made here whether or not the image has them.
mkdir links
for a in awk cat chmod cmp cp cut date dd df du env find free grep gzip head id kill ln ls \
	md5sum mkdir mount mv od ps readlink rm sed sh sha256sum sleep sort stat tail tar tee top \
	touch tr uname uniq vi wc xargs; do
	ln -s /bin/busybox links/$a
done
PATH=$PWD/links:$PATH

sec "shell: pipes, redirections, \$(...), loops, functions"
echo "one two three" | tr ' ' '\n' | sort -r
echo first > r1; echo second >> r1; cat < r1
{ echo out; echo err >&2; } > r2 2>&1; cat r2
ls /nonexistent 2>/dev/null || echo "ls failed: $?"
n=$(wc -l < $IN/words.txt); echo "lines=$n"
echo "nested: $(echo "$(echo inner)")"
i=0; while [ $i -lt 5 ]; do i=$((i + 1)); printf '%d ' $i; done; echo
for w in a b c; do echo "for $w"; done
case "abc.txt" in *.txt) echo "case txt";; *) echo "case other";; esac
f() { echo "f got $# args: $*"; return 3; }; f x "y z"; echo "f returned $?"
cat <<EOF
here-doc $((6 * 7)) ${IN##*/}
EOF
while read -r a b c; do echo "$b=$a"; done < $IN/nums.txt | head -n 3
(exit 5); echo "subshell $?"
true && echo and; false || echo or

sec "mkdir touch chmod ls"
mkdir -p tree/a/b tree/c
printf 'hello\n' > tree/a/f1
printf 'hello world\n' > tree/a/b/f2
printf '' > tree/c/empty
dd if=/dev/zero of=tree/c/big bs=1024 count=20 2>/dev/null
chmod 640 tree/a/f1; chmod u=rwx,g=rx,o= tree/a/b/f2; chmod 444 tree/c/empty
chmod 600 tree/c/big
touch -d '2001-09-09 01:46:40' tree/a/f1
touch -d '2009-02-13 23:31:30' tree/a/b/f2 tree/c/empty tree/c/big
touch -t 199912312359.59 tree/c
touch -r tree/a/f1 tree/a/b tree/a tree
ls tree
ls -1R tree
ls -l tree/a tree/c
ls -ln tree/a/f1
ls -ld tree/c
ls -s tree/c
ls -l --full-time tree/a/f1

sec "stat"
# Not %X: reading a file moves its atime on Linux (relatime).
stat -c '%n %s %a %A %u %g %U %G %F %h %Y' tree/a/f1 tree/a/b/f2 tree/c/empty tree/a
stat -c '%n %b %B' tree/c/big tree/a/f1 tree/c/empty
stat -c '%y' tree/a/f1
stat -f -c '%t %l %b %c %S' /

sec "cat cp mv rm ln"
cat tree/a/f1 tree/a/b/f2
cat -n $IN/words.txt | tail -n 2
cp tree/a/f1 cpy; cat cpy; stat -c '%a %s' cpy
cp -p tree/a/f1 cpy2; stat -c '%a %Y' cpy2
cp -r tree tree2; ls -R tree2
mv cpy moved; ls cpy moved 2>&1
mv tree2/c tree2/d; ls tree2
rm moved; rm -r tree2; ls moved tree2 2>&1
rm nothere 2>&1; echo "rm status $?"
rm -f nothere; echo "rm -f status $?"
ln tree/a/f1 hard; stat -c '%h' tree/a/f1 hard
ln -s tree/a/b/f2 soft; cat soft; readlink soft; ls -l soft | cut -c1-10
ln -sf ../f1 tree/a/b/up; cat tree/a/b/up
rm hard; stat -c '%h' tree/a/f1

sec "find"
find tree | sort
find tree -type f | sort
find tree -name 'f*' -type f | sort
find tree -type d | sort
find tree -newer tree/a/f1 -type f | sort
find tree -size +10k
find tree -perm 444
find tree -name big -exec stat -c '%s' {} \;
find tree -type f -name '*1' -print

sec "grep"
grep the $IN/words.txt
grep -c the $IN/words.txt
grep -v the $IN/words.txt
grep -n -i MANGO $IN/words.txt
grep -E '^(a|b)[a-z]+$' $IN/words.txt
grep -w fox $IN/words.txt | head -n 1
grep -o 'qu[a-z]*' $IN/words.txt
grep -r hello tree | sort
grep -l hello tree/a/f1 tree/c/empty
grep -q zebra $IN/words.txt && echo "zebra found"
grep nope $IN/words.txt; echo "grep status $?"

sec "sed"
sed 's/the/THE/' $IN/words.txt | head -n 3
sed 's/o/0/g' $IN/words.txt | tail -n 4
sed -n '2,4p' $IN/words.txt
sed '/^the/d' $IN/words.txt
sed -e 's/^/> /' -e '3q' $IN/words.txt
sed -n '$=' $IN/words.txt
sed 's/\([a-z]*\) \([a-z]*\)/\2 \1/' $IN/words.txt | head -n 2
cp $IN/words.txt w; sed -i 's/fox/cat/g' w; grep cat w
sed '1!G;h;$!d' $IN/nums.txt

sec "awk"
awk '{ s += $1 } END { print "sum", s, "n", NR }' $IN/nums.txt
awk '{ printf "%-8s|%5.2f|%03d\n", $2, $3, $1 }' $IN/nums.txt
awk -F: '$3 >= 1000 { print $1, $6 }' $IN/passwd.txt
awk 'BEGIN { for (i = 1; i <= 5; i++) x = x i; print x, length(x), substr(x, 2, 3) }'
awk '{ c[$2]++ } END { for (k in c) if (c[k] > 1) print k, c[k] }' $IN/nums.txt
awk 'NR % 2 == 0 { print NR": "toupper($0) }' $IN/words.txt
awk 'BEGIN { printf "%d %x %o %e %s\n", 255, 255, 255, 1234.5, sprintf("%5s", "ab") }'
awk '{ gsub(/a/, "A"); print }' $IN/words.txt | tail -n 3
awk 'BEGIN { split("a:b:c", p, ":"); print p[3] p[2] p[1]; print int(7 / 2), 7 % 3 }'

sec "sort uniq"
sort $IN/words.txt
sort -r $IN/words.txt | head -n 3
sort -n $IN/nums.txt
sort -k2 $IN/nums.txt
sort -t' ' -k3 -n -r $IN/nums.txt
sort -u $IN/nums.txt
sort -f $IN/words.txt | head -n 4
sort $IN/nums.txt | uniq
sort $IN/nums.txt | uniq -c
sort $IN/nums.txt | uniq -d
sort $IN/words.txt | uniq -u | head -n 3

sec "wc head tail cut tr tee"
wc $IN/words.txt
wc -l -w -c < $IN/nums.txt
cat $IN/words.txt $IN/nums.txt | wc -l
head -n 2 $IN/words.txt; head -c 10 $IN/words.txt; echo
tail -n 2 $IN/words.txt; tail -c 12 $IN/words.txt
tail -n +11 $IN/words.txt
cut -d: -f1,3 $IN/passwd.txt
cut -c1-5 $IN/words.txt | head -n 3
cut -d' ' -f2- $IN/nums.txt | head -n 2
echo "Hello World" | tr 'a-z' 'A-Z'
echo "Hello World" | tr -d 'lo'
echo "aaabbbccc" | tr -s 'abc'
echo "a,b;c" | tr ',;' '\n\n'
echo "tee line" | tee teefile | tr a-z A-Z; cat teefile
echo "more" | tee -a teefile >/dev/null; cat teefile

sec "xargs"
printf '1\n2\n3\n4\n5\n' | xargs echo
printf '1\n2\n3\n4\n5\n' | xargs -n 2 echo
find tree -type f | sort | xargs wc -c
echo "a b c" | xargs -n1 | sort -r
printf 'x\0y z\0' | xargs -0 -n1 echo

sec "od md5sum sha256sum dd"
printf 'ABC\001\377\n' > bin
od -c bin
od -A x -t x1 bin
od -t o2 bin
od -A d -t u1 -N 3 bin
md5sum $IN/words.txt bin
sha256sum $IN/words.txt bin
md5sum $IN/words.txt > sums; md5sum -c sums
cat $IN/words.txt | sha256sum
dd if=$IN/words.txt of=part bs=10 skip=2 count=3 2>/dev/null; cat part; echo
dd if=$IN/words.txt bs=4 count=2 2>&1 | tail -n 2 | cut -d' ' -f1-4
dd if=/dev/zero bs=512 count=3 2>/dev/null | wc -c
dd if=$IN/words.txt conv=ucase 2>/dev/null | head -n 1
printf 'abcdef' | dd bs=1 skip=2 count=3 2>/dev/null; echo

sec "tar gzip"
tar cf t.tar tree/a/f1 tree/a/b/f2 tree/c/big
tar tf t.tar
tar tvf t.tar
md5sum t.tar
mkdir x; tar xf t.tar -C x; find x -type f | sort; cmp x/tree/c/big tree/c/big && echo "tar roundtrip ok"
stat -c '%n %a %Y' x/tree/a/f1
gzip -c $IN/words.txt > w.gz; md5sum w.gz; gzip -l w.gz 2>/dev/null | tail -n 1 | awk '{print $1, $2}'
gzip -dc w.gz | cmp - $IN/words.txt && echo "gunzip ok"
cp $IN/nums.txt n; touch -d @1234567890 n; gzip n; ls n*; stat -c '%s' n.gz; md5sum n.gz
gzip -d n.gz; cat n | head -n 1
tar czf t.tgz tree/a; tar tzf t.tgz | sort
gzip -9 -c tree/c/big | wc -c

sec "date"
date -u -d @0
date -u -d @1000000000
date -u -d @1234567890 '+%Y-%m-%d %H:%M:%S %a %b %j %u %s'
date -u -d '2001-09-09 01:46:40' +%s
date -u -d @86399 +%T
TZ=UTC date -d @1700000000 -R
date -u -d @2147483647 '+%c'
date -u -d @1234567890 -I

sec "kill ps top"
sleep 30 &
pid=$!
sleep 1 # until the child has exec'd sleep: ps would show the forked shell before
ps -o pid,comm | awk -v p=$pid '$1 == p { print "ps finds", $2 }'
ps -o pid,ppid | awk -v p=$pid -v me=$$ '$1 == p { print "parent is the shell:", ($2 == me) }'
# ps's default COMMAND column ends with the command and its
# arguments (/proc/<pid>/cmdline).
ps | awk -v p=$pid '$1 == p { print "ps default:", $(NF - 1), $NF }'
kill -0 $pid && echo "kill -0 ok"
# Whether ash reports a job a signal ended ("Killed") depends on when it
# reaps it (Linux and Linux differ): not printed.
{ kill $pid; wait $pid; } 2>/dev/null; echo "sleep ended by SIGTERM: $?"
kill -0 $pid 2>/dev/null || echo "gone"
{ sleep 30 & pid=$!; kill -s KILL $pid; wait $pid; } 2>/dev/null; echo "SIGKILL: $?"
{ sleep 30 & pid=$!; kill -USR1 $pid; wait $pid; } 2>/dev/null; echo "SIGUSR1: $?"
trap 'echo "trapped USR2"' USR2; kill -USR2 $$; trap - USR2
kill -l 9; kill -l TERM; kill -l | head -n 2
kill 99999 2>&1; echo "kill status $?"
top -b -n1 | head -n 1 | cut -c1-4
top -b -n1 | grep -c '^ *PID  *PPID  *USER  *STAT  *VSZ'

sec "free df du mount"
free | head -n 1
free | awk 'NR == 2 { print $1, ($2 > 0), ($2 == $3 + $4 + $6) }'
free | awk 'NR == 3 { print $1 }'
df -k / | head -n 1
df -k / | awk 'NR == 2 { print $2, $6, ($2 == $3 + $4) }'
df -i / | awk 'NR == 2 { print $2, $6, ($2 == $3 + $4) }'
du -s tree/c
du -a tree | sort -k2
du -k -s tree/c/big
mount | awk '$3 == "/" { print $3, $4, $5, substr($6, 1, 3) }'
mount | awk '$3 == "/proc" { print $3, $5 }'

sec "uname env id"
uname -s -m
uname -o
# env -i empties PATH: an applet by its link, and by name (busybox runs
# its own applets through /proc/self/exe).
env -i A=1 B="two words" $PWD/links/env
env -i C=3 env
env | grep -E '^(TZ|PATH|LC_ALL)=' | sort
env -u TZ env | grep -c '^TZ='
X=local env | grep '^X='
id
id -u; id -g; id -un; id -G
id -u daemon 2>&1; echo "id daemon: $?"

sec "vi"
# Keys from a file: vi eats the first one (the answer it wants to the
# ESC[6n it sends, there is none on a pipe), hence the "l".  ESC only with
# pauses around it: vi takes an ESC followed by more input for the start of
# an escape sequence.
printf 'line one\nline two\nline three\n' > v.txt
printf 'l:2d\n:wq\n' > keys; vi v.txt < keys >/dev/null 2>&1; echo "vi: $?"; cat v.txt
printf 'l:%%s/line/LINE/g\n:$\nddP:wq\n' > keys; vi v.txt < keys >/dev/null 2>&1; cat v.txt
printf 'lyyjp:w new.txt\n:q!\n' > keys; vi v.txt < keys >/dev/null 2>&1; cat v.txt new.txt
printf 'r\n' > r.txt; printf 'l:r r.txt\nJrX:x\n' > keys; vi v.txt < keys >/dev/null 2>&1; cat v.txt
{ printf '\033'; sleep 1; printf 'Goadded at the end'; sleep 1; printf '\033'; sleep 1; printf ':wq\n'; } |
	vi v.txt >/dev/null 2>&1
echo "vi: $?"; cat v.txt

sec "end"
cd / && rm -r /tmp/applets && echo "cleaned up"
