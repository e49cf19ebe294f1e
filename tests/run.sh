#!/usr/bin/env bash
# Runs every test tier: unit, root (real loop devices and mounts, in a private mount namespace)
# and VM (the Live CD booted in QEMU). Installs what it needs and builds out/ first, so it works
# on a fresh Debian 12 machine as root. With CI=true a tier whose prerequisites are missing fails
# instead of skipping.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

./publish.sh build

# The tests check that they run in a mount namespace other than this one before mounting anything.
PREINIT_OUTER_MOUNT_NAMESPACE=$(readlink /proc/self/ns/mnt)
export PREINIT_OUTER_MOUNT_NAMESPACE
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
unshare --mount --propagation private \
    dotnet test Preinit.sln -c Release --nologo --logger "console;verbosity=normal" 2>&1 | tee "$log" || status=$?

# Each failed test again at the end, with the first lines of its message, so the tail of the
# output says what failed.
awk '/^  Failed / { shown = 12; print "FAILED " substr($0, 10); next }
     /^  Stack Trace:/ { shown = 0 }
     shown > 0 { print "  " $0; shown-- }' "$log"

# One closing line in the plain "N passed, N failed" form, from dotnet test's summary.
awk '/^Total tests:/ { total = $3 } /^ +Passed:/ { p = $2 } /^ +Failed:/ { f = $2 } /^ +Skipped:/ { s = $2 }
     END { if (total != "") printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
