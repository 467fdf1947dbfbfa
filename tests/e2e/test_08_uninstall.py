"""`helm uninstall` leaves nothing of a release behind, namespaced or cluster-wide.

Looks in every resource type the API server lists (so a forgotten kind cannot hide) for objects
labelled `app.kubernetes.io/instance=<release>`, and for ClusterRoles and ClusterRoleBindings
whose name carries the release name (a missing label must not hide one either). Pods and
EndpointSlices go by garbage collection after uninstall returns, hence the bounded wait.
"""

from __future__ import annotations

import e2e_values
import pytest
from e2e_release import Release

from support import cluster

pytestmark = pytest.mark.e2e
GONE_TIMEOUT = 90  # the server drains 10 s on SIGTERM; GC and the kubelet take a few more


def resource_types(kubeconfig: str, *, namespaced: bool) -> str:
    out = cluster.run_kubectl(
        kubeconfig, "api-resources", "--verbs=list", f"--namespaced={str(namespaced).lower()}", "-o", "name"
    ).stdout
    return ",".join(out.split())


def leftovers(rel: Release) -> list[str]:
    """Every object of the release still present (kind/name), namespaced and cluster-scoped."""
    selector = f"app.kubernetes.io/instance={rel.name}"
    found: list[str] = []
    for namespaced in (True, False):
        scope = ["-n", rel.namespace] if namespaced else []
        types = resource_types(rel.kubeconfig, namespaced=namespaced)
        out = cluster.run_kubectl(
            rel.kubeconfig, *scope, "get", types, "-l", selector, "-o", "name", timeout=120
        )
        found += out.stdout.split()
    named = cluster.run_kubectl(
        rel.kubeconfig, "get", "clusterroles,clusterrolebindings", "-o", "name"
    ).stdout
    found += [item for item in named.split() if rel.name in item]
    return sorted(set(found))


def assert_uninstall_leaves_nothing(rel: Release) -> None:
    rel.uninstall()

    def nothing_left() -> bool:
        left = leftovers(rel)
        if left:
            raise AssertionError(f"still there: {left}")  # wait_until reports the last one
        return True

    cluster.wait_until(f"nothing of {rel.name} left after helm uninstall", nothing_left, GONE_TIMEOUT)


def test_helm_uninstall_leaves_no_resource_of_the_release(release: Release) -> None:
    if not release.installed:
        release.apply(e2e_values.READONLY)
    assert leftovers(release), "the selector finds nothing even while installed: the labels are missing"
    assert_uninstall_leaves_nothing(release)


def test_helm_uninstall_of_the_unready_release_leaves_nothing_either(
    unreachable_release: tuple[Release, AssertionError | None],
) -> None:
    rel, install_error = unreachable_release
    if install_error:
        raise install_error
    assert_uninstall_leaves_nothing(rel)
