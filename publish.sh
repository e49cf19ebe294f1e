#!/usr/bin/env bash
# publish.sh: builds preinit (NativeAOT), a Debian test kernel and the busybox demo rootfs, then
# makes the Live CD from them with `preinit mklive` (the same verb users run on their own rootfs)
# into $OUT (default out/). Run `./publish.sh help` for the subcommands.
# Needs root (apt-get, mknod in the demo rootfs). See GUIDE.md sections 2 and 3.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${OUT:-out}
[[ $OUT == /* ]] || OUT=$REPO/$OUT
CACHE=$OUT/cache
# The demo rootfs (busybox, the checkers, the Live CD's files); mklive stages a copy in $OUT/initramfs.
STAGE=$OUT/rootfs
LIVECD=$REPO/src/LiveCd
# Set PREINIT_BIN to a prebuilt binary to skip `dotnet publish` (e.g. to test the pipeline).
PREINIT_BIN=${PREINIT_BIN:-}

APT_PACKAGES=(qemu-system-x86 busybox-static isolinux syslinux-common xorriso cpio kmod
    e2fsprogs e2fsck-static dosfstools hyperfine binutils gcc linux-libc-dev
    # The probing tests: blkid -p is the reference, these tools make an image of every type.
    util-linux mount fdisk exfatprogs ntfs-3g btrfs-progs f2fs-tools xfsprogs squashfs-tools
    erofs-utils genisoimage mtd-utils cryptsetup-bin udftools
    # The preinit network tests: ip makes veth pairs in private network namespaces.
    iproute2
    # The ISO's EFI boot image (mtools writes into a FAT image without mounting it); UEFI firmware
    # for the VM tests (OVMF, with and without Secure Boot).
    mtools ovmf
    # The Debian rootfs of the systemd VM test (./publish.sh debian-rootfs).
    mmdebstrap)
# Debian's signed UEFI boot chain, downloaded and unpacked (not installed: shim-signed's install
# scripts would write to /boot/efi): shim (signed by Microsoft), its MokManager, and GRUB's CD image
# (signed by Debian); Debian's kernel is signed too, so Secure Boot goes shim -> GRUB -> kernel.
EFI_PACKAGES=(shim-signed shim-helpers-amd64-signed grub-efi-amd64-signed)
EFI_FILES=(usr/lib/shim/shimx64.efi.signed usr/lib/shim/mmx64.efi.signed
    usr/lib/grub/x86_64-efi-signed/gcdx64.efi.signed)
# The Debian rootfs of the systemd VM test: a minbase (Priority: required) system plus
# systemd-sysv (systemd as /sbin/init), udev and kmod (devices and modules once systemd runs);
# e2fsprogs, whose e2fsck preinit runs on an ext4 stick, is named although minbase has it.
DEBIAN_SUITE=bookworm
DEBIAN_PACKAGES=(systemd-sysv udev kmod e2fsprogs)
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

  build (default)   deps, then binary, kernel, demo rootfs, and preinit mklive into ${OUT#"$REPO"/}/:
                      preinit  vmlinuz  rootfs/ (the demo rootfs)  initramfs/ (mklive's staging
                      tree)  initramfs.cpio.gz  iso/  live.iso
                      live-stick.img (live.iso + a 64 MiB rootfs_data partition)
  deps              install the apt packages needed to build and test (no-op if present)
  debian-rootfs     make (once) and print ${OUT#"$REPO"/}/cache/debian-$DEBIAN_SUITE-systemd.tar.gz, a Debian
                    minbase rootfs with systemd (mmdebstrap from apt's mirror; for the VM tests)
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
# Debian rootfs (not part of build)

# The mirror apt uses here (deb822 sources first), else Debian's own.
debian_mirror() {
    local sources=/etc/apt/sources.list.d/debian.sources uri=
    [[ -f $sources ]] && uri=$(awk '$1 == "URIs:" && $2 ~ /\/debian\/?$/ { print $2; exit }' "$sources")
    echo "${uri:-http://deb.debian.org/debian}"
}

# Makes $CACHE/debian-SUITE-systemd.tar.gz once with mmdebstrap and prints its path; `preinit
# mklive` turns it into a Live image. Kept small (no documentation, manuals or translations, no apt
# lists; merged /usr set up by mmdebstrap, so usrmerge and its perl are not installed) because
# stage 1 holds the whole rootfs in RAM twice, in the initramfs and in the ext2 image. The hostname
# is fixed ("debian") and the build machine's resolv.conf, which mmdebstrap copies in, is removed.
debian_rootfs() {
    local tarball=$CACHE/debian-$DEBIAN_SUITE-systemd.tar.gz partial mirror packages
    if [[ ! -f $tarball ]]; then
        ensure_deps >&2
        mirror=$(debian_mirror)
        packages=$(IFS=,; echo "${DEBIAN_PACKAGES[*]}")
        # mmdebstrap picks gzip from the name's ending, so the partial file ends in .tar.gz too.
        partial=${tarball%.tar.gz}.partial.tar.gz
        log "mmdebstrap $DEBIAN_SUITE ($packages) from $mirror"
        mkdir -p "$CACHE"
        # Without a terminal mmdebstrap reads a sources.list from stdin: give it none.
        mmdebstrap --variant=minbase --include="$packages" \
            --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
            --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
            --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
            --dpkgopt='path-exclude=/usr/share/locale/*' --aptopt='Acquire::Languages "none"' \
            --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* "$1"/etc/resolv.conf' \
            --customize-hook='echo debian >"$1"/etc/hostname && chmod 644 "$1"/etc/hostname' \
            --customize-hook='printf "127.0.0.1\tlocalhost\n127.0.1.1\tdebian\n" >"$1"/etc/hosts' \
            "$DEBIAN_SUITE" "$partial" "$mirror" </dev/null >&2
        mv "$partial" "$tarball"
        log "$(basename "$tarball"): $(human_size "$tarball")"
    fi
    echo "$tarball"
}

# ---------------------------------------------------------------------------------------------
# the demo rootfs

# The Live CD's settings and fstab (preinit install would write the same defaults) and the links
# to preinit, which mklive installs.
install_overlay() {
    cp -a "$REPO/rootfs-overlay/." "$STAGE/"
}

# glibc for fsck.fat, fsck.exfat and mke2fs (and preinit, which finds them already there).
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

build_demo_rootfs() {
    log "demo rootfs ${STAGE#"$REPO"/}/"
    rm -rf "$STAGE"
    mkdir -p "$STAGE"
    install_overlay
    install_libraries
    install_busybox
    install_checkers
    install_mke2fs
    make_rootfs_skeleton
    install_livecd_files
}

# ---------------------------------------------------------------------------------------------
# UEFI boot chain and the Live image

# Downloads and unpacks the signed EFI binaries into $CACHE/efi (reused when present).
fetch_efi_binaries() {
    local pkg deb file missing=
    for file in "${EFI_FILES[@]}"; do
        [[ -f $CACHE/efi/$file ]] || missing=1
    done
    [[ -z $missing ]] && return 0
    mkdir -p "$CACHE/efi-debs"
    rm -rf "$CACHE/efi"
    for pkg in "${EFI_PACKAGES[@]}"; do
        deb=$(compgen -G "$CACHE/efi-debs/${pkg}_*.deb" | head -n1 || true)
        if [[ -z $deb ]]; then
            log "downloading $pkg"
            (cd "$CACHE/efi-debs" && apt-get -q -o APT::Sandbox::User=root download "$pkg")
            deb=$(compgen -G "$CACHE/efi-debs/${pkg}_*.deb" | head -n1)
        fi
        dpkg-deb -x "$deb" "$CACHE/efi"
    done
    for file in "${EFI_FILES[@]}"; do
        [[ -f $CACHE/efi/$file ]] || die "${EFI_PACKAGES[*]} have no $file"
    done
}

# The Live CD: `preinit mklive` on the demo rootfs, with the test kernel and its modules and the
# signed EFI binaries; --work keeps its staging tree, initramfs and ISO tree in $OUT for the tests.
build_live_image() {
    fetch_efi_binaries
    log "preinit mklive ${STAGE#"$REPO"/}/ ${OUT#"$REPO"/}/live.iso"
    "$OUT/preinit" mklive "$STAGE" "$OUT/live.iso" --kernel "$OUT/vmlinuz" --modules "$CACHE/kernel/lib/modules" \
        --efi "$CACHE/efi" --work "$OUT" >"$OUT/mklive.log" || { cat "$OUT/mklive.log" >&2; die "preinit mklive failed"; }
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
    log "done: kernel $KVER, $(find "$OUT/initramfs/lib/modules" -name '*.ko*' | wc -l) modules"
    for f in preinit vmlinuz initramfs.cpio.gz live.iso live-stick.img; do
        printf '  %-20s %10s\n' "$f" "$(human_size "$OUT/$f")"
    done
}

build() {
    ensure_deps
    build_binary
    fetch_kernel
    build_demo_rootfs
    build_live_image
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
        debian-rootfs) debian_rootfs ;;
        demo) demo ;;
        help | -h | --help) usage ;;
        *) usage >&2; exit 2 ;;
    esac
}

main "$@"
