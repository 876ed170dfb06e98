#!/usr/bin/env bash
# Two builds of upkeep on one repository, in the same run: `mine` into a
# fresh store, then `report` over all history, alternating A and B.
#
#   bench/compare.sh [-n RUNS] BIN_A BIN_B REPO
#
# BIN_A and BIN_B are two release binaries (say, before and after a change,
# each built from its own worktree); REPO is a local clone. Prints the median
# wall-clock seconds of each step per binary, and whether the two reports'
# metrics are the same (the window's "until" is "now", so it is left out).
set -euo pipefail
runs=5
while getopts "n:" opt; do
  case $opt in
    n) runs=$OPTARG ;;
    *) echo "usage: $0 [-n RUNS] BIN_A BIN_B REPO" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -eq 3 ] || { echo "usage: $0 [-n RUNS] BIN_A BIN_B REPO" >&2; exit 2; }
a=$1 b=$2 repo=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for _ in $(seq "$runs"); do
  for side in a b; do
    bin=$a; [ $side = b ] && bin=$b
    db=$work/$side.db
    rm -f "$db" "$db-wal" "$db-shm"
    /usr/bin/time -f "%e" -a -o "$work/$side.mine" "$bin" mine "$repo" --no-forge --db "$db" > /dev/null 2>&1
    /usr/bin/time -f "%e" -a -o "$work/$side.report" "$bin" report "$repo" --no-forge --db "$db" \
      --since 1970-01-01 --format json > "$work/$side.json" 2> /dev/null
  done
done

median() { sort -n "$1" | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
echo "| step | A | B |"
echo "|---|---|---|"
for step in mine report; do
  echo "| $step | $(median "$work/a.$step") s | $(median "$work/b.$step") s |"
done
same=$(python3 - "$work/a.json" "$work/b.json" <<'PY'
import json, sys
def load(p):
    d = json.load(open(p))
    d.pop("generated_at", None)
    for r in d["repositories"]:
        r.pop("mined_at", None)
    for m in d["metrics"].values():
        m["definition"]["parameters"].pop("until", None)
        m["definition"]["parameters"].pop("at", None)
        m["details"].pop("days_since_last", None)
    return d
print("same" if load(sys.argv[1]) == load(sys.argv[2]) else "DIFFERENT")
PY
)
echo
echo "reports: $same"
