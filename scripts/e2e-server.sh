#!/usr/bin/env bash
# Start MEMS for the browser tests: a fresh SQLite database with the demo organisation, the
# built SPA and the API on PORT (default 8765). Playwright's webServer runs this.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
var_dir="$(mktemp -d /tmp/mems-e2e.XXXXXX)"
trap 'rm -rf "$var_dir"' EXIT
export VAR_DIR="$var_dir" SEED_DEMO=true PORT="${PORT:-8765}" LOG_JSON=false LOG_LEVEL=WARNING
unset DATABASE_URL REDIS_URL
# A second organisation, so that invitations can be accepted by someone with an account.
"$root/.venv/bin/python" -m mems migrate
"$root/.venv/bin/python" "$root/scripts/e2e_second_org.py"
"$root/.venv/bin/python" -m mems serve
