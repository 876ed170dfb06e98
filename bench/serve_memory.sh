#!/usr/bin/env bash
# serve's memory after many requests over many windows: mines REPO into a
# fresh store, starts `upkeep serve`, asks N requests over W distinct windows
# (report JSON, page and badge in turn), and prints the server's resident
# memory (VmRSS, VmHWM) before and after.
#   bench/serve_memory.sh BINARY REPO [N=1000] [W=200]
set -euo pipefail
bin=$1 repo=$2 n=${3:-1000} w=${4:-200}
dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
printf '[[projects]]\nname = "p"\nrepositories = ["%s"]\n' "$repo" > "$dir/upkeep.toml"
"$bin" mine "$repo" --db "$dir/upkeep.db" --no-forge >/dev/null
port=$((20000 + RANDOM % 10000))
"$bin" serve --db "$dir/upkeep.db" --config "$dir/upkeep.toml" --bind "127.0.0.1:$port" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/api/v1/projects" >/dev/null && break; sleep 0.2; done
rss() { awk '/VmRSS|VmHWM/ {printf "%s %s MB  ", $1, int($2/1024)}' "/proc/$pid/status"; echo; }
echo "before: $(rss)"
start=$(date +%s.%N)
for i in $(seq 0 $((n - 1))); do
  day=$(date -u -d "2000-01-01 + $((i % w * 7)) days" +%F)
  case $((i % 3)) in
    0) path="/api/v1/projects/p/report?since=$day" ;;
    1) path="/projects/p/?since=$day" ;;
    2) path="/badge/p/bus-factor.svg" ;;
  esac
  curl -fs -o /dev/null "http://127.0.0.1:$port$path"
done
end=$(date +%s.%N)
echo "after $n requests over $w windows: $(rss)"
echo "wall: $(echo "$end - $start" | bc) s"
