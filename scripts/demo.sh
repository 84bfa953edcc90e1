#!/usr/bin/env bash
# make demo: the hub end to end on local clusters. Starts control, member-1 (zone1)
# and member-2 (zone2), Redis and the hub; registers both members with the gridfed
# CLI (--manage-nodes); applies the seed's multi-cluster DeploymentGrid and ServiceGrid,
# and SiteConfig mall-config with grid mall that takes it; shows what landed where.
# Then a third site: a new shop's node already in member-2 becomes NodeUnit zone3 by
# applying deploy/examples/new-site (a NodeUnit and one SiteConfig entry), timed.
# Everything keeps running; `make demo-down` stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
demo=$root/.gridfed/demo
clusters=$root/.gridfed/clusters
kubectl=$root/.gridfed/bin/kubectl
mkdir -p "$demo"
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "building the hub and the CLI"
npx tsc -p tsconfig.build.json

step "starting clusters control, member-1, member-2"
GRIDFED_CLUSTERS_DIR=$clusters npx tsx tools/local-cluster/src/cli.ts up
control=$clusters/control/kubeconfig

step "a new shop's node joins member-2: labelled site=hangzhou by its installer, in no NodeUnit yet"
GRIDFED_CLUSTERS_DIR=$clusters npx tsx tools/local-cluster/src/cli.ts add-new-shop

step "starting Redis"
redis_url=$(bash scripts/redis.sh up "$demo/redis" | tail -n 1)
echo "$redis_url"

step "installing gridfed's CRDs and the hub's RBAC in the control cluster"
npx tsx tools/local-hub/prepare-control.ts "$control" "$demo/hub-kubeconfig"

replicas=${HUB_REPLICAS:-1}
[[ "$replicas" =~ ^[1-9][0-9]?$ ]] || { echo "HUB_REPLICAS must be a number from 1 to 99, got '$replicas'" >&2; exit 2; }
step "starting $replicas hub replica(s) (as its ServiceAccount; logs in .gridfed/demo/hub-<i>.log)"
base_port=${GRIDFED_DEMO_PORT:-8080}
for i in $(seq 0 $((replicas - 1))); do
  pidfile=$demo/hub-$i.pid
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "hub-$i already running (pid $(cat "$pidfile"))"
    continue
  fi
  port=$((base_port + i))
  # Each replica renews its own Lease and owns a share of the members (rendezvous hashing).
  # Bound to loopback, the demo's hubs need no token (HTTP_AUTH=none; it says so in its log).
  # Node flags and environment as the hub ships (tools/local-hub/hub-process.ts says why).
  MALLOC_ARENA_MAX=2 KUBECONFIG=$demo/hub-kubeconfig REDIS_URL=$redis_url HTTP_PORT=$port HTTP_HOST=127.0.0.1 HTTP_AUTH=none \
    HUB_REPLICA_ID=demo-hub-$i nohup node --max-semi-space-size=4 --heap-growing-percent=30 dist/apps/hub/src/main.js \
    >>"$demo/hub-$i.log" 2>&1 &
  echo $! >"$pidfile"
  echo "$port" >"$demo/hub-$i.port"
done
for i in $(seq 0 $((replicas - 1))); do
  port=$(cat "$demo/hub-$i.port")
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    kill -0 "$(cat "$demo/hub-$i.pid")" 2>/dev/null || { echo "hub-$i exited; see $demo/hub-$i.log" >&2; tail -n 20 "$demo/hub-$i.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "hub-$i ready on http://127.0.0.1:$port"
done
port=$(cat "$demo/hub-0.port")

gridfed() { KUBECONFIG=$control node dist/apps/cli/src/main.js "$@"; }
step "registering the members (--manage-nodes: fed NodeUnits may label their nodes)"
for m in member-1 member-2; do
  if ! "$kubectl" --kubeconfig "$control" get mc "$m" >/dev/null 2>&1; then
    gridfed register "$m" --kubeconfig "$clusters/$m/kubeconfig" --manage-nodes
  elif [ "$("$kubectl" --kubeconfig "$control" get mc "$m" -o jsonpath='{.spec.manageNodes}')" != true ]; then
    gridfed register "$m" --kubeconfig "$clusters/$m/kubeconfig" --renew-credentials --manage-nodes
  else echo "$m already registered"; fi
done
gridfed clusters

step "applying the seed's multi-cluster DeploymentGrid and ServiceGrid"
"$kubectl" --kubeconfig "$control" apply -f deploy/examples/deploymentgrid-fed.yaml -f deploy/examples/servicegrid-fed.yaml

step "applying per-site configuration: SiteConfig mall-config (zone1, zone2) and grid mall, whose pods name it"
"$kubectl" --kubeconfig "$control" apply -f deploy/examples/site-config/siteconfig-configmap.yaml \
  -f deploy/examples/deploymentgrid-site-config.yaml

step "waiting for the member workloads to become ready"
wait_ready() { # member deployment
  for _ in $(seq 1 120); do
    "$kubectl" --kubeconfig "$clusters/$1/kubeconfig" get deploy "$2" >/dev/null 2>&1 && break
    sleep 0.5
  done
  "$kubectl" --kubeconfig "$clusters/$1/kubeconfig" rollout status deploy "$2" --timeout=90s
}
wait_ready member-1 deploymentgrid-demo-zone1
wait_ready member-2 deploymentgrid-demo-zone2
wait_ready member-1 mall-zone1
wait_ready member-2 mall-zone2

for m in member-1 member-2; do
  step "what landed in $m"
  "$kubectl" --kubeconfig "$clusters/$m/kubeconfig" get deploy,svc,cm -l app.kubernetes.io/managed-by=gridfed -L gridfed.io/nodeunit
done

step "the grids in the control cluster"
"$kubectl" --kubeconfig "$control" get dg,sg,scfg

step "aggregated status (gridfed status, from the hub)"
sleep 1
gridfed status --hub "http://127.0.0.1:$port"

bash scripts/demo-new-site.sh "$control" "$clusters" "$port"

cat <<EOF

Dashboard: http://127.0.0.1:$port/dashboard   API: http://127.0.0.1:$port/api/docs   queues: http://127.0.0.1:$port/queues

The demo keeps running. Look around:
  $kubectl --kubeconfig $control get dg,sg,mc
  $kubectl --kubeconfig $clusters/member-1/kubeconfig get deploy -o wide
  $kubectl --kubeconfig $clusters/member-2/kubeconfig get deploy,svc
  # edit or delete deploymentgrid-demo-zone1 in member-1 and watch the hub put it back
  # the third site came from deploy/examples/new-site (README, "The demo"): gridfed nodeunits
  # relabel a member-2 node: $kubectl --kubeconfig $clusters/member-2/kubeconfig label node member-2-node-1 zone=zone4 --overwrite
  tail -f $demo/hub-0.log
  # several replicas: HUB_REPLICAS=2 make demo; who owns which member: gridfed clusters
Stop everything with: make demo-down
EOF
