#!/usr/bin/env bash
# Fuzz Kiln's input stages with cargo fuzz (libFuzzer, nightly toolchain):
#   frontmatter  split + YAML/TOML parsing
#   markdown     the whole Markdown stage: admonitions of every syntax, includes, links
#   links        link and URL resolution (no path may climb out of content/)
#   tokenizer    the search tokenizer
#   import_html  kiln import's HTML → Markdown converter
#
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET…]   (default 600 s, every target)
# Two targets run at a time (one per core). Seeds: every Markdown file under tests/fixtures
# and ../shared/corpora and ../shared/dialects (copied into fuzz/corpus/, which git
# ignores); for import_html, the article bodies of tests/fixtures/import. A crash, an input that runs over 2 s (-timeout) or allocates 500 MB at once
# (-malloc_limit_mb) stops the target and leaves the input in fuzz/artifacts/<target>/;
# turn it into a test in tests/fuzz_regressions.rs. The process as a whole may grow to
# 2 GB (-rss_limit_mb): the markdown target levels off at 400-600 MB of caches once the
# seeds have run (one input run 400 and 1,500 times peaked at 379 and 380 MB), which is
# not an input's cost.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(frontmatter markdown links tokenizer import_html)
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz

for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  if [ "$t" = import_html ] && [ -z "$(ls -A "fuzz/corpus/$t")" ]; then
    python3 - "fuzz/corpus/$t" <<'PY'
import glob, hashlib, json, os, sys
for f in glob.glob("tests/fixtures/import/*/*.json"):
    data = json.load(open(f))
    items = data if isinstance(data, list) else data.get("articles", [])
    for a in items:
        body = (a.get("body") or a.get("description") or "").encode()
        if body:
            open(os.path.join(sys.argv[1], hashlib.md5(body).hexdigest()[:16]), "wb").write(body)
PY
  fi
  if [ -z "$(ls -A "fuzz/corpus/$t")" ]; then
    # Seeds under 64 KB (libFuzzer's inputs stay small; large files add nothing but time).
    find tests/fixtures ../shared/corpora ../shared/dialects -name '*.md' -size -64k 2>/dev/null |
      while read -r f; do cp "$f" "fuzz/corpus/$t/$(echo "$f" | md5sum | cut -c1-16)"; done
  fi
done

# Built once; the targets then run as plain binaries, so editing the sources meanwhile does
# not make each run rebuild.
cargo +nightly fuzz build
bin=fuzz/target/$(rustc +nightly -vV | sed -n 's/^host: //p')/release

run() {
  local t=$1 rc
  mkdir -p "fuzz/artifacts/$t"
  /usr/bin/time -f "cpu-seconds %U %S" -o "fuzz/artifacts/$t.time" \
    "$bin/$t" -artifact_prefix="fuzz/artifacts/$t/" -max_total_time="$secs" -timeout=2 -malloc_limit_mb=500 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 "fuzz/corpus/$t" >"fuzz/artifacts/$t.log" 2>&1 && rc=0 || rc=$?
  local runs cpu
  runs=$(grep -E 'stat::number_of_executed_units' "fuzz/artifacts/$t.log" | awk '{print $2}')
  # CPU of the fuzzing process alone (the build is done before).
  cpu=$(awk '/cpu-seconds/ {printf "%.0f", $2 + $3}' "fuzz/artifacts/$t.time")
  echo "$t: exit $rc, ${runs:-?} inputs run, ${cpu:-?} CPU-seconds (log: fuzz/artifacts/$t.log)"
  return $rc
}

status=0
for ((i = 0; i < ${#targets[@]}; i += 2)); do
  run "${targets[i]}" & a=$!
  if [ $((i + 1)) -lt ${#targets[@]} ]; then run "${targets[i + 1]}" & b=$!; else b=; fi
  wait $a || status=1
  [ -n "$b" ] && { wait "$b" || status=1; }
done
exit $status
