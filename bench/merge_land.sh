#!/usr/bin/env bash
# The sea connectors' land test (issue 15): wall time of `corridor merge`
# of the searoute lanes with the World Port Index (2,705 coastal ports;
# every sea connector measured against the Natural Earth 1:50m layer, the
# refused ones retried along their lane stretches) with and without
# --no-land-test. Run on a quiet machine; copy the medians into
# docs/benchmarks.md.
#
#   bash bench/merge_land.sh        # 5 repetitions
#   bash bench/merge_land.sh 1      # a quick check
set -euo pipefail
cd "$(dirname "$0")/.."
REPS="${1:-5}"
if [ -z "${CORRIDOR:-}" ]; then
    cargo build --release -q -p corridor-cli
    CORRIDOR=target/release/corridor
fi
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
"$CORRIDOR" import sea data/searoute/marnet_searoute.geojson --out "$W/sea" >/dev/null
"$CORRIDOR" import ports data/world_port_index/wpi_ports.csv --out "$W/wpi" >/dev/null
for mode in land no-land; do
    extra=()
    [ "$mode" = no-land ] && extra=(--no-land-test)
    for i in $(seq "$REPS"); do
        rm -rf "$W/m"
        s=$(date +%s.%N)
        "$CORRIDOR" merge "$W/sea" "$W/wpi" --out "$W/m" "${extra[@]}" >/dev/null
        e=$(date +%s.%N)
        echo "$mode $(echo "$e - $s" | bc)"
    done
done | sort | awk '{t[$1]=t[$1] " " $2} END {for (m in t) print "merge sea+wpi, " m ":" t[m] " s"}'
