# Shell functions scripts/redis.sh and scripts/redis-cluster.sh share (sourced; expects log()).

ensure_installed() {
  command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 && return
  log "redis-server or redis-cli not found: installing Debian's redis-server package"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { log "not root and no sudo: install redis-server yourself"; exit 1; }
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update >&2
  # redis-server depends on redis-tools (redis-cli, which creates the cluster).
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends redis-server >&2
  # The package starts the system service; ours run on their own ports, so leave that one alone.
  command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 ||
    { log "redis-server or redis-cli still missing after apt-get install"; exit 1; }
}

# The pid in <node dir>/redis.pid, only if that process is alive and is a redis-server.
running_pid() {
  local pidfile=$1/redis.pid pid
  [ -f "$pidfile" ] || return 1
  pid=$(cat "$pidfile" 2>/dev/null) || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  grep -q redis-server "/proc/$pid/cmdline" 2>/dev/null || [ "$(ps -o comm= -p "$pid" 2>/dev/null)" = redis-server ] || return 1
  echo "$pid"
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# A free port whose cluster bus port (port + 10000) is free too, and not among "$@".
free_port() {
  local port taken
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 20000))
    for taken in "$@"; do [ "$port" != "$taken" ] || continue 2; done
    port_in_use "$port" || port_in_use $((port + 10000)) || { echo "$port"; return; }
  done
  log "no free port found"
  exit 1
}

# Stops the redis-server of <dir> (SIGTERM, then wait; SIGKILL only if it will not go).
stop_server() {
  local sdir=$1 pid
  pid=$(running_pid "$sdir") || { rm -f "$sdir/redis.pid"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "redis-server $pid ignored SIGTERM for 10 s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$sdir/redis.pid"
}
