# Debian packages the cluster needs. Installed once; skipped when already present.

DEB_PACKAGES="docker.io containerd runc containernetworking-plugins debootstrap iptables conntrack
socat iproute2 ethtool openssl curl util-linux gcc libc6-dev python3"

install_deps() {
  local missing="" p
  for p in $DEB_PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
  done
  [ -z "$missing" ] && return 0
  log "installing Debian packages:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >"$LOG_DIR/apt.log" 2>&1 || { tail -n 20 "$LOG_DIR/apt.log" >&2; die "apt-get update failed (log: $LOG_DIR/apt.log)"; }
  # --no-install-recommends keeps docker.io from pulling in extras; the Debian package's own
  # service start is harmless here (no systemd), we start daemons by hand.
  apt-get install -y -qq --no-install-recommends $missing >>"$LOG_DIR/apt.log" 2>&1 ||
    { tail -n 20 "$LOG_DIR/apt.log" >&2; die "apt-get install failed (log: $LOG_DIR/apt.log)"; }
}

need_go() {
  command -v go >/dev/null || [ -x /usr/local/go/bin/go ] || die "Go (>= 1.24) is needed to build Kubernetes; Debian's 1.19 is too old"
  command -v go >/dev/null || export PATH="/usr/local/go/bin:$PATH"
}
