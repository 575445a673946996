#!/usr/bin/env bash
# Make sure the PostgreSQL and Redis the tests use are reachable; start the local ones if not.
set -uo pipefail
pg_url="${TEST_DATABASE_URL:-postgresql+asyncpg://postgres@127.0.0.1:5432/test}"
redis_url="${TEST_REDIS_URL:-redis://127.0.0.1:6379/0}"

hostport() {  # "scheme://user@host:port/db" -> "host port"
  local rest="${1#*://}"; rest="${rest#*@}"; rest="${rest%%/*}"
  echo "${rest%%:*} ${rest##*:}"
}

up() { timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }

read -r pg_host pg_port <<<"$(hostport "$pg_url")"
read -r redis_host redis_port <<<"$(hostport "$redis_url")"

if ! up "$pg_host" "$pg_port"; then
  echo "PostgreSQL is not answering on $pg_host:$pg_port; trying to start the local cluster..."
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    for _ in $(seq 1 30); do up "$pg_host" "$pg_port" && break; sleep 1; done
  fi
  up "$pg_host" "$pg_port" || {
    echo "ERROR: PostgreSQL is needed at $pg_host:$pg_port (set TEST_DATABASE_URL, or install and start PostgreSQL)." >&2
    exit 1
  }
fi

if ! up "$redis_host" "$redis_port"; then
  echo "Redis is not answering on $redis_host:$redis_port; trying to start it..."
  if command -v redis-server >/dev/null; then
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no \
      --dir /tmp --logfile /tmp/mems-redis.log || true
    for _ in $(seq 1 20); do up "$redis_host" "$redis_port" && break; sleep 0.5; done
  fi
  up "$redis_host" "$redis_port" || {
    echo "ERROR: Redis is needed at $redis_host:$redis_port (set TEST_REDIS_URL, or install and start redis-server)." >&2
    exit 1
  }
fi
echo "PostgreSQL ($pg_host:$pg_port) and Redis ($redis_host:$redis_port) are up."
