#!/usr/bin/env bash
# Vessel classes on the real sea lanes (issue 15): wall time of `route`
# (bulk: five classes tried, one arc table) and of a `skim` between ports
# (one matrix per class) on the searoute lanes merged with the searoute
# ports, compiled once. Run it with this build and with an older one
# (CORRIDOR=/path/to/old/corridor) on a quiet machine and compare the
# medians; copy them into docs/benchmarks.md ("Vessel classes").
#
#   bash bench/vessels.sh                                # 5 repetitions
#   bash bench/vessels.sh 1                              # a quick check
#   CORRIDOR=/old/target/release/corridor bash bench/vessels.sh
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
"$CORRIDOR" import ports data/searoute/searoute_ports.geojson --out "$W/ports" >/dev/null
"$CORRIDOR" merge "$W/sea" "$W/ports" --out "$W/world" >/dev/null
"$CORRIDOR" build "$W/world" --out "$W/world.corridor" >/dev/null 2>&1
PORTS=NLRTM,CNSHA,UAODS,ROCND,TRIST,PLGDN,USNYC,SGSIN,BRSSZ,ZADUR
time_it() { # label, command...
    local label="$1"; shift
    local times=()
    for _ in $(seq "$REPS"); do
        local t0 t1
        t0=$(date +%s.%N)
        if ! "$@" >/dev/null 2>&1; then
            echo "$label: fails with this build (an older one without --vessel?)"
            return
        fi
        t1=$(date +%s.%N)
        times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk -v l="$label" '{a[NR]=$1} END {printf "%-40s best %.3f s  median %.3f s  (%d runs)\n", l, a[1], a[int((NR+1)/2)], NR}'
}
time_it "route NLRTM-CNSHA bulk (5 classes)" \
    "$CORRIDOR" route "$W/world.corridor" --from NLRTM --to CNSHA --commodity bulk
time_it "route NLRTM-CNSHA bulk --vessel capesize" \
    "$CORRIDOR" route "$W/world.corridor" --from NLRTM --to CNSHA --commodity bulk --vessel capesize
time_it "route NLRTM-CNSHA container (2 classes)" \
    "$CORRIDOR" route "$W/world.corridor" --from NLRTM --to CNSHA --commodity container
time_it "skim 10x10 ports bulk (5 matrices)" \
    "$CORRIDOR" skim "$W/world.corridor" --from "$PORTS" --to "$PORTS" --commodity bulk
