#!/usr/bin/env bash
# The report's browser tests on a machine without Chromium, and the README's
# picture of the page.
#
#   tests/report_browser.sh               # install chromium if missing, run tests/report.rs with it required
#   tests/report_browser.sh --screenshot  # also rewrite docs/images/report.png
#
# Installing needs root (or sudo): Debian's `chromium` package, and
# fonts-noto-cjk for the screenshot's Japanese text (about 35 s here).
set -euo pipefail
cd "$(dirname "$0")/.."
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v chromium >/dev/null 2>&1; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
fi
TORIKUMI_REQUIRE_CHROMIUM=1 cargo test --test report
if [ "${1:-}" = "--screenshot" ]; then
  if ! fc-list :lang=ja | grep -q .; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk
  fi
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  # The DX action plan: the goal with judged years, its indicators' charts, its warnings.
  cargo run --quiet -- ingest samples/gunma_dx_kobetsu.xlsx samples/gunma_dx_kobetsu.sjis.txt \
    --out "$work/out" --formats parquet,html --quiet
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile" --hide-scrollbars --window-size=1280,2000 \
    --screenshot="$PWD/docs/images/report.png" "file://$work/out/report.html" 2>/dev/null
  echo "wrote docs/images/report.png"
fi
