# Whole-cluster checks: which components run, node readiness, DNS through the kube-dns Service.

running_components() {
  local c
  for c in $COMPONENTS; do pid_of "$c" >/dev/null && echo "$c"; done
  return 0
}

cluster_running() {
  # Every component alive (dockerd may be someone else's) and the apiserver ready.
  local c
  for c in $COMPONENTS; do
    [ "$c" = dockerd ] && [ ! -f "$RUN_DIR/dockerd.pid" ] && continue
    pid_of "$c" >/dev/null || return 1
  done
  kctl get --raw /readyz >/dev/null 2>&1
}

node_ready_status() {
  kctl get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null
}

node_ready() { [ "$(node_ready_status)" = True ]; }

dns_resolves() {
  # dns_resolves NAME SERVER: one A query over UDP; success when the answer section is non-empty.
  /usr/bin/python3 - "$1" "$2" <<'PY'
import socket, struct, sys
name, server = sys.argv[1], sys.argv[2]
q = struct.pack(">HHHHHH", 0x4b4d, 0x0100, 1, 0, 0, 0)
q += b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0" + struct.pack(">HH", 1, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
s.sendto(q, (server, 53))
r = s.recv(4096)
sys.exit(0 if (r[3] & 0x0F) == 0 and struct.unpack(">H", r[6:8])[0] > 0 else 1)
PY
}

wait_cluster_ready() {
  wait_for "node $NODE_NAME to be Ready (log: $LOG_DIR/kubelet.log)" 120 node_ready
  wait_for "the default ServiceAccount" 60 kctl -n default get serviceaccount default
  wait_for "DNS via $DNS_SERVICE_IP (logs: $LOG_DIR/coredns.log, kube-proxy.log)" 60 \
    dns_resolves kubernetes.default.svc.cluster.local "$DNS_SERVICE_IP"
  log "node Ready, default ServiceAccount present, DNS answers"
}
