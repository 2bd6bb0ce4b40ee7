#!/usr/bin/env bash
# Load speed (issue 14): wall time of `corridor check` on the same rail
# grid written as a CSV bundle and as one TOML file (`gen-grid`, with
# `--format toml`), best of RUNS, as links per second and the TOML/CSV
# ratio. Goals: >= 1M links/s from CSV (<= 2 s for the 1000 x 1000 grid,
# 1,998,000 links) and TOML at most 2x slower. Needs a quiet machine.
#
#   bash bench/load.sh                  # the 1000 x 1000 grid (2M links)
#   bash bench/load.sh 224              # 224 x 224 (~100k links), quick
#   CORRIDOR=/path/to/old/corridor bash bench/load.sh    # another build
#   INSTRUCTIONS=1 bash bench/load.sh 224   # valgrind instruction counts
#                                           # (a busy machine's measure)
#
# Grids are generated once into bench/out/load/ and reused.
set -euo pipefail
cd "$(dirname "$0")/.."
SIDE="${1:-1000}"
RUNS="${RUNS:-3}"
OUT=bench/out/load
mkdir -p "$OUT"
cargo build --release -q -p corridor-fixtures --bin gen-grid
if [ -z "${CORRIDOR:-}" ]; then
  cargo build --release -q -p corridor-cli
  CORRIDOR=target/release/corridor
fi
CSV="$OUT/grid-$SIDE"
TOML="$OUT/grid-$SIDE-toml"
[ -f "$CSV/links.csv" ] ||
  target/release/gen-grid --rows "$SIDE" --cols "$SIDE" --out "$CSV"
[ -f "$TOML/grid.toml" ] ||
  target/release/gen-grid --rows "$SIDE" --cols "$SIDE" --format toml --out "$TOML"
LINKS=$((2 * SIDE * (SIDE - 1)))

if [ -n "${INSTRUCTIONS:-}" ]; then
  for net in "$CSV" "$TOML/grid.toml"; do
    ir=$(valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
      "$CORRIDOR" check "$net" 2>&1 >/dev/null | grep "I *refs" | awk '{print $NF}' | tr -d ,)
    echo "$net: $((ir / 1000000)) M instructions ($LINKS links)"
  done
  exit 0
fi

# Best wall time of RUNS runs of `corridor check NETWORK`, in seconds.
best() {
  local b=""
  for _ in $(seq 1 "$RUNS"); do
    local s e
    s=$(date +%s.%N)
    "$CORRIDOR" check "$1" >/dev/null
    e=$(date +%s.%N)
    b=$(echo "$s $e ${b:-1e9}" | awk '{d = $2 - $1; print (d < $3 ? d : $3)}')
  done
  echo "$b"
}
echo "load $(uptime | sed 's/.*load average: //')"
csv=$(best "$CSV")
toml=$(best "$TOML/grid.toml")
echo "$LINKS links, best of $RUNS:"
echo "$csv $toml $LINKS" | awk '{printf "  CSV bundle %.2f s (%.2f M links/s)\n  TOML       %.2f s (%.2f M links/s), %.2fx the CSV time\n", $1, $3 / $1 / 1e6, $2, $3 / $2 / 1e6, $2 / $1}'
echo "load $(uptime | sed 's/.*load average: //')"
