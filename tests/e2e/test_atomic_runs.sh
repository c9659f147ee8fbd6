# Atomic runs (docs/CONTRACT.md §7): `elv train` on a larger data set is killed with SIGKILL at
# points spread over its whole duration. Whatever the moment, --out-dir either does not exist or
# holds a complete run (every artifact, each readable); a leftover temporary folder is
# hidden and marked (".<name>.tmp-<pid>"). Then the same against an existing run with
# --overwrite: the old run stays in place, intact, until the new one is complete.
source "$(dirname "$0")/lib.sh" "$@"

"$ELV" demo-data --out "$TMP/data" --leads-per-day 1500 --days 120 --end-date 2026-06-30 >/dev/null 2>&1
write_config "$TMP/data" "$TMP/run.yaml"
n_leads=$(($(wc -l <"$TMP/data/leads.csv") - 1))
TRAIN=("$ELV" train --config "$TMP/run.yaml" --threads 2 --quiet)

# complete DIR: every artifact of a train run is there and readable.
complete() {
  local d="$1" f
  for f in config.yaml metadata.json data_profile.json data_profile.md table.csv.gz metrics.json \
           model.json predictions.csv leaderboard_campaign.csv leaderboard_adset.csv; do
    [ -s "$d/$f" ] || { echo "missing $f"; return 1; }
  done
  gzip -t "$d/table.csv.gz" || { echo "table.csv.gz is damaged"; return 1; }
  python3 - "$d" "$n_leads" <<'PY' || return 1
import json, sys
d, n = sys.argv[1], int(sys.argv[2])
for f in ["metadata.json", "metrics.json", "model.json", "data_profile.json"]:
    json.load(open(f"{d}/{f}"))
rows = sum(1 for _ in open(f"{d}/predictions.csv")) - 1
assert rows == n, f"predictions.csv has {rows} rows, expected {n}"
PY
}

# Hidden leftovers beside the out dir: only ".<name>.tmp-<pid>" (or ".<name>.old-<pid>").
check_leftovers() {
  local name="$1" entry
  for entry in $(ls -A "$TMP" | grep -F "$name" || true); do
    case "$entry" in
      "$name") ;;
      ".$name.tmp-"[0-9]* | ".$name.old-"[0-9]*) ;;
      *) fail "$name: unexpected leftover $entry"; return 1 ;;
    esac
  done
}

# The full run's duration, so the kill points cover it from start to finish.
start=$(date +%s%N)
"${TRAIN[@]}" --out-dir "$TMP/full" >/dev/null 2>&1 || fail "the reference run failed"
total_ms=$((($(date +%s%N) - start) / 1000000))
complete "$TMP/full" >/dev/null && pass "reference run complete in ${total_ms} ms" || fail "reference run incomplete"
# Kill points in % of that duration. A slow build (make test-asan: about 5x slower) gets
# fewer, so the test stays within ctest's timeout.
FRESH_POINTS="2 10 25 40 55 70 80 88 94 97 99 100 103 110"
WRITING_DELAYS="0 20 80"
OVERWRITE_POINTS="5 30 60 85 95 99 101 105 120"
if [ "$total_ms" -gt 4000 ]; then
  FRESH_POINTS="10 50 90 97 105"
  WRITING_DELAYS="0"
  OVERWRITE_POINTS="30 95 101 110"
  pass "slow build: fewer kill points"
fi

kill_at() {  # kill_at MS OUT_DIR [extra args]: starts train, SIGKILLs it after MS ms
  local ms="$1" out="$2"; shift 2
  "${TRAIN[@]}" --out-dir "$out" "$@" >/dev/null 2>&1 &
  local pid=$!
  sleep "$(awk -v ms="$ms" 'BEGIN { printf "%.3f", ms / 1000 }')"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# ---- fresh runs: nothing, or a complete run
killed=0 finished=0
for pct in $FRESH_POINTS; do
  ms=$((total_ms * pct / 100))
  name="k$pct"
  kill_at "$ms" "$TMP/$name"
  if [ -e "$TMP/$name" ]; then
    if why=$(complete "$TMP/$name" 2>&1); then finished=$((finished + 1)); pass "killed at ${pct}%: complete run"
    else fail "killed at ${pct}% (${ms} ms): partial run folder: $why"; fi
  else
    killed=$((killed + 1)); pass "killed at ${pct}%: no run folder"
  fi
  check_leftovers "$name"
done
[ "$killed" -gt 0 ] && pass "$killed runs killed before completion left no run" || fail "no kill hit a running train"

# ---- killed while the artifacts are being written: the run waits until its temporary
# folder appears, then dies after 0, 20, 80 ms. The folder stays hidden; no run appears.
for delay_ms in $WRITING_DELAYS; do
  name="w$delay_ms"
  "${TRAIN[@]}" --out-dir "$TMP/$name" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 3000); do
    compgen -G "$TMP/.$name.tmp-*" >/dev/null && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.005
  done
  sleep "$(awk -v ms="$delay_ms" 'BEGIN { printf "%.3f", ms / 1000 }')"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ -e "$TMP/$name" ]; then
    complete "$TMP/$name" >/dev/null && pass "killed ${delay_ms} ms into writing: complete run (it finished first)" \
      || fail "killed ${delay_ms} ms into writing: partial run folder"
  elif compgen -G "$TMP/.$name.tmp-*" >/dev/null; then
    pass "killed ${delay_ms} ms into writing: only the hidden $(basename "$(compgen -G "$TMP/.$name.tmp-*")")"
  else
    pass "killed ${delay_ms} ms into writing: nothing left"
  fi
  check_leftovers "$name"
done

# A later run of the same name clears the leftovers of killed ones (their pids are gone).
"${TRAIN[@]}" --out-dir "$TMP/w0" >/dev/null 2>&1 || fail "rerun after a kill failed"
complete "$TMP/w0" >/dev/null && pass "rerun after a kill completes" || fail "rerun incomplete"
[ -z "$(ls -A "$TMP" | grep -F '.w0.tmp-' || true)" ] && pass "stale temporary folder removed" \
  || fail "stale temporary folder left: $(ls -A "$TMP" | grep -F '.w0.')"

# ---- --overwrite: the old run stays until the new one is complete
cp -r "$TMP/full" "$TMP/ow"
old_sum=$(cat "$TMP/ow"/*.json | md5sum)
replaced=0
for pct in $OVERWRITE_POINTS; do
  ms=$((total_ms * pct / 100))
  kill_at "$ms" "$TMP/ow" --overwrite
  if [ ! -d "$TMP/ow" ]; then fail "overwrite killed at ${pct}%: the run folder vanished"; continue; fi
  if [ "$(cat "$TMP/ow"/*.json | md5sum)" = "$old_sum" ]; then
    complete "$TMP/ow" >/dev/null && pass "overwrite killed at ${pct}%: old run intact" \
      || fail "overwrite killed at ${pct}%: old run damaged"
  elif why=$(complete "$TMP/ow" 2>&1); then
    replaced=$((replaced + 1)); pass "overwrite killed at ${pct}%: new run complete"
    old_sum=$(cat "$TMP/ow"/*.json | md5sum)  # the new run is the old one for the next kill
  else
    fail "overwrite killed at ${pct}% (${ms} ms): neither the old nor a complete new run: $why"
  fi
  check_leftovers ow
done
finish
