#!/usr/bin/env bash
# One-to-one at continental scale (issue 14): a customizable contraction
# hierarchy on the generated multimodal network of about 1.2 million links,
# lowered for grain minimising hours. Times the nested-dissection order, the
# contraction, the customization (median of REPS) and PAIRS one-to-one
# queries (median; with and without unpacking the path), then checks 10,000
# pairs (100 sources × 100 targets) against one-to-all Dijkstra and every
# unpacked path's weight; exits non-zero on a mismatch. Prints one JSON line;
# copy it with the machine into docs/benchmarks.md ("One-to-one at
# continental scale"). RAYON_NUM_THREADS pins the customization's threads.
# The whole skim (customization, matrix, totals) is bench/skim.sh's.
#
#   bash bench/cch.sh               # 1000 queries, 3 customizations
#   bash bench/cch.sh 1000 3 --small  # a 29k-link smoke run
#   bash bench/cch.sh 1000 3 --matrix 1000  # also a 1000 x 1000 bucket
#                                  # many-to-many after the customization
#                                  # (matrix_s), first 10 rows checked
set -euo pipefail
cd "$(dirname "$0")/.."
PAIRS="${1:-1000}"
REPS="${2:-3}"
shift $(( $# > 2 ? 2 : $# ))
cargo run --release -q -p corridor-engine --example cch_bench -- --pairs "$PAIRS" --reps "$REPS" "$@"
