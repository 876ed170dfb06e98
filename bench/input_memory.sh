#!/usr/bin/env bash
# Peak memory (maximum resident set, /usr/bin/time's %M) of reading untrusted
# inputs, for two builds in turn: `deps SBOM --offline --no-mine` on an SBOM,
# and `mine --list FOLDER` on a folder of mbox files, each RUNS times; prints
# the median of each.
#   bench/input_memory.sh BEFORE AFTER SBOM MBOX_FOLDER [RUNS=5]
set -euo pipefail
before=$1 after=$2 sbom=$3 folder=$4 runs=${5:-5}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# A run that reports failed parts (an index page in the folder) still counts.
peak() { /usr/bin/time -f %M -o "$dir/peak" "$@" >/dev/null 2>&1 || true; tail -1 "$dir/peak"; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for step in deps list; do
  for bin in "$before" "$after"; do : > "$dir/$step.$(basename "$(dirname "$(dirname "$bin")")")"; done
done
for _ in $(seq "$runs"); do
  for bin in "$before" "$after"; do
    name=$(basename "$(dirname "$(dirname "$bin")")")
    rm -f "$dir/db"
    peak "$bin" deps "$sbom" --offline --no-mine --db "$dir/db" --format json >> "$dir/deps.$name"
    rm -f "$dir/db"
    peak "$bin" mine --list "$folder" --db "$dir/db" --format json >> "$dir/list.$name"
  done
done
for step in deps list; do
  for bin in "$before" "$after"; do
    name=$(basename "$(dirname "$(dirname "$bin")")")
    echo "$step $bin: $(median < "$dir/$step.$name") KB (median of $runs)"
  done
done
