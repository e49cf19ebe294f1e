# Helpers shared by the benchmark scripts (sourced, not run).

# Median of the run named $2 in hyperfine JSON file $1, in seconds.
median() {
    python3 -c 'import json, sys
print(next(r["median"] for r in json.load(open(sys.argv[1]))["results"] if r["command"] == sys.argv[2]))' "$1" "$2"
}
