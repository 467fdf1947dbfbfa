"""`Cluster`, the `types.ClusterApi` the tools use, and `connect()`, which builds it cheaply.

`connect()` reads nothing and imports nothing heavy: credentials are chosen on first need (see
`sources` for the precedence) and urllib3 is loaded by the first request (the `kubernetes` package
only for kubeconfig users with exec plugins or auth-providers, see `_plugin`). Every
method is one or two `rest.Request`s; lists, gets and writes travel as raw JSON (no generated model
objects), and `as_table` asks the API server for its Table rendering (the columns kubectl shows).
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote

from kube_mcp import config
from kube_mcp.k8s import authn, connection, discovery, rest, sources, translate, types

TABLE_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"
FIELD_MANAGER = "kube-mcp"  # names our writes in managedFields


def connect(
    settings: config.Settings,
    *,
    on_request: rest.OnRequest | None = None,
    environ: Mapping[str, str] | None = None,
    sa_dir: str = sources.SA_DIR,
    aggregated_discovery: bool = True,
) -> Cluster:
    """A Cluster for `settings`; no I/O, no `kubernetes` import. `environ` is read only for the
    in-cluster variables KUBERNETES_SERVICE_HOST/PORT; the command line passes the process's."""
    return Cluster(
        settings,
        on_request=on_request,
        environ={} if environ is None else environ,
        sa_dir=sa_dir,
        aggregated_discovery=aggregated_discovery,
    )


class Cluster:
    """One API server, reached with the credentials `sources` picks; safe to share across tasks."""

    def __init__(
        self,
        settings: config.Settings,
        *,
        on_request: rest.OnRequest | None,
        environ: Mapping[str, str],
        sa_dir: str,
        aggregated_discovery: bool,
    ) -> None:
        self._settings = settings
        self._environ = environ
        self._sa_dir = sa_dir
        self._chosen: sources.Source | None = None
        self._connection = connection.Connection(self._source, timeout=settings.request_timeout)
        self._rest = rest.Rest(self._connection, read_retries=settings.read_retries, on_request=on_request)
        self._discovery = discovery.Discovery(self._rest, aggregated=aggregated_discovery)

    @property
    def default_namespace(self) -> str:
        """Chosen on first use (reads a small local file at most once)."""
        return self._source().namespace

    @property
    def workers_busy(self) -> int:
        return self._rest.workers_busy

    def close(self) -> None:
        """Drop kept-alive connections (the next request opens new ones)."""
        self._connection.close()

    async def resolve(self, resource_type: str) -> types.ResourceRef:
        return await self._discovery.resolve(resource_type)

    async def list(
        self,
        ref: types.ResourceRef,
        *,
        namespace: str | None,
        label_selector: str | None = None,
        field_selector: str | None = None,
        limit: int = 100,
        continue_token: str | None = None,
        as_table: bool = True,
    ) -> types.ListPage:
        query = {
            "labelSelector": label_selector,
            "fieldSelector": field_selector,
            "limit": max(1, limit),
            "continue": continue_token,
        }
        context = self._context("list", ref, namespace=namespace, continued=bool(continue_token))
        path = rest.with_query(ref.path(_segment(namespace)), query)
        body = await self._rest.json(rest.Request("list", "GET", path, context, accept=_accept(as_table)))
        meta = types.as_object(body.get("metadata"))
        remaining = meta.get("remainingItemCount")
        return types.ListPage(
            body, meta.get("continue") or None, remaining if isinstance(remaining, int) else None
        )

    async def get(
        self, ref: types.ResourceRef, name: str, *, namespace: str | None, as_table: bool = False
    ) -> types.JSON:
        path = ref.path(_segment(namespace), _segment(name))
        context = self._context("get", ref, name=name, namespace=namespace)
        return await self._rest.json(rest.Request("get", "GET", path, context, accept=_accept(as_table)))

    async def create(self, ref: types.ResourceRef, body: types.JSON, *, namespace: str | None) -> types.JSON:
        path = rest.with_query(ref.path(_segment(namespace)), {"fieldManager": FIELD_MANAGER})
        name = types.as_object(body.get("metadata")).get("name")
        context = self._context("create", ref, name=name, namespace=namespace)
        return await self._rest.json(
            rest.Request(
                "create",
                "POST",
                path,
                context,
                body=rest.json_body(body),
                content_type=rest.JSON_TYPE,
                idempotent=False,
            )
        )

    async def patch(
        self,
        ref: types.ResourceRef,
        name: str,
        body: types.JSON,
        *,
        namespace: str | None,
        patch_type: str = "application/merge-patch+json",
        subresource: str | None = None,
    ) -> types.JSON:
        path = rest.with_query(
            ref.path(_segment(namespace), _segment(name), subresource), {"fieldManager": FIELD_MANAGER}
        )
        context = self._context("patch", ref, name=name, namespace=namespace, subresource=subresource)
        return await self._rest.json(
            rest.Request(
                "patch",
                "PATCH",
                path,
                context,
                body=rest.json_body(body),
                content_type=patch_type,
                idempotent=False,
            )
        )

    async def delete(self, ref: types.ResourceRef, name: str, *, namespace: str | None) -> types.JSON:
        path = ref.path(_segment(namespace), _segment(name))
        context = self._context("delete", ref, name=name, namespace=namespace)
        return await self._rest.json(rest.Request("delete", "DELETE", path, context, idempotent=False))

    async def logs(self, namespace: str, pod: str, options: types.LogOptions) -> str:
        limit = max(1, min(options.limit_bytes, self._settings.max_log_bytes))
        query = {
            "container": options.container,
            "tailLines": options.tail_lines,
            "sinceSeconds": options.since_seconds,
            "timestamps": options.timestamps or None,
            "previous": options.previous or None,
            "limitBytes": limit,
        }
        path = rest.with_query(f"/api/v1/namespaces/{_segment(namespace)}/pods/{_segment(pod)}/log", query)
        context = translate.Context(
            "get", "pods/log", name=pod, namespace=namespace, principal=self._source().principal
        )
        raw = await self._rest.send(rest.Request("logs", "GET", path, context, accept="*/*", max_bytes=limit))
        return raw.data.decode("utf-8", errors="replace")

    async def version(self) -> types.JSON:
        context = translate.Context("get", "version", namespaced=False, principal=self._source().principal)
        return await self._rest.json(rest.Request("version", "GET", "/version", context))

    async def whoami(self) -> str:
        return authn.username_of(await self._rest.json(authn.self_review(self._source().principal)))

    async def review_token(self, token: str, audiences: tuple[str, ...]) -> types.Identity | None:
        answer = await self._rest.json(authn.token_review(token, audiences, self._source().principal))
        return authn.identity_of(answer, audiences)

    def _source(self) -> sources.Source:
        if self._chosen is None:  # racing first calls compute the same value: no lock needed
            self._chosen = sources.select(self._settings, self._environ, sa_dir=self._sa_dir)
        return self._chosen

    def _context(
        self,
        verb: str,
        ref: types.ResourceRef,
        *,
        name: str | None = None,
        namespace: str | None = None,
        continued: bool = False,
        subresource: str | None = None,
    ) -> translate.Context:
        resource = f"{ref.resource}/{subresource}" if subresource else ref.resource
        return translate.Context(
            verb,
            resource,
            group=ref.group,
            name=name,
            namespace=namespace,
            namespaced=ref.namespaced,
            principal=self._source().principal,
            continued=continued,
        )


def _accept(as_table: bool) -> str:
    return TABLE_ACCEPT if as_table else rest.JSON_TYPE


def _segment(value: str | None) -> str | None:
    """One path segment, percent-encoded; names are validated upstream, this is the last guard."""
    return quote(value, safe="") if value else value
