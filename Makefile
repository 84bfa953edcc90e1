# gridfed: every target installs what it needs first, so each works on a fresh machine.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

NODE_DEPS := node_modules/.installed
JEST := node --experimental-vm-modules node_modules/jest/bin/jest.js

.PHONY: help deps kube-bin kube-bin-previous build demo demo-down bench bench-members faults redis redis-down redis-cluster redis-cluster-down clusters clusters-down lint typecheck format test test-unit test-e2e clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(NODE_DEPS): package.json package-lock.json
	@# npm ci trips over optional platform packages missing from the lock (npm 11); install honours the lock without them.
	npm install --no-audit --no-fund --no-save
	@touch $@

deps: $(NODE_DEPS) ## install Node dependencies (npm ci)

kube-bin: ## build etcd, kube-apiserver, controller-manager, scheduler, kubectl, kwok (cached; no-op when built)
	@dir=$$(bash tools/local-cluster/build-kube-bin.sh) && mkdir -p .gridfed && ln -sfn "$$dir" .gridfed/bin

kube-bin-previous: ## build the kube-apiserver one Kubernetes minor before (a member on another version; cached)
	@bash tools/local-cluster/build-kube-bin.sh previous >/dev/null

build: deps ## compile the hub and the CLI to dist/
	npx tsc -p tsconfig.build.json

demo: deps kube-bin ## the hub end to end on local clusters, with the seed's example grids
	@bash scripts/demo.sh

demo-down: deps ## stop what `make demo` started
	@bash scripts/demo-down.sh

bench: build kube-bin ## fan-out, latencies and cost vs the physical floor (BENCH_GRIDS, BENCH_EDITS, BENCH_IDLE_SECONDS, BENCH_CONCURRENCY), then the cost per member (BENCH_MEMBER_COUNTS, default 1,5,20 here; BENCH_MEMBERS=0 skips it); results in bench/results/latest.md
	npx tsx bench/src/main.ts
	@if [ "$${BENCH_MEMBERS:-1}" != 0 ]; then \
	  BENCH_MEMBER_COUNTS=$${BENCH_MEMBER_COUNTS:-1,5,20} npx tsx bench/src/members/main.ts && npx tsx bench/src/combine/main.ts; \
	fi

bench-members: build kube-bin ## the hub's cost per member: light members (BENCH_MEMBER_COUNTS=1,5,10,20, BENCH_MEMBERS_GRIDS, BENCH_MEMBERS_IDLE_SECONDS); results in bench/results/members-latest.*
	npx tsx bench/src/members/main.ts

redis: ## start a local redis-server (.gridfed/redis); prints its URL
	@bash scripts/redis.sh up .gridfed/redis

redis-down: ## stop the redis-server that `make redis` started
	@bash scripts/redis.sh down .gridfed/redis

redis-cluster: ## start a local 3-master Redis Cluster (.gridfed/redis-cluster); prints its redis+cluster:// URL
	@bash scripts/redis-cluster.sh up .gridfed/redis-cluster

redis-cluster-down: ## stop the Redis Cluster that `make redis-cluster` started
	@bash scripts/redis-cluster.sh down .gridfed/redis-cluster

clusters: deps kube-bin ## start control, member-1, member-2 (kubeconfigs in .gridfed/clusters/<name>/kubeconfig)
	@npx tsx tools/local-cluster/src/cli.ts up

clusters-down: deps ## stop every cluster that `make clusters` started
	@npx tsx tools/local-cluster/src/cli.ts down

lint: deps ## ESLint and Prettier
	npx eslint .
	npx prettier --check .

typecheck: deps ## TypeScript, strict
	npx tsc -p tsconfig.json --noEmit

format: deps ## rewrite files in Prettier's style
	npx prettier --write .

test-unit: deps ## unit tests (no I/O)
	$(JEST) --selectProjects unit

test-e2e: deps kube-bin kube-bin-previous ## e2e tests on local clusters
	$(JEST) --selectProjects e2e e2e-redis-cluster

faults: deps kube-bin kube-bin-previous ## the fault suite with its long durations (FAULT_<NAME>_SECONDS), then its table
	FAULT_REDIS_DOWN_SECONDS=$${FAULT_REDIS_DOWN_SECONDS:-60} FAULT_REDIS_FULL_SECONDS=$${FAULT_REDIS_FULL_SECONDS:-60} \
		FAULT_HUB_KILLS_SECONDS=$${FAULT_HUB_KILLS_SECONDS:-60} FAULT_CONTROL_RESTART_SECONDS=$${FAULT_CONTROL_RESTART_SECONDS:-60} \
		FAULT_MEMBER_OFFLINE_SECONDS=$${FAULT_MEMBER_OFFLINE_SECONDS:-600} FAULT_SLOW_LINK_SECONDS=$${FAULT_SLOW_LINK_SECONDS:-60} \
		$(JEST) --selectProjects e2e -- test/faults
	npx tsx test/faults/print-table.ts

test: deps kube-bin kube-bin-previous typecheck lint ## the whole suite: static checks, unit and e2e tests
	$(JEST)

clean: clusters-down ## stop clusters and remove local state (the binary cache stays)
	rm -rf .gridfed dist coverage
