#!/usr/bin/env bash
# extroot-boot.sh [RUNS]: what looking for the stick costs at boot. The kernel's uptime when the Live
# CD's rcS prints "livecd: /sbin/init started" (boot to init), median of RUNS boots (default 3) of
# each case, the cases taking turns so a busy machine slows them alike:
#   off:         preinit.extroot=off, no stick: the baseline for booting without one;
#   no stick:    default settings, no stick plugged (the wait ends once nothing could become it);
#   off + stick: preinit.extroot=off with the stick plugged (and ignored): the baseline with the
#                same hardware (the USB controller and the disk cost their drivers' time);
#   stick:       default settings with a fresh 64 MiB ext4 stick labelled rootfs_data (fsck,
#                mount, overlay pivot, identity record), whose e2fsck time is read from the console.
# Default settings otherwise, the 4 s failsafe prompt included. Direct kernel boot of out/vmlinuz
# and out/initramfs.cpio.gz, QEMU TCG, no network. Needs ./publish.sh.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"
OUT=${OUT:-$REPO/out}
RUNS=${1:-3}
TIMEOUT=300
for f in "$OUT/vmlinuz" "$OUT/initramfs.cpio.gz"; do [[ -f $f ]] || { echo "extroot-boot: $f missing (run ./publish.sh)" >&2; exit 1; }; done
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# One boot with extra kernel arguments $1 and QEMU arguments $2: prints "UPTIME FSCK_MS" (0 without fsck).
boot_once() {
    local start pid
    : >"$WORK/console"
    start=$(date +%s%N)
    # shellcheck disable=SC2086 # the argument strings hold no spaces inside a word
    qemu-system-x86_64 -accel tcg -m 512M -display none -serial "file:$WORK/console" -monitor none -no-reboot -nic none \
        -kernel "$OUT/vmlinuz" -initrd "$OUT/initramfs.cpio.gz" -append "console=ttyS0,115200 panic=1 $1" $2 \
        </dev/null >/dev/null 2>&1 &
    pid=$!
    wait_for_console "$WORK/console" "$pid" "$start" "$TIMEOUT" 'livecd: /sbin/init started' ||
        { echo "extroot-boot: the boot with '$1' did not reach init within $TIMEOUT s" >&2; return 1; }
    kill "$pid"; wait "$pid" 2>/dev/null || true
    local uptime fsck
    uptime=$(grep -ao 'livecd: /sbin/init started.* uptime=[0-9.]*' "$WORK/console" | sed 's/.*uptime=//')
    fsck=$(grep -ao 'e2fsck /dev/sda: exit [0-9]*: .* (\([0-9]*\) ms)' "$WORK/console" | sed 's/.*(\([0-9]*\) ms)$/\1/' | head -n1)
    echo "$uptime ${fsck:-0}"
}

stick() {
    rm -f "$WORK/stick.img"
    truncate -s 64M "$WORK/stick.img"
    mkfs.ext4 -q -F -L rootfs_data "$WORK/stick.img"
    echo "-device qemu-xhci,id=xhci -drive if=none,id=stick,format=raw,file=$WORK/stick.img -device usb-storage,bus=xhci.0,drive=stick"
}

off=() nostick=() offstick=() withstick=() fsck=()
for ((i = 0; i < RUNS; i++)); do
    off+=("$(boot_once preinit.extroot=off "" | cut -d' ' -f1)")
    nostick+=("$(boot_once "" "" | cut -d' ' -f1)")
    offstick+=("$(boot_once preinit.extroot=off "$(stick)" | cut -d' ' -f1)")
    read -r up ms < <(boot_once "" "$(stick)")
    withstick+=("$up"); fsck+=("$(awk -v ms="$ms" 'BEGIN { printf "%.2f", ms / 1000 }')")
done
m_off=$(printf '%s\n' "${off[@]}" | middle)
m_none=$(printf '%s\n' "${nostick[@]}" | middle)
m_offstick=$(printf '%s\n' "${offstick[@]}" | middle)
m_stick=$(printf '%s\n' "${withstick[@]}" | middle)
m_fsck=$(printf '%s\n' "${fsck[@]}" | middle)
printf '%-32s %8s   %s\n' "case" "median" "runs (s, kernel uptime at init)"
printf '%-32s %7ss   %s\n' "preinit.extroot=off" "$m_off" "${off[*]}"
printf '%-32s %7ss   %s\n' "no stick" "$m_none" "${nostick[*]}"
printf '%-32s %7ss   %s\n' "preinit.extroot=off, stick in" "$m_offstick" "${offstick[*]}"
printf '%-32s %7ss   %s\n' "stick (e2fsck, overlay pivot)" "$m_stick" "${withstick[*]}"
printf '%-32s %7ss   %s\n' "  of which e2fsck" "$m_fsck" "${fsck[*]}"
awk -v o="$m_off" -v n="$m_none" -v os="$m_offstick" -v s="$m_stick" -v f="$m_fsck" 'BEGIN {
    printf "no stick costs %.2f s over extroot=off; the stick costs %.2f s over extroot=off with it plugged, plus its e2fsck\n", n - o, s - os - f }'
