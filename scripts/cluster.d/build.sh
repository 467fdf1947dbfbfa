# Builds the pinned Kubernetes components, etcd, helm and CoreDNS from the Go module proxy into a
# cache keyed by version. Sourced by scripts/cluster; expects versions.sh already sourced.

_k8s_build_module() {
  # A throwaway module that requires k8s.io/kubernetes and points every staging module
  # (required there at v0.0.0) at its published v0.<minor>.<patch> tag.
  local dir=$1 staging="v0.${K8S_VERSION#v1.}"
  mkdir -p "$dir"
  cat >"$dir/go.mod" <<MOD
module kube-mcp.local/clusterbuild

go 1.24.0

require k8s.io/kubernetes ${K8S_VERSION}
MOD
  local modfile
  modfile=$(cd "$dir" && go mod download -json "k8s.io/kubernetes@${K8S_VERSION}" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  cp "$modfile" "$dir/kubernetes.mod"
  sed -n '/^replace (/,/^)/p' "$modfile" | grep -oE 'k8s\.io/[a-z0-9-]+ =>' | awk '{print $1}' |
    while read -r m; do echo "replace $m => $m ${staging}"; done >>"$dir/go.mod"
  mkdir -p "$dir/etcd"
  cat >"$dir/etcd/main.go" <<'GO'
// etcd built from the same module graph as Kubernetes, so its version is the one Kubernetes pins.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
}

build_kubernetes() {
  [ -x "$K8S_BIN/kubectl" ] && [ -x "$K8S_BIN/etcd" ] && return 0
  local work="${CACHE_ROOT}/build-k8s-${K8S_VERSION}" minor="${K8S_VERSION#v1.}"
  minor="${minor%%.*}"
  log "building Kubernetes ${K8S_VERSION} and etcd from the Go module proxy (first time only: about 5 min on 2 cores with a warm Go build cache, longer without)"
  _k8s_build_module "$work"
  # Every package pinned to its version: a bare `go get pkg` would upgrade to the newest release.
  local etcd_version c pkgs
  etcd_version=$(sed -n 's#^[[:space:]]*go.etcd.io/etcd/server/v3 \(v[0-9.]*\).*#\1#p' "$work/kubernetes.mod")
  pkgs="go.etcd.io/etcd/server/v3/etcdmain@${etcd_version}"
  for c in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl; do
    pkgs="$pkgs k8s.io/kubernetes/cmd/$c@${K8S_VERSION}"
  done
  # `go get` of the packages themselves records every requirement they need in go.mod/go.sum.
  (cd "$work" && go get $pkgs) || die "resolving Kubernetes modules failed"
  local ld="-s -w"
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld="$ld -X $p.gitVersion=${K8S_VERSION} -X $p.gitMajor=1 -X $p.gitMinor=${minor} -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
  done
  mkdir -p "$K8S_BIN.partial"
  for c in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl; do
    log "  go build $c"
    (cd "$work" && go build -trimpath -ldflags "$ld" -o "$K8S_BIN.partial/$c" "k8s.io/kubernetes/cmd/$c") || die "building $c failed"
  done
  log "  go build etcd"
  (cd "$work" && go build -trimpath -ldflags "-s -w" -o "$K8S_BIN.partial/etcd" ./etcd) || die "building etcd failed"
  rm -rf "$K8S_BIN" && mv "$K8S_BIN.partial" "$K8S_BIN"
}

build_tools() {
  [ -x "$TOOLS_BIN/helm" ] && [ -x "$TOOLS_BIN/coredns" ] && return 0
  log "building helm ${HELM_VERSION} and CoreDNS ${COREDNS_VERSION} from the Go module proxy"
  mkdir -p "$TOOLS_BIN.partial"
  # The same -X flags as helm's Makefile: without the k8sVersion ones `helm template` and `helm lint`
  # assume Kubernetes 1.20 and refuse charts that declare a newer kubeVersion.
  local hx="-s -w -X helm.sh/helm/v3/internal/version.version=${HELM_VERSION}" p
  for p in pkg/lint/rules pkg/chartutil; do
    hx="$hx -X helm.sh/helm/v3/$p.k8sVersionMajor=1 -X helm.sh/helm/v3/$p.k8sVersionMinor=34"
  done
  GOBIN="$TOOLS_BIN.partial" go install -trimpath -ldflags "$hx" \
    "helm.sh/helm/v3/cmd/helm@${HELM_VERSION}" || die "building helm failed"
  GOBIN="$TOOLS_BIN.partial" go install -trimpath -ldflags "-s -w" \
    "github.com/coredns/coredns@${COREDNS_VERSION}" || die "building coredns failed"
  rm -rf "$TOOLS_BIN" && mv "$TOOLS_BIN.partial" "$TOOLS_BIN"
}
