#!/usr/bin/env bash
# firmware-boot.sh [RUNS]: seconds from QEMU's start to the console's "livecd: /sbin/init started"
# line for out/live.iso on each firmware path (SeaBIOS CD, SeaBIOS USB disk, OVMF CD, OVMF USB disk,
# OVMF + Secure Boot USB disk), the median of RUNS boots (default 3) each, all in one run so the
# numbers compare. Default boots, as a user sees them: the menu's 3 s timeout, the 4 s failsafe
# prompt and the wait for a stick labelled rootfs_data (there is none: it ends about 2 s after the
# prompt) are all included.
# QEMU TCG, one guest at a time, no network. Needs out/live.iso (./publish.sh) and ovmf.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"
ISO=${OUT:-$REPO/out}/live.iso
RUNS=${1:-3}
OVMF=/usr/share/OVMF
TIMEOUT=300
[[ -f $ISO ]] || { echo "firmware-boot: $ISO missing (run ./publish.sh)" >&2; exit 1; }
[[ -f $OVMF/OVMF_CODE_4M.secboot.fd ]] || { echo "firmware-boot: no OVMF (apt-get install ovmf)" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# QEMU arguments of firmware $1 (seabios, ovmf, ovmf-sb); a fresh copy of the variable store.
firmware_args() {
    case $1 in
        seabios) ;;
        ovmf)
            cp "$OVMF/OVMF_VARS_4M.fd" "$WORK/vars.fd"
            echo "-machine q35 -drive if=pflash,format=raw,readonly=on,file=$OVMF/OVMF_CODE_4M.fd"
            echo "-drive if=pflash,format=raw,file=$WORK/vars.fd" ;;
        ovmf-sb)
            cp "$OVMF/OVMF_VARS_4M.ms.fd" "$WORK/vars.fd"
            echo "-machine q35,smm=on -global driver=cfi.pflash01,property=secure,value=on"
            echo "-drive if=pflash,format=raw,readonly=on,file=$OVMF/OVMF_CODE_4M.secboot.fd"
            echo "-drive if=pflash,format=raw,file=$WORK/vars.fd" ;;
    esac
}

# QEMU arguments of medium $1 (cd, usb); the USB disk is a fresh copy of the ISO.
medium_args() {
    case $1 in
        cd) echo "-cdrom $ISO -boot d" ;;
        usb)
            cp "$ISO" "$WORK/usb.img"
            echo "-device qemu-xhci,id=xhci -drive if=none,id=boot,format=raw,file=$WORK/usb.img"
            echo "-device usb-storage,bus=xhci.0,drive=boot,bootindex=0" ;;
    esac
}

# One boot of firmware $1 from medium $2: prints the seconds to the init line, or fails. The console
# goes to a file that is polled every 0.1 s; QEMU is stopped as soon as the line is there.
boot_once() {
    local args start now pid
    args="$(firmware_args "$1") $(medium_args "$2")"
    : >"$WORK/console"
    start=$(date +%s%N)
    # shellcheck disable=SC2086 # the argument strings hold no spaces inside a word
    qemu-system-x86_64 -accel tcg -m 512M -display none -serial "file:$WORK/console" \
        -monitor none -no-reboot -nic none $args </dev/null >/dev/null 2>&1 &
    pid=$!
    wait_for_console "$WORK/console" "$pid" "$start" "$TIMEOUT" 'livecd: /sbin/init started' ||
        { echo "firmware-boot: $1 $2 did not reach init within $TIMEOUT s" >&2; return 1; }
    now=$(date +%s%N)
    kill "$pid"; wait "$pid" 2>/dev/null || true
    awk -v ns=$((now - start)) 'BEGIN { printf "%.1f\n", ns / 1e9 }'
}

printf '%-28s %8s   %s\n' "path" "median" "runs (s)"
for path in "seabios cd:SeaBIOS CD" "seabios usb:SeaBIOS USB disk" "ovmf cd:OVMF CD" \
    "ovmf usb:OVMF USB disk" "ovmf-sb usb:OVMF + Secure Boot USB"; do
    times=()
    for ((i = 0; i < RUNS; i++)); do
        # shellcheck disable=SC2086
        times+=("$(boot_once ${path%%:*})")
    done
    printf '%-28s %7ss   %s\n' "${path#*:}" "$(printf '%s\n' "${times[@]}" | middle)" "${times[*]}"
done
