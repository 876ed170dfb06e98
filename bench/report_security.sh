#!/usr/bin/env bash
# What the security response costs `upkeep report` on a real repository:
# a local OSV (bench/osv_stub.py serving a folder of real OSV records) and
# the registries as the environment says. One cold run (records fetched,
# ship dates asked), then RUNS warm runs with the check and RUNS with
# --no-advisories, alternating; prints each time and the medians.
#   bench/report_security.sh BINARY REPOSITORY RECORDS_FOLDER SINCE UNTIL [RUNS=5]
set -euo pipefail
bin=$1 repo=$2 records=$3 since=$4 until=$5 runs=${6:-5}
dir=$(mktemp -d)
port=$((30000 + RANDOM % 10000))
python3 "$(dirname "$0")/osv_stub.py" "$records" "$port" &
stub=$!
trap 'kill "$stub" 2>/dev/null || true; rm -rf "$dir"' EXIT
sleep 1
export UPKEEP_OSV_URL="http://127.0.0.1:$port" UPKEEP_DB="$dir/db" UPKEEP_CACHE="$dir/cache"
run() {
  local start end
  start=$(date +%s.%N)
  "$bin" report "$repo" --since "$since" --until "$until" --no-forge --format json "$@" > "$dir/out.json" 2>"$dir/err"
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "cold (mining and the first check): $(run) s"
: > "$dir/with"; : > "$dir/without"
for i in $(seq "$runs"); do
  run >> "$dir/with"
  run --no-advisories >> "$dir/without"
done
echo "warm with the check:    $(tr '\n' ' ' < "$dir/with")→ median $(median < "$dir/with") s"
echo "warm --no-advisories:   $(tr '\n' ' ' < "$dir/without")→ median $(median < "$dir/without") s"
run > /dev/null
python3 -c "
import json; m=json.load(open('$dir/out.json'))['metrics']['security_response']
print('value', m['value'], '| advisories', [(a['id'], a['days_to_fix'], a['fix_source']) for a in m['details']['advisories']])"
