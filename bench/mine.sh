#!/usr/bin/env bash
# Benchmark `upkeep mine` against git printing the same facts, on local clones.
#
#   cargo build --release
#   bench/mine.sh [-n RUNS] [-c CASES] REPO...
#
# REPO is a local clone (bare or not); this script never downloads anything.
# CASES is a comma-separated subset of: paths,renames,lines,rerun (default: all).
# For every case each tool runs RUNS times (default 5), alternating, each
# upkeep run into a fresh database. Prints a Markdown table: median wall-clock
# seconds and the largest peak resident memory over the runs.
set -euo pipefail
runs=5
cases=paths,renames,lines,rerun
while getopts "n:c:" opt; do
  case $opt in
    n) runs=$OPTARG ;;
    c) cases=$OPTARG ;;
    *) echo "usage: $0 [-n RUNS] [-c CASES] REPO..." >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { echo "usage: $0 [-n RUNS] [-c CASES] REPO..." >&2; exit 2; }

root=$(cd "$(dirname "$0")/.." && pwd)
upkeep=$root/target/release/upkeep
[ -x "$upkeep" ] || { echo "build first: cargo build --release" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# What git prints per commit: the facts upkeep stores (ids, people, times, message).
format='%H %P%n%an%x00%ae%x00%at %ad%n%cn%x00%ce%x00%ct%n%B'

# run LABEL COMMAND... : appends "seconds peak_kib" to $work/LABEL, or marks
# $work/LABEL.failed if the command fails (git stops at an object missing from
# a partial clone; upkeep goes on).
run() {
  local label=$1; shift
  if /usr/bin/time -f "%e %M" -o "$work/time" "$@" > /dev/null 2> "$work/stderr"; then
    cat "$work/time" >> "$work/$label"
  else
    echo "failed: $*" >&2
    tail -n 3 "$work/stderr" >&2
    touch "$work/$label.failed"
  fi
}

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
peak_mib() { awk '{ if ($2 > m) m = $2 } END { printf "%d", m / 1024 }'; }

echo "| repository | commits (non-merge) | case | upkeep s | upkeep MiB | peer | peer s | peer MiB | upkeep vs peer |"
echo "|---|---|---|---|---|---|---|---|---|"
for repo in "$@"; do
  name=$(basename "$(cd "$repo" && git rev-parse --absolute-git-dir | sed 's,/\.git$,,; s,/repo$,,')")
  total=$(git -C "$repo" rev-list --count HEAD)
  nonmerge=$(git -C "$repo" rev-list --count --no-merges HEAD)
  for case in ${cases//,/ }; do
    rm -f "$work"/ours "$work"/peer "$work"/*.failed
    case $case in
      paths)   ours=(mine --no-renames); peer="git log --name-only --no-renames"
               peer_cmd=(git -C "$repo" log --no-merges --name-only --no-renames --format="$format") ;;
      renames) ours=(mine); peer="git log --name-status -M"
               peer_cmd=(git -C "$repo" log --no-merges --name-status -M --format="$format") ;;
      lines)   ours=(mine --lines); peer="git log --numstat"
               peer_cmd=(git -C "$repo" log --no-merges --numstat --format="$format") ;;
      rerun)   ours=(mine); peer="— (re-run, nothing new)"; peer_cmd=() ;;
      *) echo "unknown case $case" >&2; exit 2 ;;
    esac
    if [ "$case" = rerun ]; then
      rm -f "$work"/db*
      UPKEEP_DB=$work/db "$upkeep" mine "$repo" > /dev/null
    fi
    for _ in $(seq "$runs"); do
      [ "$case" = rerun ] || rm -f "$work"/db*
      UPKEEP_DB=$work/db run ours "$upkeep" "${ours[@]}" "$repo"
      [ ${#peer_cmd[@]} -eq 0 ] || run peer "${peer_cmd[@]}"
    done
    [ ! -f "$work/ours.failed" ] || { echo "upkeep failed on $repo" >&2; exit 1; }
    ours_s=$(cut -d' ' -f1 < "$work/ours" | median)
    ours_m=$(peak_mib < "$work/ours")
    if [ -f "$work/peer.failed" ]; then
      peer_s="fails"; peer_m="—"; ratio="git cannot finish"
    elif [ -f "$work/peer" ]; then
      peer_s=$(cut -d' ' -f1 < "$work/peer" | median)
      peer_m=$(peak_mib < "$work/peer")
      ratio=$(awk -v a="$ours_s" -v b="$peer_s" 'BEGIN { printf "%.2f× faster", b / a }')
    else
      peer_s="—"; peer_m="—"; ratio="—"
    fi
    echo "| $name | $total ($nonmerge) | \`upkeep ${ours[*]}\` | $ours_s | $ours_m | \`$peer\` | $peer_s | $peer_m | $ratio |"
  done
done
