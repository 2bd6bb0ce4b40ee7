#!/bin/bash
# Whole-process costs that a busy machine does not disturb, for two or
# more builds of `corridor` side by side: instructions (valgrind
# cachegrind, no cache simulation), page faults and task-clock (perf stat),
# mprotect/mmap/brk/clone calls (strace -c -f), and whether the outputs are
# byte-identical to the first build's. Wall time still needs a quiet
# machine: bench/tapb.py.
#
# Usage: bench/startup.sh BINARY...
#   e.g. cp target/release/corridor /tmp/corridor-before   # on main
#        bench/startup.sh /tmp/corridor-before target/release/corridor
# Cases: Anaheim algb to 1e-4 and 1e-10, Berlin-Center algb to 1e-4 and
# aon, all `--threads 1`, and `route` on examples/grain-corridors.
# Reads $CORRIDOR_TNTP_DIR (default ../shared/data/tntp); needs valgrind,
# perf and strace. SKIP_VALGRIND=1 skips the (slow) instruction counts.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${CORRIDOR_TNTP_DIR:-$ROOT/../shared/data/tntp}
tntp() { # NET METHOD GAP -> argument list
  echo "assign $(ls "$DIR/$1"/*_net.tntp) --demand $(ls "$DIR/$1"/*_trips.tntp)" \
    "--method $2 --gap $3 --max-iter 100000 --threads 1 --format json"
}
CASES=(
  "anaheim-algb-1e-4|$(tntp Anaheim algb 1e-4)"
  "anaheim-algb-1e-10|$(tntp Anaheim algb 1e-10)"
  "berlin-algb-1e-4|$(tntp Berlin-Center algb 1e-4)"
  "berlin-aon|$(tntp Berlin-Center aon 1e-4)"
  "grain-route|route $ROOT/examples/grain-corridors --from vinnytsia --to gdansk --commodity grain"
)
OUT=$(mktemp -d)
for case in "${CASES[@]}"; do
  name=${case%%|*}; args=${case#*|}
  i=0
  for bin in "$@"; do
    i=$((i + 1))
    # shellcheck disable=SC2086
    "$bin" $args | sed -E 's/"seconds": *[0-9.e+-]+/"seconds": _/g' >"$OUT/$name.$i"
    same=same; cmp -s "$OUT/$name.1" "$OUT/$name.$i" || same=DIFFERENT
    # shellcheck disable=SC2086
    pf=$(perf stat -x, -e page-faults,task-clock "$bin" $args 2>&1 >/dev/null |
      awk -F, '/page-faults/{pf=$1} /task-clock/{tc=$1} END{printf "%s page faults, %.1f ms task-clock", pf, tc}')
    # shellcheck disable=SC2086
    sc=$(strace -f -c -o "$OUT/strace" "$bin" $args >/dev/null 2>&1;
      awk '$NF ~ /^(mprotect|mmap|munmap|brk|clone3?|madvise)$/{printf "%s %s, ", $NF, $4}' "$OUT/strace")
    ir=-
    if [ -z "${SKIP_VALGRIND:-}" ]; then
      # shellcheck disable=SC2086
      ir=$(valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
        "$bin" $args 2>&1 >/dev/null | grep "I *refs" | awk '{print $NF}' | tr -d ,)
      ir="$((ir / 100000))"; ir="${ir%?}.${ir: -1} M instr"
    fi
    echo "$name  $(basename "$bin")#$i: $ir, $pf; ${sc}output $same"
  done
done
rm -rf "$OUT"
