#!/usr/bin/env bash
# trial-loop.sh SRC_DIR WORK_DIR: the baseline for build-root.sh. A transcription of the 2011
# source's /init loop (sources/000_b2ae640d872397fb.txt, try_loop0): dd an ext2 image from
# /dev/zero starting at 4000 KiB, losetup, mkfs.ext2, mount, `find -xdev` the directories and
# tar the rest into it; on failure grow by 500 KiB and start over, until the copy has
# succeeded twice. Differences: it copies SRC_DIR instead of /, the image and mount point live
# in WORK_DIR, the loop device comes from `losetup -f --show` instead of a fixed /dev/loop0,
# a failed losetup or mount aborts (the original would copy into the bare mount point), and
# every mount and loop device is released on exit. Needs root.
set -u

[[ $# -eq 2 ]] || { echo "usage: $0 SRC_DIR WORK_DIR" >&2; exit 2; }
SRC=$(cd "$1" && pwd) || exit 1
mkdir -p "$2" && WORK=$(cd "$2" && pwd) || exit 1
IMG=$WORK/new_root
MNT=$WORK/root
LOOP=

release() {
    mountpoint -q "$MNT" && umount "$MNT"
    [[ -n $LOOP ]] && losetup -d "$LOOP"
    LOOP=
}
cleanup() { release >/dev/null 2>&1; rm -f "$IMG"; }
fail() { echo "trial-loop: $*" >&2; exit 1; }
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$MNT"
root_done=0
root_size=4000
tries=0
cd "$SRC" || exit 1
while [ $root_done -ne 2 ]; do
    # clean up if the image already exists
    if [ -e "$IMG" ]; then
        release >/dev/null 2>&1
        rm -rf "$IMG" || exit 1
    fi
    # make a ${root_size} KiB ext2 volume
    echo "Trying root image @ ${root_size}K"
    tries=$((tries + 1))
    dd if=/dev/zero of="$IMG" bs=1024 count=$root_size >/dev/null 2>&1
    LOOP=$(losetup -f --show "$IMG") || fail "losetup failed"
    mkfs.ext2 "$LOOP" >/dev/null 2>&1
    mount -t ext2 "$LOOP" "$MNT" || fail "mount $LOOP failed"
    # copy files
    root_size=$((root_size + 500)) # prep for next loop
    { find . -xdev -type d | { cd "$MNT"; xargs mkdir -p; }; } || continue
    mkdir -p "$MNT/storage" || continue
    # shellcheck disable=SC2046 # word splitting of the file list is the original's
    { tar cf - $(find . -xdev \( \! -type d -a \! -name new_root \)) |
        { cd "$MNT"; tar xf -; }; } >/dev/null 2>&1 || continue
    root_done=$((root_done + 1))
done
echo "trial-loop: $tries tries, final image $((root_size - 500)) KiB"
