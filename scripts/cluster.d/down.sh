# Teardown: every process `up` started (by pid file), pod containers, mounts, network changes,
# and the state dir (logs/ is kept for post-mortems). Safe to run twice or on a half-started cluster.

ctr_k8s() { ctr --address "$CONTAINERD_SOCK" "$@"; }

remove_containers() {
  # kubelet is already stopped, so nothing recreates them; kill tasks then delete containers.
  # Only while our containerd runs: ctr spends ~10 s before giving up on a missing socket.
  pid_of containerd >/dev/null && ctr_k8s version >/dev/null 2>&1 || return 0
  local ns id
  for ns in k8s.io moby; do
    for id in $(ctr_k8s -n "$ns" tasks ls -q 2>/dev/null); do
      ctr_k8s -n "$ns" tasks kill -s SIGKILL "$id" >/dev/null 2>&1 || true
    done
    for id in $(ctr_k8s -n "$ns" tasks ls -q 2>/dev/null); do
      ctr_k8s -n "$ns" tasks delete -f "$id" >/dev/null 2>&1 || true
    done
    for id in $(ctr_k8s -n "$ns" containers ls -q 2>/dev/null); do
      ctr_k8s -n "$ns" containers delete "$id" >/dev/null 2>&1 || true
    done
  done
}

kill_orphan_shims() {
  # Shims spawned by our containerd outlive it; match them by the socket they were told to use.
  local pid
  for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $CONTAINERD_SOCK" 2>/dev/null || true); do
    kill -KILL "$pid" 2>/dev/null || true
  done
}

unmount_leftovers() {
  # Deepest first, so nested mounts (pod volumes, rootfs, netns, shm) come off cleanly.
  awk '{print $2}' /proc/mounts | grep -E "^($STATE_DIR|/run/containerd|/run/netns/cni-|/var/run/netns/cni-)" |
    sort -r | while read -r m; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done || true
}

purge_iptables() {
  # purge_iptables REGEX: delete rules matching REGEX from every chain, then chains named by it.
  local regex=$1 tool table chain
  for tool in iptables ip6tables; do
    for table in filter nat mangle raw; do
      "$tool" -t "$table" -S 2>/dev/null | grep -E -- "^-A .*($regex)" | sed 's/^-A /-D /' |
        while read -r rule; do eval "$tool -t $table $rule" 2>/dev/null || true; done || true
      for chain in $("$tool" -t "$table" -S 2>/dev/null | awk '$1=="-N"{print $2}' | grep -E "^($regex)" || true); do
        "$tool" -t "$table" -F "$chain" 2>/dev/null; "$tool" -t "$table" -X "$chain" 2>/dev/null || true
      done
    done
  done
}

network_down() {
  local ns key
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep '^cni-'); do ip netns delete "$ns" 2>/dev/null || true; done
  ip link delete "$CNI_BRIDGE" 2>/dev/null || true
  ip link delete "$SERVICE_SINK" 2>/dev/null || true # takes the service-range route with it
  rm -rf "/var/lib/cni/networks/$CNI_NETWORK" "/var/lib/cni/results/$CNI_NETWORK"-* "$CNI_CONF"
  purge_iptables 'KUBE-|kube-mcp-no-egress'
  for key in $(ls "$RUN_DIR" 2>/dev/null | sed -n 's/^sysctl\.//p'); do
    cat "$RUN_DIR/sysctl.$key" >"/proc/sys/${key//.//}" 2>/dev/null || true
  done
}

docker_network_down() {
  # Only for a dockerd we started: its bridge and chains would otherwise outlive it.
  ip link delete docker0 2>/dev/null || true
  purge_iptables 'DOCKER|docker0'
}

cluster_down() {
  local c ours_docker=no
  [ -f "$RUN_DIR/dockerd.pid" ] && ours_docker=yes
  for c in coredns kube-proxy kubelet; do stop_daemon "$c"; done
  remove_containers
  for c in kube-scheduler kube-controller-manager kube-apiserver etcd dockerd; do stop_daemon "$c"; done
  remove_containers # whatever dockerd left in the moby namespace
  stop_daemon containerd
  kill_orphan_shims
  unmount_leftovers
  network_down
  [ "$ours_docker" = yes ] && docker_network_down
  # Keep logs/ for post-mortems; everything else (etcd, pki, images, kubelet dir) goes.
  [ -d "$STATE_DIR" ] && find "$STATE_DIR" -mindepth 1 -maxdepth 1 ! -name logs -exec rm -rf {} +
  return 0
}
