"""Answers read like kubectl: Table columns aligned, yaml/json on request, and never over the cap,
with a note that says what was cut and how to get the rest."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kube_mcp.output import caps, render, table

TOKEN = "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MTIzfQ"


def pod_table(n: int, *, namespaces: bool = False) -> dict[str, Any]:
    columns = [("Name", 0), ("Ready", 0), ("Status", 0), ("Restarts", 0), ("Age", 0), ("IP", 1), ("Node", 1)]
    return {
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "columnDefinitions": [{"name": c, "type": "string", "priority": p} for c, p in columns],
        "rows": [
            {
                "cells": [f"web-{i}", "1/1", "Running", i, "5m", f"10.0.0.{i % 250}", "node-1"],
                "object": {
                    "kind": "PartialObjectMetadata",
                    "metadata": {
                        "name": f"web-{i}",
                        "namespace": f"team-{i % 2}" if namespaces else "default",
                    },
                },
            }
            for i in range(n)
        ],
    }


def page(
    rows: int, token: str | None = None, remaining: int | None = None, continued: bool = False
) -> caps.Page:
    return caps.Page("pods", rows, token, remaining, continued)


def test_a_table_shows_priority_zero_columns_aligned_by_default() -> None:
    header, lines = table.rows(pod_table(2))
    assert header == "NAME    READY   STATUS    RESTARTS   AGE"
    assert lines == ["web-0   1/1     Running   0          5m", "web-1   1/1     Running   1          5m"]


def test_wide_shows_every_column() -> None:
    header, _ = table.rows(pod_table(1), wide=True)
    assert header.split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"]


def test_listing_across_namespaces_adds_a_namespace_column_first() -> None:
    header, lines = table.rows(pod_table(2, namespaces=True), namespaces=True)
    assert header.split()[:2] == ["NAMESPACE", "NAME"]
    assert [line.split()[0] for line in lines] == ["team-0", "team-1"]


def test_cells_are_one_clean_bounded_line() -> None:
    assert table.cell_text(None) == "<none>"
    assert table.cell_text(["a", "b"]) == "a,b"
    assert table.cell_text(True) == "true"
    assert table.cell_text("two\nlines \x1b[31mred\u202e") == "two lines red"
    long = table.cell_text("x" * 500)
    assert len(long) == table.MAX_CELL and long.endswith("...")


def test_row_name_comes_from_metadata_or_the_name_column() -> None:
    body = pod_table(1)
    assert table.row_name(body["rows"][0], body) == "web-0"
    del body["rows"][0]["object"]
    assert table.row_name(body["rows"][0], body) == "web-0"


def test_a_full_first_page_says_how_many_there_are_and_how_to_continue() -> None:
    header, lines = table.rows(pod_table(100))
    text, shown = caps.list_text(header, lines, page(100, TOKEN, 2200), 20_000)
    assert shown == 100
    assert text.endswith(f'(showing 100 of ~2300 pods; call again with continue="{TOKEN}" for the next page)')


def test_a_continued_page_says_how_many_are_left() -> None:
    header, lines = table.rows(pod_table(10))
    text, _ = caps.list_text(header, lines, page(10, TOKEN, 40, continued=True), 20_000)
    assert "showing 10 more pods, ~40 left after these" in text and f'continue="{TOKEN}"' in text


def test_the_last_page_has_no_note() -> None:
    header, lines = table.rows(pod_table(3))
    text, shown = caps.list_text(header, lines, page(3), 20_000)
    assert shown == 3 and "(" not in text


@pytest.mark.parametrize("max_chars", [1000, 2500, 20_000])
def test_a_page_over_the_cap_is_cut_at_a_row_and_says_which_limit_fits(max_chars: int) -> None:
    header, lines = table.rows(pod_table(1000))
    text, shown = caps.list_text(header, lines, page(1000, TOKEN, 5000), max_chars)
    assert len(text) <= max_chars
    assert 0 < shown < 1000
    body = text.split("\n\n(")[0].splitlines()
    assert body[0] == header and body[1:] == lines[:shown]
    assert f"showing {shown} of 1000 pods" in text and f"limit={shown}" in text


def test_cut_keeps_the_head_at_a_line_boundary_with_a_note() -> None:
    text = "\n".join(f"line {i}" for i in range(5000))
    out = caps.cut(text, 2000, "ask for less")
    assert len(out) <= 2000 and out.startswith("line 0\n")
    kept = out.split("\n\n(cut:")[0]
    assert kept.splitlines()[-1].startswith("line ") and text.startswith(kept)
    assert out.endswith("ask for less)") and f"of {len(text)} characters" in out


def test_cut_can_keep_the_end_for_logs() -> None:
    text = "\n".join(f"line {i}" for i in range(5000))
    out = caps.cut(text, 2000, "pass tail", keep_end=True)
    assert len(out) <= 2000 and out.endswith("line 4999") and out.startswith("(cut: showing the last")
    assert out.split("\n\n", 1)[1].startswith("line ")


def test_text_under_the_cap_is_returned_unchanged() -> None:
    assert caps.cut("short", 1000, "x") == "short"


def pod_list(n: int) -> dict[str, Any]:
    items = [
        {"metadata": {"name": f"web-{i}", "labels": {"app": "web"}}, "spec": {"nodeName": "node-1"}}
        for i in range(n)
    ]
    return {"kind": "PodList", "apiVersion": "v1", "items": render.with_kinds(items, "Pod", "v1")}


def test_list_items_get_their_kind_and_api_version_like_kubectl_prints_them() -> None:
    item = pod_list(1)["items"][0]
    assert (item["apiVersion"], item["kind"]) == ("v1", "Pod")


def test_yaml_output_is_yaml_of_the_whole_list() -> None:
    yaml = pytest.importorskip("yaml")
    text, shown = render.list_text(pod_list(2), "yaml", page(2), 20_000)
    assert shown == 2
    assert yaml.safe_load(text)["items"][1]["metadata"]["name"] == "web-1"


@pytest.mark.parametrize("output", ["json", "yaml"])
def test_a_list_over_the_cap_keeps_whole_items_and_notes_the_rest(output: str) -> None:
    text, shown = render.list_text(pod_list(500), output, page(500, TOKEN, 10), 5000)
    assert len(text) <= 5000 and 0 < shown < 500
    assert f"showing {shown} of 500 pods" in text
    if output == "json":
        assert len(json.loads(text.split("\n\n(")[0])["items"]) == shown


def test_one_object_renders_as_json_or_yaml_and_is_capped() -> None:
    obj = {"kind": "ConfigMap", "data": {"k": "v" * 10_000}}
    assert json.loads(render.object_text({"kind": "ConfigMap"}, "json", 1000)) == {"kind": "ConfigMap"}
    assert render.object_text({"kind": "ConfigMap"}, "yaml", 1000) == "kind: ConfigMap"
    assert len(render.object_text(obj, "json", 2000)) <= 2000


def test_name_output_follows_kubectl() -> None:
    assert render.name_line("Pod", "", "web-1") == "pod/web-1"
    assert render.name_line("Deployment", "apps", "web") == "deployment.apps/web"


def _configmaps(sizes: list[int]) -> dict[str, object]:
    items = [{"metadata": {"name": f"cm-{i:04d}"}, "data": {"k": "x" * size}} for i, size in enumerate(sizes)]
    return {"apiVersion": "v1", "kind": "ConfigMapList", "items": items}


@pytest.mark.parametrize("output", ["yaml", "json"])
def test_a_long_page_shows_only_whole_items_and_counts_them_right(output: str) -> None:
    body = _configmaps([800] * 1000)
    text, count = render.list_text(body, output, caps.Page("configmaps", 1000, None, None, False), 20_000)
    shown = text.count('"name": "cm-') if output == "json" else text.count("name: cm-")
    assert 1 < count < 1000 and shown == count
    assert len(text) <= 20_000 and f"showing {count} of 1000 configmaps" in text
    assert "cut:" not in text  # no object is cut in the middle


def test_a_huge_first_item_is_cut_alone_with_an_honest_note() -> None:
    body = _configmaps([25_000] + [10] * 400)
    text, count = render.list_text(body, "json", caps.Page("configmaps", 401, None, None, False), 20_000)
    assert count == 1 and len(text) <= 20_000
    assert "one object is larger than the answer cap" in text and "showing 1 of 401" in text
