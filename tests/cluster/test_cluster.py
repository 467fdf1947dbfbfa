"""Proof that the test cluster does what our claims need: real pods, logs, exec, port-forward,
Service DNS, ServiceAccount tokens under RBAC, namespace deletion. Runs against any kubeconfig."""

from __future__ import annotations

import base64
import json
import os
import ssl
import subprocess
import tempfile
import textwrap
import urllib.error
import urllib.request

import pytest

from support import cluster

pytestmark = pytest.mark.cluster

BASE_IMAGE = os.environ.get("KUBE_MCP_TEST_BASE_IMAGE", "kube-mcp-base:bookworm")
WEB_IMAGE = "kube-mcp-test-web:1"
MARKER = "kube-mcp test web"


def web_manifest(image: str) -> str:
    return textwrap.dedent(f"""\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {{name: web}}
        spec:
          replicas: 1
          selector: {{matchLabels: {{app: web}}}}
          template:
            metadata: {{labels: {{app: web}}}}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: web
                image: {image}
                imagePullPolicy: Never
                ports: [{{containerPort: 8080}}]
                readinessProbe: {{httpGet: {{path: /, port: 8080}}, periodSeconds: 1}}
        ---
        apiVersion: v1
        kind: Service
        metadata: {{name: web}}
        spec:
          selector: {{app: web}}
          ports: [{{port: 8080, targetPort: 8080}}]
        """)


@pytest.fixture(scope="module")
def web_image(kubeconfig) -> str:
    """A tiny HTTP server image built locally FROM the base image and loaded into the cluster."""
    with tempfile.TemporaryDirectory() as ctx:
        with open(os.path.join(ctx, "Dockerfile"), "w") as f:
            f.write(
                textwrap.dedent(f"""\
                FROM {BASE_IMAGE}
                WORKDIR /srv
                RUN echo '{MARKER}' > index.html
                CMD ["python3", "-u", "-m", "http.server", "8080"]
                """)
            )
        subprocess.run(
            ["docker", "build", "-q", "-t", WEB_IMAGE, ctx], check=True, capture_output=True, timeout=300
        )
    cluster.load_image(kubeconfig, WEB_IMAGE)
    return WEB_IMAGE


@pytest.fixture(scope="module")
def web(kubeconfig, web_image):
    """Namespace with the `web` Deployment and Service, available before tests use it."""
    ns = cluster.create_namespace(kubeconfig)
    cluster.run_kubectl(kubeconfig, "-n", ns, "apply", "-f", "-", input=web_manifest(web_image))
    cluster.run_kubectl(
        kubeconfig, "-n", ns, "rollout", "status", "deployment/web", "--timeout=120s", timeout=130
    )
    yield ns
    cluster.delete_namespace(kubeconfig, ns)


def api_client(kubectl):
    """The server URL and an SSL context trusting the cluster CA, taken from the kubeconfig."""
    cfg = json.loads(kubectl("config", "view", "--raw", "--minify", "-o", "json").stdout)["clusters"][0][
        "cluster"
    ]
    ctx = ssl.create_default_context()
    if "certificate-authority-data" in cfg:
        ctx.load_verify_locations(cadata=base64.b64decode(cfg["certificate-authority-data"]).decode())
    else:
        ctx.load_verify_locations(cafile=cfg["certificate-authority"])
    return cfg["server"], ctx


def api_status(server, ctx, token, method, path) -> int:
    req = urllib.request.Request(server + path, method=method, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(req, context=ctx, timeout=10) as resp:
            return resp.status
    except urllib.error.HTTPError as err:
        return err.code


def test_the_node_is_ready(kubectl):
    nodes = json.loads(kubectl("get", "nodes", "-o", "json").stdout)["items"]
    ready = [
        n for n in nodes for c in n["status"]["conditions"] if c["type"] == "Ready" and c["status"] == "True"
    ]
    assert ready, "no Ready node"


def test_a_deployment_of_a_locally_built_image_reaches_running(kubectl, web):
    phases = kubectl(
        "-n", web, "get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].status.phase}"
    ).stdout
    assert phases.split() == ["Running"]


def test_the_pods_logs_are_readable(kubectl, web):
    cluster.wait_until(
        "the http.server banner in the logs",
        lambda: "Serving HTTP" in kubectl("-n", web, "logs", "deployment/web").stdout,
        timeout=60,
    )


def test_kubectl_exec_runs_a_command_in_the_pod(kubectl, web):
    out = kubectl("-n", web, "exec", "deployment/web", "--", "python3", "-c", "print(6 * 7)").stdout
    assert out.strip() == "42"


def test_port_forward_to_the_service_reaches_the_pod(kubeconfig, web):
    # ":8080" lets kubectl pick a free local port; it prints the one it chose.
    proc = subprocess.Popen(
        [cluster.kubectl_binary(), "--kubeconfig", kubeconfig, "-n", web, "port-forward", "svc/web", ":8080"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        line = cluster.wait_until("port-forward to listen", lambda: proc.stdout.readline(), timeout=30)
        assert "Forwarding from 127.0.0.1:" in line, line
        port = int(line.split("127.0.0.1:")[1].split()[0])
        body = cluster.wait_until(
            "a response through port-forward",
            lambda: urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read().decode(),
            timeout=30,
        )
        assert MARKER in body
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# Run inside pods: a new Service reaches DNS and kube-proxy asynchronously, so retry until a deadline.
FETCH_WITH_DEADLINE = """
import sys, time, urllib.request
deadline = time.monotonic() + 60
for host in sys.argv[1:]:
    while True:
        try:
            body = urllib.request.urlopen("http://%s:8080/" % host, timeout=5).read()
            print(host, body.decode().strip(), flush=True)
            break
        except Exception as exc:
            if time.monotonic() > deadline:
                sys.exit("%s: %s" % (host, exc))
            print(host, "not yet:", exc, file=sys.stderr, flush=True)
            time.sleep(0.5)
"""


def test_another_pod_reaches_it_through_the_service_dns_name(kubectl, web, web_image):
    kubectl(
        "-n",
        web,
        "run",
        "client",
        f"--image={web_image}",
        "--image-pull-policy=Never",
        "--restart=Never",
        "--command",
        "--",
        "python3",
        "-c",
        FETCH_WITH_DEADLINE,
        f"web.{web}.svc.cluster.local",
        f"web.{web}",
    )

    def finished():
        phase = kubectl("-n", web, "get", "pod", "client", "-o", "jsonpath={.status.phase}").stdout
        return phase if phase in ("Succeeded", "Failed") else None

    phase = cluster.wait_until("the client pod to finish", finished, timeout=120)
    logs = kubectl("-n", web, "logs", "client").stdout
    assert phase == "Succeeded", logs
    assert logs.count(MARKER) == 2, logs


def test_a_pod_reaches_itself_through_its_own_service(kubectl, web):
    # Hairpin traffic: the Service picks the very pod that sends the request.
    out = kubectl(
        "-n", web, "exec", "deployment/web", "--", "python3", "-c", FETCH_WITH_DEADLINE, "web", timeout=90
    ).stdout
    assert MARKER in out


def test_a_service_account_token_may_list_pods_but_is_refused_deleting_them(kubectl, namespace):
    kubectl("-n", namespace, "create", "serviceaccount", "reader")
    kubectl("-n", namespace, "create", "role", "pod-reader", "--verb=get,list", "--resource=pods")
    kubectl(
        "-n",
        namespace,
        "create",
        "rolebinding",
        "reader",
        "--role=pod-reader",
        f"--serviceaccount={namespace}:reader",
    )
    kubectl("-n", namespace, "create", "configmap", "probe")  # any object, so the delete has a target path
    token = kubectl("-n", namespace, "create", "token", "reader").stdout.strip()
    server, ctx = api_client(kubectl)
    pods = f"/api/v1/namespaces/{namespace}/pods"

    assert api_status(server, ctx, "not-a-token", "GET", pods) == 401
    cluster.wait_until(
        "RBAC to allow listing pods", lambda: api_status(server, ctx, token, "GET", pods) == 200, timeout=30
    )
    assert api_status(server, ctx, token, "DELETE", pods + "/anything") == 403


def test_deleting_a_namespace_completes(kubectl, kubeconfig):
    ns = cluster.create_namespace(kubeconfig)
    kubectl("-n", ns, "create", "configmap", "doomed", "--from-literal=a=b")
    kubectl("-n", ns, "create", "serviceaccount", "doomed")
    kubectl("delete", "namespace", ns, "--wait=false")
    cluster.wait_until(
        f"namespace {ns} to disappear",
        lambda: kubectl("get", "namespace", ns, "--ignore-not-found", "-o", "name").stdout.strip() == "",
        timeout=120,
    )
