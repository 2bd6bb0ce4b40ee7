#!/bin/bash
# Instructions counted by valgrind (cachegrind, no cache simulation) for a
# whole `corridor assign` process on a TNTP network, one line per gap:
# a measure that a busy machine does not disturb, for comparing two builds
# (wall time still needs a quiet machine: bench/tapb.py, bench/assign.py).
#
# Usage: bench/instructions.sh BINARY NETWORK METHOD GAP...
#   e.g. bench/instructions.sh target/release/corridor Anaheim algb 1e-4 1e-10
# Reads $CORRIDOR_TNTP_DIR (default ../shared/data/tntp); needs valgrind.
set -euo pipefail
BIN=$1; NET=$2; METHOD=$3; shift 3
DIR=${CORRIDOR_TNTP_DIR:-$(dirname "$0")/../../shared/data/tntp}
NETFILE=$(ls "$DIR/$NET"/*_net.tntp)
TRIPS=$(ls "$DIR/$NET"/*_trips.tntp)
for gap in "$@"; do
  out=$(valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
    "$BIN" assign "$NETFILE" --demand "$TRIPS" --method "$METHOD" --gap "$gap" \
    --max-iter 100000 --threads 1 2>&1)
  ir=$(echo "$out" | grep "I *refs" | awk '{print $NF}' | tr -d ,)
  its=$(echo "$out" | grep -o "[0-9]* iterations, relative gap [0-9.e+-]*")
  echo "$NET $METHOD $gap: $((ir / 1000000)) M instructions, $its"
done
