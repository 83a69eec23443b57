#!/usr/bin/env bash
# Regenerates reports/libraries/: klcheck's verdict on real npm libraries (examples/libraries/*.mjs).
#   <x>.json          the JSON report (docs/reports.md, schema 1) of `klcheck check --impl examples/libraries/<x>.mjs`
#   <x>.txt           that run's console output
#   <x>.classes.txt   agreement by support relation (examples/libraries/by-class.ts): where it is right, where wrong
# Seeded (20261123, 200 runs per property; 100 cases per relation): the same versions give the same
# reports apart from timings. The checks fail — that is the expected result — so klcheck's exit code 1
# is not an error here; exit code 2 (the module could not be loaded) is.
# Run from anywhere: bash examples/libraries/make-reports.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
mkdir -p reports/libraries
status=0
for x in mathjs ml-distance tfjs; do
  node bin/klcheck.js check --impl "examples/libraries/$x.mjs" --seed 20261123 --runs 200 --no-progress \
    --json "reports/libraries/$x.json" >"reports/libraries/$x.txt" 2>&1
  rc=$?
  echo "$x: klcheck exit code $rc -> reports/libraries/$x.json, $x.txt"
  [ "$rc" -le 1 ] || status=1
  node -r ts-node/register/transpile-only examples/libraries/by-class.ts "examples/libraries/$x.mjs" --seed 20261123 --runs 100 \
    >"reports/libraries/$x.classes.txt" 2>&1 || status=1
  echo "$x: by relation -> reports/libraries/$x.classes.txt"
done
exit $status
