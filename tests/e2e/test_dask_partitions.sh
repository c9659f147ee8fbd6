#!/usr/bin/env bash
# batch-score as a task on a real Dask cluster (issue 19, docs/SCALING.md): a LocalCluster of
# two worker processes scores four partitions of a leads file through elv's standard input and
# output, and the union equals one batch-score of the whole file in every column but
# score_rank (a rank within each run). The config fixes label.as_of_date, as the recipe says:
# by default it is the latest lead's date, which differs between partitions and would move
# is_mature. A broken partition fails its task with the line.
# Dask is Debian's python3-distributed, installed for /usr/bin/python3 by install-deps.sh.
source "$(dirname "$0")/lib.sh" "$@"

DASK_PYTHON=/usr/bin/python3
SCRIPT="$(realpath "$ROOT/tests/e2e/dask_score_partitions.py")"
ELV="$(realpath "$ELV")"
"$DASK_PYTHON" -c "import distributed" 2>/dev/null ||
  { fail "no Dask for $DASK_PYTHON: run scripts/install-deps.sh (python3-distributed)"; finish; }
cd "$TMP"
"$ELV" demo-data --out data --days 40 >/dev/null 2>&1
as_of=$(awk -F, 'NR > 1 && substr($2, 1, 10) > last {last = substr($2, 1, 10)} END {print last}' data/leads.csv)
write_config data c.yaml "label:" "  as_of_date: $as_of"
expect_exit 0 -- "$ELV" train --config c.yaml --out-dir train --quiet
expect_exit 0 -- "$ELV" batch-score --config c.yaml --model train/model.json --quiet \
  --leads-path data/leads.csv --out-dir whole

# 1. Four partitions on two workers: the union is the whole file's scoring.
expect_exit 0 -- "$DASK_PYTHON" "$SCRIPT" "$ELV" c.yaml train/model.json data/leads.csv 4 union.csv
expect_in_output "cluster: 2 workers"
expect_in_output "workers used: 2"
leads=$(($(wc -l <data/leads.csv) - 1))
expect_in_output "parts: 4, rows: $leads"
python3 - whole/predictions.csv union.csv <<'PY' >compare.txt 2>&1 && pass "union of the partitions = the whole file's predictions: $(cat compare.txt)" || fail "$(cat compare.txt)"
import csv, sys
whole = {r["lead_id"]: r for r in csv.DictReader(open(sys.argv[1]))}
union = list(csv.DictReader(open(sys.argv[2])))
by_id = {r["lead_id"]: r for r in union}
assert len(union) == len(by_id) == len(whole), f"rows: union {len(union)} ({len(by_id)} ids), whole {len(whole)}"
columns = [c for c in next(iter(whole.values())) if c != "score_rank"]
differ = {c: sum(whole[k][c] != by_id[k][c] for k in whole) for c in columns}
differ = {c: n for c, n in differ.items() if n}
assert not differ, f"columns that differ (leads): {differ}"
print(f"{len(union)} leads, {len(columns)} columns equal, p_qualified included")
PY

# 2. A broken partition fails its task, naming standard input and the line in the partition.
set +e; "$DASK_PYTHON" "$SCRIPT" "$ELV" c.yaml train/model.json data/leads.csv 4 broken.csv 2 >"$TMP/out" 2>&1; code=$?; set -e
[ "$code" -eq 3 ] && pass "the broken partition's task failed (exit 3)" || fail "exit $code: $(tail -5 "$TMP/out")"
expect_in_output "task failed: elv exit 1: error: standard input:7: unterminated quoted field"
[ ! -e broken.csv ] && pass "no union written after a failed task" || fail "broken.csv was written"

finish
