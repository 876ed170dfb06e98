#!/usr/bin/env bash
# Benchmark `upkeep contributions` (the OSPO ledger) and `upkeep report` over a
# store that already holds the repositories: what a scheduled job pays once
# mining is done.
#
#   cargo build --release
#   bench/ledger.sh [-n RUNS] [-o ORG] REPO...
#
# REPO is a local clone (bare or not); this script never downloads anything.
# The repositories are mined once into a fresh database (not timed), then
# `contributions REPO... --org ORG` over the default window (the last 365
# days) and over all of their history, and `report` on each over all of its
# history, run RUNS times each (default 5). Prints a Markdown table of medians.
set -euo pipefail
runs=5
org=confluent.io
while getopts "n:o:" opt; do
  case $opt in
    n) runs=$OPTARG ;;
    o) org=$OPTARG ;;
    *) echo "usage: $0 [-n RUNS] [-o ORG] REPO..." >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { echo "usage: $0 [-n RUNS] [-o ORG] REPO..." >&2; exit 2; }

root=$(cd "$(dirname "$0")/.." && pwd)
upkeep=$root/target/release/upkeep
[ -x "$upkeep" ] || { echo "build first: cargo build --release" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export UPKEEP_DB=$work/upkeep.db UPKEEP_CONFIG=$work/upkeep.toml
window=(--since 1990-01-01 --no-forge)

"$upkeep" mine --no-forge "$@" > /dev/null

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
timed() {
  : > "$work/times"
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e" -a -o "$work/times" "$@" > /dev/null
  done
  median < "$work/times"
}

echo "| run | repositories | median s of $runs |"
echo "|---|---|---|"
echo "| contributions --org $org, last 365 days | $* | $(timed "$upkeep" contributions "$@" --org "$org" --no-forge) |"
echo "| contributions --org $org, all history | $* | $(timed "$upkeep" contributions "$@" --org "$org" "${window[@]}") |"
for repo in "$@"; do
  echo "| report | $repo | $(timed "$upkeep" report "$repo" "${window[@]}") |"
done
