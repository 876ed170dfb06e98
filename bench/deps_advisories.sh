#!/usr/bin/env bash
# `upkeep deps SBOM --no-mine` with the advisory check against a local OSV
# (bench/osv_stub.py serving a folder of real OSV records): the first run
# (cold: records fetched and cached), then RUNS warm runs; prints each time
# and the requests OSV received.
#   bench/deps_advisories.sh BINARY SBOM RECORDS_FOLDER [RUNS=5]
set -euo pipefail
bin=$1 sbom=$2 records=$3 runs=${4:-5}
dir=$(mktemp -d)
port=$((30000 + RANDOM % 10000))
python3 "$(dirname "$0")/osv_stub.py" "$records" "$port" &
stub=$!
trap 'kill "$stub" 2>/dev/null || true; rm -rf "$dir"' EXIT
sleep 1
export UPKEEP_OSV_URL="http://127.0.0.1:$port"
run() {
  local start end
  start=$(date +%s.%N)
  "$bin" deps "$sbom" --no-mine --db "$dir/db" --format json > "$dir/out.json" 2>"$dir/err" || true
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
# --offline would skip OSV too: the registries are pointed at the stub
# instead, which answers every lookup 404 at once (and the store caches it).
export UPKEEP_CRATES_IO_URL=$UPKEEP_OSV_URL UPKEEP_NPM_REGISTRY=$UPKEEP_OSV_URL UPKEEP_PYPI_URL=$UPKEEP_OSV_URL GOPROXY=$UPKEEP_OSV_URL UPKEEP_REGISTRY_PAUSE_MS=0
echo "cold: $(run) s"
for i in $(seq "$runs"); do echo "warm $i: $(run) s"; done
python3 -c "import json; d=json.load(open('$dir/out.json'))['advisories']; print('checked', d['checked'], 'exposed', len(d['exposed']), 'advisories', sum(len(p['advisories']) for p in d['exposed']))"
