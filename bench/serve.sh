#!/usr/bin/env bash
# Load test of `corridor serve` on the loopback: builds the release binary
# and the load client (crates/corridor-server/examples/load.rs), starts a
# server with the shipped examples on a free port, fires route requests at
# the grain example (REQUESTS at CONCURRENCY connections), then the same
# while one assignment of the grain demand is always running, prints
# requests/s, p50/p90/p99 and the server's memory, and stops the server.
#
#   bash bench/serve.sh                 # 20000 requests at 64 connections
#   bash bench/serve.sh 500 8           # a quick check that it all works
#   ASSIGN_GAP=1e-10 bash bench/serve.sh # longer assignments in the mixed run
#
# Every request goes to 127.0.0.1; both runs are bounded in count and in
# time (--max-seconds). Results go to docs/benchmarks.md ("Server").
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS="${1:-20000}"
CONCURRENCY="${2:-64}"
MAX_SECONDS="${MAX_SECONDS:-300}"

cargo build --release -q -p corridor-cli
cargo build --release -q -p corridor-server --example load
mkdir -p bench/out
LOG=bench/out/serve.log
target/release/corridor serve --port 0 >"$LOG.out" 2>"$LOG" &
SERVER=$!
trap 'kill -TERM "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true' EXIT

ADDR=""
for _ in $(seq 1 300); do
  ADDR=$(grep -o 'listening on http://[0-9.:]*' "$LOG" | head -1 | sed 's|listening on http://||' || true)
  [ -n "$ADDR" ] && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$LOG"; exit 1; }
  sleep 0.1
done
[ -n "$ADDR" ] || { echo "the server did not start"; cat "$LOG"; exit 1; }
echo "== corridor serve at $ADDR (pid $SERVER), $(nproc) cores, $(rustc --version)"

LOAD=(target/release/examples/load --addr "$ADDR" --requests "$REQUESTS"
      --concurrency "$CONCURRENCY" --pid "$SERVER" --max-seconds "$MAX_SECONDS")
echo "== routes"
"${LOAD[@]}"
echo "== routes while an assignment runs"
"${LOAD[@]}" --with-assign ${ASSIGN_GAP:+--assign-gap "$ASSIGN_GAP"}
