#!/usr/bin/env bash
# make-many.sh DIR FILES: generate a deterministic tree of FILES small files (0-2000 bytes, like
# the many small files of a package tree): directories of 100 files, 10 to a parent directory,
# names of varying length. Unlike make-tree.sh, which follows the size of a root filesystem, this
# one follows the number of entries: what the image writer's memory depended on. The same arguments
# give the same names, sizes, contents and mtimes on any machine.
set -euo pipefail

usage() { echo "usage: $0 DIR FILES" >&2; exit 2; }

main() {
    [[ $# -eq 2 && $2 =~ ^[0-9]+$ && $2 -gt 0 ]] || usage
    local dir=$1
    if [[ -e $dir ]] && [[ -n $(ls -A "$dir") ]]; then
        echo "$0: $dir exists and is not empty" >&2; exit 1
    fi
    mkdir -p "$dir"
    python3 - "$dir" "$2" <<'PY'
import os, random, sys
root, files = sys.argv[1], int(sys.argv[2])
r = random.Random(20110901)
for i in range(files):
    d = os.path.join(root, f"pkg{i // 1000:04}", f"sub{i // 100 % 10}")
    if i % 100 == 0:
        os.makedirs(d)
    with open(os.path.join(d, f"file-{i % 100:02}-{'x' * r.randrange(0, 20)}"), "wb") as f:
        f.write(r.randbytes(r.randrange(0, 2001)))
PY
    find "$dir" -exec touch -h -d @1300000000 {} +
}

main "$@"
