#!/usr/bin/env bash
# Builds the local control plane (etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, kubectl, kwok and its stages) from the pinned Go modules beside this script into a cache
# folder keyed by those pins and the Go version. A no-op when the binaries are there.
# Prints the cache folder on its last line of stdout.
#
# `build-kube-bin.sh previous` builds only the kube-apiserver of the Kubernetes minor
# version before the fleet's (pinned in kube-previous/), for a member cluster on another
# version than the control cluster (fault 7 of issue 13), into its own cache folder.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export GOTOOLCHAIN=local GOFLAGS=-mod=mod
variant=${1:-fleet}
case $variant in
  fleet) module="$here/kube" ;;
  previous) module="$here/kube-previous" ;;
  *) echo "usage: $0 [previous]" >&2; exit 2 ;;
esac

kube_version=$(awk '$1=="k8s.io/kubernetes" && NF>=2 {print $2; exit}' "$module/go.mod")
go_version=$(go env GOVERSION)
if [ "$variant" = previous ]; then
  key="k8s-${kube_version}_apiserver_${go_version}"
  binaries=(kube-apiserver)
else
  etcd_version=$(awk '$1=="go.etcd.io/etcd/server/v3" && NF>=2 {print $2; exit}' "$module/go.mod")
  kwok_version=$(awk '$1=="sigs.k8s.io/kwok" && NF>=2 {print $2; exit}' "$here/kwok/go.mod")
  key="k8s-${kube_version}_etcd-${etcd_version}_kwok-${kwok_version}_${go_version}"
  binaries=(etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok)
fi
cache_root=${GRIDFED_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gridfed}
out="$cache_root/kube-bin/$key"

have_all() {
  for b in "${binaries[@]}"; do [ -x "$out/$b" ] || return 1; done
  [ "$variant" = previous ] || [ -s "$out/kwok-stages.yaml" ]
}
if have_all; then
  echo "kube-bin: up to date ($key)" >&2
  echo "$out"
  exit 0
fi

start=$SECONDS
log() { printf '[kube-bin %4ds] %s\n' $((SECONDS - start)) "$*" >&2; }
mkdir -p "$out.tmp"

# go build is silent for many minutes on a cold cache: a ticker says it is alive.
ticker() { while sleep 30; do log "still building $1 ..."; done; }
build() { # name, module dir, package, extra ldflags
  local name=$1 dir=$2 pkg=$3 ldflags=${4:-}
  if [ -x "$out/$name" ]; then cp "$out/$name" "$out.tmp/$name"; return; fi
  log "building $name ($pkg)"
  ticker "$name" & local tick=$!
  (cd "$dir" && go build -trimpath -ldflags "-s -w $ldflags" -o "$out.tmp/$name" "$pkg") || { kill $tick; exit 1; }
  kill $tick 2>/dev/null || true
  log "built $name"
}

minor=${kube_version#v1.}; minor=${minor%%.*}
vflags=""
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  vflags+=" -X $p.gitVersion=$kube_version -X $p.gitMajor=1 -X $p.gitMinor=$minor"
  vflags+=" -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
done

log "cache: $out"
finish() {
  rm -rf "$out" && mv "$out.tmp" "$out"
  log "done in $((SECONDS - start))s"
  echo "$out"
}
if [ "$variant" = previous ]; then
  build kube-apiserver "$module" k8s.io/kubernetes/cmd/kube-apiserver "$vflags"
  finish
  exit 0
fi
build etcd "$module" go.etcd.io/etcd/server/v3
build kube-apiserver "$module" k8s.io/kubernetes/cmd/kube-apiserver "$vflags"
build kube-controller-manager "$module" k8s.io/kubernetes/cmd/kube-controller-manager "$vflags"
build kube-scheduler "$module" k8s.io/kubernetes/cmd/kube-scheduler "$vflags"
build kubectl "$module" k8s.io/kubernetes/cmd/kubectl "$vflags"
build kwok "$here/kwok" sigs.k8s.io/kwok/cmd/kwok

# kwok has no built-in stages; take the ones its module ships: nodes become Ready
# and keep their lease, pods become Running and Ready, complete, and go away.
kwok_dir=$(cd "$here/kwok" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)
stages=(node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml
  pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml)
for s in "${stages[@]}"; do echo "---"; cat "$kwok_dir/kustomize/stage/$s"; done > "$out.tmp/kwok-stages.yaml"
finish
