#!/usr/bin/env bash
# The container's runtime library list (issue 18): no registry is reachable from CI, so the
# image is never built here; instead this checks, against the binary just built, what the
# runtime stage of the Dockerfile would install:
#   - every library `ldd elv` resolves comes from deploy/runtime-packages.txt, from the
#     packages those depend on (apt installs them), from debian:12-slim itself, or is copied
#     from the build stage by deploy/collect-local-libs.sh (not from any Debian package);
#   - every listed package exists and, unless marked "data:"/"tool:", provides a library
#     the binary links directly;
#   - the binary runs with only those libraries (env -i, a private library folder);
#   - the Dockerfile installs the list and has USER, HEALTHCHECK, EXPOSE, VOLUME.
source "$(dirname "$0")/lib.sh" "$@"

LIST="$ROOT/deploy/runtime-packages.txt"
OWNER="$ROOT/deploy/collect-local-libs.sh"
DOCKERFILE="$ROOT/Dockerfile"
CODECS="$(dirname "$ELV")/libelv_codecs.so"

# What debian:12-slim already holds, among the packages elv's libraries come from. The slim
# image is Debian's minbase: the Essential and Priority "required" packages, apt, and their
# dependencies. (Most libraries are Priority "optional" themselves since Debian 12, so
# Priority alone does not say it: libc6 is "optional" and is in every image.) Checked below
# against that closure as computed on this machine.
BASE_PACKAGES=(
  libc6 libgcc-s1 libstdc++6 zlib1g libzstd1 liblzma5 liblz4-1 libbz2-1.0 libmd0
  libselinux1 libpcre2-8-0 libblkid1 libmount1 libuuid1 libudev1 libcom-err2
  libgcrypt20 libgpg-error0 libgnutls30 libnettle8 libhogweed6 libgmp10 libidn2-0
  libunistring2 libtasn1-6 libp11-kit0 libffi8
)

# closure PACKAGES...: the packages and everything they Depend or Pre-Depend on, recursively
# (Recommends are not installed: --no-install-recommends). For "a | b" apt-cache lists both,
# so this can over-count an alternative apt would not pick; it never under-counts.
# The union of two readings: apt's lists (apt-cache), and dpkg's own record of the installed
# packages' Depends and Pre-Depends (the lists can lag or differ from what is installed, as
# on a machine whose lists were refreshed after its last upgrade).
closure() {
  {
    apt-cache depends --recurse --important "$@" 2>/dev/null | awk '!/^ / && !/^</ {print $1}'
    installed_closure "$@"
  } | sort -u
}
installed_closure() {
  dpkg-query -W -f='${Package}\t${Depends}, ${Pre-Depends}\t${Provides}\n' 2>/dev/null | python3 -c '
import re, sys
deps, providers = {}, {}
for line in sys.stdin:
    name, depends, provides = (line.rstrip("\n").split("\t") + ["", ""])[:3]
    deps[name] = [re.sub(r"[\s(:].*", "", alt.strip()) for alt in re.split(r"[,|]", depends) if alt.strip()]
    for virtual in provides.split(","):
        providers.setdefault(re.sub(r"[\s(].*", "", virtual.strip()), []).append(name)
todo, seen = list(sys.argv[1:]), set()
while todo:
    package = todo.pop()
    if package in seen or not package:
        continue
    seen.add(package)
    todo += deps.get(package, []) + providers.get(package, [])
print("\n".join(sorted(seen)))
' "$@"
}

# The package facts below come from apt's lists (apt-cache) and dpkg's database.
apt-cache show libc6 >/dev/null 2>&1 || { fail "apt-cache knows no packages: run apt-get update"; finish; }

# The list, without comments: all entries, and the library ones (not marked data:/tool:).
LISTED=$(sed 's/#.*//' "$LIST" | awk 'NF {print $1}' | sort -u)
LISTED_LIBS=$(grep -Ev '^\s*#' "$LIST" | grep -Ev '#\s*(data|tool):' | awk 'NF {print $1}' | sort -u)
[ -n "$LISTED_LIBS" ] && pass "runtime-packages.txt lists $(echo "$LISTED_LIBS" | wc -l) library packages" \
  || fail "no library package listed in $LIST"

# 1. The base set is really in the slim image (as far as Debian's metadata says).
REQUIRED=$(dpkg-query -W -f='${Package} ${Priority} ${Essential}\n' |
  awk '$2 == "required" || $3 == "yes" {print $1}')
BASE_CLOSURE=$(closure $REQUIRED apt)
for p in "${BASE_PACKAGES[@]}"; do
  grep -qx "$p" <<<"$BASE_CLOSURE" || fail "$p is not among the Essential/required packages and their dependencies"
done
pass "the ${#BASE_PACKAGES[@]} base packages are Essential/required or their dependencies"

# 2. Every listed package exists in Debian 12's archive.
for p in $LISTED; do
  apt-cache show "$p" >/dev/null 2>&1 || fail "$LIST: no Debian package '$p'"
done
pass "every listed package exists (apt-cache show)"

# 3. Each library the binary and its codecs module load, with its owner ("-" for none: built
# or copied by hand). The module (src/creative/codecs.h) is loaded by creative-analyze at run
# time; the image ships it, so its libraries count as the binary's.
[ -f "$CODECS" ] || fail "no codecs module beside elv: $CODECS"
expect_exit 0 -- bash -c 'ldd "$1" && ldd "$2"' ldd "$ELV" "$CODECS" || true
grep -q "not found" "$TMP/out" && fail "ldd: unresolved libraries: $(grep 'not found' "$TMP/out" | tr -s ' \n' ' ')"
awk '$2 == "=>" && $3 ~ /^\// && !seen[$1]++ {print $1, $3}' "$TMP/out" >"$TMP/libs"
# "SONAME PATH PACKAGE" per library.
awk '{print $2}' "$TMP/libs" | "$OWNER" --owners | paste -d' ' <(awk '{print $1}' "$TMP/libs") - >"$TMP/owners"
[ "$(wc -l <"$TMP/owners")" -gt 10 ] && pass "ldd resolved $(wc -l <"$TMP/owners") libraries" \
  || fail "ldd resolved too few libraries: $(cat "$TMP/owners")"
NEEDED=$(readelf -d "$ELV" "$CODECS" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort -u)
[ -n "$NEEDED" ] || fail "readelf found no NEEDED entry in $ELV"
readelf -d "$ELV" | grep -Eq "NEEDED.*libopencv_(imgcodecs|videoio)" &&
  fail "elv links OpenCV's codecs itself: they belong in $CODECS only (src/creative/codecs.h)" ||
  pass "elv itself does not link imgcodecs or videoio (they load with the module)"

# check_packages LISTED_LIBS: the libraries whose package the runtime image would lack.
# A direct dependency (NEEDED) must be listed or in the base set: relying on some other
# package's dependencies for it would break when that package changes. The rest must be in
# the dependency closure of the listed and base packages.
check_packages() {
  local listed="$1" allowed direct soname path owner missing=0
  direct=$(printf '%s\n' $listed "${BASE_PACKAGES[@]}" | sort -u)
  allowed=$(closure $direct)
  while read -r soname path owner; do
    [ "$owner" = "-" ] && continue  # copied from the build stage: checked in step 5
    if grep -qx "$soname" <<<"$NEEDED"; then
      grep -qx "$owner" <<<"$direct" || { echo "$owner (for $soname, linked directly)"; missing=1; }
    else
      grep -qx "$owner" <<<"$allowed" || { echo "$owner (for $soname)"; missing=1; }
    fi
  done <"$TMP/owners"
  return $missing
}
if missing=$(check_packages "$LISTED_LIBS"); then
  pass "every library's package is listed, in the base image, or a dependency of those"
else
  fail "packages missing from $LIST: $(echo "$missing" | sort -u | tr '\n' ';')"
  # What apt and dpkg say of each, so that a failure on another machine can be understood.
  for p in $(echo "$missing" | awk '{print $1}' | sort -u); do
    echo "  $p: $(apt-cache policy "$p" 2>&1 | sed -n 2,3p | tr -s ' \n' ' ')"
    echo "  needed by: $(apt-cache rdepends --installed --important "$p" 2>&1 | tail -n +3 | tr -s ' \n' ' ')"
  done
fi
# The check can fail: without libcurl4 the list lacks libcurl.so.4's package.
if missing=$(check_packages "$(echo "$LISTED_LIBS" | grep -vx libcurl4)"); then
  fail "dropping libcurl4 from the list went unnoticed"
else
  grep -q "^libcurl4 (for libcurl.so.4" <<<"$missing" && pass "a list without libcurl4 is caught: $missing" \
    || fail "dropping libcurl4 reported: $missing"
fi

# 4. No dead entries: every listed library package provides a library the binary links
# directly (the ones it needs in turn come with it: listing them would only go stale).
DIRECT_OWNERS=$(echo "$NEEDED" | awk 'NR == FNR {needed[$1] = 1; next} ($1 in needed) {print $3}' - "$TMP/owners" | sort -u)
for p in $LISTED_LIBS; do
  grep -qx "$p" <<<"$DIRECT_OWNERS" ||
    fail "$LIST: '$p' provides none of the libraries elv links (mark a data or tool package '# data:' / '# tool:')"
done
pass "every listed library package provides a library elv links"

# 5. Libraries no Debian package owns: collect-local-libs.sh copies exactly those, and the
# Dockerfile copies its output into the runtime image.
{ "$OWNER" "$ELV" "$TMP/local-libs" && "$OWNER" "$CODECS" "$TMP/local-libs"; } | sort -u >"$TMP/local.txt"
expected_local=$(awk '$3 == "-" {print $2}' "$TMP/owners" | sort)
if [ "$(sort "$TMP/local.txt")" = "$expected_local" ]; then
  pass "collect-local-libs.sh copies the $(echo -n "$expected_local" | grep -c . || true) libraries no package owns"
else
  fail "collect-local-libs.sh copied '$(cat "$TMP/local.txt")', want '$expected_local'"
fi
# ...and it does copy one: libmd4c found first in a folder dpkg knows nothing of.
mkdir -p "$TMP/handmade"
cp -L "$(awk '$1 == "libmd4c.so.0" {print $2}' "$TMP/owners")" "$TMP/handmade/"
LD_LIBRARY_PATH="$TMP/handmade" "$OWNER" "$ELV" "$TMP/handmade-out" >"$TMP/handmade.txt"
[ "$(cat "$TMP/handmade.txt")" = "$TMP/handmade/libmd4c.so.0" ] && [ -f "$TMP/handmade-out/libmd4c.so.0" ] &&
  pass "a library no package owns is collected" || fail "hand-made libmd4c: '$(cat "$TMP/handmade.txt")'"

# 6. The binary runs with only those libraries: each one copied into a private folder, the
# loader told to look there first, and every library it then loads must come from there
# (ld.so --list prints where each one was found), with an empty environment but for
# OMP_WAIT_POLICY: without it the commands that may run XGBoost re-execute /proc/self/exe
# (src/cli/main.cpp), which under an explicit loader is the loader, not elv (--version does
# not; the variable keeps this check valid for any command put here).
LOADER=$(awk '$1 ~ /^\/.*ld-linux/ {print $1}' "$TMP/out" | head -1)
[ -x "$LOADER" ] || fail "no dynamic loader in ldd's output"
mkdir -p "$TMP/lib"
while read -r soname path owner; do cp -L "$path" "$TMP/lib/$soname"; done <"$TMP/owners"
cp -L "$TMP"/local-libs/* "$TMP/lib/" 2>/dev/null || true
env -i "$LOADER" --library-path "$TMP/lib" --list "$ELV" >"$TMP/list" 2>&1 || fail "ld.so --list failed: $(head -5 "$TMP/list")"
env -i "$LOADER" --library-path "$TMP/lib" --list "$CODECS" >>"$TMP/list" 2>&1 || fail "ld.so --list of the module failed"
outside=$(awk '$2 == "=>" && $3 ~ /^\// && index($3, "'"$TMP/lib/"'") != 1 {print $3}' "$TMP/list")
[ -z "$outside" ] && pass "every library loads from the private folder" || fail "loaded from outside it: $outside"
expect_exit 0 -- env -i OMP_WAIT_POLICY=passive "$LOADER" --library-path "$TMP/lib" "$ELV" --version && expect_in_output "elv "
# As root, stronger: a root file system holding nothing but the binary, the loader and these
# libraries (no /usr/lib to fall back on).
if [ "$(id -u)" -eq 0 ] && command -v chroot >/dev/null; then
  mkdir -p "$TMP/root/lib" "$TMP/root/$(dirname "$LOADER")"
  cp -L "$LOADER" "$TMP/root/$LOADER"
  cp "$TMP"/lib/* "$TMP/root/lib/"
  cp "$ELV" "$TMP/root/elv"
  expect_exit 0 -- env -i OMP_WAIT_POLICY=passive "$(command -v chroot)" "$TMP/root" "$LOADER" --library-path /lib /elv --version &&
    expect_in_output "elv " && pass "runs in a root file system of only its libraries"
fi

# 7. The Dockerfile's runtime stage installs this list and is set up as documented.
runtime=$(awk '/^FROM / {stage=$0} stage ~ /debian:12-slim/ {print}' "$DOCKERFILE")
for want in "deploy/runtime-packages.txt" "xargs.*apt-get install.*--no-install-recommends" \
  "^USER elv" "^HEALTHCHECK .*curl -fsS http://127.0.0.1:8501/healthz" "^EXPOSE 8501" \
  "^VOLUME /data/runs" "COPY --from=build .*local-libs" "--public" "--runs-dir.*/data/runs" \
  "COPY --from=build .*libelv_codecs.so /usr/local/lib/elv/libelv_codecs.so"; do
  echo "$runtime" | grep -Eq -- "$want" && pass "runtime stage has '$want'" || fail "runtime stage lacks '$want'"
done
grep -q "collect-local-libs.sh" "$DOCKERFILE" && pass "build stage collects non-Debian libraries" ||
  fail "Dockerfile does not run collect-local-libs.sh"

# 8. The image's command and healthcheck, run here: the CMD's arguments (with this test's
# runs folder and a free port) start the server, the HEALTHCHECK's curl gets 200 and "ok",
# and SIGTERM (docker stop) ends it with exit 0.
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mapfile -t CMD_ARGS < <(sed -n 's/^CMD //p' "$DOCKERFILE" |
  python3 -c 'import json,sys; [print(a) for a in json.loads(sys.stdin.read())]' |
  sed -e "s|^/data/runs\$|$TMP/runs|" -e "s|^8501\$|$PORT|")
"$ELV" "${CMD_ARGS[@]}" >"$TMP/serve.log" 2>&1 &
SERVER_PID=$!
HEALTH=$(grep '^HEALTHCHECK' "$DOCKERFILE" | sed -e 's/.* CMD //' -e 's/ || exit 1$//' -e "s/:8501/:$PORT/")
for _ in $(seq 50); do $HEALTH >"$TMP/health.json" 2>/dev/null && break; sleep 0.2; done
if [ "$(json_get "$TMP/health.json" 'd["status"]' 2>/dev/null)" = ok ]; then
  pass "the image's command serves and its healthcheck ($HEALTH) answers ok"
else
  fail "healthcheck '$HEALTH' on '${CMD_ARGS[*]}': $(cat "$TMP/health.json" "$TMP/serve.log" 2>/dev/null | head -5)"
fi
grep -q "public demo" "$TMP/serve.log" && pass "the default command is the public demo" || fail "not --public: $(head -3 "$TMP/serve.log")"
kill -TERM "$SERVER_PID"
set +e; wait "$SERVER_PID"; code=$?; set -e
[ "$code" -eq 0 ] && pass "SIGTERM stops it with exit 0" || fail "exit $code after SIGTERM"

finish
