#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (browsers cannot be downloaded here).
set -uo pipefail
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
need=()
[ -x "$chromium" ] || need+=(chromium)
# CJK glyphs for screenshots of the zh-CN UI.
fc-list 2>/dev/null | grep -qi "noto sans cjk" || need+=(fonts-noto-cjk)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing ${need[*]} with apt-get..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 || {
    apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq "${need[@]}" >/dev/null 2>&1
  }
fi
[ -x "$chromium" ] || {
  echo "ERROR: Chromium is needed at $chromium for the browser tests: install Debian's 'chromium' package" \
       "(sudo apt-get install chromium) or set CHROMIUM_PATH." >&2
  exit 1
}
