# Sourced by the bench scripts: a private redis-server on a free loopback port, no persistence.
#   start_redis DIR   starts it with its files in DIR; sets redis_pid and exports REDIS_URL
#   stop_redis        stops it (TERM, then KILL after 5 s); safe to call twice
#   redis_session NAME  start_redis in a new temp dir warren-bench-NAME.XXXXXX, with traps that
#                       stop it and remove the dir on exit (for scripts with nothing else to clean)
redis_pid=""

start_redis() {
  local dir=$1 port ok
  local server="${REDIS_SERVER:-$(command -v redis-server || true)}"
  if [ -z "$server" ]; then
    echo "redis-server not found (apt-get install -y redis-server)" >&2
    return 2
  fi
  for _ in 1 2 3 4 5; do  # retry when another process takes the port first
    port="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close();})")"
    "$server" --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" \
      --logfile "$dir/redis.log" --daemonize no &
    redis_pid=$!
    ok=""
    for _ in $(seq 1 50); do
      kill -0 "$redis_pid" 2>/dev/null || break
      if [ "$(redis-cli -p "$port" PING 2>/dev/null)" = PONG ]; then ok=1; break; fi
      sleep 0.1
    done
    [ -n "$ok" ] && break
    kill -KILL "$redis_pid" 2>/dev/null || true
    redis_pid=""
  done
  if [ -z "$redis_pid" ]; then
    echo "could not start redis-server" >&2
    return 2
  fi
  export REDIS_URL="redis://127.0.0.1:$port"
}

stop_redis() {
  if [ -n "$redis_pid" ] && kill -0 "$redis_pid" 2>/dev/null; then
    kill -TERM "$redis_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$redis_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$redis_pid" 2>/dev/null || true
  fi
  redis_pid=""
}

redis_session() {
  redis_tmp="$(mktemp -d "${TMPDIR:-/tmp}/warren-bench-$1.XXXXXX")" || return 2
  trap 'stop_redis; rm -rf "$redis_tmp"' EXIT
  trap 'exit 130' INT TERM HUP
  start_redis "$redis_tmp"
}
