#!/usr/bin/env bash
# persist.sh [RUNS]: how long `preinit persist` takes to save a 10 MiB RAM-only session (1,000 files
# of 10 KiB in 10 directories, a deletion), median of RUNS (default 5), against the baseline of
# copying the same upper layer by hand in the same run (`cp -a` onto an empty ext4 stick, then
# `sync`: no merge with saved changes, no pairing, nothing atomic). Also a second persist of the same
# session onto the stick that now holds it (the saved layer hard-linked, every file replaced).
# Real overlayfs in a private mount namespace: a chroot of out/preinit, `preinit pivot-ram` makes
# the session, each stick a fresh 64 MiB ext4 image on a loop device (in tmpfs). Needs root.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"
BIN=${OUT:-$REPO/out}/preinit
RUNS=${1:-5}
[[ -x $BIN ]] || { echo "persist: $BIN missing (run ./publish.sh)" >&2; exit 1; }
[[ $(id -u) == 0 ]] || { echo "persist: needs root (loop devices, mounts)" >&2; exit 1; }
[[ ${PERSIST_BENCH_INNER:-} == 1 ]] || exec unshare --mount --propagation private env PERSIST_BENCH_INNER=1 "$0" "$@"

WORK=$(mktemp -d)
mount -t tmpfs -o size=1g tmpfs "$WORK"
cleanup() {
    [[ -f $WORK/loops ]] && while read -r loop; do losetup -d "$loop" 2>/dev/null || true; done <"$WORK/loops"
    umount -l "$WORK" 2>/dev/null || true
    rmdir "$WORK"
}
trap cleanup EXIT

root=$WORK/root
mkdir -p "$root"
mount --bind "$root" "$root" # pivot_root needs the root to be a mount point
mkdir -p "$root"/{bin,proc,dev,sys,tmp,etc,lib/x86_64-linux-gnu,lib64,mnt/baseline}
cp "$BIN" "$root/preinit"
cp /bin/busybox /bin/date "$root/bin/"
cp /lib/x86_64-linux-gnu/{libc.so.6,libm.so.6} "$root/lib/x86_64-linux-gnu/"
cp /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
echo 'ID=bench' >"$root/etc/os-release"
echo 'deleted in the session' >"$root/etc/gone"
mount -t proc proc "$root/proc"
mount -t devtmpfs devtmpfs "$root/dev"
mount -t sysfs sysfs "$root/sys"
mount -t tmpfs tmpfs "$root/tmp"

stick() {
    local image=$WORK/stick-$1.img
    truncate -s 64M "$image"
    mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 -L "bench$1" "$image"
    losetup --find --show "$image" | tee -a "$WORK/loops"
}

# In the session: make the changes, then time persist, persist again, and the baseline copy (ms each).
cat >"$root/bench.sh" <<'INNER'
ms() { /bin/date +%s%3N; }
i=0
while [ $i -lt 10 ]; do
    mkdir -p /etc/bench/d$i
    j=0
    while [ $j -lt 100 ]; do head -c 10240 /dev/urandom >/etc/bench/d$i/f$j; j=$((j + 1)); done
    i=$((i + 1))
done
rm /etc/gone
t0=$(ms); /preinit persist "$1" >/dev/null 2>&1 || { echo "persist failed" >&2; exit 1; }
t1=$(ms); /preinit persist "$1" >/dev/null 2>&1 || { echo "second persist failed" >&2; exit 1; }
t2=$(ms); mount "$2" /mnt/baseline && cp -a /tmp/root/upper /mnt/baseline/upper && sync && umount /mnt/baseline
t3=$(ms)
echo "$((t1 - t0)) $((t2 - t1)) $((t3 - t2))"
INNER

first=() again=() baseline=()
for ((r = 0; r < RUNS; r++)); do
    a=$(stick "a$r") b=$(stick "b$r")
    read -r p1 p2 cp < <(PATH=/bin unshare --mount --propagation private /usr/sbin/chroot "$root" /preinit pivot-ram --size 256M \
        /bin/busybox sh /bench.sh "$a" "$b" 2>"$WORK/errors" | tail -n1) || { cat "$WORK/errors" >&2; exit 1; }
    first+=("$p1") again+=("$p2") baseline+=("$cp")
done

m1=$(printf '%s\n' "${first[@]}" | middle) m2=$(printf '%s\n' "${again[@]}" | middle) mb=$(printf '%s\n' "${baseline[@]}" | middle)
printf '%-44s %8s   %s\n' "10 MiB session (1,000 files)" "median" "runs (ms)"
printf '%-44s %6sms   %s\n' "preinit persist onto an empty stick" "$m1" "${first[*]}"
printf '%-44s %6sms   %s\n' "preinit persist again (over the saved layer)" "$m2" "${again[*]}"
printf '%-44s %6sms   %s\n' "cp -a + sync (baseline)" "$mb" "${baseline[*]}"
awk -v a="$m1" -v b="$mb" 'BEGIN { printf "persist / baseline: %.2fx\n", a / b }'
