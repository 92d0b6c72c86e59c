#!/usr/bin/env bash
# Xie & Yuille (2020, §5) finding (c) at classroom scale: standard and adversarial training of the residual CNN
# (res-cnn, batch norm) at a fixed width across depths, each model then evaluated with PGD-50 (first 100 test
# images) and AutoAttack-lite (first 50) at L∞ ε = 0.15 on MNIST. One JSON line per command, with its wall time,
# in $OUT/results.jsonl. Usage: src/cli/experiments/xie-yuille-depth.sh OUT_DIR [DEPTHS] (default 1 2 4 8); run from the
# repository root. Sizes: 3,000 training images, 1 epoch, width 16, Adam lr 0.005, PGD-3 training at ε 0.15.
set -euo pipefail
OUT=${1:?usage: src/cli/experiments/xie-yuille-depth.sh OUT_DIR [DEPTHS]}
DEPTHS=${2:-1 2 4 8}
mkdir -p "$OUT"
C="--arch res-cnn --norm batch --width 16 --data mnist --limit 3000 --epochs 1 --lr 0.005 --seed 1"
ADV="--adv pgd --adv-eps 0.15 --adv-steps 3 --robust-probe 0"
run() { # name, command…: appends {"name", "seconds" (wall), "cpuSeconds" (user + system), "result"}
  local name=$1; shift
  local start; start=$(date +%s.%N)
  local result; result=$(/usr/bin/time -f '%U %S' -o "$OUT/time.txt" npm run --silent cli -- "$@" 2>>"$OUT/stderr.log")
  local end; end=$(date +%s.%N)
  local cpu; cpu=$(awk '{ print $1 + $2 }' "$OUT/time.txt")
  echo "{\"name\":\"$name\",\"seconds\":$(echo "$end - $start" | bc),\"cpuSeconds\":$cpu,\"result\":$result}" \
    >>"$OUT/results.jsonl"
}
for D in $DEPTHS; do
  for MODE in std adv; do
    M="$OUT/res-d$D-$MODE"
    if [ "$MODE" = adv ]; then run "train d$D $MODE" train $C --depth "$D" $ADV --out "$M"
    else run "train d$D $MODE" train $C --depth "$D" --out "$M"; fi
    run "pgd50 d$D $MODE" eval --model "$M" --data mnist --eps 0.15 --limit 100 --attack pgd --steps 50
    run "aa-lite d$D $MODE" eval --model "$M" --data mnist --eps 0.15 --limit 50 --attack autoattack-lite --steps 20
  done
done
