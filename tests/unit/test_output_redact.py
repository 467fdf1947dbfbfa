"""Secret values, literal env values and last-applied annotations never leave the server; managedFields
are dropped. Redaction is keyed on each object's kind, on lists and List items too."""

from __future__ import annotations

import collections
import copy
from typing import Any

from kube_mcp.output import redact

LAST = redact.LAST_APPLIED


def secret(**extra: Any) -> dict[str, Any]:
    return {"metadata": {"name": "db"}, "type": "Opaque", "data": {"password": "aHVudGVyMg=="}, **extra}


def pod_spec(**extra: Any) -> dict[str, Any]:
    env = [
        {"name": "PASSWORD", "value": "hunter2"},
        {"name": "REF", "valueFrom": {"secretKeyRef": {"name": "s"}}},
    ]
    return {
        "containers": [{"name": "app", "env": copy.deepcopy(env)}],
        "initContainers": [{"name": "init", "env": copy.deepcopy(env)}],
        "ephemeralContainers": [{"name": "debug", "env": copy.deepcopy(env)}],
        **extra,
    }


def all_env(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [var for key in redact.CONTAINER_LISTS for c in spec[key] for var in c["env"]]


def test_secret_data_and_string_data_values_are_hidden_and_keys_kept() -> None:
    out = redact.redact({"kind": "Secret", **secret(stringData={"token": "plain"})})
    assert out["data"] == {"password": redact.REDACTED}
    assert out["stringData"] == {"token": redact.REDACTED}


def test_items_of_a_secret_list_are_redacted_although_they_carry_no_kind() -> None:
    out = redact.redact({"kind": "SecretList", "apiVersion": "v1", "items": [secret(), secret()]})
    assert [item["data"] for item in out["items"]] == [{"password": redact.REDACTED}] * 2


def test_secrets_inside_a_mixed_list_are_redacted_by_their_own_kind() -> None:
    configmap = {"kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"k": "visible"}}
    out = redact.redact({"kind": "List", "items": [{"kind": "Secret", **secret()}, configmap]})
    assert out["items"][0]["data"] == {"password": redact.REDACTED}
    assert out["items"][1]["data"] == {"k": "visible"}


def test_a_kindless_object_shaped_like_a_secret_is_redacted() -> None:
    assert redact.redact(secret())["data"] == {"password": redact.REDACTED}


def test_configmap_data_is_not_secret() -> None:
    configmap = {"kind": "ConfigMap", "data": {"k": "v"}}
    assert redact.redact(configmap) == configmap


def test_literal_env_values_are_hidden_in_every_container_list_and_value_from_is_kept() -> None:
    out = redact.redact({"kind": "Pod", "spec": pod_spec()})
    values = [var.get("value") for var in all_env(out["spec"])]
    assert values == [redact.REDACTED, None] * 3
    assert all_env(out["spec"])[1]["valueFrom"] == {"secretKeyRef": {"name": "s"}}


def test_env_values_in_workload_templates_and_cron_job_templates_are_hidden() -> None:
    deployment = {"kind": "Deployment", "spec": {"template": {"spec": pod_spec()}}}
    cronjob = {"kind": "CronJob", "spec": {"jobTemplate": {"spec": {"template": {"spec": pod_spec()}}}}}
    custom = {
        "kind": "Rollout",
        "apiVersion": "argoproj.io/v1alpha1",
        "spec": {"template": {"spec": pod_spec()}},
    }
    for obj, path in (
        (deployment, ("spec", "template", "spec")),
        (custom, ("spec", "template", "spec")),
        (cronjob, ("spec", "jobTemplate", "spec", "template", "spec")),
    ):
        node = redact.redact(obj)
        for step in path:
            node = node[step]
        assert {var.get("value") for var in all_env(node)} == {redact.REDACTED, None}


def test_env_values_stay_when_redaction_of_env_is_switched_off() -> None:
    out = redact.redact({"kind": "Pod", "spec": pod_spec()}, env_values=False)
    assert all_env(out["spec"])[0]["value"] == "hunter2"


def test_last_applied_annotation_is_hidden_and_other_annotations_kept() -> None:
    obj = {"kind": "ConfigMap", "metadata": {"annotations": {LAST: '{"data": {"pw": "x"}}', "team": "a"}}}
    assert redact.redact(obj)["metadata"]["annotations"] == {LAST: redact.REDACTED, "team": "a"}


def test_managed_fields_are_dropped_from_objects_and_list_items() -> None:
    item = {"metadata": {"name": "a", "managedFields": [{"manager": "kubectl"}]}}
    out = redact.redact({"kind": "PodList", "items": [item], "metadata": {"managedFields": []}})
    assert out["items"][0]["metadata"] == {"name": "a"}


def test_table_row_objects_are_redacted_too() -> None:
    row = {
        "cells": ["a"],
        "object": {"kind": "PartialObjectMetadata", "metadata": {"annotations": {LAST: "x"}}},
    }
    out = redact.redact({"kind": "Table", "rows": [row]})
    assert out["rows"][0]["object"]["metadata"]["annotations"][LAST] == redact.REDACTED


def test_the_input_object_is_not_modified() -> None:
    original = {"kind": "Secret", **secret()}
    before = copy.deepcopy(original)
    redact.redact(original)
    assert original == before


def test_every_hidden_value_is_counted_by_kind() -> None:
    counts: collections.Counter[str] = collections.Counter()
    pod = {"kind": "Pod", "metadata": {"annotations": {LAST: "x"}}, "spec": pod_spec()}
    redact.redact({"kind": "List", "items": [pod, {"kind": "Secret", **secret()}]}, counter=counts)
    assert counts == {"env": 3, "secret": 1, "last_applied": 1}
