#!/usr/bin/env bash
# A private 3-master Redis Cluster for tests and the demo (never the system service).
#   scripts/redis-cluster.sh up <dir>                  start it (or find it running);
#                                                      last stdout line: redis+cluster://127.0.0.1:<p0>,127.0.0.1:<p1>,127.0.0.1:<p2>
#   scripts/redis-cluster.sh down <dir>                stop every node (SIGTERM, then wait; SIGKILL only if one will not go)
#   scripts/redis-cluster.sh restart-node <dir> <i>    stop node <i> (0, 1 or 2: the URL's order) and start it again on
#                                                      its port with its cluster config; returns when cluster_state is ok
# <dir> holds url, ports and node-<i>/ (redis.pid, redis.log, redis.port, nodes.conf). No replicas, nothing
# persisted (a restarted node comes back empty), maxmemory-policy noeviction. Installs Debian's redis-server
# when missing.
set -euo pipefail
# shellcheck source=scripts/redis-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/redis-common.sh"

NODES=3

usage() {
  echo "usage: $0 up <dir> | down <dir> | restart-node <dir> <0..$((NODES - 1))>" >&2
  exit 2
}

log() { echo "redis-cluster.sh: $*" >&2; }

node_dir() { echo "$1/node-$2"; }

ping_node() {
  local reply
  reply=$(timeout 2 redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null) || return 1
  [ "$reply" = PONG ]
}

cluster_ok() {
  timeout 2 redis-cli -h 127.0.0.1 -p "$1" cluster info 2>/dev/null | tr -d '\r' | grep -qx 'cluster_state:ok'
}

ports() { cat "$1/ports"; }

# Every node alive, answering and seeing the cluster whole.
all_ok() {
  local dir=$1 i=0 port
  [ -f "$dir/ports" ] || return 1
  for port in $(ports "$dir"); do
    running_pid "$(node_dir "$dir" "$i")" >/dev/null || return 1
    cluster_ok "$port" || return 1
    i=$((i + 1))
  done
  [ "$i" -eq "$NODES" ]
}

wait_all_ok() {
  local dir=$1 port
  for _ in $(seq 1 300); do
    all_ok "$dir" && return 0
    sleep 0.1
  done
  log "the cluster did not reach cluster_state:ok on every node within 30 s:"
  for port in $(ports "$dir"); do
    echo "  127.0.0.1:$port $(timeout 2 redis-cli -p "$port" cluster info 2>/dev/null | tr -d '\r' | grep cluster_state || echo unreachable)" >&2
  done
  return 1
}

print_url() {
  local dir=$1 port url=''
  for port in $(ports "$dir"); do url+="${url:+,}127.0.0.1:$port"; done
  echo "redis+cluster://$url" >"$dir/url"
  echo "redis+cluster://$url"
}

# Starts node <dir>/node-<i> on <port> (with its nodes.conf when it has one); fails early when it exits.
start_node() {
  local ndir=$1 port=$2
  mkdir -p "$ndir"
  rm -f "$ndir/redis.pid"
  echo "$port" >"$ndir/redis.port"
  # Redis for queues: nothing persisted (the control cluster is the source of truth),
  # and never evict keys (an evicted job key corrupts BullMQ's bookkeeping). Without
  # full coverage required, the other nodes keep serving their slots while one is down.
  redis-server --bind 127.0.0.1 --port "$port" --dir "$ndir" \
    --daemonize yes --pidfile "$ndir/redis.pid" --logfile "$ndir/redis.log" \
    --save '' --appendonly no --maxmemory-policy noeviction \
    --protected-mode yes --loglevel notice \
    --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 5000 \
    --cluster-require-full-coverage no
  for i in $(seq 1 100); do
    ping_node "$port" && return 0
    if [ "$i" -ge 5 ] && ! running_pid "$ndir" >/dev/null; then
      log "redis-server on port $port exited; last log lines:"
      tail -n 5 "$ndir/redis.log" >&2 || true
      return 1
    fi
    sleep 0.1
  done
  log "redis-server on port $port did not answer PING within 10 s; last log lines:"
  tail -n 20 "$ndir/redis.log" >&2 || true
  stop_node "$ndir"
  return 1
}

stop_node() { stop_server "$1"; }

stop_all() {
  local dir=$1 i
  for i in $(seq 0 $((NODES - 1))); do stop_node "$(node_dir "$dir" "$i")"; done
}

# Fresh nodes on free ports, joined into one cluster.
start_cluster() {
  local dir=$1 i port chosen=() ndir
  for i in $(seq 0 $((NODES - 1))); do
    ndir=$(node_dir "$dir" "$i")
    # A new cluster: no node may bring an old cluster's config (IDs, ports, slots).
    rm -f "$ndir/nodes.conf"
    port=$(free_port "${chosen[@]}")
    start_node "$ndir" "$port" || return 1
    chosen+=("$port")
  done
  echo "${chosen[*]}" >"$dir/ports"
  local seeds=()
  for port in "${chosen[@]}"; do seeds+=("127.0.0.1:$port"); done
  # Its report is long: kept in <dir>/create.log, shown only when it fails.
  redis-cli --cluster create "${seeds[@]}" --cluster-replicas 0 --cluster-yes >"$dir/create.log" 2>&1 || {
    log "redis-cli --cluster create failed:"
    cat "$dir/create.log" >&2
    return 1
  }
  wait_all_ok "$dir"
}

up() {
  local dir=$1
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if all_ok "$dir"; then
    print_url "$dir"
    return
  fi
  stop_all "$dir" # a part of an old cluster, or nodes not answering: start afresh
  ensure_installed
  # A free port can be taken between the check and the bind: try a few times.
  for attempt in 1 2 3; do
    start_cluster "$dir" && break
    stop_all "$dir"
    [ "$attempt" -lt 3 ] || exit 1
  done
  print_url "$dir"
}

restart_node() {
  local dir=$1 index=$2 ndir port
  [[ "$index" =~ ^[0-9]+$ ]] && [ "$index" -lt "$NODES" ] || usage
  dir=$(cd "$dir" && pwd)
  ndir=$(node_dir "$dir" "$index")
  [ -f "$dir/ports" ] && [ -f "$ndir/nodes.conf" ] || { log "no cluster in $dir: run up first"; exit 1; }
  port=$(cat "$ndir/redis.port")
  stop_node "$ndir"
  log "node $index (127.0.0.1:$port) stopped; starting it again"
  start_node "$ndir" "$port" || exit 1
  wait_all_ok "$dir" || exit 1
  log "node $index (127.0.0.1:$port) is back; cluster_state:ok on every node"
}

case "${1:-}" in
  up)
    [ $# -eq 2 ] || usage
    up "$2"
    ;;
  down)
    [ $# -eq 2 ] || usage
    [ -d "$2" ] || exit 0
    stop_all "$2"
    ;;
  restart-node)
    [ $# -eq 3 ] || usage
    [ -d "$2" ] || { log "no cluster in $2"; exit 1; }
    restart_node "$2" "$3"
    ;;
  *) usage ;;
esac
