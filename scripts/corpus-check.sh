#!/usr/bin/env bash
# Build every folder of ../shared/corpora/ as a Kiln site (the folder is the content/)
# and require zero errors and no panic. Prints pages and warnings per corpus.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
corpora=${KILN_CORPORA:-$here/../shared/corpora}
kiln=${KILN_BIN:-${CARGO_TARGET_DIR:-$here/target}/release/kiln}
if [ ! -d "$corpora" ]; then
  echo "corpus-check: $corpora is absent; skipping the real-world corpus check"
  exit 0
fi
[ -x "$kiln" ] || (cd "$here" && cargo build --release --quiet)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for dir in "$corpora"/*/; do
  name=$(basename "$dir")
  site="$work/$name"
  mkdir -p "$site"
  cp -R "$dir" "$site/content"
  printf 'title = "%s"\n' "$name" > "$site/site.toml"
  set +e
  "$kiln" build --root "$site" --output "$work/out-$name" >"$work/$name.out" 2>"$work/$name.err"
  code=$?
  set -e
  summary=$(tail -n 1 "$work/$name.out")
  warnings=$(grep -c '^warning:' "$work/$name.err" || true)
  errors=$(grep -c '^error:' "$work/$name.err" || true)
  printf '%-26s exit %d  %s\n' "$name" "$code" "$summary"
  if [ "$code" -ne 0 ] || [ "$errors" -ne 0 ] || grep -q 'panicked' "$work/$name.err"; then
    echo "  FAILED: $errors error(s); first lines:"
    grep -m 10 -E '^error|panicked' "$work/$name.err" | sed 's/^/    /'
    status=1
  elif [ "$warnings" -gt 0 ]; then
    grep '^warning:' "$work/$name.err" | sed -E 's/^warning: [^:]+(:[0-9]+)*: //' | sed -E 's/`[^`]*`/`…`/g; s/"[^"]*"/"…"/g' | sort | uniq -c | sort -rn | { head -5; cat >/dev/null; } | sed 's/^/    /'
  fi
done
exit $status
