#!/usr/bin/env bash
# make demo-down: stops the hub, Redis and the clusters that `make demo` started.
set -euo pipefail
cd "$(dirname "$0")/.."
demo=$PWD/.gridfed/demo
# Every replica (hub-<i>.pid), and the single hub.pid of older demos; SIGTERM lets each
# hand its members over, SIGKILL only if one will not go.
for pidfile in "$demo"/hub.pid "$demo"/hub-*.pid; do
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
  echo "$(basename "$pidfile" .pid) stopped"
done
[ -d "$demo/redis" ] && bash scripts/redis.sh down "$demo/redis" || true
GRIDFED_CLUSTERS_DIR=$PWD/.gridfed/clusters npx tsx tools/local-cluster/src/cli.ts down
