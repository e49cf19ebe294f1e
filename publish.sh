#!/usr/bin/env bash
# publish.sh: builds preinit (NativeAOT), a Debian test kernel, the initramfs and a bootable
# Live CD ISO into $OUT (default out/). Run `./publish.sh help` for the subcommands.
# Needs root (apt-get, mknod, depmod into the staging tree). See GUIDE.md sections 2 and 3.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${OUT:-out}
[[ $OUT == /* ]] || OUT=$REPO/$OUT
CACHE=$OUT/cache
STAGE=$OUT/initramfs
LIVECD=$REPO/src/LiveCd
# Set PREINIT_BIN to a prebuilt binary to skip `dotnet publish` (e.g. to test the pipeline).
PREINIT_BIN=${PREINIT_BIN:-}

APT_PACKAGES=(qemu-system-x86 busybox-static isolinux syslinux-common xorriso cpio kmod
    e2fsprogs e2fsck-static dosfstools hyperfine binutils gcc linux-libc-dev
    # The probing tests: blkid -p is the reference, these tools make an image of every type.
    util-linux mount fdisk exfatprogs ntfs-3g btrfs-progs f2fs-tools xfsprogs squashfs-tools
    erofs-utils genisoimage mtd-utils cryptsetup-bin
    # The preinit network tests: ip makes veth pairs in private network namespaces.
    iproute2)
# Root list of kernel modules for the initramfs; dependencies are added by module_closure.
ROOT_MODULES=(loop ext4 overlay isofs vfat nls_cp437 nls_iso8859-1 nls_utf8 usb-storage uas
    sd_mod sr_mod xhci-pci ehci-pci ohci-pci uhci-hcd crc32c-generic
    # Network cards of the PCs this runs on (and QEMU's), for preinit messages and failsafe telnet.
    e1000 e1000e r8169 8139too 8139cp virtio_net)
# Directories of a minimal rootfs (busybox applet links add bin, sbin, usr/...).
ROOTFS_DIRS=(bin sbin usr/bin usr/sbin lib etc dev proc sys tmp root mnt run var/log)

START_MS=$(date +%s%3N)
# Progress line on stderr with the seconds since the start: "==>  12.3s packing ...".
log() {
    local ms=$(($(date +%s%3N) - START_MS)) bold= plain=
    [[ -t 2 ]] && bold=$'\033[1m' plain=$'\033[0m'
    printf '%s==> %3d.%ds%s %s\n' "$bold" $((ms / 1000)) $((ms % 1000 / 100)) "$plain" "$*" >&2
}
die() { printf 'publish.sh: error: %s\n' "$*" >&2; exit 1; }

usage() {
    cat <<EOF
usage: ./publish.sh [command]

  build (default)   deps, then binary, kernel, initramfs and ISO into ${OUT#"$REPO"/}/:
                      preinit  vmlinuz  initramfs/ (staging tree)  initramfs.cpio.gz  live.iso
                      live-stick.img (live.iso + a 64 MiB rootfs_data partition)
  deps              install the apt packages needed to build and test (no-op if present)
  pack DIR FILE     pack staging tree DIR into a gzip'd newc cpio FILE (sorted, owner root)
  demo              build, then boot live.iso in QEMU on this terminal (quit: Ctrl-A X)
  help              this text

environment:
  OUT=DIR           output directory (default: out, relative to the repository)
  PREINIT_BIN=FILE  use this prebuilt binary instead of running dotnet publish
EOF
}

# ---------------------------------------------------------------------------------------------
# deps

missing_packages() {
    local installed
    installed=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "${APT_PACKAGES[@]}" \
        2>/dev/null | awk '$1 == "ii" { print $2 }' || true)
    printf '%s\n' "${APT_PACKAGES[@]}" | grep -vxF -f <(echo "$installed") || true
}

ensure_deps() {
    local missing
    missing=$(missing_packages)
    command -v dotnet >/dev/null || die "dotnet SDK not found on PATH"
    [[ -z $missing ]] && return 0
    log "installing: $(echo $missing)"
    [[ $EUID -eq 0 ]] || die "need root to install packages"
    apt-get update -qq
    # shellcheck disable=SC2086 # word splitting of the package list is intended
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
}

# ---------------------------------------------------------------------------------------------
# binary

build_binary() {
    mkdir -p "$OUT"
    if [[ -n $PREINIT_BIN ]]; then
        log "using prebuilt $PREINIT_BIN (PREINIT_BIN)"
        install -m 755 "$PREINIT_BIN" "$OUT/preinit"
    else
        log "dotnet publish native-aot/Preinit.csproj"
        dotnet publish "$REPO/native-aot/Preinit.csproj" -c Release -r linux-x64 -o "$OUT/bin" \
            --nologo -v quiet
        [[ -x $OUT/bin/preinit ]] || die "dotnet publish produced no $OUT/bin/preinit"
        install -m 755 "$OUT/bin/preinit" "$OUT/preinit"
    fi
    strip "$OUT/preinit"
}

# The absolute paths of the shared libraries (and loader) the binary needs, as ldd shows them.
binary_libraries() {
    ldd "$1" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i }'
}

# ---------------------------------------------------------------------------------------------
# kernel

kernel_package() {
    apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ { print $2; exit }'
}

# Downloads and unpacks the kernel package into $CACHE/kernel (reused when present);
# sets KVER and KTREE (the unpacked lib/modules/KVER).
fetch_kernel() {
    local pkg deb
    pkg=$(kernel_package)
    [[ -n $pkg ]] || die "apt-cache depends linux-image-amd64 names no image package"
    KVER=${pkg#linux-image-}
    KTREE=$CACHE/kernel/lib/modules/$KVER
    mkdir -p "$CACHE"
    deb=$(compgen -G "$CACHE/${pkg}_*.deb" | head -n1 || true)
    if [[ -z $deb ]]; then
        log "downloading $pkg"
        (cd "$CACHE" && apt-get -q -o APT::Sandbox::User=root download "$pkg")
        deb=$(compgen -G "$CACHE/${pkg}_*.deb" | head -n1)
    fi
    if [[ ! -f $KTREE/modules.dep || ! -f $CACHE/kernel/boot/vmlinuz-$KVER ]]; then
        log "unpacking $(basename "$deb")"
        rm -rf "$CACHE/kernel"
        dpkg-deb -x "$deb" "$CACHE/kernel"
        depmod -b "$CACHE/kernel" "$KVER"
    fi
    install -m 644 "$CACHE/kernel/boot/vmlinuz-$KVER" "$OUT/vmlinuz"
}

# ---------------------------------------------------------------------------------------------
# kernel module closure

# Prints the relative paths (kernel/...) of the given modules and everything they need, hard and
# soft ("pre:") dependencies, as kmod's own modprobe resolves them against the unpacked kernel.
module_closure() {
    modprobe -d "$CACHE/kernel" -S "$KVER" --show-depends -a "$@" \
        | awk -v tree="$KTREE/" '$1 == "insmod" { sub(tree, "", $2); print $2 }' | sort -u
}

install_modules() {
    local dest=$STAGE/lib/modules/$KVER path
    mkdir -p "$dest"
    module_closure "${ROOT_MODULES[@]}" >"$OUT/modules.list"
    while read -r path; do
        install -D -m 644 "$KTREE/$path" "$dest/$path"
    done <"$OUT/modules.list"
    cp "$KTREE"/modules.{builtin,builtin.modinfo,order} "$dest/"
    depmod -b "$STAGE" "$KVER"
    check_ext4_closure "$dest"
}

check_ext4_closure() {
    local dest=$1 need
    for need in crc16 mbcache jbd2; do
        grep -q "/$need\.ko\$" "$OUT/modules.list" || die "ext4 closure lacks $need.ko"
    done
    grep -Eq '/crc32c[-_](generic|intel)\.ko$' "$OUT/modules.list" \
        || die "ext4 closure lacks a crc32c provider"
    grep -q 'softdep ext4 pre: crypto-crc32c' "$dest/modules.softdep" \
        || die "staging modules.softdep lacks ext4's crc32c soft dependency"
}

# ---------------------------------------------------------------------------------------------
# staging tree

install_preinit_and_overlay() {
    install -D -m 755 "$OUT/preinit" "$STAGE/sbin/preinit"
    if [[ -d $REPO/rootfs-overlay ]]; then
        cp -a "$REPO/rootfs-overlay/." "$STAGE/"
    fi
    # The overlay carries these links; make them if it does not (yet).
    [[ -e $STAGE/init || -L $STAGE/init ]] || ln -s sbin/preinit "$STAGE/init"
    mkdir -p "$STAGE/etc"
    [[ -e $STAGE/etc/preinit || -L $STAGE/etc/preinit ]] || ln -s ../sbin/preinit "$STAGE/etc/preinit"
}

install_libraries() {
    local -a libs
    mapfile -t libs < <(binary_libraries "$OUT/preinit")
    log "preinit needs: ${libs[*]:-nothing (static)}"
    local lib
    for lib in "${libs[@]}"; do
        install -D -m 755 "$(readlink -f "$lib")" "$STAGE$lib"
    done
}

# Relative symlink target from path $1 (relative to the tree root) to bin/busybox, in REPLY.
busybox_link_target() {
    local slashes=${1//[^\/]/}
    REPLY=
    while ((${#REPLY} < 3 * ${#slashes})); do REPLY+=../; done
    REPLY+=bin/busybox
}

install_busybox() {
    local busybox applet
    busybox=$(dpkg -L busybox-static | grep -m1 '/bin/busybox$')
    install -D -m 755 "$busybox" "$STAGE/bin/busybox"
    while read -r applet; do
        [[ -e $STAGE/$applet || -L $STAGE/$applet ]] && continue
        [[ $applet == */* ]] && mkdir -p "$STAGE/${applet%/*}"
        busybox_link_target "$applet"
        ln -s "$REPLY" "$STAGE/$applet"
    done < <("$STAGE/bin/busybox" --list-full)
    [[ $(readlink -f "$STAGE/sbin/init") == "$(readlink -f "$STAGE/bin/busybox")" ]] \
        || die "sbin/init in the staging tree is not busybox"
}

# The filesystem checkers boot runs on the stick: e2fsck (static build), fsck.fat and fsck.exfat
# (they need only libc, which the tree already has for preinit).
CHECKERS=(/sbin/e2fsck.static:sbin/e2fsck /sbin/fsck.fat:sbin/fsck.fat /sbin/fsck.exfat:sbin/fsck.exfat)

install_checkers() {
    local pair from to lib
    for pair in "${CHECKERS[@]}"; do
        from=${pair%%:*} to=${pair#*:}
        [[ -x $from ]] || die "$from missing (./publish.sh deps installs it)"
        for lib in $(binary_libraries "$from"); do
            [[ -e $STAGE$lib ]] || die "$from needs $lib, which the tree lacks"
        done
        install -D -m 755 "$from" "$STAGE/$to"
    done
}

# e2fsprogs' mke2fs for `preinit stick` on the running Live system (busybox's applet makes only ext2
# and cannot write at an offset), with the shared libraries it needs and its configuration.
install_mke2fs() {
    local lib
    for lib in $(binary_libraries /sbin/mke2fs); do
        [[ -e $STAGE$lib ]] || install -D -m 755 "$(readlink -f "$lib")" "$STAGE$lib"
    done
    install -D -m 755 /sbin/mke2fs "$STAGE/sbin/mke2fs"
    install -D -m 644 /etc/mke2fs.conf "$STAGE/etc/mke2fs.conf"
}

make_rootfs_skeleton() {
    local dir
    for dir in "${ROOTFS_DIRS[@]}"; do mkdir -p "$STAGE/$dir"; done
    chmod 1777 "$STAGE/tmp"
    chmod 700 "$STAGE/root"
    mknod -m 600 "$STAGE/dev/console" c 5 1
    mknod -m 666 "$STAGE/dev/null" c 1 3
    # The .NET runtime reads /dev/urandom before preinit's first line runs; without it preinit mounts
    # devtmpfs and execs itself again, which costs a second start.
    mknod -m 666 "$STAGE/dev/urandom" c 1 9
    ln -sfn /proc/mounts "$STAGE/etc/mtab"
}

install_livecd_files() {
    [[ -d $LIVECD/rootfs ]] || die "missing $LIVECD/rootfs"
    cp -a "$LIVECD/rootfs/." "$STAGE/"
    # The build, which a stick's identity record keeps (a stick written by another build is used with a notice).
    echo "BUILD_ID=$(git -C "$REPO" describe --always --dirty 2>/dev/null || echo unknown)" >> "$STAGE/etc/os-release"
}

build_staging_tree() {
    log "staging tree ${STAGE#"$REPO"/}/ (kernel $KVER)"
    rm -rf "$STAGE"
    mkdir -p "$STAGE"
    install_preinit_and_overlay
    install_libraries
    install_busybox
    install_checkers
    install_mke2fs
    make_rootfs_skeleton
    install_livecd_files
    install_modules
}

# ---------------------------------------------------------------------------------------------
# packing and ISO

# Packs tree $1 into gzip'd newc cpio $2: sorted names, root-owned, no device/inode noise.
pack() {
    local dir=$1 file=$2 abs
    [[ -d $dir ]] || die "pack: no such directory: $dir"
    mkdir -p "$(dirname "$file")"
    abs=$(cd "$(dirname "$file")" && pwd)/$(basename "$file")
    (cd "$dir" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort \
        | cpio -o -H newc -R 0:0 --reproducible --quiet | gzip -9 -n) >"$abs.tmp"
    mv "$abs.tmp" "$abs"
}

build_iso() {
    local iso=$OUT/iso
    log "ISO ${OUT#"$REPO"/}/live.iso"
    rm -rf "$iso"
    mkdir -p "$iso/isolinux" "$iso/boot"
    install -m 644 /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 \
        "$LIVECD/isolinux.cfg" "$iso/isolinux/"
    install -m 644 "$OUT/vmlinuz" "$iso/boot/vmlinuz"
    install -m 644 "$OUT/initramfs.cpio.gz" "$iso/boot/initramfs.gz"
    xorriso -as mkisofs -quiet -o "$OUT/live.iso" -V PREINIT_LIVE -R -J \
        -isohybrid-mbr /usr/lib/ISOLINUX/isohdpfx.bin \
        -c isolinux/boot.cat -b isolinux/isolinux.bin \
        -no-emul-boot -boot-load-size 4 -boot-info-table \
        "$iso" >"$OUT/xorriso.log" 2>&1 || { cat "$OUT/xorriso.log" >&2; die "xorriso failed"; }
}

# One stick for both: live.iso followed by a small rootfs_data partition, written by preinit itself (a
# sparse file: 512 MiB of room for the image to grow, then the partition).
build_stick_image() {
    log "one-stick image ${OUT#"$REPO"/}/live-stick.img"
    rm -f "$OUT/live-stick.img"
    "$OUT/preinit" stick "$OUT/live.iso" "$OUT/live-stick.img" --persistence 64M --yes >"$OUT/stick.log" \
        || { cat "$OUT/stick.log" >&2; die "preinit stick failed"; }
}

human_size() { numfmt --to=iec-i --suffix=B --format='%.1f' "$(stat -c %s "$1")"; }

print_summary() {
    local f
    log "done: kernel $KVER, $(wc -l <"$OUT/modules.list") modules"
    for f in preinit vmlinuz initramfs.cpio.gz live.iso live-stick.img; do
        printf '  %-20s %10s\n' "$f" "$(human_size "$OUT/$f")"
    done
}

build() {
    ensure_deps
    build_binary
    fetch_kernel
    build_staging_tree
    log "packing ${OUT#"$REPO"/}/initramfs.cpio.gz"
    pack "$STAGE" "$OUT/initramfs.cpio.gz"
    build_iso
    build_stick_image
    print_summary
}

demo() {
    build
    echo "Booting live.iso in QEMU (TCG). Press Enter for a shell; quit with Ctrl-A X or 'poweroff -f'."
    exec qemu-system-x86_64 -accel tcg -m 512M -cdrom "$OUT/live.iso" -nographic -no-reboot -nic none
}

main() {
    local cmd=${1:-build}
    case $cmd in
        build) build ;;
        deps) ensure_deps ;;
        pack) [[ $# -eq 3 ]] || { usage >&2; exit 2; }; pack "$2" "$3" ;;
        demo) demo ;;
        help | -h | --help) usage ;;
        *) usage >&2; exit 2 ;;
    esac
}

main "$@"
