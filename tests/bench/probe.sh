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
    mkfs.erofs -q "$CORPUS/erofs.img" "$src" >/dev/null 2>&1 || echo "probe.sh: skipping erofs" >&2
    genisoimage -quiet -V ISO_LABEL -o "$CORPUS/iso9660.img" "$src" 2>/dev/null || echo "probe.sh: skipping iso9660" >&2
    image empty 8 true
    truncate -s 32M "$CORPUS/gpt.img" && printf 'label: gpt\n,16M,L,name=data\n,,L\n' | sfdisk -q "$CORPUS/gpt.img" >/dev/null 2>&1 || true
    truncate -s 32M "$CORPUS/dos.img" && printf 'label: dos\n,16M,83\n,,83\n' | sfdisk -q "$CORPUS/dos.img" >/dev/null 2>&1 || true
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
    hyperfine --runs 20 --warmup 3 --export-json "$CORPUS/probe.json" -N -i \
        -n "preinit probe" "$PREINIT probe ${files[*]}" \
        -n "blkid -p" "blkid -p ${files[*]}" >&2 || true
    python3 - "$CORPUS/probe.json" "${#files[@]}" <<'PY'
import json, sys
r = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
p, b = r["preinit probe"], r["blkid -p"]
print(f"| images | preinit probe (median) | blkid -p (median) | ratio (blkid / preinit) |")
print(f"|---|---|---|---|")
print(f"| {sys.argv[2]} | {p*1000:.1f} ms | {b*1000:.1f} ms | {b/p:.2f}x |")
PY
}

main "$@"
