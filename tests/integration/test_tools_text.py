"""Cluster text is data: what workloads write (logs, event messages, annotations) reaches the
model without terminal escapes, control characters or bidi overrides, and a long log is bounded
with the newest lines kept, since the newest lines are why someone reads a log."""

from __future__ import annotations

import json
import re

import pytest

from support import cluster

pytestmark = [pytest.mark.cluster, pytest.mark.anyio]

# ESC[31m colour, ESC]0; window title, a bare BEL and backspace, RLO (U+202E), a zero-width space.
# printf octal escapes: dash's printf has no \x or \u.
PAINT = r"painted \033[31mred\033[0m \033]0;owned\007 bell\007 back\010 \342\200\256gnp.exe \342\200\213zw"
PAINT_CLEAN = "painted red  bell back gnp.exe zw"
UNSAFE = ["\x1b", "\x07", "\x08", "\u202e", "\u200b"]
CHATTY_LINES = 400
CHATTY_WIDTH = 400  # bytes a line: 200 lines (the default tail) are ~80 KB, over the 64 KiB log cap


def pod(name: str, image: str, script: str, annotations: dict[str, str] | None = None) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "annotations": annotations or {}},
        "spec": {
            "terminationGracePeriodSeconds": 0,
            "containers": [
                {"name": name, "image": image, "imagePullPolicy": "Never", "command": ["sh", "-c", script]}
            ],
        },
    }


def manifest(image: str) -> str:
    chatty = (
        f"i=0; while [ $i -lt {CHATTY_LINES} ]; do "
        f'printf "chatty-%03d %s\\n" $i "$(printf %0{CHATTY_WIDTH - 12}d 0)"; i=$((i+1)); done; sleep 3600'
    )
    painter = pod("painter", image, f"printf '{PAINT}\\n'; sleep 3600", {"note": "note \x1b[2J\u202eevil"})
    items = [painter, pod("chatty", image, chatty)]
    return json.dumps({"apiVersion": "v1", "kind": "List", "items": items})


def event(ns: str) -> str:
    return json.dumps(
        {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": "painter.paint"},
            "involvedObject": {"kind": "Pod", "name": "painter", "namespace": ns, "apiVersion": "v1"},
            "reason": "Painted",
            "type": "Warning",
            "message": "event \x1b[31mred\x1b[0m \u202egnp.exe\u200b done",
            "source": {"component": "kube-mcp-test"},
        }
    )


@pytest.fixture(scope="module")
def ns(kubectl, module_namespace, runnable_image):
    ns = module_namespace
    kubectl("-n", ns, "apply", "-f", "-", input=manifest(runnable_image))
    kubectl("-n", ns, "create", "-f", "-", input=event(ns))
    kubectl(
        "-n", ns, "wait", "--for=condition=Ready", "pod/painter", "pod/chatty", "--timeout=60s", timeout=70
    )
    cluster.wait_until(
        "chatty's last line",
        lambda: f"chatty-{CHATTY_LINES - 1:03d}" in kubectl("-n", ns, "logs", "chatty", "--tail=1").stdout,
        timeout=30,
    )
    return ns


@pytest.fixture
def server(tools_server, ns):
    return tools_server(KUBE_MCP_DEFAULT_NAMESPACE=ns)


def assert_clean(text: str) -> None:
    for bad in UNSAFE:
        assert bad not in text, f"{bad!r} in {text!r}"


async def test_log_lines_lose_escapes_controls_and_bidi(server, kubectl, ns):
    raw = kubectl("-n", ns, "logs", "painter").stdout
    assert "\x1b[31m" in raw and "\u202e" in raw, "the pod really wrote the escapes"
    text = await server.ok("get_logs", {"resourceType": "pod", "name": "painter"})
    assert text.splitlines() == ["==> pod/painter <==", PAINT_CLEAN]


async def test_event_messages_lose_escapes_and_bidi(server):
    text = await server.ok("get_events", {"fieldSelector": "reason=Painted"})
    assert_clean(text)
    assert re.search(r"Warning\s+Painted\s+pod/painter\s+event red gnp\.exe done$", text, re.M)


async def test_annotations_lose_escapes_and_bidi_in_yaml_and_json(server):
    for output in ("yaml", "json"):
        text = await server.ok("kubectl_get", {"resourceType": "pods", "name": "painter", "output": output})
        assert_clean(text)
        assert "\\e" not in text and "\\u001b" not in text and "\\u202e" not in text.lower()
        assert "note evil" in text


async def test_describe_pod_is_clean(server):
    text = await server.ok(
        "describe_pod", {"name": "painter", "namespace": server.settings.default_namespace}
    )
    assert_clean(text)
    assert "Painted" in text and "event red gnp.exe done" in text


async def test_a_log_over_the_byte_cap_still_ends_with_its_newest_line(server):
    # 200 lines (the default tail) of 400 bytes are ~80 KB, over KUBE_MCP_MAX_LOG_BYTES (64 KiB):
    # the model must see the newest lines, and a note saying older ones were left out.
    text = await server.ok("get_logs", {"resourceType": "pod", "name": "chatty"})
    lines = [line for line in text.splitlines() if line.startswith("chatty-")]
    assert lines[-1].split()[0] == f"chatty-{CHATTY_LINES - 1:03d}", f"the answer ends at {lines[-1][:12]}"
    assert all(len(line) == CHATTY_WIDTH - 1 for line in lines), "no line is cut in the middle"
    assert "cut" in text or "truncated" in text


async def test_a_small_byte_cap_keeps_the_newest_lines_and_says_so(tools_server, ns):
    server = tools_server(KUBE_MCP_MAX_LOG_BYTES="4096")
    text = await server.ok("get_logs", {"resourceType": "pod", "name": "chatty", "namespace": ns, "tail": 50})
    lines = [line for line in text.splitlines() if line.startswith("chatty-")]
    assert lines and lines[-1].split()[0] == f"chatty-{CHATTY_LINES - 1:03d}", f"ends at {lines[-1][:12]}"
    assert len(text.encode()) <= 4096 + 400
    assert "cut" in text or "truncated" in text


async def test_a_log_over_the_answer_cap_keeps_its_end_and_says_how_to_see_more(tools_server, ns):
    server = tools_server(KUBE_MCP_MAX_RESPONSE_CHARS="3000")
    text = await server.ok("get_logs", {"resourceType": "pod", "name": "chatty", "namespace": ns, "tail": 20})
    assert len(text) <= 3000
    assert text.rstrip().endswith(f"chatty-{CHATTY_LINES - 1:03d} " + "0" * (CHATTY_WIDTH - 12))
    assert re.search(r"\(cut: showing the last \d+ of \d+ characters; pass a smaller tail", text)
