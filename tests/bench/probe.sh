#!/usr/bin/env bash
# probe.sh: benchmark `preinit probe` against `blkid -p` on the same corpus of images, in one
# hyperfine run (whole processes, as a user or a boot script would run them). The corpus: one
# small image per filesystem the probers know, made by the real mkfs tools, in a tmpfs.
#   PREINIT=path   binary to benchmark (default: out/preinit of this repository)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
PREINIT=${PREINIT:-$REPO/out/preinit}
CORPUS=

die() { echo "probe.sh: $*" >&2; exit 1; }
cleanup() { [[ -z $CORPUS ]] || { umount "$CORPUS" 2>/dev/null || true; rmdir "$CORPUS" 2>/dev/null || true; }; }

# image NAME SIZE_MB COMMAND...: a sparse file NAME.img, then COMMAND with the path appended.
image() {
    local name=$1 size=$2 file
    shift 2
    file=$CORPUS/$name.img
    truncate -s "${size}M" "$file"
    if ! "$@" "$file" >/dev/null 2>&1; then
        echo "probe.sh: skipping $name ($1 failed or missing)" >&2
        rm -f "$file"
    fi
}

make_corpus() {
    image ext2 8 mkfs.ext2 -q -F -L data2
    image ext3 8 mkfs.ext3 -q -F -L data3
    image ext4 8 mkfs.ext4 -q -F -L rootfs_data
    image ext4-nolabel 8 mkfs.ext4 -q -F
    image ext4-long 8 mkfs.ext4 -q -F -L sixteen_chars_xx
    image ext2-utf8 8 mkfs.ext2 -q -F -L "Ünïcødé ✓"
    image vfat-nolabel 16 mkfs.fat -F 16
    image vfat12 2 mkfs.fat -F 12 -n FAT12
    image vfat16 16 mkfs.fat -F 16 -n FAT16
    image vfat32 40 mkfs.fat -F 32 -n FAT32
    image exfat 8 mkfs.exfat -L exfat
    image ntfs 8 mkfs.ntfs -q -F -f -L ntfs
    image btrfs 128 mkfs.btrfs -q -f -L btrfs
    image f2fs 64 mkfs.f2fs -q -f -l f2fs
    image xfs 320 mkfs.xfs -q -f -L xfs
    image swap 8 mkswap -L swap
    image luks 32 sh -c 'echo -n pass | cryptsetup luksFormat -q --type luks2 --pbkdf pbkdf2 --pbkdf-force-iterations 1000 --key-file - "$0"'
    local src=$CORPUS/src
    mkdir -p "$src" && echo hello >"$src/file"
    mksquashfs "$src" "$CORPUS/squashfs.img" -quiet -noappend >/dev/null 2>&1 || echo "probe.sh: skipping squashfs" >&2
    mkfs.erofs "$CORPUS/erofs.img" "$src" >/dev/null 2>&1 || echo "probe.sh: skipping erofs" >&2
    genisoimage -quiet -V ISO_LABEL -o "$CORPUS/iso9660.img" "$src" 2>/dev/null || echo "probe.sh: skipping iso9660" >&2
    truncate -s 32M "$CORPUS/gpt.img" && printf 'label: gpt\nsize=16M, type=L, name=data\ntype=L\n' | sfdisk -q "$CORPUS/gpt.img" >/dev/null 2>&1 || true
    truncate -s 32M "$CORPUS/dos.img" && printf 'label: dos\nsize=16M, type=83\ntype=83\n' | sfdisk -q "$CORPUS/dos.img" >/dev/null 2>&1 || true
    rm -rf "$src"
}

main() {
    [[ $EUID -eq 0 ]] || die "needs root (tmpfs for the corpus)"
    [[ -x $PREINIT ]] || die "no $PREINIT: run ./publish.sh first (or set PREINIT)"
    command -v hyperfine >/dev/null || die "hyperfine not found (./publish.sh deps)"
    trap cleanup EXIT
    CORPUS=$(mktemp -d /tmp/probe-bench.XXXXXX)
    mount -t tmpfs -o size=1g,mode=700 probe-bench "$CORPUS"
    make_corpus
    local files=("$CORPUS"/*.img)
    echo "corpus: ${#files[@]} images" >&2
    # blkid -p stops at the first path it cannot identify: every image must be identified by both,
    # or the comparison would time different work.
    local ours theirs
    ours=$("$PREINIT" probe "${files[@]}" | wc -l)
    theirs=$(blkid -p "${files[@]}" | wc -l)
    [[ $ours -eq ${#files[@]} && $theirs -eq ${#files[@]} ]] \
        || die "of ${#files[@]} images, preinit identified $ours and blkid $theirs"
    # Once over the corpus, and the corpus ten times over in one process each: the second shows the
    # cost per image once the process has started.
    local many=()
    for _ in 1 2 3 4 5 6 7 8 9 10; do many+=("${files[@]}"); done
    hyperfine --runs 20 --warmup 3 --export-json "$CORPUS/probe.json" -N -i \
        -n "preinit probe x1" "$PREINIT probe ${files[*]}" \
        -n "blkid -p x1" "blkid -p ${files[*]}" \
        -n "preinit probe x10" "$PREINIT probe ${many[*]}" \
        -n "blkid -p x10" "blkid -p ${many[*]}" >&2 || true
    python3 - "$CORPUS/probe.json" "${#files[@]}" <<'PY'
import json, sys
r = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
n = int(sys.argv[2])
print("| paths probed | preinit probe (median) | blkid -p (median) | ratio (blkid / preinit) |")
print("|---|---|---|---|")
for k, count in (("x1", n), ("x10", 10 * n)):
    p, b = r[f"preinit probe {k}"], r[f"blkid -p {k}"]
    print(f"| {count} ({n} images{'' if k == 'x1' else ' x 10'}) | {p*1000:.1f} ms | {b*1000:.1f} ms | {b/p:.2f}x |")
PY
}

main "$@"
