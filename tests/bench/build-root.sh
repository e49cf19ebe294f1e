#!/usr/bin/env bash
# build-root.sh: benchmark `preinit build-root` (ext2 image built in one pass) against the 2011
# trial loop (trial-loop.sh: dd + mkfs.ext2 + tar, +500 KiB per try until two copies succeed).
# Generates 8 and 32 MiB trees (make-tree.sh) in a private tmpfs, times both commands in ONE
# hyperfine run per size and prints a markdown table of medians and their ratio. Needs root.
#   PREINIT=path   binary to benchmark (default: out/preinit of this repository)
#   SIZES="8 32"   tree sizes in MiB
#   RESULTS=dir    keep hyperfine's JSON there (default: only in the tmpfs, removed at the end)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"
REPO=$(cd "$HERE/../.." && pwd)
PREINIT=${PREINIT:-$REPO/out/preinit}
SIZES=${SIZES:-8 32}
RESULTS=${RESULTS:-}
RUNS=5
WARMUP=1
SCRATCH=

die() { echo "build-root.sh: $*" >&2; exit 1; }

cleanup() {
    [[ -n $SCRATCH ]] || return 0
    umount -R "$SCRATCH" 2>/dev/null || umount -l "$SCRATCH" || true
    rmdir "$SCRATCH" 2>/dev/null || true
}

check_prerequisites() {
    [[ $EUID -eq 0 ]] || die "needs root (loop devices and mounts)"
    [[ -x $PREINIT ]] || die "no $PREINIT: run ./publish.sh first (or set PREINIT)"
    local tool
    for tool in hyperfine losetup mkfs.ext2 e2fsck; do
        command -v "$tool" >/dev/null || die "$tool not found (./publish.sh deps)"
    done
}

mount_scratch() {
    SCRATCH=$(mktemp -d /tmp/build-root-bench.XXXXXX)
    mount -t tmpfs -o size=2g,mode=700 build-root-bench "$SCRATCH"
}

# One untimed run of each command: checks both work and records the trial loop's tries.
sanity_run() {
    local tree=$1 img=$2 work=$3
    local log=$SCRATCH/build-root.log
    "$PREINIT" build-root --from "$tree" --image "$img" >"$log" 2>&1 \
        || { cat "$log" >&2; die "preinit build-root failed on $tree"; }
    sed 's/^/   preinit: /' "$log" >&2
    e2fsck -fn "$img" >/dev/null 2>&1 || die "e2fsck rejects the image preinit built from $tree"
    rm -f "$img"
    "$HERE/trial-loop.sh" "$tree" "$work" | tail -n1 | sed 's/^trial-loop: //'
}

bench_size() {
    local mb=$1 tree=$SCRATCH/tree$1 img=$SCRATCH/img$1.ext2 work=$SCRATCH/work$1
    local json=$SCRATCH/hyperfine-$1.json
    "$HERE/make-tree.sh" "$tree" "$mb"
    echo "== ${mb} MiB tree: $(find "$tree" -type f | wc -l) files, $(du -sh --apparent-size "$tree" | cut -f1)" >&2
    TRIES[$mb]=$(sanity_run "$tree" "$img" "$work")
    hyperfine --runs "$RUNS" --warmup "$WARMUP" --export-json "$json" \
        --prepare "rm -rf '$img' '$work'" \
        -n build-root "'$PREINIT' build-root --from '$tree' --image '$img'" \
        -n trial-loop "'$HERE/trial-loop.sh' '$tree' '$work'" >&2
    [[ -z $RESULTS ]] || { mkdir -p "$RESULTS"; cp "$json" "$RESULTS/"; }
    ROWS+=("$(table_row "$mb" "$json")")
    rm -rf "$tree" "$img" "$work"
}

table_row() {
    local mb=$1 json=$2 fast slow
    fast=$(median "$json" build-root)
    slow=$(median "$json" trial-loop)
    awk -v mb="$mb" -v f="$fast" -v s="$slow" -v tries="${TRIES[$mb]}" 'BEGIN {
        printf "| %d MiB | %.3f s | %.3f s | %.1fx | %s |\n", mb, f, s, s / f, tries }'
}

main() {
    check_prerequisites
    trap cleanup EXIT
    mount_scratch
    declare -gA TRIES=()
    ROWS=()
    local mb
    for mb in $SIZES; do bench_size "$mb"; done
    echo
    echo "| tree | build-root median | trial loop median | ratio (trial loop / build-root) | trial loop |"
    echo "|---|---|---|---|---|"
    printf '%s\n' "${ROWS[@]}"
}

main "$@"
