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
EFI_FILES=(usr/lib/shim/shimx64.efi.signed:BOOTX64.EFI usr/lib/shim/mmx64.efi.signed:mmx64.efi
    usr/lib/grub/x86_64-efi-signed/gcdx64.efi.signed:grubx64.efi)
# The kernel command line every boot menu entry starts with (src/LiveCd/boot-menu adds the rest):
# the log on the screen and on the first serial port, ttyS0 last so /dev/console is the serial port.
BOOT_CONSOLES="console=tty0 console=ttyS0,115200"
BOOT_MENU_TIMEOUT=3
# isolinux's menu and the libraries it needs (syslinux 6 modules are loaded from isolinux/).
ISOLINUX_MODULES=(ldlinux.c32 menu.c32 libutil.c32 libcom32.c32)
# The Debian rootfs of the systemd VM test: a minbase (Priority: required) system plus
# systemd-sysv (systemd as /sbin/init), udev and kmod (devices and modules once systemd runs);
# e2fsprogs, whose e2fsck preinit runs on an ext4 stick, is named although minbase has it.
DEBIAN_SUITE=bookworm
DEBIAN_PACKAGES=(systemd-sysv udev kmod e2fsprogs)
# Root list of kernel modules for the initramfs; dependencies are added by module_closure.
ROOT_MODULES=(loop ext4 overlay isofs vfat nls_cp437 nls_iso8859-1 nls_utf8 usb-storage uas
    sd_mod sr_mod xhci-pci ehci-pci ohci-pci uhci-hcd crc32c-generic
    # UEFI variables (mount -t efivarfs efivarfs /sys/firmware/efi/efivars), e.g. to read SecureBoot.
    efivarfs
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
# packing

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

# ---------------------------------------------------------------------------------------------
# boot menu (src/LiveCd/boot-menu -> isolinux.cfg and grub.cfg)

# Strips leading and trailing blanks of $1, in REPLY.
trim() {
    REPLY=${1#"${1%%[![:space:]]*}"}
    REPLY=${REPLY%"${REPLY##*[![:space:]]}"}
}

# Reads the boot menu table into MENU_NAME, MENU_TITLE (with its ^), MENU_KEY (the hotkey, lower
# case) and MENU_ARGS, one element per entry, checking what either loader would trip over.
read_boot_menu() {
    local table=$LIVECD/boot-menu name title args key n=0
    [[ -f $table ]] || die "missing $table"
    MENU_NAME=() MENU_TITLE=() MENU_KEY=() MENU_ARGS=()
    while IFS='|' read -r name title args; do
        n=$((n + 1))
        trim "$name"; name=$REPLY
        [[ -z $name || $name == \#* ]] && continue
        trim "$title"; title=$REPLY
        trim "$args"; args=$REPLY
        [[ $name =~ ^[a-z0-9_-]+$ ]] || die "boot-menu line $n: name '$name' is not [a-z0-9_-]+"
        [[ $title =~ ^[^^]*\^([[:alnum:]])[^^]*$ ]] \
            || die "boot-menu line $n: title '$title' needs one ^ before its hotkey letter"
        key=${BASH_REMATCH[1],,}
        # GRUB's menu keeps e (edit), c (command line) and v (down, as ^ is up) for itself.
        [[ $key != [cev] ]] || die "boot-menu line $n: hotkey '$key' is GRUB's own key"
        [[ " ${MENU_KEY[*]} " != *" $key "* ]] || die "boot-menu line $n: hotkey '$key' is taken"
        [[ " ${MENU_NAME[*]} " != *" $name "* ]] || die "boot-menu line $n: name '$name' is taken"
        [[ $title$args != *[\'\"\\]* ]] || die "boot-menu line $n: no quotes or backslashes, please"
        MENU_NAME+=("$name") MENU_TITLE+=("$title") MENU_KEY+=("$key") MENU_ARGS+=("$args")
    done <"$table"
    ((${#MENU_NAME[@]} > 0)) || die "$table has no entries"
}

# The kernel command line of entry $1.
menu_cmdline() { echo "$BOOT_CONSOLES${MENU_ARGS[$1]:+ ${MENU_ARGS[$1]}}"; }

# isolinux (BIOS): menu.c32 on the screen and, through SERIAL, on the first serial port. Tab edits
# the command line; MENU IMMEDIATE makes a hotkey boot its entry at once, as GRUB's do.
write_isolinux_cfg() {
    local i
    cat <<EOF
# Generated by publish.sh from src/LiveCd/boot-menu (edit that table, not this file).
SERIAL 0 115200
UI menu.c32
PROMPT 0
TIMEOUT $((BOOT_MENU_TIMEOUT * 10))
DEFAULT ${MENU_NAME[0]}
MENU TITLE preinit Live CD
MENU IMMEDIATE
MENU TABMSG Press a highlighted letter to boot, [Tab] to edit the command line
EOF
    for i in "${!MENU_NAME[@]}"; do
        cat <<EOF

LABEL ${MENU_NAME[i]}
  MENU LABEL ${MENU_TITLE[i]}
  KERNEL /boot/vmlinuz
  APPEND initrd=/boot/initramfs.gz $(menu_cmdline "$i")
EOF
    done
}

# GRUB (UEFI): Debian's signed GRUB finds this file through /.disk/info. The menu is on the
# firmware's console, which OVMF (and a PC's serial console redirection) also puts on the serial
# port; "e" edits an entry.
write_grub_cfg() {
    local i
    cat <<EOF
# Generated by publish.sh from src/LiveCd/boot-menu (edit that table, not this file).
set default=0
set timeout=$BOOT_MENU_TIMEOUT
EOF
    for i in "${!MENU_NAME[@]}"; do
        cat <<EOF

menuentry '${MENU_TITLE[i]/^/}' --hotkey=${MENU_KEY[i]} --id=${MENU_NAME[i]} {
    linux /boot/vmlinuz $(menu_cmdline "$i")
    initrd /boot/initramfs.gz
}
EOF
    done
}

# ---------------------------------------------------------------------------------------------
# UEFI boot image

# Downloads and unpacks the signed EFI binaries into $CACHE/efi (reused when present).
fetch_efi_binaries() {
    local pkg deb pair missing=
    for pair in "${EFI_FILES[@]}"; do
        [[ -f $CACHE/efi/${pair%%:*} ]] || missing=1
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
    for pair in "${EFI_FILES[@]}"; do
        [[ -f $CACHE/efi/${pair%%:*} ]] || die "${EFI_PACKAGES[*]} have no ${pair%%:*}"
    done
}

# The El Torito EFI boot image $1: a FAT image with EFI/BOOT/BOOTX64.EFI (shim), which loads
# grubx64.efi (GRUB) from its own directory, and mmx64.efi (MokManager) for shim to fall back on.
make_efi_image() {
    local img=$1 pair kib=0
    fetch_efi_binaries
    for pair in "${EFI_FILES[@]}"; do
        kib=$((kib + $(stat -c %s "$CACHE/efi/${pair%%:*}") / 1024 + 4))
    done
    # Room for the FAT and directories, rounded up to whole MiB.
    kib=$(((kib + 256 + 1023) / 1024 * 1024))
    rm -f "$img"
    mkfs.vfat -C -n EFIBOOT "$img" "$kib" >/dev/null || die "mkfs.vfat $img failed"
    mmd -i "$img" ::/EFI ::/EFI/BOOT || die "mmd $img failed"
    for pair in "${EFI_FILES[@]}"; do
        mcopy -i "$img" "$CACHE/efi/${pair%%:*}" "::/EFI/BOOT/${pair#*:}" || die "mcopy into $img failed"
    done
}

# ---------------------------------------------------------------------------------------------
# ISO

build_iso() {
    local iso=$OUT/iso module
    log "ISO ${OUT#"$REPO"/}/live.iso (BIOS: isolinux, UEFI: shim + GRUB)"
    rm -rf "$iso"
    mkdir -p "$iso/isolinux" "$iso/boot/grub" "$iso/.disk"
    install -m 644 /usr/lib/ISOLINUX/isolinux.bin "$iso/isolinux/"
    for module in "${ISOLINUX_MODULES[@]}"; do
        install -m 644 "/usr/lib/syslinux/modules/bios/$module" "$iso/isolinux/"
    done
    read_boot_menu
    write_isolinux_cfg >"$iso/isolinux/isolinux.cfg"
    write_grub_cfg >"$iso/boot/grub/grub.cfg"
    # What GRUB searches for to find the disk it booted from.
    echo "preinit Live CD $(git -C "$REPO" describe --always --dirty 2>/dev/null || echo unknown)" \
        >"$iso/.disk/info"
    make_efi_image "$iso/boot/efiboot.img"
    install -m 644 "$OUT/vmlinuz" "$iso/boot/vmlinuz"
    install -m 644 "$OUT/initramfs.cpio.gz" "$iso/boot/initramfs.gz"
    # BIOS: isolinux as the first El Torito image, isohdpfx.bin as the MBR boot code (CD and stick).
    # UEFI: efiboot.img as the second El Torito image (CD) and as an MBR/GPT partition (stick).
    xorriso -as mkisofs -quiet -o "$OUT/live.iso" -V PREINIT_LIVE -R -J \
        -isohybrid-mbr /usr/lib/ISOLINUX/isohdpfx.bin \
        -c isolinux/boot.cat -b isolinux/isolinux.bin \
        -no-emul-boot -boot-load-size 4 -boot-info-table \
        -eltorito-alt-boot -e boot/efiboot.img -no-emul-boot -isohybrid-gpt-basdat \
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
        debian-rootfs) debian_rootfs ;;
        demo) demo ;;
        help | -h | --help) usage ;;
        *) usage >&2; exit 2 ;;
    esac
}

main "$@"
