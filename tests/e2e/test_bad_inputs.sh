# The broken-input corpus (tests/fixtures/bad/<case>/), each case run through the real
# binary. Failure is tested behaviour: a case states its exit code and a substring of the
# message, and every case must also
#   - finish within 60 s (exit 124 = hang) and not crash (exit >= 128, sanitizer report);
#   - on failure, print exactly one line starting with "error:" on stderr, holding the
#     substring, and write nothing: no --out-dir, no runs/, no temporary folder;
#   - on success (exit 0: a warning, not an error), print no "error:" line; the substring
#     is looked for in stdout + stderr, or in the file the case names.
#
# A case folder holds the input files it needs and one of:
#   case.txt   "key: value" lines (# comments):
#                args:    the elv arguments, split on spaces (paths relative to the case)
#                exit:    the expected exit code
#                message: the substring
#                data:    demo  -> the generated demo data set is copied to ./data first,
#                         then the case's own files are laid over it (e.g. data/leads.csv)
#                check:   a file (relative to the case) to look for the message in, exit 0 only
#   case.sh    bash, sourced in the case's work folder (cwd) with ELV, ROOT and DEMO (the
#              demo data folder) set; it prepares inputs (big files are generated here,
#              never checked in) and sets ARGS=(...), EXIT, MESSAGE, optionally CHECK, and
#              RUN_AS=(...) (a command prefix) or a function check_after (extra assertions,
#              non-zero = failure).
# Without a config.yaml of its own, a case gets one listing the demo files under data/.
#
# Usage: bash tests/e2e/test_bad_inputs.sh <path-to-elv> <repo-root> [case-name-substring]
source "$(dirname "$0")/lib.sh" "$@"
FILTER="${3:-}"
CORPUS="$ROOT/tests/fixtures/bad"
DEMO="$TMP/demo-data"
ELV="$(cd "$(dirname "$ELV")" && pwd)/$(basename "$ELV")"
export ELV ROOT DEMO
# World-traversable, so a case may run elv as an unprivileged user (see out-dir-not-writable).
chmod 755 "$TMP"
"$ELV" demo-data --out "$DEMO" --days 30 --end-date 2026-06-30 >/dev/null 2>&1

default_config() {  # the demo files present under ./data
  echo "schema_version: 1"
  echo "paths:"
  local key file
  for key in ads leads outcomes ads_placement ads_geo adset_targeting ad_creatives lead_to_ad_map; do
    file="data/$key.csv"
    [ -e "$file" ] && echo "  ${key}_path: $file"
  done
  return 0
}

# Prints a listing of everything under the folder (two levels, hidden entries included):
# compared before and after a failing run, it shows what the run left behind.
listing() { (cd "$1" && find . -mindepth 1 -maxdepth 2 -not -name '.' | LC_ALL=C sort); }

# Runs one case in a subshell; exit 0 = pass. Prints the reason of a failure on stdout.
run_case() {
  local src="$1" name work logs
  name="$(basename "$src")"
  work="$TMP/work/$name"
  logs="$TMP/logs/$name"
  mkdir -p "$work" "$logs"
  (
    set -euo pipefail
    cd "$work"
    ARGS=() EXIT="" MESSAGE="" CHECK="" RUN_AS=() DATA=""
    if [ -f "$src/case.txt" ]; then
      while IFS= read -r line || [ -n "$line" ]; do
        case "$line" in ''|'#'*) continue ;; esac
        key="${line%%:*}"
        value="${line#*:}"
        value="${value# }"
        case "$key" in
          args) read -r -a ARGS <<<"$value" ;;
          exit) EXIT="$value" ;;
          message) MESSAGE="$value" ;;
          data) DATA="$value" ;;
          check) CHECK="$value" ;;
          *) echo "case.txt: unknown key '$key'"; exit 1 ;;
        esac
      done <"$src/case.txt"
      [ "$DATA" = "demo" ] && cp -r "$DEMO" data
      cp -r "$src"/. .
      rm -f case.txt
    elif [ -f "$src/case.sh" ]; then
      cp -r "$src"/. .
      rm -f case.sh
      # shellcheck disable=SC1091
      source "$src/case.sh"
    else
      echo "no case.txt or case.sh"; exit 1
    fi
    [ -f config.yaml ] || [ ! -d data ] || default_config >config.yaml
    [ ${#ARGS[@]} -gt 0 ] && [ -n "$EXIT" ] && [ -n "$MESSAGE" ] || { echo "case sets no args, exit or message"; exit 1; }

    before="$(listing .)"
    set +e
    ${RUN_AS[@]+"${RUN_AS[@]}"} timeout -k 5 60 "$ELV" "${ARGS[@]}" >"$logs/stdout" 2>"$logs/stderr"
    rc=$?
    set -e
    errors="$(grep -c '^error:' "$logs/stderr" || true)"
    first_error="$(grep -m1 '^error:' "$logs/stderr" || true)"
    [ "$rc" -ne 124 ] || { echo "hang (killed after 60 s)"; exit 1; }
    [ "$rc" -lt 128 ] || { echo "crash (exit $rc)"; exit 1; }
    if grep -qE 'Sanitizer|runtime error:' "$logs/stderr"; then
      echo "sanitizer report: $(grep -m1 -E 'Sanitizer|runtime error:' "$logs/stderr")"; exit 1
    fi
    [ "$rc" -eq "$EXIT" ] || { echo "exit $rc, expected $EXIT; stderr: $(head -c 300 "$logs/stderr")"; exit 1; }
    if [ "$rc" -ne 0 ]; then
      [ "$errors" -eq 1 ] || { echo "$errors 'error:' lines on stderr, expected 1"; exit 1; }
      case "$first_error" in
        *"$MESSAGE"*) ;;
        *) echo "error line lacks '$MESSAGE': $first_error"; exit 1 ;;
      esac
      after="$(listing .)"
      if [ "$before" != "$after" ]; then
        echo "the failed run left files behind: $(diff <(echo "$before") <(echo "$after") | grep '^>' | head -3 | tr '\n' ' ')"
        exit 1
      fi
    else
      [ "$errors" -eq 0 ] || { echo "exit 0 but an error line: $first_error"; exit 1; }
      if [ -n "$CHECK" ]; then
        [ -f "$CHECK" ] || { echo "$CHECK was not written"; exit 1; }
        grep -qF -- "$MESSAGE" "$CHECK" || { echo "$CHECK lacks '$MESSAGE'"; exit 1; }
      # (No "cat | grep -q" here: under pipefail, grep exiting at the first match can kill
      # cat with SIGPIPE and turn a match into a failure.)
      elif ! grep -qF -- "$MESSAGE" "$logs/stdout" "$logs/stderr"; then
        echo "output lacks '$MESSAGE'"; exit 1
      fi
    fi
    if declare -F check_after >/dev/null; then
      check_after || { echo "check_after failed"; exit 1; }
    fi
    # What the case saw, for the ok line: the error line, else the message found.
    if [ -n "$first_error" ]; then echo "$first_error" >"$logs/summary"; else echo "$MESSAGE" >"$logs/summary"; fi
  ) >"$logs/reason" 2>&1
}

passed=0 failed=0
start=$SECONDS
for case_dir in "$CORPUS"/*/; do
  case_dir="${case_dir%/}"
  name="$(basename "$case_dir")"
  [ -z "$FILTER" ] || [[ "$name" == *"$FILTER"* ]] || continue
  if run_case "$case_dir"; then
    passed=$((passed + 1))
    summary="$(cut -c1-150 "$TMP/logs/$name/summary" 2>/dev/null | sed "s#$TMP/work/$name/##g" || true)"
    echo "ok: $name: $summary"
  else
    failed=$((failed + 1))
    echo "FAIL: $name: $(tr '\n' ' ' <"$TMP/logs/$name/reason" | cut -c1-400)"
  fi
done
echo "$passed passed, $failed failed ($((SECONDS - start)) s)"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
