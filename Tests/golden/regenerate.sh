#!/bin/sh
# Regenerates the golden inputs and expected outputs that GoldenFileTests compares byte for byte.
# Run after an intended change to the simulator, the recording format or the engine, then review
# `git diff Tests/golden` (the JSON and events show what changed) before committing.
#
#   Tests/golden/regenerate.sh            (from the package root; builds the tool first)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
swift build --product kneeload >/dev/null
kneeload="$root/.build/debug/kneeload"
cd Tests/golden
# Inputs: a recording and a CSV of two built-in scenarios, short enough to keep the folder small.
"$kneeload" simulate stairs --recording stairs.klr --duration 30 --rate 100 2>/dev/null
"$kneeload" simulate walk --csv walk.csv --duration 15 --rate 50 2>/dev/null
# Expected outputs, run from this folder so the file names in the JSON are relative.
for input in stairs.klr walk.csv; do
    "$kneeload" replay "$input" --json --events "$input.events.jsonl" >"$input.json"
done
ls -l
