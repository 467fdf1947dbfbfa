"""Paging against the real API server: a model that follows the notes sees every object exactly
once, and no answer is longer than the cap, whether the page or the cap decides the cut."""

from __future__ import annotations

import json
import re

import pytest
import yaml

pytestmark = [pytest.mark.cluster, pytest.mark.anyio]

COUNT = 25
NAMES = [f"cm-{i:02d}" for i in range(COUNT)]
SELECTOR = "kube-mcp.test/page=yes"
MAX_STEPS = 40  # a walk over 25 objects needs at most ~15 calls; more means the notes loop


@pytest.fixture
def paged(kubectl, namespace):
    """25 labelled ConfigMaps of ~100 characters of data each, made in one request."""
    items = [
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": name, "labels": {"kube-mcp.test/page": "yes"}},
            "data": {"filler": name * 20},
        }
        for name in NAMES
    ]
    kubectl(
        "-n",
        namespace,
        "apply",
        "-f",
        "-",
        input=json.dumps({"apiVersion": "v1", "kind": "List", "items": items}),
    )
    return namespace


def split_note(text: str) -> tuple[str, str]:
    """(body, note) of an answer; the note is the parenthesised paragraph at the end, if any."""
    body, sep, note = text.rpartition("\n\n(")
    return (body, note.rstrip(")")) if sep else (text, "")


def next_call(note: str, token: str | None, limit: int) -> tuple[str | None, int] | None:
    """What the note says to do next: (continue token, limit), or None when the list is done."""
    if not note:
        return None
    smaller = re.search(r"smaller limit.*\(limit=(\d+)\)", note)
    if smaller:
        return token, int(smaller.group(1))
    token_match = re.search(r'continue="([^"]+)"', note)
    assert token_match, f"a note that neither continues nor shrinks: {note}"
    return token_match.group(1), limit


async def walk(
    server, namespace: str, output: str, limit: int, cap: int
) -> tuple[list[str], list[int], list[int]]:
    """Follows the notes from the first page to the last, as a model would: the names of the
    pages it kept, their sizes, and the sizes of the pages the cap cut (asked again smaller)."""
    seen: list[str] = []
    sizes: list[int] = []
    cuts: list[int] = []
    token: str | None = None
    for _ in range(MAX_STEPS):
        args = {
            "resourceType": "configmaps",
            "namespace": namespace,
            "labelSelector": SELECTOR,
            "limit": limit,
        }
        args.update({"output": output} | ({"continue": token} if token else {}))
        text = await server.ok("kubectl_get", args)
        assert len(text) <= cap, f"an answer of {len(text)} characters over the cap of {cap}"
        body, note = split_note(text)
        step = next_call(note, token, limit)
        if step is not None and step[0] == token:  # cut by the cap: the smaller call repeats these
            cuts.append(len(page_names(body, output)))
        else:
            seen += page_names(body, output)
            sizes.append(len(seen) - sum(sizes))
        if step is None:
            return seen, sizes, cuts
        token, limit = step
    raise AssertionError(f"still paging after {MAX_STEPS} calls; seen {seen}")


def page_names(body: str, output: str) -> list[str]:
    if output in ("yaml", "json"):
        doc = yaml.safe_load(body) if output == "yaml" else json.loads(body)
        return [item["metadata"]["name"] for item in doc["items"]]
    if output == "name":
        return [line.removeprefix("configmap/") for line in body.splitlines()]
    lines = body.splitlines()
    return [line.split()[0] for line in lines[1:]]


@pytest.mark.parametrize("output", ["table", "name"])
async def test_pages_of_ten_cover_every_object_once_under_the_cap(tools_server, paged, output):
    server = tools_server(KUBE_MCP_MAX_RESPONSE_CHARS="2000")
    seen, sizes, cuts = await walk(server, paged, output, limit=10, cap=2000)
    assert (seen, sizes, cuts) == (NAMES, [10, 10, 5], [])


async def test_the_first_page_note_gives_the_exact_call_for_the_next_page(tools_server, paged):
    server = tools_server()
    text = await server.ok(
        "kubectl_get", {"resourceType": "cm", "namespace": paged, "labelSelector": SELECTOR, "limit": 10}
    )
    _, note = split_note(text)
    assert re.fullmatch(
        r'showing 10 configmaps; call again with continue="[A-Za-z0-9_=+/-]+" for the next page', note
    )


async def test_pages_the_cap_cuts_say_to_shrink_the_limit_and_nothing_is_skipped(tools_server, paged):
    # ~400 characters of YAML per ConfigMap against a 2000-character cap: a few fit a page.
    server = tools_server(KUBE_MCP_MAX_RESPONSE_CHARS="2000")
    seen, sizes, cuts = await walk(server, paged, "yaml", limit=10, cap=2000)
    assert seen == NAMES
    assert cuts and max(sizes) < 10 and 0 not in sizes + cuts


async def test_the_typed_list_tools_page_the_same_way(tools_server, kubectl, namespace, unschedulable_pod):
    pods = [json.loads(unschedulable_pod(f"p-{i:02d}")) for i in range(12)]
    kubectl(
        "-n",
        namespace,
        "apply",
        "-f",
        "-",
        input=json.dumps({"apiVersion": "v1", "kind": "List", "items": pods}),
    )
    server = tools_server()
    first = await server.ok("list_pods", {"namespace": namespace, "limit": 5})
    body, note = split_note(first)
    names = [line.split()[0] for line in body.splitlines()[1:]]
    token = re.search(r'continue="([^"]+)"', note)
    assert token, first
    rest = await server.ok("list_pods", {"namespace": namespace, "limit": 50, "continue": token.group(1)})
    more_body, more_note = split_note(rest)
    names += [line.split()[0] for line in more_body.splitlines()[1:]]
    assert names == [f"p-{i:02d}" for i in range(12)] and more_note == ""
