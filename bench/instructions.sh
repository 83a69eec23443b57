#!/usr/bin/env bash
# `npm run bench:instructions`: machine instructions per category of the reference (kl, entropy,
# crossEntropy at n = 1000, 40 digits), counted by valgrind's callgrind. Instruction counts repeat
# exactly from run to run whatever else the machine is doing, unlike timings on these shared VMs,
# so they are the measure for comparing two versions of the reference. Each figure is the difference
# between 40 and 10 repetitions (start-up and warm-up cancel), divided by 30 000 categories.
# TurboFan compiles synchronously (--no-concurrent-recompilation) so the steady state is optimised code.
set -euo pipefail
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 2; }
here="$(cd "$(dirname "$0")/.." && pwd)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
npx tsc -p "$here" --outDir "$out/js" --noEmit false >/dev/null
ln -s "$here/node_modules" "$out/node_modules" # the compiled sources resolve their dependencies from here
KLCHECK_JS="$out/js" node "$here/bench/instructions-driver.js" kl 1 # fail loudly here, not inside valgrind
count() {
  KLCHECK_JS="$out/js" valgrind --tool=callgrind --callgrind-out-file="$out/cg" \
    node --no-concurrent-recompilation "$here/bench/instructions-driver.js" "$1" "$2" 2>&1 |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
for fn in kl entropy crossEntropy; do
  a=$(count "$fn" 10)
  b=$(count "$fn" 40)
  echo "reference $fn, n=1000, 40 digits: $(( (b - a) / 30000 )) instructions per category"
done
