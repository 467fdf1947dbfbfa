"""Plain shapes that cross the Kubernetes boundary (no `kubernetes` imports here)."""

from __future__ import annotations

import dataclasses
from typing import Any, Protocol

JSON = dict[str, Any]


def as_object(value: Any) -> JSON:
    """`value` if it is a JSON object, else {}: for walking API answers without trusting them."""
    return value if isinstance(value, dict) else {}


@dataclasses.dataclass(frozen=True, slots=True)
class ResourceRef:
    """One API resource as discovery describes it: `apps/v1 deployments (Deployment)`."""

    group: str  # "" for the core group
    version: str
    resource: str  # plural, lower case: "deployments"
    kind: str  # "Deployment"
    namespaced: bool
    verbs: frozenset[str] = frozenset()
    short_names: tuple[str, ...] = ()
    singular: str = ""  # "deployment"; discovery may leave it empty (then kind.lower() serves)

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    def path(
        self, namespace: str | None = None, name: str | None = None, subresource: str | None = None
    ) -> str:
        """The REST path: /api/v1/namespaces/ns/pods/name/log."""
        base = f"/apis/{self.group}/{self.version}" if self.group else f"/api/{self.version}"
        if self.namespaced and namespace:
            base += f"/namespaces/{namespace}"
        base += f"/{self.resource}"
        if name:
            base += f"/{name}"
        if subresource:
            base += f"/{subresource}"
        return base


@dataclasses.dataclass(frozen=True, slots=True)
class ListPage:
    """One page of a list: raw items (or Table rows), and how to get the next page."""

    body: JSON  # the API server's List or Table object, parsed from raw JSON
    continue_token: str | None  # pass back to get the next page; None when this is the last
    remaining: int | None  # remainingItemCount when the server knows it


@dataclasses.dataclass(frozen=True, slots=True)
class LogOptions:
    container: str | None = None
    tail_lines: int | None = None
    since_seconds: int | None = None
    timestamps: bool = False
    previous: bool = False
    limit_bytes: int = 65_536


@dataclasses.dataclass(frozen=True, slots=True)
class Identity:
    """Who a TokenReview says a bearer token belongs to."""

    username: str
    groups: tuple[str, ...]
    audiences: tuple[str, ...]


class ClusterApi(Protocol):
    """What the tools may ask of the cluster. Every method is async, has a timeout, and raises only
    `kube_mcp.k8s.errors.KubeError` subclasses. Implemented by `kube_mcp.k8s.cluster.Cluster`."""

    @property
    def default_namespace(self) -> str:
        """Namespace used when a tool gets none (settings, pod, kubeconfig context, or "default")."""
        ...

    async def resolve(self, resource_type: str) -> ResourceRef:
        """`po`, `pods`, `Pod`, `deploy`, `deployments.apps`, `certificates.cert-manager.io`, ... -> ref."""
        ...

    async def list(
        self,
        ref: ResourceRef,
        *,
        namespace: str | None,
        label_selector: str | None = None,
        field_selector: str | None = None,
        limit: int = 100,
        continue_token: str | None = None,
        as_table: bool = True,
    ) -> ListPage:
        """One page; namespace None lists across all namespaces (or a cluster-scoped kind)."""
        ...

    async def get(
        self, ref: ResourceRef, name: str, *, namespace: str | None, as_table: bool = False
    ) -> JSON: ...

    async def create(self, ref: ResourceRef, body: JSON, *, namespace: str | None) -> JSON: ...

    async def patch(
        self,
        ref: ResourceRef,
        name: str,
        body: JSON,
        *,
        namespace: str | None,
        patch_type: str = "application/merge-patch+json",
        subresource: str | None = None,
    ) -> JSON: ...

    async def delete(self, ref: ResourceRef, name: str, *, namespace: str | None) -> JSON: ...

    async def logs(self, namespace: str, pod: str, options: LogOptions) -> str: ...

    async def version(self) -> JSON: ...

    async def whoami(self) -> str:
        """The server's own identity (SelfSubjectReview); the cheap call behind /readyz."""
        ...

    async def review_token(self, token: str, audiences: tuple[str, ...]) -> Identity | None:
        """TokenReview naming `audiences`; None when the token is not valid for them."""
        ...
