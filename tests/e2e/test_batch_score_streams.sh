#!/usr/bin/env bash
# batch-score as a pipeline stage (issue 19, docs/SCALING.md): leads from standard input
# (--leads-path -), predictions to standard output or a file (--predictions-out), the same
# bytes as a file-based run, nothing left behind, and a broken input named by its line.
source "$(dirname "$0")/lib.sh" "$@"

ELV="$(realpath "$ELV")"
cd "$TMP"
export TMPDIR="$TMP/tmp"  # elv's scratch folders land here, so the test can see them go
mkdir -p "$TMPDIR"
"$ELV" demo-data --out data --days 40 >/dev/null 2>&1
write_config data c.yaml
expect_exit 0 -- "$ELV" train --config c.yaml --out-dir train --quiet
BATCH=("$ELV" batch-score --config c.yaml --model train/model.json --quiet)
expect_exit 0 -- "${BATCH[@]}" --leads-path data/leads.csv --out-dir whole

# 1. Standard input to standard output: exactly the file-based run's predictions.csv.
set +e; "${BATCH[@]}" --leads-path - --predictions-out - <data/leads.csv >piped.csv 2>piped.err; code=$?; set -e
[ "$code" -eq 0 ] && pass "stdin to stdout exits 0" || fail "exit $code: $(head -3 piped.err)"
cmp -s piped.csv whole/predictions.csv && pass "stdout is the file-based run's predictions.csv, byte for byte" ||
  fail "stdout differs from whole/predictions.csv: $(diff <(head -3 piped.csv) <(head -3 whole/predictions.csv) | head -5)"
[ ! -e runs ] && [ -z "$(ls -A "$TMPDIR")" ] && pass "no run folder and no scratch folder left behind" ||
  fail "left behind: $(ls runs "$TMPDIR" 2>&1 | head -5)"

# 2. With --out-dir the run is kept, records standard input as "-", and stdout is still only CSV.
set +e; "$ELV" batch-score --config c.yaml --model train/model.json --leads-path - --predictions-out - \
  --out-dir kept <data/leads.csv >kept.csv 2>kept.err; code=$?; set -e
[ "$code" -eq 0 ] && cmp -s kept.csv whole/predictions.csv && pass "with --out-dir, stdout is the predictions only" ||
  fail "exit $code; stdout head: $(head -2 kept.csv)"
grep -q "^run: .*kept" kept.err && pass "the run's listing goes to stderr" || fail "no listing on stderr: $(head -3 kept.err)"
[ "$(json_get kept/metadata.json 'd["inputs"]["leads"]["path"]')" = "-" ] &&
  pass "metadata.json records the leads as '-' (standard input)" ||
  fail "inputs.leads.path: $(json_get kept/metadata.json 'd["inputs"]["leads"]["path"]')"
grep -Eq "leads_path: \"?-\"?$" kept/config.yaml && pass "config.yaml records leads_path '-'" ||
  fail "config.yaml: $(grep leads_path kept/config.yaml)"
cmp -s kept/predictions.csv whole/predictions.csv && pass "the kept run's predictions.csv is the same" ||
  fail "kept/predictions.csv differs"

# 3. --predictions-out FILE: written; an existing file is replaced only with --overwrite and
# only when it is a predictions file; any other file is never touched.
expect_exit 0 -- "${BATCH[@]}" --leads-path data/leads.csv --predictions-out p.csv
cmp -s p.csv whole/predictions.csv && pass "--predictions-out FILE holds the predictions" || fail "p.csv differs"
expect_exit 2 -- "${BATCH[@]}" --leads-path data/leads.csv --predictions-out p.csv && expect_in_output "give --overwrite"
expect_exit 0 -- "${BATCH[@]}" --leads-path data/leads.csv --predictions-out p.csv --overwrite
cp data/ads.csv not-predictions.csv
expect_exit 2 -- "${BATCH[@]}" --leads-path data/leads.csv --predictions-out not-predictions.csv --overwrite &&
  expect_in_output "not a predictions file elv wrote"
cmp -s not-predictions.csv data/ads.csv && pass "a file elv did not write is left as it was" || fail "not-predictions.csv changed"

# 4. A broken input fails with the line, on stderr, and nothing on stdout.
{ head -5 data/leads.csv; echo 'lead_broken,"2026-10-23T00:04:30+00:00,cmp_001'; sed -n 6,9p data/leads.csv; } >broken.csv
set +e; "${BATCH[@]}" --leads-path - --predictions-out - <broken.csv >broken.out 2>broken.err; code=$?; set -e
[ "$code" -eq 1 ] && pass "a broken input exits 1" || fail "broken input: exit $code"
grep -q "standard input:6: unterminated quoted field" broken.err && pass "the error names standard input and line 6" ||
  fail "error: $(cat broken.err)"
[ ! -s broken.out ] && pass "nothing on stdout after an error" || fail "stdout: $(head -2 broken.out)"
expect_exit 1 -- "${BATCH[@]}" --leads-path - --predictions-out - </dev/null && expect_in_output "standard input: file is empty"
[ -z "$(ls -A "$TMPDIR")" ] && pass "no scratch folder left after the errors" || fail "left: $(ls "$TMPDIR")"

# 5. A terminal on standard input is refused at once (script(1) gives it a pseudo-terminal).
if command -v script >/dev/null; then
  script -qec "$(printf '%q ' "${BATCH[@]}") --leads-path - --predictions-out -" /dev/null </dev/null >tty.out 2>&1 || true
  grep -q "standard input is a terminal" tty.out && pass "a terminal on stdin is refused" || fail "tty: $(head -3 tty.out)"
fi

finish
