#!/usr/bin/env bash
# hotplug.sh [RUNS]: what handling sticks after boot costs, both ways it could be done.
#  1. Resident (`preinit hotplug`, what the Live CD runs): its RSS once it listens, and the CPU time
#     it takes while nothing happens (IDLE seconds, default 20), on this host, RUNS times (default 5).
#  2. The kernel's uevent helper instead (/proc/sys/kernel/hotplug: a process exec'd for every
#     uevent): the cost of one preinit process, started bare (`preinit version`) and doing a block
#     event's work (`preinit mount --dry-run`: read the fstab, probe the devices, decide), hyperfine.
#  3. In QEMU (TCG, the Live CD's kernel and initramfs): how many uevents one stick brings when it is
#     plugged in and pulled out (/sys/kernel/uevent_seqnum), the handler's RSS in the guest, and one
#     `preinit version` there (the least a helper process costs per event).
# Medians throughout. Needs root, out/ (./publish.sh), hyperfine and qemu-system-x86_64.
#   PREINIT=path   binary to measure on the host (default: out/preinit of this repository)
#   PARTS="1 2 3"  which of the three to run
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
PREINIT=${PREINIT:-$REPO/out/preinit}
RUNS=${1:-5}
IDLE=${IDLE:-20}
PARTS=${PARTS:-1 2 3}
WORK=$(mktemp -d /tmp/hotplug-bench.XXXXXX)
HANDLER=
# shellcheck source=lib.sh
. "$HERE/lib.sh"

die() { echo "hotplug.sh: $*" >&2; exit 1; }
cleanup() {
    [[ -z $HANDLER ]] || kill "$HANDLER" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

[[ $EUID -eq 0 ]] || die "needs root (the uevent socket and the device probes)"
[[ -x $PREINIT ]] || die "no $PREINIT: run ./publish.sh first (or set PREINIT)"
command -v hyperfine >/dev/null || die "hyperfine not found (./publish.sh deps)"

# An fstab that names a device no machine has: the handler mounts nothing on the host, and the
# dry run probes every device and says the section's device is missing.
printf 'config mount\n\toption label hotplug-bench-none\n\toption target /mnt/hotplug-bench\n' >"$WORK/fstab"

# 1. Resident: start, wait for its "waiting" line (the start pass is done), then measure.
if [[ $PARTS == *1* ]]; then
tick=$(getconf CLK_TCK)
rss=() cpu=()
for ((i = 0; i < RUNS; i++)); do
    "$PREINIT" hotplug --fstab "$WORK/fstab" --no-drivers >"$WORK/out" 2>&1 &
    HANDLER=$!
    until grep -qs 'hotplug: waiting for devices' "$WORK/out"; do
        kill -0 "$HANDLER" 2>/dev/null || { cat "$WORK/out" >&2; die "the handler ended"; }
        sleep 0.1
    done
    before=$(awk '{ print $14 + $15 }' "/proc/$HANDLER/stat")
    sleep "$IDLE"
    after=$(awk '{ print $14 + $15 }' "/proc/$HANDLER/stat")
    rss+=("$(awk '/^VmRSS:/ { print $2 }' "/proc/$HANDLER/status")")
    cpu+=("$(awk -v t="$tick" -v d=$((after - before)) 'BEGIN { print d * 1000 / t }')")
    kill -TERM "$HANDLER"
    wait "$HANDLER" || die "the handler did not end with 0 on SIGTERM"
    HANDLER=
    grep -q 'hotplug: stopped (SIGTERM)' "$WORK/out" || die "no 'stopped' line after SIGTERM"
done
echo "resident, host: RSS ${rss[*]} KiB (median $(printf '%s\n' "${rss[@]}" | middle)); CPU in ${IDLE} s idle ${cpu[*]} ms (median $(printf '%s\n' "${cpu[@]}" | middle))"
fi

# 2. One helper process per uevent.
if [[ $PARTS == *2* ]]; then
hyperfine --runs 20 --warmup 3 -N --export-json "$WORK/helper.json" \
    -n "version" "$PREINIT version" \
    -n "dry run" "$PREINIT mount --dry-run --fstab $WORK/fstab" >&2
echo "helper, host: preinit version $(awk -v s="$(median "$WORK/helper.json" version)" 'BEGIN { printf "%.1f", s * 1000 }') ms," \
    "preinit mount --dry-run $(awk -v s="$(median "$WORK/helper.json" "dry run")" 'BEGIN { printf "%.1f", s * 1000 }') ms (median of 20)"
fi

# 3. In QEMU.
[[ $PARTS == *3* ]] || exit 0
[[ -f $REPO/out/vmlinuz && -f $REPO/out/initramfs.cpio.gz ]] || die "no out/vmlinuz or out/initramfs.cpio.gz: run ./publish.sh"
truncate -s 64M "$WORK/stick.img" && mkfs.ext4 -q -F -L data "$WORK/stick.img"
python3 - "$REPO/out/vmlinuz" "$REPO/out/initramfs.cpio.gz" "$WORK" "$RUNS" <<'PY'
import os, re, socket, statistics, subprocess, sys, time
kernel, initrd, work, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
mon = os.path.join(work, "mon.sock")
qemu = subprocess.Popen(["qemu-system-x86_64", "-accel", "tcg", "-m", "512M", "-display", "none", "-nic", "none", "-no-reboot",
    "-serial", "stdio", "-monitor", f"unix:{mon},server,nowait", "-kernel", kernel, "-initrd", initrd,
    "-append", "console=ttyS0,115200 panic=1 preinit.extroot=off preinit.fs_failsafe_wait_timeout=0",
    "-device", "qemu-xhci,id=xhci", "-drive", f"if=none,id=stick,format=raw,file={work}/stick.img"],
    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
os.set_blocking(qemu.stdout.fileno(), False)
console = b""
def wait(pattern, timeout=240):
    global console
    end = time.time() + timeout
    while time.time() < end:
        chunk = qemu.stdout.read()
        if chunk: console += chunk
        m = re.search(pattern.encode(), console)
        if m: return m
        time.sleep(0.1)
    sys.exit("hotplug.sh: the guest did not show %r:\n%s" % (pattern, console.decode(errors="replace")[-3000:]))
def run(command, name):
    """Types a command that prints NAME=VALUE, NAME written split by quotes so the typed line's echo does not match."""
    qemu.stdin.write(command.replace("@", f'"{name[0]}""{name[1:]}="').encode() + b"\n"); qemu.stdin.flush()
    return wait(name + r"=([^\r\n]*)").group(1).decode().strip()
def monitor(command):
    s = socket.socket(socket.AF_UNIX); s.connect(mon); s.sendall((command + "\n").encode()); time.sleep(0.5); s.close()
def seqnum(name):
    return int(run("echo @$(cat /sys/kernel/uevent_seqnum)", name))
try:
    wait("hotplug: waiting for devices")
    wait("Please press Enter"); qemu.stdin.write(b"\n"); qemu.stdin.flush(); time.sleep(2)
    plugged, pulled = [], []
    for i in range(runs):
        a = seqnum(f"sa{i}")
        monitor("device_add usb-storage,bus=xhci.0,drive=stick,id=stick0")
        wait(r"not mounted: no enabled fstab section names it"); time.sleep(3)
        b = seqnum(f"sb{i}")
        monitor("device_del stick0"); time.sleep(5)
        c = seqnum(f"sc{i}")
        # QEMU deletes a -drive with the device it was plugged into: the next plug needs it again.
        monitor(f"drive_add 0 if=none,id=stick,format=raw,file={work}/stick.img")
        plugged.append(b - a); pulled.append(c - b)  # the number of the last uevent sent: reading it makes none
        console = b""
    rss = run("echo @$(awk '/^VmRSS/ { print $2 }' /proc/$(pidof preinit)/status)", "rss")
    times = []
    for i in range(runs):
        a, b = run("a=$(cut -d' ' -f1 /proc/uptime); preinit version >/dev/null; b=$(cut -d' ' -f1 /proc/uptime); echo @$a,$b", f"tv{i}").split(",")
        times.append(float(b) - float(a))
    print(f"guest: uevents per plug {plugged} (median {statistics.median(plugged)}), per pull {pulled} (median {statistics.median(pulled)}); "
          f"handler RSS {rss} KiB; preinit version {['%.2f' % t for t in times]} s (median {statistics.median(times):.2f} s)")
finally:
    qemu.kill()
PY
