#!/usr/bin/env bash
# Country-scale networks (issue 14): peak RSS and wall time of `corridor
# check`, `route` and `export --format geojson` on generated rail grids
# (crates/corridor-fixtures/src/grid.rs, binary `gen-grid`) of about 100k,
# 1M and 2M links (1,998,000: the issue's 1000 × 1000 grid). Each command
# runs RUNS times; the table keeps the fastest wall time and the largest
# peak RSS (`/usr/bin/time -v`), and bytes of peak RSS per link.
#
#   bash bench/scale.sh                        # 100k, 1M and 2M links
#   bash bench/scale.sh 100000                 # one size, a quick check
#   CORRIDOR=/path/to/old/corridor bash bench/scale.sh   # another build
#   RUNS=5 COMMANDS="check route" bash bench/scale.sh 1998000
#   COMMANDS="build route-compiled check-compiled" bash bench/scale.sh 1998000
#   COMMANDS="route-compiled route-compiled-closed route-compiled-relower" \
#     bash bench/scale.sh 1998000       # the stored lowering, used and not
#
# Compiled networks (`corridor build`): `build` times compiling the CSV
# grid into bench/out/scale/grid-N.corridor (its size is reported);
# `route-compiled` and `check-compiled` run `route` and `check` on that
# file (built first, untimed, when missing), the same questions as `route`
# and `check` on the CSV bundle. `route` on a compiled file uses the
# routing lowering stored in it; `route-compiled-closed` asks the same with
# a scenario that closes a link (weights only: the stored lowering is still
# used), `route-compiled-relower` with one that adds a link (the topology
# changes: the network is lowered again, as before format version 2).
#
# Grids are generated once into bench/out/scale/ (2M links: ~140 MB of
# CSV) and reused. Results go to bench/out/scale.md and, with the machine,
# to docs/benchmarks.md ("Country-scale networks").
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=("${@:-100000 1000000 1998000}")
read -r -a SIZES <<<"${SIZES[*]}"
RUNS="${RUNS:-3}"
COMMANDS="${COMMANDS:-check route export build route-compiled check-compiled}"
OUT=bench/out/scale
mkdir -p "$OUT"
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)"; exit 1; }

cargo build --release -q -p corridor-fixtures --bin gen-grid
if [ -z "${CORRIDOR:-}" ]; then
  cargo build --release -q -p corridor-cli
  CORRIDOR=target/release/corridor
fi

REPORT=bench/out/scale.md
{
  echo "# corridor at scale: $(date -u +%F), $(nproc) cores, $("$CORRIDOR" --version 2>/dev/null || echo corridor)"
  echo
  echo "| links | command | wall s (best of $RUNS) | peak RSS MB | bytes/link |"
  echo "|---:|---|---:|---:|---:|"
} >"$REPORT"

# Runs "$@" RUNS times; prints "best_wall_s max_rss_kb".
measure() {
  local best="" rss=0
  for _ in $(seq 1 "$RUNS"); do
    /usr/bin/time -v "$@" >"$OUT/last.out" 2>"$OUT/last.err" || {
      echo "failed: $*" >&2; tail -5 "$OUT/last.err" >&2; exit 1; }
    local wall kb
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {
      n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$OUT/last.err")
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$OUT/last.err")
    if [ -z "$best" ] || awk -v a="$wall" -v b="$best" 'BEGIN{exit !(a<b)}'; then best=$wall; fi
    [ "$kb" -gt "$rss" ] && rss=$kb
  done
  echo "$best $rss"
}

for n in "${SIZES[@]}"; do
  dir="$OUT/grid-$n"
  if [ ! -f "$dir/links.csv" ]; then
    target/release/gen-grid --links "$n" --out "$dir"
  fi
  links=$(($(wc -l <"$dir/links.csv") - 1))
  last=$(tail -1 "$dir/nodes.csv" | cut -d, -f1)
  compiled="$OUT/grid-$n.corridor"
  for cmd in $COMMANDS; do
    case "$cmd" in
      check)  args=(check "$dir") ;;
      route)  args=(route "$dir" --from n0_0 --to "$last" --minimize hours) ;;
      export) args=(export "$dir" --format geojson --out "$OUT/grid-$n.geojson") ;;
      build)  args=(build "$dir" --out "$compiled") ;;
      route-compiled|check-compiled|route-compiled-closed|route-compiled-relower)
        # (Re)built, untimed, when missing or stale.
        "$CORRIDOR" check "$compiled" >/dev/null 2>&1 || "$CORRIDOR" build "$dir" --out "$compiled" 2>/dev/null
        case "$cmd" in
          route-compiled) args=(route "$compiled" --from n0_0 --to "$last" --minimize hours) ;;
          check-compiled) args=(check "$compiled") ;;
          route-compiled-closed)
            printf '[scenario]\nname = "closed"\n\n[[edit]]\naction = "close"\nlink = "e0_0"\n' \
              >"$OUT/closed.toml"
            args=(route "$compiled" --from n0_0 --to "$last" --minimize hours --scenario "$OUT/closed.toml") ;;
          route-compiled-relower)
            printf '[scenario]\nname = "shortcut"\n\n[[edit]]\naction = "add"\nlink = "shortcut"\nfrom = "n0_0"\nto = "n1_1"\nmode = "rail"\ngauge = 1435\nlength = "2 km"\n' \
              >"$OUT/shortcut.toml"
            args=(route "$compiled" --from n0_0 --to "$last" --minimize hours --scenario "$OUT/shortcut.toml") ;;
        esac ;;
      *) echo "unknown command $cmd"; exit 1 ;;
    esac
    rm -f "$OUT/grid-$n.geojson"
    read -r wall kb < <(measure "$CORRIDOR" "${args[@]}")
    per_link=$((kb * 1024 / links))
    printf '| %d | %s | %.2f | %.0f | %d |\n' "$links" "$cmd" "$wall" "$((kb / 1024))" "$per_link" | tee -a "$REPORT"
    if [ "$cmd" = build ]; then
      bytes=$(stat -c %s "$compiled")
      csv=$(du -cb "$dir"/*.csv | tail -1 | cut -f1)
      printf '| %d | (compiled file: %.1f MB, %d bytes/link; CSV bundle %.1f MB) | | | |\n' \
        "$links" "$(awk -v b="$bytes" 'BEGIN{print b/1e6}')" "$((bytes / links))" \
        "$(awk -v b="$csv" 'BEGIN{print b/1e6}')" | tee -a "$REPORT"
    fi
  done
  rm -f "$OUT/grid-$n.geojson"
done
echo "wrote $REPORT"
