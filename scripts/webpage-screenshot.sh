#!/usr/bin/env bash
# Regenerates docs/images/replay-page.png, the README's picture of the replay page of the sample
# batch: builds crm-replica, loads Samples/zoho-org into a scratch replica, starts `serve` on a
# free port and drives headless Chromium over the pages (Tests/ServerTests/Browser/webpage_browser.py).
#
# Needs Debian's chromium and chromium-driver, and Selenium in .build/browser-venv
# (python3 -m venv .build/browser-venv && .build/browser-venv/bin/pip install selenium),
# or BROWSER_PYTHON naming a python that has it.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${BROWSER_PYTHON:-.build/browser-venv/bin/python}
swift build
scratch=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$scratch"' EXIT
.build/debug/crm-replica load Samples/zoho-org/* --db "$scratch/replica.sqlite" --quiet
.build/debug/crm-replica serve --db "$scratch/replica.sqlite" --port 0 --as-of 2026-11-20T18:00:00+00:00 > "$scratch/serve.out" &
server=$!
for _ in $(seq 100); do grep -q "listening on" "$scratch/serve.out" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$scratch/serve.out" | head -1)
[ -n "$base" ] || { echo "serve did not start" >&2; exit 1; }
"$python" Tests/ServerTests/Browser/webpage_browser.py "$base" Samples/batches/campaign-upsert.json "$scratch/shots" wei.meyer@example.net > /dev/null
mkdir -p docs/images
cp "$scratch/shots/replay.png" docs/images/replay-page.png
echo "wrote docs/images/replay-page.png"
