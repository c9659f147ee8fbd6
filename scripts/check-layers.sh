#!/usr/bin/env bash
# Fails on an #include that runs upward: a file under src/<module>/ may include only headers
# of its own module and of the modules listed before it in src/LAYERS (bottom-up). The build
# enforces the same rule through include views (CMakeLists.txt); this check names the line.
# Usage: scripts/check-layers.sh [repo-root]
set -euo pipefail
root="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
mapfile -t layers < <(grep -E '^[a-z]+$' "$root/src/LAYERS")
declare -A rank
for i in "${!layers[@]}"; do rank[${layers[$i]}]=$i; done

bad=0
while IFS= read -r -d '' file; do
  rel="${file#"$root"/src/}"
  module="${rel%%/*}"
  if [ -z "${rank[$module]+x}" ]; then
    echo "$file: folder src/$module is not listed in src/LAYERS" >&2
    bad=1
    continue
  fi
  while IFS=: read -r line target; do
    used="${target%%/*}"
    [ -n "${rank[$used]+x}" ] || continue  # a library header, not a module of src/
    if [ "${rank[$used]}" -gt "${rank[$module]}" ]; then
      echo "$file:$line: $module includes $target, but $used is above $module in src/LAYERS" >&2
      bad=1
    fi
  done < <(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[a-z_]+/' "$file" |
           sed -E 's|^([0-9]+):.*"([^"]+)".*|\1:\2|' || true)
done < <(find "$root/src" -path "$root/src/server/web" -prune -o \( -name '*.cpp' -o -name '*.h' \) -print0)

if [ "$bad" -ne 0 ]; then
  echo "check-layers: upward includes found (see above); move the shared code down a layer" >&2
  exit 1
fi
echo "check-layers: ${#layers[@]} modules, no upward include"
