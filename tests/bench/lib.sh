# Helpers shared by the benchmark scripts (sourced, not run).

# Median of the run named $2 in hyperfine JSON file $1, in seconds.
median() {
    python3 -c 'import json, sys
print(next(r["median"] for r in json.load(open(sys.argv[1]))["results"] if r["command"] == sys.argv[2]))' "$1" "$2"
}

# Median of the numbers on standard input, one per line.
middle() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# Waits until file $1 (a QEMU guest's serial console) holds the text $5, polling every 0.1 s. Fails when QEMU
# (PID $2) exits first or $4 seconds have passed since $3 (date +%s%N), and then stops QEMU.
wait_for_console() {
    local console=$1 pid=$2 start=$3 timeout=$4 text=$5 now
    until grep -aq "$text" "$console"; do
        now=$(date +%s%N)
        if ((now - start > timeout * 1000000000)) || ! kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
            return 1
        fi
        sleep 0.1
    done
}
