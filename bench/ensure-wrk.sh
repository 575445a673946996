#!/usr/bin/env bash
# The benchmark's load generator is wrk (Debian package `wrk`); install it when we can.
set -uo pipefail
wrk="${WRK:-wrk}"
command -v "$wrk" >/dev/null && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing wrk with apt-get..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq wrk >/dev/null 2>&1 || {
    apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq wrk >/dev/null 2>&1
  }
fi
command -v "$wrk" >/dev/null || {
  echo "ERROR: the benchmark needs the load generator wrk: install Debian's 'wrk' package" \
       "(sudo apt-get install wrk) or set WRK=/path/to/wrk." >&2
  exit 1
}
