#!/usr/bin/env bash
# `publish` of many projects, twice: what the second run rewrites when
# nothing changed, and how long each takes. Every project names the same
# repository (already mined into DB), so each is measured in full.
#
#   bench/publish_many.sh BIN REPO DB [N]
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 BIN REPO DB [N]" >&2; exit 2; }
bin=$1 repo=$2 db=$3 n=${4:-50}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for i in $(seq "$n"); do
  printf '[[projects]]\nname = "p%02d"\nrepositories = ["%s"]\n\n' "$i" "$repo" >> "$work/upkeep.toml"
done
for run in first second; do
  start=$(date +%s.%N)
  "$bin" publish "$work/site" --config "$work/upkeep.toml" --db "$db" --offline --format json \
    > "$work/$run.json" 2> /dev/null
  end=$(date +%s.%N)
  python3 -c "
import json, sys
d = json.load(open('$work/$run.json'))
print('$run: %.1f s, %d files written, %d unchanged' % ($end - $start, len(d['written']), d['unchanged']))"
done
