#!/usr/bin/env bash
# Runs every fuzz target in turn (one at a time: fuzzing is CPU-bound) for
# SECONDS_PER_TARGET seconds each (default 600) and keeps each log in
# fuzz/logs/<target>.log; a target that finds a crash stops early and its
# input is in fuzz/artifacts/<target>/. Usage: fuzz/run-all.sh [TARGET...]
set -u
cd "$(dirname "$0")/.."
secs=${SECONDS_PER_TARGET:-600}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(osm_xml osm_pbf tntp_net tntp_trips toml_network csv_bundle scenario
           demand_csv sea_lanes ports_csv ports_geojson countries_geojson compiled_network)
fi
mkdir -p fuzz/logs
for t in "${targets[@]}"; do
  start=$(date +%s)
  # osmpbf 0.3 multiplies a block's granularity by a coordinate delta in
  # i64 and overflows on corrupt blocks; cargo-fuzz turns overflow checks on
  # for every crate through RUSTFLAGS, which no profile can undo, so the PBF
  # target runs with -O (no overflow checks) and the workspace builds osmpbf
  # without them (Cargo.toml). Its decoding in our code is shared with
  # osm_xml, which keeps the checks.
  opt=(); [ "$t" = osm_pbf ] && opt=(-O)
  cargo fuzz run -s none "${opt[@]}" "$t" -- -max_total_time="$secs" -timeout=10 \
    -rss_limit_mb=4096 -print_final_stats=1 >"fuzz/logs/$t.log" 2>&1
  rc=$?
  echo "$t rc=$rc seconds=$(( $(date +%s) - start ))" | tee -a fuzz/logs/summary.txt
done
