#!/usr/bin/env bash
# Renders one rendered page (default: docs/index.html) to a PNG with headless Chromium, so a person can
# check that the mathematics is typeset (not raw TeX) and the claim badges look right.
#
#   scripts/screenshot-docs.sh [PAGE.html] [OUT.png] [WIDTH] [HEIGHT]
#
# Needs Debian's `chromium` (apt-get install -y chromium); not part of CI because the browser is large.
# Pages are opened from disk (file://): KaTeX is loaded from the page's katex/ folder, with no network.
set -euo pipefail
page="${1:-docs/index.html}"
out="${2:-${page%.html}.png}"
width="${3:-1100}"
height="${4:-2400}"

browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [[ -z "$browser" ]]; then
    echo "screenshot-docs: no Chromium found: install it with 'apt-get install -y chromium'" >&2
    exit 2
fi
if [[ ! -f "$page" ]]; then
    echo "screenshot-docs: $page does not exist: render it first with 'swift run verify derivations/ --render docs/'" >&2
    exit 2
fi
absolute="$(cd "$(dirname "$page")" && pwd)/$(basename "$page")"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
# --no-sandbox: Chromium refuses to run as root otherwise (containers, CI).
# --virtual-time-budget: lets the page's scripts (KaTeX) and web fonts finish before the capture.
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
    --no-first-run --disable-extensions --allow-file-access-from-files \
    --virtual-time-budget=5000 --window-size="${width},${height}" \
    --screenshot="$out" "file://$absolute" >/dev/null 2>&1 || true
if [[ ! -s "$out" ]]; then
    echo "screenshot-docs: Chromium wrote no picture to $out" >&2
    exit 1
fi
# The same page after its scripts ran: every math element should have been typeset by KaTeX.
dom="$("$browser" --headless --no-sandbox --disable-gpu --user-data-dir="$profile" --no-first-run --disable-extensions \
    --allow-file-access-from-files --virtual-time-budget=5000 --dump-dom "file://$absolute" 2>/dev/null || true)"
count() { { grep -o "$1" <<<"$dom" || true; } | wc -l; }
total="$(count 'class="math \(inline\|display\)')"
typeset="$(count 'data-tex=')"
errors="$(count 'class="katex-error"')"
echo "$out: $typeset of $total formulas typeset by KaTeX, $errors KaTeX errors"
if (( typeset < total || errors > 0 )); then exit 1; fi
