#!/usr/bin/env bash
# The page and the brief of a project already mined, by two builds in the
# same run, alternating: `report --format html` over the default window and
# `brief` of the last complete quarter, both `--offline` (no mining, no
# network: the figures are what a reader waits for after `mine`).
#
#   bench/pages.sh [-n RUNS] BIN_A BIN_B REPO DB
#
# DB is a store that already holds REPO (mine it first with either binary).
# Prints the median wall-clock seconds of each step per binary.
set -euo pipefail
runs=5
while getopts "n:" opt; do
  case $opt in
    n) runs=$OPTARG ;;
    *) echo "usage: $0 [-n RUNS] BIN_A BIN_B REPO DB" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -eq 4 ] || { echo "usage: $0 [-n RUNS] BIN_A BIN_B REPO DB" >&2; exit 2; }
a=$1 b=$2 repo=$3 db=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for _ in $(seq "$runs"); do
  for side in a b; do
    bin=$a; [ $side = b ] && bin=$b
    /usr/bin/time -f "%e" -a -o "$work/$side.page" "$bin" report "$repo" --offline --db "$db" \
      --format html > "$work/$side.html" 2> /dev/null
    /usr/bin/time -f "%e" -a -o "$work/$side.brief" "$bin" brief "$repo" --offline --db "$db" \
      > "$work/$side.md" 2> /dev/null
  done
done

median() { sort -n "$1" | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
echo "| step | A | B |"
echo "|---|---|---|"
for step in page brief; do
  echo "| $step | $(median "$work/a.$step") s | $(median "$work/b.$step") s |"
done
echo "page sizes: A $(wc -c < "$work/a.html") bytes, B $(wc -c < "$work/b.html") bytes"
