#!/usr/bin/env bash
# make-tree.sh DIR MEGABYTES: generate a deterministic tree of about MEGABYTES MiB that looks like
# a root filesystem (a rootfs skeleton, directories up to 6 levels deep, ~46 files per MiB: mostly
# 0-16 KiB, ~3% 32 KiB-1 MiB, ~5% symlinks, a few hard links). The same arguments give the same
# names, sizes, contents and mtimes on any machine: a MINSTD generator in awk plans the tree and
# file contents are slices of a pseudorandom pool generated the same way.
set -euo pipefail

SEED=20110901
POOL_BYTES=$((2 * 1024 * 1024))

usage() { echo "usage: $0 DIR MEGABYTES" >&2; exit 2; }

# Writes POOL_BYTES pseudorandom bytes (1..255) to $1.
make_pool() {
    LC_ALL=C awk -v seed="$SEED" -v n="$POOL_BYTES" 'BEGIN {
        s = seed
        for (i = 0; i < n; i++) { s = (s * 48271) % 2147483647; printf "%c", 1 + s % 255 }
    }' >"$1"
}

# Prints the plan, one entry a line:  d PATH | f PATH SIZE POOL_OFFSET | s TARGET PATH | h EXISTING PATH
plan_tree() {
    awk -v seed="$SEED" -v target="$1" -v pool="$POOL_BYTES" '
    function rnd(n) { s = (s * 48271) % 2147483647; return int(s / 2147483647 * n) }
    function add_dir(path) { dirs[++nd] = path; depth[nd] = split(path, t, "/"); print "d " path }
    BEGIN {
        s = seed
        n = split("bin sbin etc etc/init.d lib lib/modules usr usr/bin usr/sbin usr/lib " \
                  "usr/share usr/share/doc usr/libexec var var/lib opt www", skel, " ")
        for (i = 1; i <= n; i++) add_dir(skel[i])
        next_ext = split(" .so .so.1 .conf .sh .txt .py .html .gz .ko .h", ext, " ")
        nf = 0; total = 0
        while (total < target) {
            if (rnd(100) < 8) {                     # a new directory under an existing one
                p = 1 + rnd(nd)
                if (depth[p] < 6) add_dir(sprintf("%s/d%04d", dirs[p], nd))
                continue
            }
            if (rnd(100) < 3) size = 32768 + rnd(1048576 - 32768 + 1)
            else size = rnd(16385)
            name = sprintf("%s/f%05d%s", dirs[1 + rnd(nd)], nf, ext[1 + rnd(next_ext)])
            files[++nf] = name
            print "f " name " " size " " rnd(pool - size + 1)
            total += size
        }
        for (i = 0; i < nf / 20; i++) {             # symlinks beside their target, like libfoo.so
            f = files[1 + rnd(nf)]
            base = f; sub(/.*\//, "", base); dir = f; sub(/\/[^\/]*$/, "", dir)
            print "s " base " " dir "/l" i "_" base
        }
        for (i = 0; i < nf / 200 + 1; i++)          # hard links anywhere in the tree
            print "h " files[1 + rnd(nf)] " " dirs[1 + rnd(nd)] "/h" i
    }'
}

make_tree() {
    local dir=$1 pool=$2 kind a b c
    while read -r kind a b c; do
        case $kind in
            d) mkdir -p "$dir/$a" ;;
            f) dd if="$pool" of="$dir/$a" bs=64K iflag=skip_bytes,count_bytes skip="$c" count="$b" \
                   status=none ;;
            s) ln -s "$a" "$dir/$b" ;;
            h) ln "$dir/$a" "$dir/$b" ;;
        esac
    done
    find "$dir" -exec touch -h -d @1300000000 {} +
}

main() {
    [[ $# -eq 2 && $2 =~ ^[0-9]+$ && $2 -gt 0 ]] || usage
    local dir=$1 bytes=$(($2 * 1024 * 1024))
    if [[ -e $dir ]] && [[ -n $(ls -A "$dir") ]]; then
        echo "$0: $dir exists and is not empty" >&2; exit 1
    fi
    mkdir -p "$dir"
    POOL=$(mktemp)
    trap 'rm -f "$POOL"' EXIT
    make_pool "$POOL"
    plan_tree "$bytes" | make_tree "$dir" "$POOL"
}

main "$@"
