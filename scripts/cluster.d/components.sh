# The control plane, the node agents and cluster DNS, each a host process with its log in logs/.

start_etcd() {
  # Plain HTTP on loopback only: etcd is reachable from this machine alone, like kubeadm's.
  start_daemon etcd "$K8S_BIN/etcd" --name kube-mcp --data-dir "$STATE_DIR/etcd" \
    --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster kube-mcp=http://127.0.0.1:2380 --listen-metrics-urls http://127.0.0.1:2381
  wait_healthy etcd 60 http_ok http://127.0.0.1:2381/health
}

start_apiserver() {
  # Compaction every 30 s instead of 5 min: a fresh test cluster then expires old continue tokens
  # within a minute, as a long-lived cluster does, so the 410 path is tested for real.
  local ip=$1 p=$PKI_DIR issuer="https://kubernetes.default.svc.cluster.local"
  start_daemon kube-apiserver "$K8S_BIN/kube-apiserver" --advertise-address "$ip" --secure-port "$API_PORT" \
    --etcd-servers http://127.0.0.1:2379 --service-cluster-ip-range "$SERVICE_CIDR" \
    --tls-cert-file "$p/apiserver.crt" --tls-private-key-file "$p/apiserver.key" --client-ca-file "$p/ca.crt" \
    --kubelet-client-certificate "$p/apiserver-kubelet-client.crt" --kubelet-client-key "$p/apiserver-kubelet-client.key" \
    --kubelet-certificate-authority "$p/ca.crt" --kubelet-preferred-address-types InternalIP \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction --allow-privileged=true \
    --service-account-issuer "$issuer" --api-audiences "$issuer" \
    --service-account-key-file "$p/sa.pub" --service-account-signing-key-file "$p/sa.key" \
    --profiling=false --etcd-compaction-interval 30s
  wait_healthy kube-apiserver 90 kctl get --raw /readyz
}

start_controller_manager() {
  local kc="$STATE_DIR/controller-manager.kubeconfig"
  # Per-controller ServiceAccount credentials + root CA + SA private key: tokens and the
  # kube-root-ca.crt ConfigMap in every namespace. CIDR allocation is off: CNI has a fixed /24.
  start_daemon kube-controller-manager "$K8S_BIN/kube-controller-manager" --kubeconfig "$kc" \
    --authentication-kubeconfig "$kc" --authorization-kubeconfig "$kc" --bind-address 127.0.0.1 \
    --controllers '*' --use-service-account-credentials=true --root-ca-file "$PKI_DIR/ca.crt" \
    --service-account-private-key-file "$PKI_DIR/sa.key" --service-cluster-ip-range "$SERVICE_CIDR" \
    --cluster-signing-cert-file "$PKI_DIR/ca.crt" --cluster-signing-key-file "$PKI_DIR/ca.key" \
    --allocate-node-cidrs=false --leader-elect=false --profiling=false
  wait_healthy kube-controller-manager 60 http_ok -k https://127.0.0.1:10257/healthz
}

start_scheduler() {
  local kc="$STATE_DIR/scheduler.kubeconfig"
  start_daemon kube-scheduler "$K8S_BIN/kube-scheduler" --kubeconfig "$kc" --authentication-kubeconfig "$kc" \
    --authorization-kubeconfig "$kc" --bind-address 127.0.0.1 --leader-elect=false --profiling=false
  wait_healthy kube-scheduler 60 http_ok -k https://127.0.0.1:10259/healthz
}

kubelet_config() {
  # Webhook authn/authz: the apiserver (system:masters client cert) may use logs/exec/port-forward.
  # Image GC effectively off: pods run images loaded by hand that could never be pulled again.
  cat >"$CONF_DIR/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: "$PKI_DIR/ca.crt"}
authorization: {mode: Webhook}
cgroupDriver: cgroupfs
containerRuntimeEndpoint: "unix://$CONTAINERD_SOCK"
clusterDNS: ["$DNS_SERVICE_IP"]
clusterDomain: cluster.local
failSwapOn: false
tlsCertFile: "$PKI_DIR/kubelet-serving.crt"
tlsPrivateKeyFile: "$PKI_DIR/kubelet-serving.key"
healthzBindAddress: 127.0.0.1
healthzPort: 10248
readOnlyPort: 0
resolvConf: /etc/resolv.conf
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
serializeImagePulls: false
YAML
}

start_kubelet() {
  local ip=$1
  kubelet_config
  start_daemon kubelet "$K8S_BIN/kubelet" --config "$CONF_DIR/kubelet.yaml" \
    --kubeconfig "$STATE_DIR/kubelet.kubeconfig" --root-dir "$STATE_DIR/kubelet" \
    --hostname-override "$NODE_NAME" --node-ip "$ip"
  wait_healthy kubelet 60 http_ok http://127.0.0.1:10248/healthz
}

start_kube_proxy() {
  # conntrack maxPerCore 0: leave the host's conntrack sysctls alone. NodePorts on the node IP only.
  cat >"$CONF_DIR/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: "$STATE_DIR/kube-proxy.kubeconfig"}
mode: iptables
clusterCIDR: "$CLUSTER_CIDR"
hostnameOverride: "$NODE_NAME"
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
conntrack: {maxPerCore: 0}
nodePortAddresses: [primary]
YAML
  start_daemon kube-proxy "$K8S_BIN/kube-proxy" --config "$CONF_DIR/kube-proxy.yaml"
  # /healthz answers 503 until the first sync; any HTTP answer means the process is serving.
  wait_healthy kube-proxy 60 curl -sS --max-time 2 -o /dev/null http://127.0.0.1:10256/healthz
}

start_coredns() {
  # A host process bound to the node IP; the kube-dns Service (10.96.0.10) points at it through a
  # hand-made EndpointSlice. No `forward`: names outside the cluster are never sent anywhere.
  local ip=$1
  cat >"$CONF_DIR/Corefile" <<COREFILE
.:53 {
    bind $ip
    errors
    health 127.0.0.1:10054
    ready 127.0.0.1:10055
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        kubeconfig $STATE_DIR/coredns.kubeconfig kube-mcp
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
    }
    cache 30
    loadbalance
}
COREFILE
  start_daemon coredns "$TOOLS_BIN/coredns" -conf "$CONF_DIR/Corefile"
  wait_healthy coredns 60 http_ok http://127.0.0.1:10055/ready
}

apply_cluster_addons() {
  # RBAC for CoreDNS and the kube-dns Service with its manually managed EndpointSlice.
  local ip=$1
  kctl apply -f - >/dev/null <<YAML || die "applying the DNS Service and RBAC failed"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "kube-mcp:coredns"}
rules:
- apiGroups: [""]
  resources: [endpoints, services, pods, namespaces]
  verbs: [list, watch]
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "kube-mcp:coredns"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "kube-mcp:coredns"}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: User, name: "kube-mcp:coredns"}
---
apiVersion: v1
kind: Service
metadata:
  name: kube-dns
  namespace: kube-system
  labels: {k8s-app: kube-dns, kubernetes.io/name: CoreDNS}
spec:
  clusterIP: $DNS_SERVICE_IP
  ports:
  - {name: dns, port: 53, protocol: UDP, targetPort: 53}
  - {name: dns-tcp, port: 53, protocol: TCP, targetPort: 53}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: kube-dns-host
  namespace: kube-system
  labels: {kubernetes.io/service-name: kube-dns, endpointslice.kubernetes.io/managed-by: kube-mcp}
addressType: IPv4
endpoints:
- addresses: ["$ip"]
  conditions: {ready: true}
  nodeName: $NODE_NAME
ports:
- {name: dns, port: 53, protocol: UDP}
- {name: dns-tcp, port: 53, protocol: TCP}
YAML
}
