#!/usr/bin/env bash
# Rebuilds assets/demo_model.json, the model `elv demo` scores with, deterministically:
# fixed seed and end date for the synthetic data, logreg (small, exact JSON), sigmoid
# calibration. Run from anywhere; rebuilds the binary so the new model is embedded.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${BUILD_DIR:-build}"
cmake -S . -B "$BUILD_DIR" -G Ninja >/dev/null
cmake --build "$BUILD_DIR" --target elv >/dev/null
ELV="$BUILD_DIR/elv"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$ELV" demo-data --out "$work/data" --seed 7 --end-date 2026-01-31 --days 120 >/dev/null
cat >"$work/run.yaml" <<YAML
schema_version: 1
paths:
  ads_path: data/ads.csv
  leads_path: data/leads.csv
  outcomes_path: data/outcomes.csv
  ads_placement_path: data/ads_placement.csv
  ads_geo_path: data/ads_geo.csv
  adset_targeting_path: data/adset_targeting.csv
  ad_creatives_path: data/ad_creatives.csv
model:
  model_type: logreg
  calibration_method: sigmoid
  random_seed: 7
YAML
"$ELV" train --config "$work/run.yaml" --out-dir "$work/run" --threads 1 >/dev/null
mkdir -p assets
# created_at_utc is the only time-dependent field; pin it so rebuilds are byte-identical.
sed -E 's/"created_at_utc": "[^"]*"/"created_at_utc": "2026-01-31T00:00:00+00:00"/' \
  "$work/run/model.json" >assets/demo_model.json
cmake -S . -B "$BUILD_DIR" >/dev/null   # the asset exists now: make the build depend on it
cmake --build "$BUILD_DIR" --target elv >/dev/null
echo "wrote assets/demo_model.json ($(wc -c <assets/demo_model.json) bytes)"
