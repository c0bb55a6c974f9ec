#!/usr/bin/env bash
# Lighthouse (performance, accessibility, best practices, SEO) on the example site's home
# page and an article, mobile and desktop. Builds with the release binary, serves the output
# on 127.0.0.1 and prints one line per run; the JSON reports stay in $OUT.
#
#   scripts/lighthouse.sh            # needs chromium and npm; installs lighthouse into target/
#   PAGES="/ /networking/vpn/..." scripts/lighthouse.sh
#
# Lighthouse 12.2.3 is pinned: 13 wants Node 22 (Debian bookworm has 18, this machine 20).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-target/lighthouse/reports}
PAGES=${PAGES:-"/ /getting-started/devices/enroll-your-laptop/"}
CHROME=${KILN_CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome)}
LH=target/lighthouse/node_modules/.bin/lighthouse
if [ ! -x "$LH" ]; then
  mkdir -p target/lighthouse
  npm i -E --prefix target/lighthouse lighthouse@12.2.3 --no-audit --no-fund --loglevel=error
fi

cargo build --release --quiet
site=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$site"' EXIT
cp -r content site.toml "$site/"
target/release/kiln build --root "$site" >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$site/public" >/dev/null 2>&1 &
server=$!
sleep 1

mkdir -p "$OUT"
printf '%-52s %-8s %5s %5s %5s %5s\n' page form perf a11y bp seo
for page in $PAGES; do
  for form in mobile desktop; do
    preset=()
    [ "$form" = desktop ] && preset=(--preset=desktop)
    name=$(echo "$page" | tr '/' '_')
    report="$OUT/${form}${name}.json"
    CHROME_PATH="$CHROME" "$LH" "http://127.0.0.1:$port$page" "${preset[@]}" --quiet \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu" \
      --output=json --output-path="$report" >/dev/null 2>&1
    python3 - "$report" "$page" "$form" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
c = r["categories"]
score = lambda k: round((c[k]["score"] or 0) * 100)
print(f"{sys.argv[2]:<52} {sys.argv[3]:<8} {score('performance'):>5} {score('accessibility'):>5} {score('best-practices'):>5} {score('seo'):>5}")
for k in ("performance", "accessibility", "best-practices", "seo"):
    for ref in c[k]["auditRefs"]:
        a = r["audits"][ref["id"]]
        if ref["weight"] and a["score"] is not None and a["score"] < 1:
            print(f"    {k}: {a['id']} {a['score']}: {a['title']}")
PY
  done
done
