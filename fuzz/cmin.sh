#!/usr/bin/env bash
# Minimises fuzz/corpus/<target>/ with `cargo fuzz cmin` (keeps only inputs
# that add coverage, renamed to their SHA-1) while keeping the committed
# seed-* and regress-* files under their names. Usage: fuzz/cmin.sh TARGET...
set -eu
cd "$(dirname "$0")/.."
for t in "$@"; do
  dir=fuzz/corpus/$t
  cargo fuzz cmin -s none "$t" -- -rss_limit_mb=4096 -timeout=10 -use_counters=0 >"fuzz/logs/$t.cmin.log" 2>&1
  git checkout -- "$dir" 2>/dev/null || true
  for f in "$dir"/seed-* "$dir"/regress-*; do
    [ -e "$f" ] || continue
    rm -f "$dir/$(sha1sum "$f" | cut -d' ' -f1)"
  done
  echo "$t: $(ls "$dir" | wc -l) files, $(du -sk "$dir" | cut -f1) KB"
done
