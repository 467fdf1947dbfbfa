"""A list of thousands of objects: the first page must come fast and every page stay under the cap.

A scratch namespace gets N ConfigMaps, created by a bounded pool of threads through the Python
kubernetes client (at most WORKERS requests in flight, so the API server sees a busy client, not a
flood). kube-mcp, over stdio, then lists them with `kubectl_get`, as a table and as YAML: the first
page is timed, and the walk follows what each answer says (a continue token, or a smaller limit for
a page cut at the size cap) to the end, checking that each page's text is no longer than
KUBE_MCP_MAX_RESPONSE_CHARS and that every object was seen once the walk is over. The namespace is
deleted afterwards whatever happened.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import re
import secrets
import time
from collections.abc import Mapping, Sequence
from typing import Any

import stdio_rpc

WORKERS = 16
MAX_PAGES = 200  # a walk of more pages than this is a broken continue token, not a long list
CONTINUE_KEYS = ("continue", "continueToken", "continue_token", "cursor", "nextCursor")
OUTPUTS = ("table", "yaml")  # the compact default, and the format most likely to hit the size cap
NAME = re.compile(r"\bbench-\d{5}\b")  # our objects' names, to count what a walk actually saw
SMALLER_LIMIT = re.compile(r"\blimit=(\d+)")


@dataclasses.dataclass(slots=True)
class Walk:
    """One walk through the whole list in one output format."""

    output: str
    cap: int
    expected: int
    first_page_seconds: float = 0.0
    first_page_chars: int = 0
    pages: int = 0
    largest_page_chars: int = 0
    seconds: float = 0.0
    seen: set[str] = dataclasses.field(default_factory=set)
    smaller_limit: int | None = None  # the limit a size-cut page told us to use, if one did
    error: str | None = None

    @property
    def passed(self) -> bool:
        complete = len(self.seen) == self.expected
        return self.error is None and complete and 0 < self.largest_page_chars <= self.cap


@dataclasses.dataclass(slots=True)
class BigListResult:
    objects: int
    cap: int
    create_seconds: float = 0.0
    walks: list[Walk] = dataclasses.field(default_factory=list)
    note: str = ""
    error: str | None = None

    @property
    def passed(self) -> bool:
        return self.error is None and bool(self.walks) and all(w.passed for w in self.walks)


def create_configmaps(kubeconfig: str, namespace: str, count: int) -> float:
    """The namespace and `count` small ConfigMaps in it; returns the seconds it took."""
    from kubernetes import client, config

    api = client.CoreV1Api(config.new_client_from_config(config_file=kubeconfig))
    started = time.perf_counter()
    labels = {"kube-mcp.benchmark": "biglist"}
    api.create_namespace({"metadata": {"name": namespace, "labels": labels}})

    def one(i: int) -> None:
        body = {"metadata": {"name": f"bench-{i:05d}", "labels": labels}, "data": {"index": str(i)}}
        api.create_namespaced_config_map(namespace, body, _request_timeout=30)

    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(one, range(count)))
    return time.perf_counter() - started


def delete_namespace(kubeconfig: str, namespace: str) -> None:
    from kubernetes import client, config

    api = client.CoreV1Api(config.new_client_from_config(config_file=kubeconfig))
    api.delete_namespace(namespace, _request_timeout=30)


def next_token(answer: Mapping[str, Any]) -> str | None:
    """The continue token from structured content, else from a `continue: <token>` in the text."""
    structured = answer.get("structuredContent") or {}
    for key in CONTINUE_KEYS:
        if isinstance(structured.get(key), str) and structured[key]:
            return str(structured[key])
    match = re.search(
        r"continue\w*[\"']?\s*[:=]\s*[\"']?([A-Za-z0-9_\-=+/.]{8,})", stdio_rpc.tool_text(answer)
    )
    return match.group(1) if match else None


def walk(server: stdio_rpc.StdioServer, namespace: str, result: Walk) -> None:
    """Every page, as a model would read them: follow `continue="..."`; when a page was cut to
    the size cap and says `limit=N`, ask for the same page again with that limit."""
    arguments: dict[str, Any] = {
        "resourceType": "configmaps",
        "namespace": namespace,
        "output": result.output,
    }
    started = time.perf_counter()
    while result.pages < MAX_PAGES:
        answer = server.call_tool("kubectl_get", arguments)
        text = stdio_rpc.tool_text(answer)
        if result.pages == 0:
            result.first_page_seconds = time.perf_counter() - started
            result.first_page_chars = len(text)
        if answer.get("isError"):
            result.error = stdio_rpc.one_line(text)
            return
        result.pages += 1
        result.largest_page_chars = max(result.largest_page_chars, len(text))
        result.seen.update(NAME.findall(text))
        token = next_token(answer)
        smaller = SMALLER_LIMIT.search(text)
        if token:
            arguments["continue"] = token
        elif smaller and arguments.get("limit") != int(smaller.group(1)):
            arguments["limit"] = result.smaller_limit = int(smaller.group(1))
        else:
            break
    result.seconds = time.perf_counter() - started


def measure(
    argv: Sequence[str], env: Mapping[str, str], kubeconfig: str, count: int, cap: int
) -> BigListResult:
    result = BigListResult(count, cap)
    namespace = f"kube-mcp-bench-{secrets.token_hex(3)}"
    try:
        result.create_seconds = create_configmaps(kubeconfig, namespace, count)
        with stdio_rpc.StdioServer(argv, env) as server:
            server.initialize()
            for output in OUTPUTS:
                result.walks.append(Walk(output, cap, count))
                walk(server, namespace, result.walks[-1])
    except Exception as exc:  # the namespace must go whatever failed; report the failure as a line
        result.error = stdio_rpc.one_line(f"{type(exc).__name__}: {exc}")
    finally:
        try:
            delete_namespace(kubeconfig, namespace)
        except Exception as exc:  # reported, and the run goes on
            result.note = f"namespace {namespace} not deleted: {stdio_rpc.one_line(str(exc))}"
    return result
