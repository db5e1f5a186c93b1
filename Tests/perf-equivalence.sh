#!/bin/sh
# Checks that a speed-up changed no output: replays a fixed set of simulated recordings and compares what
# `kneeload replay --json --events` prints, byte for byte, with outputs saved before the change.
#
#   Tests/perf-equivalence.sh record DIR   (before the change: simulate the inputs, save the outputs in DIR)
#   Tests/perf-equivalence.sh check DIR    (after it: replay the same inputs, compare; exit 1 on any difference)
#
# DIR lives outside git (e.g. /tmp/perf-ref): the inputs are tens of megabytes. The inputs cover every
# built-in scenario at 50, 100 and 200 Hz and several seeds; each CSV is also replayed with its gyro columns
# renamed away (the engine's knee-only path) and from a binary recording (the decoder). Every input runs with
# the default limits and with low ones in cooldown mode, so alerts fire, re-arm and fire again.
# Uses the release build (`swift build -c release --product kneeload`, built here when missing).
set -eu
mode=${1:?usage: $0 record|check DIR}
dir=${2:?usage: $0 record|check DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
swift build -c release --product kneeload >/dev/null
kneeload="$root/.build/release/kneeload"

inputs="$dir/inputs"
case "$mode" in
record)
    rm -rf "$dir"
    mkdir -p "$inputs"
    for scenario in walk run stairs squats downhill-run trail-run cheap-rig commute mixed; do
        for rate in 50 100 200; do
            for seed in 1 7; do
                name="$scenario-$rate-$seed"
                "$kneeload" simulate "$scenario" --rate "$rate" --seed "$seed" --duration 240 \
                    --csv "$inputs/$name.csv" --recording "$inputs/$name.klr" 2>/dev/null
                # The same samples without a gyro: unknown columns are ignored (CONTRACTS §2).
                awk 'BEGIN { done = 0 } !done && !/^#/ { gsub(/g[xyz]_dps/, "no_&"); done = 1 } { print }' \
                    "$inputs/$name.csv" >"$inputs/$name-nogyro.csv"
            done
        done
    done
    cat >"$inputs/low-limits.yaml" <<'EOF'
limits:
  session_load_bw_s: 40
  load_rate_bw_s_per_min: 15
  session_stair_descent_steps: 4
  rearm: cooldown
  cooldown_s: 20
EOF
    out="$dir/reference"
    ;;
check)
    out="$dir/current"
    ;;
*)
    echo "usage: $0 record|check DIR" >&2
    exit 64
    ;;
esac

rm -rf "$out"
mkdir -p "$out"
count=0
for input in "$inputs"/*.csv "$inputs"/*.klr; do
    name=$(basename "$input")
    # Run from the inputs folder so the file names in the JSON do not depend on DIR.
    (cd "$inputs" && "$kneeload" replay "$name" --json --events "$out/$name.events.jsonl" >"$out/$name.json")
    (cd "$inputs" && "$kneeload" replay "$name" --json --config low-limits.yaml \
        --events "$out/$name.low.events.jsonl" >"$out/$name.low.json")
    count=$((count + 1))
done

if [ "$mode" = check ]; then
    if diff -r -q "$dir/reference" "$out"; then
        echo "equivalent: $count inputs, $(ls "$out" | wc -l) outputs identical"
    else
        echo "DIFFERENT outputs (see diff -r $dir/reference $out)" >&2
        exit 1
    fi
else
    echo "recorded: $count inputs, $(ls "$out" | wc -l) outputs in $out"
fi
