#!/usr/bin/env bash
# Screenshots of the example site for the README, taken with headless Chromium:
# desktop light, desktop dark and phone. Usage: scripts/screenshot.sh [out-dir]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$here/docs}
chrome=${KILN_CHROMIUM:-$(command -v chromium || command -v chromium-browser)}
cd "$here"
cargo build --release --quiet
site=$(mktemp -d)
trap 'kill $server 2>/dev/null; rm -rf "$site"' EXIT
./target/release/kiln build --output "$site/public" >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$site/public" >/dev/null 2>&1 &
server=$!
sleep 1
shot() { # width height url file [extra flags]
  "$chrome" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
    --user-data-dir="$site/profile-$4" --window-size="$1,$2" "${@:5}" \
    --screenshot="$out/$4" "http://127.0.0.1:$port$3" 2>/dev/null
}
page=/problems-solutions/mailflow-issues/messages-stuck-in-outbox/
shot 1440 1000 "$page" screenshot.png
shot 1440 1000 /admin-guides/powershell/remove-a-restricted-sender/ screenshot-dark.png --force-dark-mode --blink-settings=preferredColorScheme=0
shot 390 844 /getting-started/devices/enroll-your-laptop/ screenshot-phone.png
echo "screenshots written to $out"
