# Pinned versions of everything scripts/cluster builds or installs. Changing one changes the
# cache key, so a cache built for another version is never reused.
#
# Kubernetes 1.34: the newest minor whose kubelet still runs on cgroup v1 without an opt-out
# (1.35 refuses v1 unless failCgroupV1=false) and that speaks CRI v1, which Debian 12's
# containerd 1.6 serves. Its go.mod pins etcd 3.6.4, which we build from the same module graph.
K8S_VERSION="v1.34.4"
HELM_VERSION="v3.19.0"
COREDNS_VERSION="v1.12.4"
HELM_UNITTEST_VERSION="v1.0.3"
CACHE_ROOT="${KUBE_MCP_CACHE:-${HOME}/.cache/kube-mcp}"
K8S_BIN="${CACHE_ROOT}/k8s-${K8S_VERSION}/bin"
# TOOLS_REV changes when the build flags of these tools change (r2: helm knows Kubernetes 1.34).
TOOLS_REV=2
TOOLS_BIN="${CACHE_ROOT}/tools-helm-${HELM_VERSION}-coredns-${COREDNS_VERSION}-r${TOOLS_REV}/bin"
