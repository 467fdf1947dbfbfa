# The cluster's own CA, serving and client certificates, ServiceAccount keys and kubeconfigs.
# Regenerated on every `up` (down wipes them) so each cluster is fresh.

_new_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

make_ca() {
  _new_key "$PKI_DIR/ca.key"
  openssl req -x509 -new -key "$PKI_DIR/ca.key" -sha256 -days 3650 -subj "/CN=kube-mcp-ca" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
    -out "$PKI_DIR/ca.crt" 2>/dev/null || die "creating the CA failed"
}

sign_cert() {
  # sign_cert NAME SUBJECT USAGE [SAN]: USAGE is serverAuth, clientAuth or both (comma list).
  local name=$1 subj=$2 usage=$3 san=${4:-} ext
  ext="basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=$usage"
  [ -n "$san" ] && ext="$ext
subjectAltName=$san"
  _new_key "$PKI_DIR/$name.key"
  openssl req -new -key "$PKI_DIR/$name.key" -subj "$subj" -out "$PKI_DIR/$name.csr" 2>/dev/null &&
    openssl x509 -req -in "$PKI_DIR/$name.csr" -CA "$PKI_DIR/ca.crt" -CAkey "$PKI_DIR/ca.key" \
      -CAcreateserial -sha256 -days 825 -extfile <(echo "$ext") -out "$PKI_DIR/$name.crt" 2>/dev/null ||
    die "signing the $name certificate failed"
  rm -f "$PKI_DIR/$name.csr"
}

make_pki() {
  local ip=$1
  mkdir -p "$PKI_DIR" && chmod 700 "$PKI_DIR"
  make_ca
  sign_cert apiserver "/CN=kube-apiserver" serverAuth \
    "IP:127.0.0.1,IP:$ip,IP:$API_SERVICE_IP,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost"
  # The apiserver's client identity towards kubelets (logs, exec, port-forward).
  sign_cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" clientAuth
  sign_cert admin "/O=system:masters/CN=kube-mcp-admin" clientAuth
  sign_cert controller-manager "/CN=system:kube-controller-manager" clientAuth
  sign_cert scheduler "/CN=system:kube-scheduler" clientAuth
  sign_cert kubelet "/O=system:nodes/CN=system:node:$NODE_NAME" clientAuth
  sign_cert kubelet-serving "/CN=$NODE_NAME" serverAuth "IP:$ip,IP:127.0.0.1,DNS:$NODE_NAME,DNS:localhost"
  sign_cert kube-proxy "/CN=system:kube-proxy" clientAuth
  sign_cert coredns "/CN=kube-mcp:coredns" clientAuth
  # ServiceAccount tokens are RS256-signed; RSA keeps every verifier happy.
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$PKI_DIR/sa.key" 2>/dev/null &&
    openssl pkey -in "$PKI_DIR/sa.key" -pubout -out "$PKI_DIR/sa.pub" 2>/dev/null || die "creating ServiceAccount keys failed"
}

write_kubeconfig() {
  # write_kubeconfig FILE CERTNAME: credentials embedded so the file can be copied anywhere.
  local file=$1 cert=$2
  cat >"$file" <<KC
apiVersion: v1
kind: Config
clusters:
- name: kube-mcp
  cluster:
    server: https://127.0.0.1:$API_PORT
    certificate-authority-data: $(base64 -w0 "$PKI_DIR/ca.crt")
users:
- name: $cert
  user:
    client-certificate-data: $(base64 -w0 "$PKI_DIR/$cert.crt")
    client-key-data: $(base64 -w0 "$PKI_DIR/$cert.key")
contexts:
- name: kube-mcp
  context: {cluster: kube-mcp, user: $cert}
current-context: kube-mcp
KC
  chmod 600 "$file"
}

make_kubeconfigs() {
  local c
  write_kubeconfig "$ADMIN_KUBECONFIG" admin
  for c in controller-manager scheduler kubelet kube-proxy coredns; do
    write_kubeconfig "$STATE_DIR/$c.kubeconfig" "$c"
  done
}
