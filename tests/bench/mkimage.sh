#!/usr/bin/env bash
# mkimage.sh: benchmark `preinit mkimage TREE IMG` (the pure ext2 writer) against
# `mke2fs -q -F -t ext2 -N INODES -d TREE IMG SIZE` (e2fsprogs populating an image of the same size
# and inode count). Generates 8, 32 and 128 MiB trees (make-tree.sh) and a tree of 200,000 small
# files (make-many.sh), times both commands in ONE hyperfine run per tree, measures each command's
# peak RSS with /usr/bin/time -v, checks both images with e2fsck -fn, and prints a markdown table
# (hyperfine runs the commands without a shell: --shell=none). Goals: mkimage within 1.5x of mke2fs,
# peak RSS < 32 MB whatever the tree.
# As root the work happens in a private tmpfs; otherwise in a temporary directory under $TMPDIR.
#   PREINIT=path     binary to benchmark (default: out/preinit of this repository)
#   SIZES="8 32 128" tree sizes in MiB
#   MANY=200000      files of the many-small-files tree (empty: none)
#   RESULTS=dir      keep hyperfine's JSON there
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"
REPO=$(cd "$HERE/../.." && pwd)
PREINIT=${PREINIT:-$REPO/out/preinit}
SIZES=${SIZES:-8 32 128}
MANY=${MANY-200000}
RESULTS=${RESULTS:-}
RUNS=${RUNS:-10}
WARMUP=2
SCRATCH=
MOUNTED=0

die() { echo "mkimage.sh: $*" >&2; exit 1; }

cleanup() {
    [[ -n $SCRATCH ]] || return 0
    if ((MOUNTED)); then umount "$SCRATCH" 2>/dev/null || umount -l "$SCRATCH" || true; rmdir "$SCRATCH" 2>/dev/null || true
    else rm -rf "$SCRATCH"; fi
}

check_prerequisites() {
    [[ -x $PREINIT ]] || die "no $PREINIT: run ./publish.sh first (or set PREINIT)"
    "$PREINIT" mkimage --help >/dev/null 2>&1 || die "$PREINIT has no mkimage verb"
    local tool
    for tool in hyperfine mke2fs e2fsck dumpe2fs python3; do
        command -v "$tool" >/dev/null || die "$tool not found (./publish.sh deps)"
    done
    [[ -x /usr/bin/time ]] || die "/usr/bin/time not found (apt-get install time)"
}

make_scratch() {
    SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/mkimage-bench.XXXXXX")
    if [[ $EUID -eq 0 ]]; then
        mount -t tmpfs -o size=3g,mode=700 mkimage-bench "$SCRATCH"
        MOUNTED=1
    fi
}

# Peak RSS in KiB of the command "$@" (GNU time's "Maximum resident set size").
peak_rss() {
    /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ { print $2 }'
}

# bench_tree NAME LABEL: times and measures both tools on the tree made at $SCRATCH/tree-NAME.
bench_tree() {
    local name=$1 label=$2 tree=$SCRATCH/tree-$1 img=$SCRATCH/mkimage-$1.img ref=$SCRATCH/mke2fs-$1.img
    local json=$SCRATCH/hyperfine-$1.json bytes kib inodes rss_ours rss_ref mke2fs
    echo "== $label: $(find "$tree" | wc -l) entries, $(du -sh --apparent-size "$tree" | cut -f1)" >&2

    # Untimed runs: both work, both images pass e2fsck, and mke2fs gets the size and inodes mkimage chose.
    "$PREINIT" mkimage "$tree" "$img" | sed 's/^/   /' >&2
    bytes=$(stat -c %s "$img")
    kib=$((bytes / 1024))
    inodes=$(dumpe2fs -h "$img" 2>/dev/null | awk -F': *' '/^Inode count/ { print $2 }')
    e2fsck -fn "$img" >/dev/null 2>&1 || die "e2fsck rejects the image mkimage wrote from $tree"
    mke2fs="mke2fs -q -F -t ext2 -N $inodes -d $tree $ref ${kib}k"
    rm -f "$ref"
    $mke2fs >/dev/null 2>&1 || die "$mke2fs failed"
    e2fsck -fn "$ref" >/dev/null 2>&1 || die "e2fsck rejects the image mke2fs wrote from $tree"

    rss_ours=$(peak_rss "$PREINIT" mkimage "$tree" "$img")
    rm -f "$ref"
    # shellcheck disable=SC2086 # the command line is words without spaces
    rss_ref=$(peak_rss $mke2fs)

    hyperfine --shell=none --runs "$RUNS" --warmup "$WARMUP" --export-json "$json" \
        --prepare "rm -f '$img' '$ref'" \
        -n mkimage "'$PREINIT' mkimage '$tree' '$img'" \
        -n mke2fs "$mke2fs" >&2
    [[ -z $RESULTS ]] || { mkdir -p "$RESULTS"; cp "$json" "$RESULTS/"; }
    ROWS+=("$(table_row "$label" "$bytes" "$json" "$rss_ours" "$rss_ref")")
    rm -rf "$tree" "$img" "$ref"
}

bench_size() {
    local mb=$1
    "$HERE/make-tree.sh" "$SCRATCH/tree-$mb" "$mb"
    bench_tree "$mb" "$mb MiB, $(find "$SCRATCH/tree-$mb" -type f | wc -l) files"
}

bench_many() {
    local files=$1
    "$HERE/make-many.sh" "$SCRATCH/tree-many" "$files"
    bench_tree many "$(du -sm --apparent-size "$SCRATCH/tree-many" | cut -f1) MiB, $files files"
}

table_row() {
    local label=$1 bytes=$2 json=$3 rss_ours=$4 rss_ref=$5 ours ref
    ours=$(median "$json" mkimage)
    ref=$(median "$json" mke2fs)
    awk -v label="$label" -v bytes="$bytes" -v o="$ours" -v r="$ref" -v ro="$rss_ours" -v rr="$rss_ref" 'BEGIN {
        printf "| %s | %.1f MiB | %.3f s | %.3f s | %.2fx | %.1f MB | %.1f MB |\n",
            label, bytes / 1048576, o, r, o / r, ro * 1024 / 1e6, rr * 1024 / 1e6 }'
}

main() {
    check_prerequisites
    trap cleanup EXIT
    make_scratch
    ROWS=()
    local mb
    for mb in $SIZES; do bench_size "$mb"; done
    [[ -z $MANY ]] || bench_many "$MANY"
    echo
    echo "| tree | image | mkimage median | mke2fs -d median | mkimage / mke2fs (goal <= 1.5x) | mkimage peak RSS (goal < 32 MB) | mke2fs peak RSS |"
    echo "|---|---|---|---|---|---|---|"
    printf '%s\n' "${ROWS[@]}"
}

main "$@"
