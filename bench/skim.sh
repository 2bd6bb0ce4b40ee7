#!/usr/bin/env bash
# Many-to-many (issue 14): wall time of an N × N `skim` (default 100 × 100)
# on the generated multimodal network of about 1.2 million links, through
# the library (no CSV loading: `bench/scale.sh` measures that). One
# Dijkstra per origin, origins in parallel on all cores (RAYON_NUM_THREADS
# to pin). Prints one JSON line; copy it with the machine into
# docs/benchmarks.md ("Many-to-many").
#
#   bash bench/skim.sh              # 100 × 100, best and median of 3
#   bash bench/skim.sh 1000 1       # the issue's 1000 × 1000 goal, once
#   bash bench/skim.sh 100 3 cch    # through the contraction hierarchy
#   bash bench/skim.sh 1000 3 cch 10  # the goal through the hierarchy (bucket
#                                     # many-to-many); the first rep also
#                                     # orders and contracts, best/median are
#                                     # over the others; rows of the first 10
#                                     # origins checked against Dijkstra
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-100}"
REPS="${2:-3}"
ENGINE="${3:-dijkstra}"
CHECK="${4:-0}"
cargo run --release -q -p corridor-engine --example skim_bench -- --n "$N" --reps "$REPS" --engine "$ENGINE" --check "$CHECK"
