#!/usr/bin/env bash
# Benchmark the fleet: N workers mining into PostgreSQL against one
# `upkeep mine` of the same repositories into SQLite, on this machine.
#
#   cargo build --release --features parquet
#   bench/fleet.sh [-w WORKERS] [-s SMALL] [-n RUNS] POSTGRES_URL REPO...
#
# REPO is a local clone (bare or not); this script downloads nothing. SMALL
# (default 100) generated repositories of 40 commits are added. Each run uses
# a fresh SQLite file and a fresh PostgreSQL schema. Prints the wall-clock
# times, the rows stored per second, whether the reports of REPO... from both
# stores are identical, and the Parquet export of the first REPO's events.
set -euo pipefail
workers=4
small=100
runs=3
while getopts "w:s:n:" opt; do
  case $opt in
    w) workers=$OPTARG ;;
    s) small=$OPTARG ;;
    n) runs=$OPTARG ;;
    *) echo "usage: $0 [-w WORKERS] [-s SMALL] [-n RUNS] POSTGRES_URL REPO..." >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -ge 2 ] || { echo "usage: $0 [-w WORKERS] [-s SMALL] [-n RUNS] POSTGRES_URL REPO..." >&2; exit 2; }
url=$1; shift
root=$(cd "$(dirname "$0")/.." && pwd)
upkeep=$root/target/release/upkeep
[ -x "$upkeep" ] || { echo "build first: cargo build --release --features parquet" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export UPKEEP_CACHE=$work/cache GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

# Small repositories: 40 commits of 4 authors, one file each.
for i in $(seq 1 "$small"); do
  r=$work/small/r$i
  git init -q "$r"
  for c in $(seq 1 40); do
    echo "$i $c" >> "$r/f$((c % 7)).txt"
    git -C "$r" add -A
    GIT_AUTHOR_NAME="a$((c % 4))" GIT_AUTHOR_EMAIL="a$((c % 4))@x.org" \
      GIT_AUTHOR_DATE="2024-01-01T00:00:00Z +$((c * 3600))" GIT_COMMITTER_NAME=c GIT_COMMITTER_EMAIL=c@x.org \
      GIT_COMMITTER_DATE="2024-01-02T00:00:00Z" git -C "$r" commit -qm "c$c"
  done
done
repos=("$@")
for i in $(seq 1 "$small"); do repos+=("$work/small/r$i"); done

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
sep=$([[ $url == *\?* ]] && echo '&' || echo '?')

for run in $(seq 1 "$runs"); do
  db=$work/s$run.db
  t0=$(now)
  "$upkeep" mine --no-forge --db "$db" "${repos[@]}" > /dev/null 2>&1
  t1=$(now)
  echo "$t1 - $t0" | bc >> "$work/sqlite"
  pg="$url${sep}schema=bench_${run}_$$"
  "$upkeep" db migrate --db "$pg" > /dev/null
  "$upkeep" enqueue --no-forge --db "$pg" "${repos[@]}" > /dev/null
  t0=$(now)
  for w in $(seq 1 "$workers"); do
    "$upkeep" worker --db "$pg" --until-idle --poll 200ms --name "w$w" 2> "$work/worker$w.log" &
  done
  wait
  t1=$(now)
  echo "$t1 - $t0" | bc >> "$work/postgres"
  rows=$(psql -qtA "$url" -c "SET search_path = bench_${run}_$$;
    SELECT (SELECT count(*) FROM commits) + (SELECT count(*) FROM changes) + (SELECT count(*) FROM commit_parents)
         + (SELECT count(*) FROM trailers) + (SELECT count(*) FROM commit_refs) + (SELECT count(*) FROM idents)
         + (SELECT count(*) FROM paths)" | tail -1)
  echo "$rows" > "$work/rows"
  same=yes
  for r in "$@"; do
    for store in "$db" "$pg"; do
      "$upkeep" report --no-forge --db "$store" "$r" --until 2026-12-01 --format json |
        grep -v -e '"generated_at"' -e '"mined_at"' > "$work/report.$([ "$store" = "$db" ] && echo s || echo p)"
    done
    cmp -s "$work/report.s" "$work/report.p" || same=no
  done
  echo "$same" >> "$work/same"
  last_pg=$pg
done
rows=$(cat "$work/rows")
s=$(median < "$work/sqlite"); p=$(median < "$work/postgres")
printf '| store | wall (median of %s) | rows/s |\n|---|---|---|\n' "$runs"
printf '| SQLite, one `upkeep mine` | %.1f s | %.0f |\n' "$s" "$(echo "$rows / $s" | bc -l)"
printf '| PostgreSQL, %s workers | %.1f s | %.0f |\n' "$workers" "$p" "$(echo "$rows / $p" | bc -l)"
echo "rows stored per run: $rows (commits, changes, parents, trailers, references, identities, paths)"
echo "reports identical on both stores: $(sort -u "$work/same" | tr '\n' ' ')"

# The Parquet export of the first repository's events, from a SQLite store of it alone.
one=$work/one.db
"$upkeep" mine --no-forge --db "$one" "$1" > /dev/null 2>&1
for run in $(seq 1 "$runs"); do
  rm -rf "$work/parquet"
  t0=$(now)
  "$upkeep" export parquet "$work/parquet" --db "$one" --format json > "$work/export.json"
  t1=$(now)
  echo "$t1 - $t0" | bc >> "$work/export"
done
e=$(median < "$work/export")
erows=$(grep -o '"rows": [0-9]*' "$work/export.json" | awk '{s+=$2} END {print s}')
printf 'export parquet of %s: %s rows in %.2f s (median of %s): %.0f rows/s\n' "$1" "$erows" "$e" "$runs" "$(echo "$erows / $e" | bc -l)"
echo "last PostgreSQL schema: $last_pg"
