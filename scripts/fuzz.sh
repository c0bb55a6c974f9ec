#!/usr/bin/env bash
# Fuzz Kiln's input stages with cargo fuzz (libFuzzer, nightly toolchain):
#   frontmatter  split + YAML/TOML parsing
#   markdown     the whole Markdown stage: admonitions of every syntax, includes, links
#   links        link and URL resolution (no path may climb out of content/)
#   tokenizer    the search tokenizer
#
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET…]   (default 600 s, every target)
# Two targets run at a time (one per core). Seeds: every Markdown file under tests/fixtures
# and ../shared/corpora and ../shared/dialects (copied into fuzz/corpus/, which git
# ignores). A crash, a run over 2 s (-timeout) or over 500 MB (-rss_limit_mb) stops the
# target and leaves the input in fuzz/artifacts/<target>/; turn it into a test in
# tests/fuzz_regressions.rs.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(frontmatter markdown links tokenizer)
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz

for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  if [ -z "$(ls -A "fuzz/corpus/$t")" ]; then
    # Seeds under 64 KB (libFuzzer's inputs stay small; large files add nothing but time).
    find tests/fixtures ../shared/corpora ../shared/dialects -name '*.md' -size -64k 2>/dev/null |
      while read -r f; do cp "$f" "fuzz/corpus/$t/$(echo "$f" | md5sum | cut -c1-16)"; done
  fi
done

cargo +nightly fuzz build

run() {
  local t=$1 rc
  mkdir -p "fuzz/artifacts/$t"
  /usr/bin/time -f "cpu-seconds %U %S" -o "fuzz/artifacts/$t.time" \
    cargo +nightly fuzz run "$t" "fuzz/corpus/$t" -- -max_total_time="$secs" -timeout=2 -rss_limit_mb=500 \
    -max_len=65536 -print_final_stats=1 >"fuzz/artifacts/$t.log" 2>&1 && rc=0 || rc=$?
  local runs cpu
  runs=$(grep -E 'stat::number_of_executed_units' "fuzz/artifacts/$t.log" | awk '{print $2}')
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
