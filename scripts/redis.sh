#!/usr/bin/env bash
# A private redis-server for tests and the demo (never the system service).
#   scripts/redis.sh up <dir> [port]   start it (or find it running); last stdout line: redis://127.0.0.1:<port>
#   scripts/redis.sh down <dir>        stop it (SIGTERM, then wait; SIGKILL only if it will not go)
# <dir> holds redis.pid, redis.log, redis.port and url. Installs Debian's redis-server when missing.
set -euo pipefail
# shellcheck source=scripts/redis-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/redis-common.sh"

usage() {
  echo "usage: $0 up <dir> [port] | down <dir>" >&2
  exit 2
}

log() { echo "redis.sh: $*" >&2; }

ping_redis() {
  local port=$1 reply
  if command -v redis-cli >/dev/null 2>&1; then
    reply=$(timeout 2 redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null) || return 1
  else
    # No redis-cli: speak RESP over bash's /dev/tcp (in a subshell, so the socket closes with it).
    reply=$( (exec 3<>"/dev/tcp/127.0.0.1/$port" && printf 'PING\r\n' >&3 && read -r -t 2 line <&3 && echo "$line") 2>/dev/null) || return 1
    reply=${reply#+}
  fi
  [ "${reply%$'\r'}" = PONG ]
}

print_url() {
  local dir=$1 port
  port=$(cat "$dir/redis.port")
  echo "redis://127.0.0.1:$port" >"$dir/url"
  echo "redis://127.0.0.1:$port"
}

# Starts redis-server on <port>; fails early when it exits (e.g. the port was taken meanwhile).
start_on() {
  local dir=$1 port=$2
  rm -f "$dir/redis.pid"
  echo "$port" >"$dir/redis.port"
  # Redis for queues: nothing persisted (the control cluster is the source of truth),
  # and never evict keys (an evicted job key corrupts BullMQ's bookkeeping).
  redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" \
    --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" \
    --save '' --appendonly no --maxmemory-policy noeviction \
    --protected-mode yes --loglevel notice
  for i in $(seq 1 100); do
    ping_redis "$port" && return 0
    if [ "$i" -ge 5 ] && ! running_pid "$dir" >/dev/null; then
      log "redis-server on port $port exited; last log lines:"
      tail -n 5 "$dir/redis.log" >&2 || true
      return 1
    fi
    sleep 0.1
  done
  log "redis-server on port $port did not answer PING within 10 s; last log lines:"
  tail -n 20 "$dir/redis.log" >&2 || true
  stop_server "$dir"
  return 1
}

up() {
  local dir=$1 port=${2:-} pid
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if pid=$(running_pid "$dir") && [ -f "$dir/redis.port" ] && ping_redis "$(cat "$dir/redis.port")"; then
    [ -z "$port" ] || [ "$port" = "$(cat "$dir/redis.port")" ] || log "already running in $dir on port $(cat "$dir/redis.port"), not $port"
    print_url "$dir"
    return
  fi
  [ -z "${pid:-}" ] || stop_server "$dir" # alive but not answering: start afresh
  ensure_installed
  if [ -n "$port" ]; then
    port_in_use "$port" && { log "port $port is already in use"; exit 1; }
    start_on "$dir" "$port" || exit 1
  else
    # A free port can be taken between the check and the bind: try a few.
    for attempt in 1 2 3; do
      port=$(free_port)
      start_on "$dir" "$port" && break
      [ "$attempt" -lt 3 ] || exit 1
    done
  fi
  print_url "$dir"
}

case "${1:-}" in
  up)
    [ $# -ge 2 ] && [ $# -le 3 ] || usage
    up "$2" "${3:-}"
    ;;
  down)
    [ $# -eq 2 ] || usage
    [ -d "$2" ] || exit 0
    stop_server "$2"
    ;;
  *) usage ;;
esac
