"""The catalog: the seed's tool names and parameters, strict schemas in the checked subset, a title and
one line for a model per tool, honest annotations, and no parameter that could pick another cluster,
server, credential or identity."""

from __future__ import annotations

import pytest

from kube_mcp import mcp_server, tools
from kube_mcp.policy import schema
from kube_mcp.tools import base

PAGING = {"limit", "continue"}
SEED = {
    "list_pods": ({"namespace"} | PAGING, set()),
    "describe_pod": ({"name", "namespace"}, {"name", "namespace"}),
    "get_logs": (
        {"resourceType", "name", "namespace", "labelSelector", "container", "tail", "since", "timestamps"},
        {"resourceType"},
    ),
    "list_deployments": ({"namespace"} | PAGING, set()),
    "list_services": ({"namespace"} | PAGING, set()),
    "list_namespaces": (PAGING, set()),
    "list_nodes": (PAGING, set()),
    "get_events": ({"namespace", "fieldSelector", "limit"}, set()),
    "kubectl_get": (
        {
            "resourceType",
            "name",
            "namespace",
            "output",
            "allNamespaces",
            "labelSelector",
            "fieldSelector",
            "sortBy",
        }
        | PAGING,
        {"resourceType"},
    ),
    "ping": (set(), set()),
    "scale_deployment": ({"name", "namespace", "replicas"}, {"name", "namespace", "replicas"}),
    "create_namespace": ({"name"}, {"name"}),
    "delete_pod": ({"name", "namespace", "ignoreNotFound"}, {"name", "namespace"}),
    "delete_deployment": ({"name", "namespace", "ignoreNotFound"}, {"name", "namespace"}),
    "delete_namespace": ({"name", "ignoreNotFound"}, {"name"}),
    "delete_cronjob": ({"name", "namespace", "ignoreNotFound"}, {"name", "namespace"}),
}
WRITES = {"scale_deployment", "create_namespace"}
DELETES = {"delete_pod", "delete_deployment", "delete_namespace", "delete_cronjob"}
CATALOG = {spec.name: spec for spec in tools.catalog()}


def test_the_catalog_has_the_seed_tools_and_names_are_unique() -> None:
    assert len(CATALOG) == len(tools.catalog())
    assert set(CATALOG) == set(SEED)
    assert mcp_server.tool_names() == tuple(CATALOG)


@pytest.mark.parametrize("name", SEED)
def test_parameters_keep_the_seed_names_and_required_set(name: str) -> None:
    properties, required = SEED[name]
    spec = CATALOG[name].input_schema
    assert set(spec["properties"]) == properties
    assert set(spec.get("required", ())) == required


@pytest.mark.parametrize("name", SEED)
def test_schemas_are_strict_and_use_only_the_checked_subset(name: str) -> None:
    spec = CATALOG[name].input_schema
    assert spec["type"] == "object" and spec["additionalProperties"] is False
    assert schema.unsupported_keywords(spec) == set()
    assert all("type" in sub and sub.get("description") for sub in spec["properties"].values())


@pytest.mark.parametrize("name", SEED)
def test_no_parameter_can_choose_the_cluster_credentials_or_identity(name: str) -> None:
    forbidden = {
        "context",
        "server",
        "cluster",
        "kubeconfig",
        "token",
        "user",
        "as",
        "impersonate",
        "certificate",
    }
    assert not {p.lower() for p in CATALOG[name].input_schema["properties"]} & forbidden


@pytest.mark.parametrize("name", SEED)
def test_each_tool_has_a_title_and_one_line_for_a_model(name: str) -> None:
    spec = CATALOG[name]
    assert spec.title and spec.title[0].isupper()
    assert (
        "\n" not in spec.description and 20 < len(spec.description) < 200 and spec.description.endswith(".")
    )


def test_safety_classes_match_the_seed() -> None:
    assert {n for n, s in CATALOG.items() if s.safety is base.Safety.WRITE} == WRITES
    assert {n for n, s in CATALOG.items() if s.safety is base.Safety.DESTRUCTIVE} == DELETES


@pytest.mark.parametrize("name", SEED)
def test_annotations_follow_the_safety_class(name: str) -> None:
    annotations = mcp_server.describe(CATALOG[name]).annotations
    assert annotations is not None
    assert annotations.read_only_hint is (name not in WRITES | DELETES)
    assert annotations.destructive_hint is (name in DELETES)
    assert annotations.open_world_hint is False and annotations.idempotent_hint is not None
    assert annotations.title == CATALOG[name].title


def test_defaults_are_the_seeds() -> None:
    props = {name: spec.input_schema["properties"] for name, spec in CATALOG.items()}
    assert props["kubectl_get"]["output"]["default"] == "table"
    assert props["kubectl_get"]["output"]["enum"] == ["table", "wide", "yaml", "json", "name"]
    assert props["kubectl_get"]["allNamespaces"]["default"] is False
    assert props["get_logs"]["resourceType"]["enum"] == ["pod", "deployment", "job"]
    assert props["get_logs"]["timestamps"]["default"] is False
    assert all(props[name]["ignoreNotFound"]["default"] is False for name in DELETES)


def test_required_strings_must_not_be_empty_and_optional_ones_may_be_omitted() -> None:
    describe = CATALOG["describe_pod"].input_schema["properties"]
    assert describe["name"]["minLength"] == 1 and describe["namespace"]["minLength"] == 1
    assert "minLength" not in CATALOG["list_pods"].input_schema["properties"]["namespace"]
