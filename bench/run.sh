#!/usr/bin/env bash
# Times every stage of elv as a separate process on generated data (issue 5).
#   bench/run.sh [small|medium|large|xl|xxl ...] [--runs N] [--build DIR]
# Each stage runs N times (default 3; 1 for xl and xxl) under /usr/bin/time -v; the median wall time
# is kept with its user+sys time and peak RSS. Results go to bench/RESULTS.md, section
# "Stage timings", replacing the rows of the sizes measured (other sizes are kept).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=()
RUNS=""
BUILD_DIR=build
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --build) BUILD_DIR="$2"; shift 2 ;;
    small|medium|large|xl|xxl) SIZES+=("$1"); shift ;;
    *) echo "usage: bench/run.sh [small|medium|large|xl|xxl ...] [--runs N] [--build DIR]" >&2; exit 2 ;;
  esac
done
[ ${#SIZES[@]} -gt 0 ] || SIZES=(small medium)
ELV="$(realpath "$BUILD_DIR/elv")"
[ -x "$ELV" ] || { echo "build first: make build" >&2; exit 1; }
WORK="${BENCH_WORK:-$(mktemp -d /tmp/elv-bench.XXXXXX)}"
mkdir -p "$WORK"
trap '[ -z "${BENCH_KEEP:-}" ] && rm -rf "$WORK"' EXIT

gen_args() {
  case "$1" in
    small) echo "" ;;
    medium) echo "--days 120 --campaigns 10 --adsets-per-campaign 5 --ads-per-adset 5 --leads-per-day 1000" ;;
    large) echo "--days 365 --campaigns 20 --adsets-per-campaign 10 --ads-per-adset 5 --leads-per-day 3000" ;;
    xl) echo "--days 365 --campaigns 20 --adsets-per-campaign 10 --ads-per-adset 5 --leads-per-day 12000" ;;
    # 10 M leads (issue 19): xl's accounts with 27,400 leads a day.
    xxl) echo "--days 365 --campaigns 20 --adsets-per-campaign 10 --ads-per-adset 5 --leads-per-day 27400" ;;
  esac
}

# run_stage NAME RUNS -- command...  → prints "wall user_sys rss_mb" of the median run
run_stage() {
  local name="$1" runs="$2"; shift 3
  local results=()
  for i in $(seq "$runs"); do
    rm -rf "$WORK/out"
    /usr/bin/time -v -o "$WORK/time.txt" "$@" >/dev/null 2>"$WORK/stderr.txt" || {
      echo "stage $name failed:" >&2; cat "$WORK/stderr.txt" >&2; exit 1; }
    local wall user sys rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$WORK/time.txt")
    user=$(awk -F': ' '/User time/ {print $2}' "$WORK/time.txt")
    sys=$(awk -F': ' '/System time/ {print $2}' "$WORK/time.txt")
    rss=$(awk -F': ' '/Maximum resident/ {printf "%.0f", $2/1024}' "$WORK/time.txt")
    results+=("$wall $(echo "$user + $sys" | bc) $rss")
  done
  printf '%s\n' "${results[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p"
}

ROWS_FILE="$WORK/rows.md"
: >"$ROWS_FILE"
for size in "${SIZES[@]}"; do
  runs="${RUNS:-3}"
  case "$size" in xl|xxl) runs="${RUNS:-1}" ;; esac
  data="$WORK/$size"
  echo "== $size: generating data" >&2
  gen_start=$(date +%s.%N)
  "$ELV" demo-data --out "$data" $(gen_args "$size") --end-date 2026-06-30 --seed 7 --overwrite >/dev/null 2>&1
  gen_secs=$(echo "$(date +%s.%N) - $gen_start" | bc)
  leads=$(( $(wc -l <"$data/leads.csv") - 1 ))
  input_mb=$(du -cm "$data"/*.csv | tail -1 | cut -f1)
  for model in logreg gbdt; do
    cat >"$WORK/$size-$model.yaml" <<YAML
schema_version: 1
paths:
  ads_path: $data/ads.csv
  leads_path: $data/leads.csv
  outcomes_path: $data/outcomes.csv
  ads_placement_path: $data/ads_placement.csv
  ads_geo_path: $data/ads_geo.csv
  adset_targeting_path: $data/adset_targeting.csv
  ad_creatives_path: $data/ad_creatives.csv
model:
  model_type: $model
YAML
  done
  cfg="$WORK/$size-logreg.yaml"
  # A model to score with (not timed here: its training is timed below).
  "$ELV" train --config "$cfg" --out-dir "$WORK/$size-model" --quiet >/dev/null 2>&1
  model="$WORK/$size-model/model.json"
  stages=("validate|$ELV validate --config $cfg"
          "build-table|$ELV build-table --config $cfg --out-dir $WORK/out --quiet"
          "train logreg|$ELV train --config $cfg --out-dir $WORK/out --quiet"
          "train gbdt|$ELV train --config $WORK/$size-gbdt.yaml --out-dir $WORK/out --quiet"
          "score|$ELV score --config $cfg --model $model --out-dir $WORK/out --quiet"
          "batch-score|$ELV batch-score --config $cfg --model $model --leads-path $data/leads.csv --out-dir $WORK/out --quiet")
  if "$ELV" --help 2>&1 | grep -qE "^ +report( |$)"; then
    stages+=("report|$ELV report --run-dir $WORK/$size-model")
  fi
  printf '| %s | demo-data | %s | %.2f | | | %s |\n' "$size" "$leads" "$gen_secs" "$(awk -v l="$leads" -v s="$gen_secs" 'BEGIN{printf "%.0f", l/s}')" >>"$ROWS_FILE"
  for entry in "${stages[@]}"; do
    name="${entry%%|*}"; cmd="${entry#*|}"
    # hours of gbdt: not part of the xl and xxl checks
    [ "$name" = "train gbdt" ] && { [ "$size" = xl ] || [ "$size" = xxl ]; } && continue
    echo "== $size: $name" >&2
    read -r wall cpu rss < <(run_stage "$name" "$runs" -- $cmd)
    rate=$(awk -v l="$leads" -v w="$wall" 'BEGIN{printf "%.0f", l/w}')
    mbs=$(awk -v m="$input_mb" -v w="$wall" 'BEGIN{printf "%.0f", m/w}')
    printf '| %s | %s | %s | %.2f | %.2f | %s | %s | %s |\n' "$size" "$name" "$leads" "$wall" "$cpu" "$rss" "$rate" "$mbs" >>"$ROWS_FILE"
  done
  echo "$size $leads $input_mb" >>"$WORK/sizes.txt"
done

python3 - bench/RESULTS.md "$ROWS_FILE" "$(git rev-parse --short HEAD)" "$(nproc)" \
  "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)" "bench/run.sh ${SIZES[*]} --runs ${RUNS:-default}" <<'PY'
import re, sys, datetime
path, rows_file, commit, cores, cpu, command = sys.argv[1:7]
new_rows = [l.rstrip("\n") for l in open(rows_file) if l.strip()]
sizes = {r.split("|")[1].strip() for r in new_rows}
try:
    text = open(path).read()
except FileNotFoundError:
    text = "# Benchmark results\n"
old_rows = []
m = re.search(r"## Stage timings\n(.*?)(?=\n## |\Z)", text, re.S)
if m:
    old_rows = [l for l in m.group(1).splitlines()
                if l.startswith("| ") and not l.startswith("| size") and l.split("|")[1].strip() not in sizes]
order = {"small": 0, "medium": 1, "large": 2, "xl": 3, "xxl": 4}
rows = sorted(old_rows + new_rows, key=lambda r: order.get(r.split("|")[1].strip(), 9))
section = f"""## Stage timings

Latest command: `{command}` at commit {commit}, {datetime.date.today()}, {cores} cores ({cpu}).
Each stage is a separate `elv` process timed with `/usr/bin/time -v`; the median of the runs
is kept. rows/s = leads / wall; MB/s = all input CSVs / wall. Sizes: small = demo-data
defaults; medium = 120 days × 250 ads × 1,000 leads/day; large = 365 days × 1,000 ads ×
3,000 leads/day; xl = large with 12,000 leads/day; xxl = large with 27,400 leads/day (10 M
leads; all with the four enrichment files).

| size | stage | leads | wall s | user+sys s | peak RSS MB | rows/s | input MB/s |
|---|---|---:|---:|---:|---:|---:|---:|
""" + "\n".join(rows) + "\n"
text = text.replace(m.group(0), section.rstrip("\n") + "\n") if m else text.rstrip("\n") + "\n\n" + section
open(path, "w").write(text)
PY
echo "wrote bench/RESULTS.md" >&2
