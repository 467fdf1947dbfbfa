# Images made on this machine (nothing is ever pulled): the pod sandbox (pause) image, the Debian
# base image for our Dockerfile, and copying Docker images into containerd for pods.

BASE_ROOTFS_REV=1 # bump when the debootstrap recipe below changes
BASE_ROOTFS_TAR="$CACHE_ROOT/base-bookworm-$BASE_ROOTFS_REV.tar"

build_pause_binary() {
  # The upstream pause.c from the Kubernetes module we built from, linked statically.
  local out="$CACHE_ROOT/pause-$K8S_VERSION/pause" src
  [ -x "$out" ] && { echo "$out"; return 0; }
  src="$(go env GOMODCACHE)/k8s.io/kubernetes@$K8S_VERSION/build/pause/linux/pause.c"
  [ -f "$src" ] || die "pause.c not found at $src (is the Kubernetes build done?)"
  mkdir -p "$(dirname "$out")"
  gcc -Os -static -Wall -o "$out.tmp" "$src" -DVERSION=3.10 >&2 || die "compiling pause.c failed"
  strip "$out.tmp" && mv "$out.tmp" "$out"
  echo "$out"
}

import_pause_image() {
  local bin dir
  bin=$(build_pause_binary) || exit 1
  if ! docker image inspect "$PAUSE_IMAGE" >/dev/null 2>&1; then
    dir=$(mktemp -d)
    cp "$bin" "$dir/pause"
    tar -C "$dir" -c pause | docker import --change 'ENTRYPOINT ["/pause"]' - "$PAUSE_IMAGE" >/dev/null ||
      die "docker import of the pause image failed"
    rm -rf "$dir"
  fi
  load_image "$PAUSE_IMAGE"
}

debian_mirror() {
  # The mirror apt already uses (deb822 `URIs:` or one-line `deb URL suite`), minus security.
  # Some of these files usually do not exist; `|| true` keeps pipefail from aborting on that.
  { cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null || true; } |
    grep -oE '(^URIs:[[:space:]]*|^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?)[a-z]+://[^[:space:]]+/debian/?([[:space:]]|$)' |
    grep -oE '[a-z]+://[^[:space:]]+' | sed -n 1p || true
}

build_base_rootfs() {
  # A minimal bookworm with python3 and the machine's CA bundle, so pip works in `docker build`.
  [ -f "$BASE_ROOTFS_TAR" ] && return 0
  local mirror dir
  mirror=$(debian_mirror)
  [ -n "$mirror" ] || die "no Debian mirror found in /etc/apt/sources.list*"
  dir=$(mktemp -d /tmp/kube-mcp-base.XXXXXX)
  log "debootstrap bookworm from $mirror (first time only, ~1-2 min; log: $LOG_DIR/debootstrap.log)"
  debootstrap --variant=minbase --include=python3,python3-venv,python3-pip,ca-certificates \
    bookworm "$dir" "$mirror" >"$LOG_DIR/debootstrap.log" 2>&1 ||
    { tail -n 20 "$LOG_DIR/debootstrap.log" >&2; rm -rf "$dir"; die "debootstrap failed (log: $LOG_DIR/debootstrap.log)"; }
  cp /etc/ssl/certs/ca-certificates.crt "$dir/etc/ssl/certs/ca-certificates.crt"
  # pip inside a venv uses its own certifi bundle unless told otherwise.
  printf '[global]\ncert = /etc/ssl/certs/ca-certificates.crt\n' >"$dir/etc/pip.conf"
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
  mkdir -p "$CACHE_ROOT"
  tar -C "$dir" --numeric-owner -cf "$BASE_ROOTFS_TAR.tmp" . && mv "$BASE_ROOTFS_TAR.tmp" "$BASE_ROOTFS_TAR"
  rm -rf "$dir"
}

build_base_image() {
  docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 && return 0
  build_base_rootfs
  docker import --change 'ENV LANG=C.UTF-8' --change 'CMD ["/bin/bash"]' "$BASE_ROOTFS_TAR" "$BASE_IMAGE" >/dev/null ||
    die "docker import of $BASE_IMAGE failed"
  log "built local base image $BASE_IMAGE"
}

load_image() {
  # Copies a Docker engine image into containerd's k8s.io namespace (pods: imagePullPolicy Never/IfNotPresent).
  local image=$1
  docker image inspect "$image" >/dev/null 2>&1 || die "image $image is not in the Docker engine"
  [ -S "$CONTAINERD_SOCK" ] && ctr --address "$CONTAINERD_SOCK" version >/dev/null 2>&1 || die "containerd is not running (scripts/cluster up)"
  docker save "$image" | ctr --address "$CONTAINERD_SOCK" -n k8s.io images import - >/dev/null ||
    die "importing $image into containerd failed"
}
