#!/usr/bin/env bash
# Starts a local 3-master Redis Cluster (no replicas, no persistence) in a temporary folder, with the same redis-server
# and redis-cli commands as the test fixture (BlazorRedis.Tests/Infrastructure/RedisClusterFixture.cs), and prints the
# REDIS_URL that names its nodes. Meant to be sourced by run.sh --cluster; on its own:
#   scripts/redis-cluster.sh [base-port]     # nodes on base, base+1, base+2 (default 7000); Ctrl+C stops them
set -euo pipefail

# start_redis_cluster BASE: sets REDIS_CLUSTER_DIR, REDIS_CLUSTER_PIDS and REDIS_URL; stop with stop_redis_cluster.
start_redis_cluster() {
  local base=$1 port i
  REDIS_CLUSTER_DIR=$(mktemp -d -t blazorredis-cluster-XXXXXX)
  REDIS_CLUSTER_PIDS=()
  local nodes=()
  for i in 0 1 2; do
    port=$((base + i))
    if redis-cli -p "$port" ping >/dev/null 2>&1; then
      echo "Port $port is taken; choose another base port (REDIS_CLUSTER_PORT=7100 ./run.sh --cluster)." >&2
      stop_redis_cluster
      return 1
    fi
    mkdir -p "$REDIS_CLUSTER_DIR/$port"
    # The cluster bus gets a port of its own (port + 10000 by default, here said explicitly as the fixture does).
    redis-server --port "$port" --bind 127.0.0.1 --protected-mode yes --daemonize no \
      --dir "$REDIS_CLUSTER_DIR/$port" --logfile redis.log --save "" --appendonly no \
      --cluster-enabled yes --cluster-config-file nodes.conf --cluster-port $((port + 10000)) --cluster-node-timeout 5000 &
    REDIS_CLUSTER_PIDS+=($!)
    nodes+=("127.0.0.1:$port")
  done
  for i in 0 1 2; do
    port=$((base + i))
    for _ in $(seq 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  done
  redis-cli --cluster create "${nodes[@]}" --cluster-yes >"$REDIS_CLUSTER_DIR/create.log" 2>&1 ||
    { cat "$REDIS_CLUSTER_DIR/create.log" >&2; stop_redis_cluster; return 1; }
  for i in 0 1 2; do
    port=$((base + i))
    for _ in $(seq 300); do redis-cli -p "$port" cluster info 2>/dev/null | grep -q '^cluster_state:ok' && break; sleep 0.1; done
    redis-cli -p "$port" cluster info | grep -q '^cluster_state:ok' ||
      { echo "Cluster node $port never reached cluster_state:ok" >&2; stop_redis_cluster; return 1; }
  done
  REDIS_URL="redis://$(IFS=,; echo "${nodes[*]}")"
  export REDIS_URL
  echo "Redis Cluster: 3 masters on ${nodes[*]} (folder $REDIS_CLUSTER_DIR)"
}

stop_redis_cluster() {
  if [ ${#REDIS_CLUSTER_PIDS[@]} -gt 0 ]; then
    kill "${REDIS_CLUSTER_PIDS[@]}" 2>/dev/null || true
    wait "${REDIS_CLUSTER_PIDS[@]}" 2>/dev/null || true
  fi
  REDIS_CLUSTER_PIDS=()
  [ -n "${REDIS_CLUSTER_DIR:-}" ] && rm -rf "$REDIS_CLUSTER_DIR"
  REDIS_CLUSTER_DIR=
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  REDIS_CLUSTER_PIDS=()
  trap stop_redis_cluster EXIT
  trap 'exit 130' INT TERM
  start_redis_cluster "${1:-7000}"
  echo "REDIS_URL=$REDIS_URL"
  echo "Press Ctrl+C to stop the cluster."
  wait
fi
