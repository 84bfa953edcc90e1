#!/usr/bin/env bash
# make demo-down: stops the hub, Redis and the clusters that `make demo` started.
set -euo pipefail
cd "$(dirname "$0")/.."
demo=$PWD/.gridfed/demo
if [ -f "$demo/hub.pid" ]; then
  pid=$(cat "$demo/hub.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$demo/hub.pid"
  echo "hub stopped"
fi
[ -d "$demo/redis" ] && bash scripts/redis.sh down "$demo/redis" || true
GRIDFED_CLUSTERS_DIR=$PWD/.gridfed/clusters npx tsx tools/local-cluster/src/cli.ts down
