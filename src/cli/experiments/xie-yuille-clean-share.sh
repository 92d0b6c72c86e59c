#!/usr/bin/env bash
# Xie & Yuille (2020, §4) findings (a) and (b) on the CIFAR-10 sample at classroom scale: the colour CNN with batch
# norm adversarially trained (PGD-3, L∞ ε = 8/255) on adversarial images only, with 50 % and 100 % clean images
# beside them through one batch norm, and with 100 % clean through split batch norm (BN_clean / BN_adv); each model
# then evaluated with PGD-50 (first $EVAL test images) and AutoAttack-lite (first $EVAL/2); split with both sets.
# One JSON line per command, with its wall time, in $OUT/results.jsonl. Needs $CIFAR10_DIR.
# Usage: src/cli/experiments/xie-yuille-clean-share.sh OUT_DIR [LIMIT] [EPOCHS] [EVAL] (default 1,000 images, 1 epoch, 50).
set -euo pipefail
OUT=${1:?usage: src/cli/experiments/xie-yuille-clean-share.sh OUT_DIR [LIMIT] [EPOCHS] [EVAL]}
LIMIT=${2:-1000}
EPOCHS=${3:-1}
EVAL=${4:-50}
: "${CIFAR10_DIR:?set CIFAR10_DIR to the CIFAR-10 files}"
mkdir -p "$OUT"
EPS=8/255
# train takes a decimal: 8/255.
TRAIN_EPS=0.03137254901960784
C="--arch cifar-cnn --norm batch --data cifar10 --limit $LIMIT --epochs $EPOCHS --seed 1"
ADV="--adv pgd --adv-eps $TRAIN_EPS --adv-steps 3 --robust-probe 0"
run() { # name, command…: appends {"name", "seconds" (wall), "cpuSeconds" (user + system), "result"}
  local name=$1; shift
  local start; start=$(date +%s.%N)
  local result; result=$(/usr/bin/time -f '%U %S' -o "$OUT/time.txt" npm run --silent cli -- "$@" 2>>"$OUT/stderr.log")
  local end; end=$(date +%s.%N)
  local cpu; cpu=$(awk '{ print $1 + $2 }' "$OUT/time.txt")
  echo "{\"name\":\"$name\",\"seconds\":$(echo "$end - $start" | bc),\"cpuSeconds\":$cpu,\"result\":$result}" \
    >>"$OUT/results.jsonl"
}
evaluate() { # name, model dir, extra eval flags…
  local name=$1 model=$2; shift 2
  run "pgd50 $name" eval --model "$model" --data cifar10 --eps "$EPS" --limit "$EVAL" --attack pgd --steps 50 "$@"
  run "aa-lite $name" eval --model "$model" --data cifar10 --eps "$EPS" --limit $((EVAL / 2)) --attack autoattack-lite \
    --steps 20 "$@"
}
run "train clean0" train $C $ADV --out "$OUT/clean0"
evaluate clean0 "$OUT/clean0"
run "train clean0.5" train $C $ADV --adv-clean 0.5 --out "$OUT/clean0.5"
evaluate clean0.5 "$OUT/clean0.5"
run "train clean1" train $C $ADV --adv-clean 1 --out "$OUT/clean1"
evaluate clean1 "$OUT/clean1"
run "train split" train $C $ADV --adv-clean 1 --adv-bn split --out "$OUT/split"
evaluate "split adv" "$OUT/split" --bn adv
evaluate "split clean" "$OUT/split" --bn clean
