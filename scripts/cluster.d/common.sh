# Shared settings and helpers for scripts/cluster: paths, logging, daemon start/stop by pid file.

STATE_DIR="${KUBE_MCP_CLUSTER_DIR:-/var/lib/kube-mcp-cluster}"
PKI_DIR="$STATE_DIR/pki"
LOG_DIR="$STATE_DIR/logs"
RUN_DIR="$STATE_DIR/run"
CONF_DIR="$STATE_DIR/conf"
ADMIN_KUBECONFIG="$STATE_DIR/admin.kubeconfig"

# One node; its name is fixed so certs, tests and logs read the same on every machine.
NODE_NAME="${KUBE_MCP_NODE_NAME:-kube-mcp-node}"
SERVICE_CIDR="10.96.0.0/16"
API_SERVICE_IP="10.96.0.1"
DNS_SERVICE_IP="10.96.0.10"
CLUSTER_CIDR="10.244.0.0/16"
NODE_POD_CIDR="10.244.0.0/24"
CNI_BRIDGE="cni0"
CNI_CONF="/etc/cni/net.d/10-kube-mcp.conflist"
CNI_NETWORK="kube-mcp"
# A port-less bridge swallows service-range traffic that kube-proxy did not rewrite (see network_up).
SERVICE_SINK="kmcp-svc-sink"
CONTAINERD_SOCK="/run/containerd/containerd.sock"
PAUSE_IMAGE="localhost/kube-mcp/pause:3.10"
BASE_IMAGE="kube-mcp-base:bookworm"
API_PORT=6443

# The daemons scripts/cluster manages, in start order (down walks it backwards).
COMPONENTS="containerd dockerd etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy coredns"

export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

node_ip() {
  # The IPv4 address of the interface holding the default route (192.0.2.2 on our VMs).
  if [ -n "${KUBE_MCP_NODE_IP:-}" ]; then echo "$KUBE_MCP_NODE_IP"; return; fi
  local dev
  dev=$(ip -4 -o route show default | awk '{for (i=1;i<NF;i++) if ($i=="dev") print $(i+1)}' | head -1)
  ip -4 -o addr show dev "${dev:-eth0}" | awk '{split($4,a,"/"); print a[1]; exit}'
}

kctl() { "$K8S_BIN/kubectl" --kubeconfig "$ADMIN_KUBECONFIG" "$@"; }

pid_of() {
  # Prints the pid recorded for component $1 if that process is still the one we started.
  local f="$RUN_DIR/$1.pid" pid
  [ -f "$f" ] || return 1
  pid=$(cat "$f")
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  # A zombie (exited, not yet reaped by init) counts as gone.
  [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ] || return 1
  # Guard against pid reuse: the recorded binary name must appear in the process's argv[0].
  tr '\0' ' ' <"/proc/$pid/cmdline" | awk '{print $1}' | grep -q -- "$(cat "$f.bin")" || return 1
  echo "$pid"
}

start_daemon() {
  # start_daemon NAME BINARY ARGS...: runs detached (own session, no terminal, output to its log)
  # so it survives the calling shell and never holds a caller's stdout pipe open.
  local name=$1; shift
  mkdir -p "$LOG_DIR" "$RUN_DIR"
  : >"$LOG_DIR/$name.log"
  setsid "$@" </dev/null >>"$LOG_DIR/$name.log" 2>&1 &
  echo $! >"$RUN_DIR/$name.pid"
  basename "$1" >"$RUN_DIR/$name.pid.bin"
}

stop_daemon() {
  # TERM, up to 15 s grace, then KILL; the pid file goes either way.
  local name=$1 pid i
  if pid=$(pid_of "$name"); then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 150); do pid_of "$name" >/dev/null || break; sleep 0.1; done
    pid_of "$name" >/dev/null && kill -KILL "$pid" 2>/dev/null
    log "stopped $name (pid $pid)"
  fi
  rm -f "$RUN_DIR/$name.pid" "$RUN_DIR/$name.pid.bin"
}

fail_component() {
  # Names the component, its log, and the log's tail, then exits non-zero.
  local name=$1 why=$2 logf="$LOG_DIR/$1.log"
  log "ERROR: $name $why; log: $logf; last 20 lines:"
  tail -n 20 "$logf" >&2 2>/dev/null || true
  exit 1
}

wait_healthy() {
  # wait_healthy NAME SECONDS CHECK...: polls CHECK every 0.5 s until it succeeds; fails fast if
  # the process died, and with the log tail if the deadline passes.
  local name=$1 secs=$2; shift 2
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    pid_of "$name" >/dev/null || fail_component "$name" "exited during startup"
    [ $SECONDS -lt $deadline ] || fail_component "$name" "not healthy after ${secs}s"
    sleep 0.5
  done
  log "$name is up (pid $(pid_of "$name"))"
}

wait_for() {
  # wait_for WHAT SECONDS CHECK...: bounded poll for a cluster-level condition.
  local what=$1 secs=$2; shift 2
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "timed out after ${secs}s waiting for $what"
    sleep 0.5
  done
}

http_ok() { curl -fsS --max-time 2 "$@" -o /dev/null; }
