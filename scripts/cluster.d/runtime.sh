# Host networking, containerd (the CRI runtime) and the Docker engine.

set_sysctl() {
  # Remembers the first value it overwrites so down can put it back.
  local key=$1 val=$2 path="/proc/sys/${1//.//}" saved="$RUN_DIR/sysctl.$1"
  [ -f "$path" ] || return 0
  [ -f "$saved" ] || cat "$path" >"$saved"
  echo "$val" >"$path"
}

network_up() {
  modprobe br_netfilter 2>/dev/null || true # may be built in; the sysctl below is the real test
  modprobe overlay 2>/dev/null || true
  set_sysctl net.ipv4.ip_forward 1
  set_sysctl net.bridge.bridge-nf-call-iptables 1
  [ -f /proc/sys/net/bridge/bridge-nf-call-iptables ] || die "br_netfilter is missing: kube-proxy cannot see bridged pod traffic"
  # Service IPs that kube-proxy did not DNAT must never leave via eth0. A route to a dummy link
  # (it discards everything; this kernel has no dummy links) does that while still letting host processes reach ClusterIPs:
  # an `unreachable` route would fail their route lookup before kube-proxy's OUTPUT DNAT runs.
  ip link show "$SERVICE_SINK" >/dev/null 2>&1 || ip link add "$SERVICE_SINK" type bridge
  ip link set "$SERVICE_SINK" up
  ip route replace "$SERVICE_CIDR" dev "$SERVICE_SINK"
  # Pods talk to each other and to this host only: nothing they send is forwarded off the machine.
  iptables -C FORWARD -i "$CNI_BRIDGE" ! -o "$CNI_BRIDGE" -j REJECT -m comment --comment kube-mcp-no-egress 2>/dev/null ||
    iptables -I FORWARD -i "$CNI_BRIDGE" ! -o "$CNI_BRIDGE" -j REJECT -m comment --comment kube-mcp-no-egress
  write_cni_conf
}

write_cni_conf() {
  # bridge + host-local for this node's /24; hairpin lets a pod reach itself via its Service.
  # No ipMasq: pods never need to leave the machine. containerd adds loopback itself.
  mkdir -p "$(dirname "$CNI_CONF")"
  cat >"$CNI_CONF" <<JSON
{
  "cniVersion": "1.0.0",
  "name": "$CNI_NETWORK",
  "plugins": [
    {"type": "bridge", "bridge": "$CNI_BRIDGE", "isGateway": true, "ipMasq": false, "hairpinMode": true,
     "ipam": {"type": "host-local", "ranges": [[{"subnet": "$NODE_POD_CIDR"}]], "routes": [{"dst": "0.0.0.0/0"}]}},
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
JSON
}

containerd_config() {
  # Our own config (not /etc/containerd): image store in the state dir, so down leaves nothing.
  # restrict_oom_score_adj: these VMs drop CAP_SYS_RESOURCE, so runc cannot give the sandbox its
  # usual oom_score_adj of -998 ("failed to update /proc/self/oom_score_adj: Permission denied");
  # clamp pod scores to containerd's own instead.
  cat >"$CONF_DIR/containerd.toml" <<TOML
version = 2
root = "$STATE_DIR/containerd"
state = "/run/containerd"
[grpc]
  address = "$CONTAINERD_SOCK"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$(dirname "$CNI_CONF")"
    max_conf_num = 1
TOML
}

start_containerd() {
  [ -S "$CONTAINERD_SOCK" ] && ! pid_of containerd >/dev/null && ctr version >/dev/null 2>&1 &&
    die "a containerd not started by scripts/cluster already serves $CONTAINERD_SOCK; stop it first"
  containerd_config
  start_daemon containerd containerd --config "$CONF_DIR/containerd.toml"
  wait_healthy containerd 30 ctr --address "$CONTAINERD_SOCK" version
}

start_dockerd() {
  # Reuse a Docker engine that is already running; otherwise run one on our containerd.
  if docker version >/dev/null 2>&1 && ! pid_of dockerd >/dev/null; then
    log "using the Docker engine already running"; return 0
  fi
  start_daemon dockerd dockerd --containerd="$CONTAINERD_SOCK" --pidfile="$RUN_DIR/dockerd.own.pid"
  wait_healthy dockerd 60 docker version
}
