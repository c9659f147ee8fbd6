#!/usr/bin/env bash
# collect-local-libs.sh BINARY DEST: copies into DEST every shared library BINARY loads
# (ldd) that no Debian package owns: a library built from source or installed by hand, which
# `apt-get install` in the runtime image cannot bring. The Dockerfile runs it in the build
# stage and copies DEST to /usr/local/lib of the runtime image. Prints each library copied.
# Today every library comes from Debian, so DEST stays empty.
# collect-local-libs.sh --owners: reads paths on stdin, prints "PATH PACKAGE" for each
# ("-" when no package owns it); tests/e2e/test_runtime_libs.sh uses it.
set -euo pipefail

# The spellings dpkg may have recorded a library under: Debian 12 merges /lib into /usr/lib,
# but dpkg knows each file by the path its package shipped, and ldd prints either.
spellings() {
  local c
  for c in "$1" "$(readlink -f "$1")"; do
    echo "$c"
    case "$c" in /usr/lib/*) echo "/lib/${c#/usr/lib/}" ;; /lib/*) echo "/usr/lib/${c#/lib/}" ;; esac
  done
}

# One dpkg -S for all paths: a call per library takes seconds over 250 libraries.
owners() {
  local -a paths=() candidates=()
  local -A owner=()
  local p c line
  while read -r p; do [ -n "$p" ] && paths+=("$p"); done
  [ ${#paths[@]} -eq 0 ] && return 0
  for p in "${paths[@]}"; do mapfile -t -O ${#candidates[@]} candidates < <(spellings "$p"); done
  while IFS= read -r line; do  # "pkg[:arch][, pkg2...]: /path"
    owner["${line#*: }"]="${line%%[:,]*}"
  done < <(dpkg -S "${candidates[@]}" 2>/dev/null || true)
  for p in "${paths[@]}"; do
    local found="-"
    while read -r c; do
      if [ -n "${owner[$c]:-}" ]; then found="${owner[$c]}"; break; fi
    done < <(spellings "$p")
    echo "$p $found"
  done
}

if [ "${1:-}" = "--owners" ]; then owners; exit 0; fi
bin="$1" dest="$2"
mkdir -p "$dest"
libs=$(ldd "$bin") || { echo "collect-local-libs: ldd failed on $bin" >&2; exit 1; }
if echo "$libs" | grep -q "not found"; then
  echo "collect-local-libs: unresolved libraries:" >&2; echo "$libs" | grep "not found" >&2; exit 1
fi
echo "$libs" | awk '$2 == "=>" && $3 ~ /^\// {print $3}' | owners | while read -r lib pkg; do
  if [ "$pkg" = "-" ]; then cp -L "$lib" "$dest/"; echo "$lib"; fi
done
