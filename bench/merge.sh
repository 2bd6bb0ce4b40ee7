#!/bin/bash
# `corridor merge` of the shipped sea lanes with a whole world port list
# (searoute's 3,923 UN/LOCODE ports, or the World Port Index), with the
# land test (straight connectors tested against the Natural Earth layer,
# connectors that follow the water where they are refused) and without it:
# wall time and peak RSS (for a quiet machine) and instructions counted by
# valgrind (cachegrind, no cache simulation; a busy machine is fine).
#
# Usage: bash bench/merge.sh [BINARY] [searoute|wpi]
#   e.g. bash bench/merge.sh target/release/corridor searoute
# SKIP_VALGRIND=1 skips the instruction counts.
set -euo pipefail
BIN=$(realpath "${1:-target/release/corridor}")
WHICH=${2:-searoute}
ROOT=$(realpath "$(dirname "$0")/..")
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"
"$BIN" import sea "$ROOT/data/searoute/marnet_searoute.geojson" --out sea >/dev/null
case $WHICH in
  searoute) "$BIN" import ports "$ROOT/data/searoute/searoute_ports.geojson" --out ports >/dev/null ;;
  wpi) "$BIN" import ports "$ROOT/data/world_port_index/wpi_ports.csv" --out ports >/dev/null ;;
  *) echo "expected searoute or wpi, got $WHICH" >&2; exit 2 ;;
esac
for land in yes no; do
  extra=()
  [ "$land" = no ] && extra=(--no-land-test)
  rm -rf out
  /usr/bin/time -f "%e s wall, %M KB peak RSS" -o time.txt \
    "$BIN" merge sea ports --out out "${extra[@]}" >report.txt
  refused=$(grep -o "sea connectors refused over land: .*" report.txt || echo "no land test")
  echo "$WHICH, land test $land: $(cat time.txt); $refused"
  if [ -z "${SKIP_VALGRIND:-}" ]; then
    rm -rf out
    ir=$(valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
      "$BIN" merge sea ports --out out "${extra[@]}" 2>&1 >/dev/null | grep "I *refs" | awk '{print $NF}' | tr -d ,)
    echo "$WHICH, land test $land: $((ir / 1000000)) M instructions"
  fi
done
