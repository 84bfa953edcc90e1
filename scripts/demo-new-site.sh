#!/usr/bin/env bash
# make demo's third site (called by scripts/demo.sh while the hub runs): a new shop whose node
# already sits in member-2 (tools/local-cluster/src/fleet.ts NEW_SHOP, labelled only site=hangzhou)
# becomes site zone3 by applying the two manifests of deploy/examples/new-site, nothing else:
# no node labelled and no member cluster touched by hand. Prints when the hub has labelled the
# node, rendered grid mall's workload pointing at the site's ConfigMap copy, and made that copy,
# in seconds from the apply; then the aggregated status.
# Usage: demo-new-site.sh <control kubeconfig> <clusters dir> <hub port>
set -euo pipefail
cd "$(dirname "$0")/.."
control=$1
clusters=$2
port=$3
kubectl=$PWD/.gridfed/bin/kubectl
member=member-2
node=member-2-node-3
timeout_seconds=${GRIDFED_DEMO_SITE_TIMEOUT:-120}
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
in_member() { "$kubectl" --kubeconfig "$clusters/$member/kubeconfig" "$@"; }
gridfed() { KUBECONFIG=$control node dist/apps/cli/src/main.js "$@"; }

# Seconds since $start, to a tenth.
elapsed() {
  local ms=$((($(date +%s%N) - start) / 1000000))
  printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100))
}

# The clusters keep their state between runs (make demo-down stops them, etcd keeps its data), so
# a site zone3 from an earlier run is taken away first: every run shows it being added.
if "$kubectl" --kubeconfig "$control" get nodeunit zone3 >/dev/null 2>&1; then
  step "site zone3 is there from an earlier make demo: taking it away first (delete its NodeUnit, then its entry)"
  start=$(date +%s%N)
  "$kubectl" --kubeconfig "$control" delete -f deploy/examples/new-site/nodeunit-zone3.yaml
  deadline=$(($(date +%s) + timeout_seconds))
  until [ -z "$(in_member get node "$node" -o jsonpath='{.metadata.labels.zone}')" ] &&
    [ -z "$(in_member get deploy/mall-zone3 deploy/deploymentgrid-demo-zone3 cm/mall-config-zone3 --ignore-not-found -o name)" ]; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "site zone3 not gone from $member after ${timeout_seconds} s; see .gridfed/demo/hub-0.log" >&2
      exit 1
    fi
    sleep 0.2
  done
  echo "  $(elapsed) s: the hub took zone=zone3 off $node, and mall-zone3, deploymentgrid-demo-zone3 and mall-config-zone3 out of $member"
  "$kubectl" --kubeconfig "$control" patch siteconfig mall-config -n default --type merge -p '{"spec":{"nodeUnits":{"zone3":null}}}'
fi

step "a third site, before: $member's new node $node is in no NodeUnit (no zone label), nothing runs for it"
in_member get node -L site,zone

step "adding site zone3: two manifests, applied to the control cluster only"
# The entry first: when the node becomes zone3, its copy can be made at once, so grid mall's zone3
# workload is never held for want of it (the other order works too, with a moment's
# SiteConfigUnusable Event).
for file in deploy/examples/new-site/mall-config-zone3.yaml deploy/examples/new-site/nodeunit-zone3.yaml; do
  printf '\033[2m--- %s\033[0m\n' "$file"
  grep -v '^#' "$file"
done
echo
start=$(date +%s%N)
"$kubectl" --kubeconfig "$control" patch siteconfig mall-config -n default --type merge \
  --patch-file deploy/examples/new-site/mall-config-zone3.yaml
"$kubectl" --kubeconfig "$control" apply -f deploy/examples/new-site/nodeunit-zone3.yaml

step "watching $member (seconds since the first command started; read about every 0.3 s)"
# One read of the four objects per round; each line is printed once, when first seen.
declare -A seen=()
report() { # key message
  if [ -n "${seen[$1]:-}" ]; then return 0; fi
  seen[$1]=1
  printf '  %6s s  %s\n' "$(elapsed)" "$2"
}
fields='{range .items[*]}{.kind}/{.metadata.name} {.metadata.labels.zone}{.spec.template.spec.volumes[0].configMap.name}{.data.mall-id} {.status.readyReplicas}{"\n"}{end}'
deadline=$(($(date +%s) + timeout_seconds))
while [ "${#seen[@]}" -lt 5 ]; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "site zone3 not complete after ${timeout_seconds} s (seen: ${!seen[*]}); see .gridfed/demo/hub-0.log" >&2
    exit 1
  fi
  while read -r object value ready; do
    case "$object $value" in
      "Node/$node zone3") report labelled "node $member/$node labelled zone=zone3 by the hub" ;;
      "ConfigMap/mall-config-zone3 hangzhou") report config "ConfigMap mall-config-zone3 (mall-id=hangzhou) made by the hub" ;;
      "Deployment/mall-zone3 mall-config-zone3") report workload "Deployment mall-zone3 created, its pods pointed at mall-config-zone3" ;;
      "Deployment/deploymentgrid-demo-zone3 "*) report seed "Deployment deploymentgrid-demo-zone3 (the seed's grid) created" ;;
    esac
    if [ "$object" = Deployment/mall-zone3 ] && [ "${ready:-0}" -ge 1 ]; then
      report ready "Deployment mall-zone3 ready: $ready pod running on $node"
    fi
  done < <(in_member get "node/$node" cm/mall-config-zone3 deploy/mall-zone3 deploy/deploymentgrid-demo-zone3 \
    --ignore-not-found -o jsonpath="$fields" 2>/dev/null || true)
  sleep 0.2
done

step "after: $member's nodes, and what gridfed put there for zone3"
in_member get node -L site,zone
in_member get deploy,cm -l app.kubernetes.io/managed-by=gridfed,gridfed.io/nodeunit=zone3 -L gridfed.io/nodeunit
echo
in_member get deploy mall-zone3 -o jsonpath='mall-zone3 pods: envFrom {.spec.template.spec.containers[0].envFrom[0].configMapRef.name}, volume {.spec.template.spec.volumes[0].configMap.name}, {.spec.template.metadata.annotations.gridfed\.io/site-config-hash}{"\n"}'

# The hub writes the NodeUnit's status from every member's facts a moment after labelling.
until [ "$("$kubectl" --kubeconfig "$control" get nodeunit zone3 -o jsonpath='{.status.readynodes[*]}')" = "$member/$node" ]; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "NodeUnit zone3's status does not list $member/$node as ready after ${timeout_seconds} s" >&2
    exit 1
  fi
  sleep 0.2
done
printf '  %6s s  %s\n' "$(elapsed)" "NodeUnit zone3's status (control cluster): ready node $member/$node"

step "aggregated status: gridfed nodeunits, and grid mall per NodeUnit (from the hub)"
gridfed nodeunits
echo
gridfed status dg mall -n default --hub "http://127.0.0.1:$port"
