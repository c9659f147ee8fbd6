#!/usr/bin/env bash
# Work amplification: inputs small in bytes that once cost far more than their size
# (docs/LIMITS.md, "The rule"). Each case runs as one elv process under /usr/bin/time -v
# and is checked against the rule
#     peak RSS <= 1 GB + 40 x input bytes, and wall <= 30 s when the input is <= 20 MB.
#   bench/amplification.sh [path-to-elv]        (default build/elv)
# Prints a Markdown table; results are recorded by hand in bench/RESULTS.md
# ("Amplification"). A benchmark, not a test: it takes about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
ELV="$(realpath "${1:-build/elv}")"
[ -x "$ELV" ] || { echo "build first: make build" >&2; exit 1; }
WORK="$(mktemp -d /tmp/elv-amplification.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
# A case that breaks the rule is stopped before it can take the machine down (a run of the
# old code reached 10 GB): address space capped at 4x the bound, wall time at 120 s.
CAP_SECONDS=120

echo "== generating inputs in $WORK" >&2
"$ELV" demo-data --out "$WORK/small" --end-date 2026-06-30 --seed 7 >/dev/null 2>&1
"$ELV" demo-data --out "$WORK/medium" --days 120 --campaigns 10 --adsets-per-campaign 5 \
  --ads-per-adset 5 --leads-per-day 1000 --end-date 2026-06-30 --seed 7 >/dev/null 2>&1

# write_config DIR ADS LEADS: a config over the small data set's outcomes.
write_config() {
  cat >"$1/config.yaml" <<YAML
schema_version: 1
paths:
  ads_path: $2
  leads_path: $3
  outcomes_path: $WORK/small/outcomes.csv
YAML
}

# Case inputs.
mkdir -p "$WORK"/{long-names,far-future,dev-zero,fifo,semicolon,medium-run}
python3 - "$WORK" <<'PY'
import datetime, random, sys
work = sys.argv[1]
header = "date,campaign_id,campaign_name,adset_id,adset_name,ad_id,ad_name,impressions,clicks,spend\n"
# 16 campaign names of 1 M characters: 16 MB.
with open(f"{work}/long-names/ads.csv", "w") as f:
    f.write(header)
    for c in range(16):
        f.write(f"2026-06-01,c{c},{chr(65 + c) * 1_000_000},s{c},Adset,a{c},Ad,1000,20,15.50\n")
# The small data set's ads with 80 of its rows copied to 9999-12-31.
rows = open(f"{work}/small/ads.csv").read().splitlines(True)
with open(f"{work}/far-future/ads.csv", "w") as f:
    f.writelines(rows)
    for r in random.Random(7).sample(rows[1:], 80):
        f.write("9999-12-31" + r[10:])
# 20 MB of ';'-separated rows with decimal commas (European Excel): 400 ads a day.
rng = random.Random(7)
with open(f"{work}/semicolon/ads.csv", "w") as f:
    f.write(header.replace(",", ";"))
    size, i = 0, 0
    while size < 20_000_000:
        day, a = datetime.date(2025, 1, 1) + datetime.timedelta(days=i // 400), i % 400
        line = (f"{day};c{a % 10};Campaign {a % 10};s{a % 50};Adset {a % 50};a{a};Ad {a};"
                f"{rng.randint(100, 5000)};{rng.randint(0, 90)};{rng.randint(1, 900)},{rng.randint(0, 99):02d}\n")
        f.write(line)
        size += len(line)
        i += 1
PY
write_config "$WORK/long-names" "$WORK/long-names/ads.csv" "$WORK/small/leads.csv"
write_config "$WORK/far-future" "$WORK/far-future/ads.csv" "$WORK/small/leads.csv"
write_config "$WORK/dev-zero" "$WORK/small/ads.csv" /dev/zero
mkfifo "$WORK/fifo/ads.csv"
write_config "$WORK/fifo" "$WORK/fifo/ads.csv" "$WORK/small/leads.csv"
write_config "$WORK/semicolon" "$WORK/semicolon/ads.csv" "$WORK/small/leads.csv"
cat >"$WORK/medium-run/config.yaml" <<YAML
schema_version: 1
paths:
  ads_path: $WORK/medium/ads.csv
  leads_path: $WORK/medium/leads.csv
  outcomes_path: $WORK/medium/outcomes.csv
YAML

# Bytes of the regular files a config names (a FIFO or device counts 0).
input_bytes() {
  local total=0 path
  for path in $(awk '/_path:/ {print $2}' "$1"); do
    [ -f "$path" ] && total=$((total + $(stat -L -c %s "$path")))
  done
  echo "$total"
}

printf '| case | command | exit | peak RSS MB | wall s | input MB | bound MB | rule |\n'
printf '|---|---|---:|---:|---:|---:|---:|---|\n'
# run_case NAME STAGE: elv STAGE --config NAME/config.yaml under /usr/bin/time -v.
run_case() {
  local name="$1" stage="$2" dir="$WORK/$1"
  local bytes bound_mb rc wall rss verdict
  bytes=$(input_bytes "$dir/config.yaml")
  bound_mb=$(( 1000 + 40 * bytes / 1000000 ))
  echo "== $name: elv $stage" >&2
  set +e
  (ulimit -v $(( 4 * bound_mb * 1024 )); exec /usr/bin/time -v -o "$dir/time.txt" \
     timeout -k 5 "$CAP_SECONDS" "$ELV" "$stage" --config "$dir/config.yaml" --out-dir "$dir/out" --quiet \
     >"$dir/stdout.txt" 2>"$dir/stderr.txt")
  rc=$?
  set -e
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; printf "%.2f", s}' "$dir/time.txt")
  rss=$(awk -F': ' '/Maximum resident/ {printf "%.0f", $2/1024}' "$dir/time.txt")
  verdict=pass
  [ "$rss" -le "$bound_mb" ] || verdict="FAIL (memory)"
  if [ "$bytes" -le 20000000 ] && awk -v w="$wall" 'BEGIN{exit !(w > 30)}'; then verdict="FAIL (time)"; fi
  { [ "$rc" -lt 124 ] || [ "$rc" -gt 137 ]; } || verdict="FAIL (killed, exit $rc)"
  printf '| %s | `%s` | %s | %s | %s | %.1f | %s | %s |\n' "$name" "$stage" "$rc" "$rss" "$wall" \
    "$(echo "$bytes / 1000000" | bc -l)" "$bound_mb" "$verdict"
  grep -m1 '^error:' "$dir/stderr.txt" | cut -c1-160 | sed "s#$WORK/##g; s/^/    /" >&2 || true
}
run_case long-names train
run_case far-future build-table
run_case dev-zero build-table
run_case fifo build-table
run_case semicolon build-table
run_case medium-run train
