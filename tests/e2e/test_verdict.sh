# e2e: one verdict on the data (docs/LIMITS.md, "Rows left out: the 1 % rule"). `elv validate`
# and a pipeline (train) give the same verdict in the same words:
#   (a) one unreadable created_time: a warning, the lead left out, the run succeeds;
#   (b) many (above 1 % of the rows): an error, the run refused, nothing written.
# Usage: bash tests/e2e/test_verdict.sh <path-to-elv> <repo-root>
source "$(dirname "$0")/lib.sh" "$@"

"$ELV" demo-data --out "$TMP/data" --days 30 --end-date 2026-06-30 >/dev/null 2>&1 || { fail "demo-data"; finish; }
N_LEADS=$(($(wc -l <"$TMP/data/leads.csv") - 1))

# bad_dates FOLDER FIRST LAST: a copy of the data whose leads.csv lines FIRST..LAST have an
# unreadable created_time (2026-06-31).
bad_dates() {
  mkdir -p "$1" && cp "$TMP/data"/*.csv "$1/"
  python3 - "$TMP/data/leads.csv" "$1/leads.csv" "$2" "$3" <<'PY'
import sys
src, dst, first, last = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
lines = open(src).read().split('\n')
col = lines[0].split(',').index('created_time')
for n in range(first, last + 1):
    cells = lines[n - 1].split(',')
    cells[col] = '2026-06-31'
    lines[n - 1] = ','.join(cells)
open(dst, 'w').write('\n'.join(lines))
PY
}

# ---- (a) one bad date: a warning, in validate and in the run, word for word
bad_dates "$TMP/one" 6 6
write_config "$TMP/one" "$TMP/one.yaml"
WANT="leads.csv:6: column 'created_time': 1 lead with an unreadable created_time will be left out (leads.csv line 6, column created_time); expected an ISO-8601 timestamp such as 2026-03-02T14:05:00Z"
expect_exit 0 -- "$ELV" validate --config "$TMP/one.yaml" --json && pass "validate: one bad date is usable"
cp "$TMP/out" "$TMP/one-validate.json"
python3 - "$TMP/one-validate.json" "$WANT" <<'PY' && pass "validate: the warning, no error" || fail "validate's JSON lacks the warning"
import json, sys
text = open(sys.argv[1]).read()
d, _ = json.JSONDecoder().raw_decode(text[text.index('{'):])
lines = [f"{w['file'].rsplit('/', 1)[-1]}:{w['line']}: column '{w['column']}': {w['message']}" for w in d['warnings']]
assert d['ok'] is True and d['errors'] == [], d['errors']
assert sys.argv[2] in lines, lines
PY
expect_exit 0 -- "$ELV" train --config "$TMP/one.yaml" --out-dir "$TMP/one-run" --threads 1 && pass "train: the run succeeds"
grep -qF -- "warning: $TMP/one/$WANT" "$TMP/out" && pass "train: the same words on stderr" || fail "train's stderr lacks: $WANT"
python3 - "$TMP/one-run/metadata.json" "$TMP/one/$WANT" <<'PY' && pass "train: the same words in metadata.json" || fail "metadata.json lacks the warning"
import json, sys
assert sys.argv[2] in json.load(open(sys.argv[1]))['warnings']
PY
SCORED=$(($(wc -l <"$TMP/one-run/predictions.csv") - 1))
[ "$SCORED" -eq $((N_LEADS - 1)) ] && pass "train: the lead was left out ($SCORED of $N_LEADS scored)" \
  || fail "train scored $SCORED leads, want $((N_LEADS - 1))"

# ---- (b) 1 % of the leads plus one: an error, in validate and from the run, word for word
TOLERATED=$((N_LEADS / 100))
bad_dates "$TMP/many" 2 $((2 + TOLERATED))
write_config "$TMP/many" "$TMP/many.yaml"
WORDS="$((TOLERATED + 1)) leads with an unreadable created_time (leads.csv lines 2, 3, 4, 5, 6, …, column created_time): too many to leave out (elv leaves out at most 1 % of a file's rows, at least 1 and at most 1000: here $TOLERATED of $N_LEADS), so the file is refused"
expect_exit 1 -- "$ELV" validate --config "$TMP/many.yaml" && pass "validate: many bad dates are not usable"
grep -qF -- "$WORDS" "$TMP/out" && pass "validate: names the error" || fail "validate lacks: $WORDS"
grep -q "^Result: NOT usable (1 error" "$TMP/out" && pass "validate: one error" || fail "validate: not exactly one error"
expect_exit 1 -- "$ELV" train --config "$TMP/many.yaml" --out-dir "$TMP/many-run" --threads 1 && pass "train: refused"
grep -qF -- "error: $TMP/many/leads.csv:2: column 'created_time': $WORDS" "$TMP/out" && pass "train: the same error" \
  || fail "train's error lacks: $WORDS"
[ ! -e "$TMP/many-run" ] && pass "train: nothing written" || fail "train left $TMP/many-run behind"
finish
