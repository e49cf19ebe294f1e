#!/usr/bin/env bash
# fuzz.sh: the fuzz tests of the unit tier (probers on mutated images, the fstab, conf and command
# line parsers, the configuration restore on mutated archives), run SCALE times longer than in CI,
# with the case counts each test reports. Needs the mkfs tools the probing images are made with
# (./publish.sh deps installs them).
#   SCALE=n   how many times the CI case counts to run (default 5: about 4 minutes on 2 cores)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
SCALE=${SCALE:-5}

cd "$REPO"
start=$(date +%s)
PREINIT_FUZZ_SCALE=$SCALE dotnet test tests/Preinit.Tests -c Release --nologo \
    --filter "FullyQualifiedName~FuzzTests" --logger "console;verbosity=detailed" 2>&1 |
    grep -E '^ +(Passed|Failed) |fuzz cases|cases,|archives:|mutations still probe|threw|changed|left in place|^Total tests|^ +(Passed|Failed):'
echo "fuzz.sh: scale $SCALE, $(( $(date +%s) - start )) s in all"
