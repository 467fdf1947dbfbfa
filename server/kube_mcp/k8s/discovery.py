"""Resource types: what the cluster serves, cached, and resolved from what a user types.

Discovery is fetched the cheap way first: aggregated discovery (`apidiscovery.k8s.io/v2`, GA in
Kubernetes 1.30) returns every group, version and resource in two requests (/api and /apis).
Older servers get the legacy walk: /api, /apis, then one request per group version (in parallel,
a failing aggregated API such as metrics.k8s.io is skipped, like kubectl does).

The index keeps discovery's order: the core group first, then groups in the server's priority
order, each group's preferred version first. The first match wins, which is kubectl's choice for
`events` (core, not events.k8s.io). A miss refreshes the cache once, so a CRD created a moment ago
is found; the cache also expires after CACHE_SECONDS so deleted CRDs disappear.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from typing import Any

import anyio

from kube_mcp.k8s import errors, rest, translate, types

CACHE_SECONDS = 600.0  # CRDs come and go rarely; a miss refreshes anyway
AGGREGATED_ACCEPT = (
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
    "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,"
    "application/json"
)
_VERSION = re.compile(r"v\d+(?:(?:alpha|beta)\d+)?")


def parse_aggregated(doc: dict[str, Any]) -> list[types.ResourceRef]:
    """Refs from an APIGroupDiscoveryList (from /api or /apis), in discovery order."""
    refs = []
    for group in _dicts(doc.get("items")):
        name = (group.get("metadata") or {}).get("name") or ""
        for version in _dicts(group.get("versions")):
            for res in _dicts(version.get("resources")):
                kind = (res.get("responseKind") or {}).get("kind") or ""
                refs.append(
                    _ref(
                        name,
                        version.get("version"),
                        res.get("resource"),
                        kind,
                        res.get("scope") == "Namespaced",
                        res,
                        res.get("singularResource"),
                    )
                )
    return [r for r in refs if r is not None]


def parse_resource_list(doc: dict[str, Any]) -> list[types.ResourceRef]:
    """Refs from a legacy APIResourceList (/api/v1, /apis/apps/v1, ...); subresources skipped."""
    group, _, version = str(doc.get("groupVersion") or "").rpartition("/")
    refs = [
        _ref(
            group,
            version,
            res.get("name"),
            res.get("kind") or "",
            bool(res.get("namespaced")),
            res,
            res.get("singularName"),
        )
        for res in _dicts(doc.get("resources"))
    ]
    return [r for r in refs if r is not None]


def group_versions(doc: dict[str, Any]) -> list[str]:
    """`apps/v1`, ... from an APIGroupList: each group's preferred version first."""
    out = []
    for group in _dicts(doc.get("groups")):
        preferred = (group.get("preferredVersion") or {}).get("groupVersion")
        versions = [v.get("groupVersion") for v in _dicts(group.get("versions"))]
        out += [gv for gv in [preferred, *versions] if isinstance(gv, str) and gv]
    return list(dict.fromkeys(out))


def find(refs: Iterable[types.ResourceRef], text: str) -> types.ResourceRef | None:
    """kubectl's resolution: `po`, `pods`, `pod`, `Pod`, `deploy`, `deployments.apps`,
    `deployment.v1.apps`, CRD plurals/kinds/short names; case-insensitive; first match wins."""
    wanted = text.strip().lower()
    candidates: list[tuple[str, str | None, str | None]] = [(wanted, None, None)]
    name, dot, rest_ = wanted.partition(".")
    if dot:
        first, _, tail = rest_.partition(".")
        if _VERSION.fullmatch(first):
            candidates.append((name, first, tail))  # deployment.v1.apps; pods.v1 is the core group
        candidates.append((name, None, rest_))  # deployments.apps, certificates.cert-manager.io
    ordered = tuple(refs)
    for name, version, group in candidates:
        for ref in ordered:
            if (
                (group is None or ref.group.lower() == group)
                and (version is None or ref.version == version)
                and name in _names(ref)
            ):
                return ref
    return None


class Discovery:
    """The cached index of one cluster; `resolve` is the only entry point."""

    def __init__(self, client: rest.Rest, *, aggregated: bool = True) -> None:
        self._rest = client
        self._aggregated = aggregated
        self._refs: tuple[types.ResourceRef, ...] = ()
        self._loaded_at = float("-inf")
        self._generation = 0  # bumped per load, so concurrent misses share one refresh
        self._lock: anyio.Lock | None = None

    async def resolve(self, text: str) -> types.ResourceRef:
        just_loaded = time.monotonic() - self._loaded_at > CACHE_SECONDS
        if just_loaded:
            await self._refresh(self._generation)
        seen = self._generation
        found = find(self._refs, text)
        if found is None and not just_loaded:
            await self._refresh(seen)
            found = find(self._refs, text)
        if found is None:
            raise errors.UnknownResource(
                f'The cluster serves no resource type "{translate.clean(text, 100)}"; give a plural, '
                "singular, short name or Kind, optionally with its API group (deployments.apps)."
            )
        return found

    async def _refresh(self, seen: int) -> None:
        self._lock = self._lock or anyio.Lock()
        async with self._lock:
            if self._generation != seen:
                return  # another task refreshed while we waited
            refs = await self._load_aggregated() if self._aggregated else None
            self._refs = tuple(refs if refs is not None else await self._load_legacy())
            self._loaded_at = time.monotonic()
            self._generation += 1

    async def _load_aggregated(self) -> list[types.ResourceRef] | None:
        """None when the server does not speak aggregated discovery."""
        refs = []
        for path in ("/api", "/apis"):
            doc = await self._get(path, AGGREGATED_ACCEPT)
            if doc.get("kind") != "APIGroupDiscoveryList":
                return None
            refs += parse_aggregated(doc)
        return refs

    async def _load_legacy(self) -> list[types.ResourceRef]:
        core = await self._get("/api", rest.JSON_TYPE)
        paths = [f"/api/{v}" for v in core.get("versions") or [] if isinstance(v, str)]
        paths += [f"/apis/{gv}" for gv in group_versions(await self._get("/apis", rest.JSON_TYPE))]
        found: dict[str, list[types.ResourceRef]] = {}

        async def fetch(path: str) -> None:
            try:
                found[path] = parse_resource_list(await self._get(path, rest.JSON_TYPE))
            except errors.KubeError:
                found[path] = []  # an unavailable aggregated API must not hide every other type

        async with anyio.create_task_group() as tg:
            for path in paths:
                tg.start_soon(fetch, path)
        return [ref for path in paths for ref in found.get(path, [])]

    async def _get(self, path: str, accept: str) -> dict[str, Any]:
        context = translate.Context(verb="get", resource="API discovery", namespaced=False)
        return await self._rest.json(rest.Request("discovery", "GET", path, context, accept=accept))


def _ref(
    group: str, version: Any, resource: Any, kind: str, namespaced: bool, res: dict[str, Any], singular: Any
) -> types.ResourceRef | None:
    if not isinstance(version, str) or not isinstance(resource, str) or not resource or "/" in resource:
        return None
    return types.ResourceRef(
        group=group,
        version=version,
        resource=resource,
        kind=kind,
        namespaced=namespaced,
        verbs=frozenset(v for v in res.get("verbs") or [] if isinstance(v, str)),
        short_names=tuple(s for s in res.get("shortNames") or [] if isinstance(s, str)),
        singular=singular if isinstance(singular, str) else "",
    )


def _names(ref: types.ResourceRef) -> set[str]:
    names = {ref.resource.lower(), ref.kind.lower(), (ref.singular or ref.kind).lower()}
    return names | {s.lower() for s in ref.short_names}


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
