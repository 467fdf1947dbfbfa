"""Fixtures for the tool tests: kube-mcp built in-process on the real API server and driven
through the MCP SDK's in-memory client, with its metrics registry and audit stream at hand.

`tools_server(**env)` builds one server from environment-style settings (KUBECONFIG is the test
cluster's unless K8S_SERVER is given); `ToolServer.api_requests()` reads
kube_mcp_api_requests_total, which is how a test proves a refused call made no API request.
`module_namespace` is one throwaway namespace shared by the tests of a module (pods take seconds
to start; building them once per module keeps the whole tool suite well under a minute and a half).
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import secrets
from collections.abc import Callable, Iterator
from typing import Any

import prometheus_client
import pytest
from mcp import Client

from kube_mcp import audit, config, mcp_server, metrics
from kube_mcp.k8s import cluster as k8s_cluster
from support import cluster

BASE_IMAGE = os.environ.get("KUBE_MCP_TEST_BASE_IMAGE", "kube-mcp-base:bookworm")
API_REQUESTS = "kube_mcp_api_requests_total"


@dataclasses.dataclass(frozen=True)
class Answer:
    """One tools/call result as a model sees it."""

    is_error: bool
    text: str
    structured: dict[str, Any] | None


@dataclasses.dataclass(frozen=True)
class Table:
    """A table answer split up: header cells, row cells, and the note after the blank line."""

    header: list[str]
    rows: list[list[str]]
    note: str

    @classmethod
    def parse(cls, text: str) -> Table:
        body, _, note = text.partition("\n\n")
        lines = body.splitlines()
        assert lines, f"not a table: {text!r}"
        return cls(lines[0].split(), [line.split() for line in lines[1:]], note)

    @property
    def names(self) -> list[str]:
        at = self.header.index("NAME")
        return [cells[at] for cells in self.rows]

    def row(self, name: str) -> list[str]:
        """The cells of the row whose NAME is `name` (fails when there is none)."""
        at = self.header.index("NAME")
        for cells in self.rows:
            if len(cells) > at and cells[at] == name:
                return cells
        raise AssertionError(f"no row {name!r} in {self.names}")


class ToolServer:
    """A kube-mcp server for `env`, its metrics registry, and its audit lines."""

    def __init__(self, env: dict[str, str]) -> None:
        self.settings = config.from_env(env)
        self.registry = prometheus_client.CollectorRegistry()
        self.metrics = metrics.Metrics(self.registry)
        self.audit_stream = io.StringIO()
        # environ={}: the test process's own KUBERNETES_SERVICE_* must not pick the credentials.
        self.cluster = k8s_cluster.connect(self.settings, on_request=self.metrics.observe_api, environ={})
        self.kube = mcp_server.build_server(
            self.settings, self.cluster, metrics=self.metrics, audit=audit.AuditLog(self.audit_stream)
        )

    async def call(self, name: str, arguments: dict[str, Any] | None = None) -> Answer:
        async with Client(self.kube.server) as client:
            result = await client.call_tool(name, arguments or {})
        texts = [getattr(block, "text", "") for block in result.content]
        assert len(texts) == 1, f"{name} answered {len(texts)} content blocks"
        return Answer(bool(result.is_error), texts[0], result.structured_content)

    async def ok(self, name: str, arguments: dict[str, Any] | None = None) -> str:
        """The text of a call that must succeed."""
        answer = await self.call(name, arguments)
        assert not answer.is_error, f"{name}({arguments}) failed: {answer.text}"
        return answer.text

    async def table(self, name: str, arguments: dict[str, Any] | None = None) -> Table:
        return Table.parse(await self.ok(name, arguments))

    async def read_table(self, uri: str) -> Table:
        return Table.parse(await self.read(uri))

    async def tool_names(self) -> set[str]:
        async with Client(self.kube.server) as client:
            return {tool.name for tool in (await client.list_tools()).tools}

    async def resource_uris(self) -> list[str]:
        async with Client(self.kube.server) as client:
            return [str(r.uri) for r in (await client.list_resources()).resources]

    async def read(self, uri: str) -> str:
        async with Client(self.kube.server) as client:
            result = await client.read_resource(uri)
        return "".join(getattr(c, "text", "") for c in result.contents)

    def api_requests(self) -> float:
        """Requests to the API server so far (every verb and status class)."""
        return sum(
            sample.value
            for family in self.registry.collect()
            for sample in family.samples
            if sample.name == API_REQUESTS
        )

    def audit_lines(self) -> str:
        return self.audit_stream.getvalue()


@pytest.fixture
def tools_server(kubeconfig: str) -> Callable[..., ToolServer]:
    """tools_server(**env) -> ToolServer; KUBECONFIG defaults to the test cluster's."""

    def make(**env: str) -> ToolServer:
        base = {} if "K8S_SERVER" in env else {"KUBECONFIG": kubeconfig}
        return ToolServer({**base, **env})

    return make


@pytest.fixture(scope="module")
def module_namespace(kubeconfig: str) -> Iterator[str]:
    """A fresh labelled namespace for one test module, deleted after its last test."""
    name = cluster.create_namespace(kubeconfig)
    yield name
    cluster.delete_namespace(kubeconfig, name)


@pytest.fixture(scope="session")
def runnable_image(kubeconfig: str) -> str:
    """An image pods can run with imagePullPolicy Never (the cluster has no registry access)."""
    cluster.load_image(kubeconfig, BASE_IMAGE)
    return BASE_IMAGE


def pending_pod(name: str, labels: dict[str, str] | None = None, env: dict[str, str] | None = None) -> str:
    """A pod manifest that never schedules (its nodeSelector matches no node): it lists,
    describes and has a FailedScheduling event, and needs no image."""
    container: dict[str, Any] = {"name": "c", "image": "kube-mcp.invalid/none:0"}
    if env:
        container["env"] = [{"name": k, "value": v} for k, v in env.items()]
    return json.dumps(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": name, "labels": labels or {}},
            "spec": {
                "nodeSelector": {"kube-mcp.test/no-such-node": "true"},
                "terminationGracePeriodSeconds": 0,
                "containers": [container],
            },
        }
    )


@pytest.fixture(scope="session")
def unschedulable_pod() -> Callable[..., str]:
    """pending_pod(name, labels=None, env=None) -> a pod manifest (JSON) for `kubectl apply -f -`."""
    return pending_pod


@pytest.fixture(scope="module")
def custom_kind(kubectl) -> Iterator[dict[str, str]]:
    """A namespaced CRD with fresh names (a deleted CRD lingers in discovery for a moment), for
    one module; keys group, plural, kind, short, apiVersion. Deleted afterwards (CRDs are
    cluster-scoped, so the namespace's deletion would not take it)."""
    tag = secrets.token_hex(3)
    group, plural = f"t{tag}.kube-mcp.test", f"gizmo{tag}s"
    names = {"plural": plural, "singular": f"gizmo{tag}", "kind": f"Gizmo{tag}", "shortNames": [f"gz{tag}"]}
    crd = {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": f"{plural}.{group}"},
        "spec": {
            "group": group,
            "scope": "Namespaced",
            "names": names,
            "versions": [
                {
                    "name": "v1",
                    "served": True,
                    "storage": True,
                    "schema": {
                        "openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}
                    },
                }
            ],
        },
    }
    kubectl("apply", "-f", "-", input=json.dumps(crd))
    name = f"crd/{plural}.{group}"
    try:
        kubectl("wait", "--for=condition=Established", name, "--timeout=30s", timeout=40)
        yield {
            "group": group,
            "plural": plural,
            "kind": names["kind"],
            "short": f"gz{tag}",
            "apiVersion": f"{group}/v1",
        }
    finally:
        kubectl("delete", name, "--wait=false", "--ignore-not-found", check=False)


@dataclasses.dataclass(frozen=True)
class Workload:
    namespace: str
    talker_lines: int  # talker's main container printed main-line-0 .. main-line-<n-1>


def workload_manifest(image: str, talker_lines: int) -> str:
    def container(name: str, script: str) -> dict[str, Any]:
        return {"name": name, "image": image, "imagePullPolicy": "Never", "command": ["sh", "-c", script]}

    count = f"i=0; while [ $i -lt {talker_lines} ]; do echo main-line-$i; i=$((i+1)); done; sleep 3600"
    talker = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "talker", "labels": {"app": "talker", "tier": "backend"}},
        "spec": {
            "terminationGracePeriodSeconds": 0,
            "containers": [container("main", count), container("side", "echo side-says-hi; sleep 3600")],
        },
    }
    template = {
        "metadata": {"labels": {"app": "echo"}},
        "spec": {
            "terminationGracePeriodSeconds": 0,
            "containers": [container("echo", "echo echo-says-hello; sleep 3600")],
        },
    }
    echo = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "echo"},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "echo"}}, "template": template},
    }
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "echo"},
        "spec": {"selector": {"app": "echo"}, "ports": [{"port": 80, "targetPort": 8080}]},
    }
    settings = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "settings"},
        "data": {"mode": "fast"},
    }
    waiting = json.loads(pending_pod("waiting", {"app": "waiting"}))
    items = [talker, echo, service, settings, waiting]
    return json.dumps({"apiVersion": "v1", "kind": "List", "items": items})


@pytest.fixture(scope="session")
def workload(kubeconfig: str, kubectl: Any, runnable_image: str) -> Iterator[Workload]:
    """One namespace for the read tests of every module, made ready once (pods take seconds):
    talker (2 containers, logging), echo (deployment + service, logging), waiting (a pod that
    never schedules, with its FailedScheduling event) and the settings ConfigMap."""
    done = Workload(cluster.create_namespace(kubeconfig), talker_lines=50)
    ns = done.namespace
    try:
        kubectl("-n", ns, "apply", "-f", "-", input=workload_manifest(runnable_image, done.talker_lines))
        kubectl("-n", ns, "wait", "--for=condition=Ready", "pod/talker", "--timeout=60s", timeout=70)
        kubectl("-n", ns, "rollout", "status", "deployment/echo", "--timeout=60s", timeout=70)
        last = f"main-line-{done.talker_lines - 1}"
        cluster.wait_until(
            "talker's and echo's log lines",
            lambda: (
                last in kubectl("-n", ns, "logs", "talker", "-c", "main").stdout
                and "echo-says-hello" in kubectl("-n", ns, "logs", "deployment/echo").stdout
            ),
            timeout=30,
        )
        cluster.wait_until(
            "waiting's FailedScheduling event",
            lambda: (
                "FailedScheduling"
                in kubectl(
                    "-n", ns, "get", "events", "--field-selector", "involvedObject.name=waiting"
                ).stdout
            ),
            timeout=30,
        )
        yield done
    finally:
        cluster.delete_namespace(kubeconfig, ns)
