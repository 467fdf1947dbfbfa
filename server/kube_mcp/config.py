"""Settings: one frozen object built from the environment and command-line flags.

Every setting is declared once in `SPECS` with its environment variable, its flag, its type, its
default and a line saying why. `from_env(environ, argv)` is the only place that reads either; no
other module looks at `os.environ`. The seed's names (`ENABLE_UNSAFE_SSE_TRANSPORT`, `PORT`,
`HOST`, `ALLOW_ONLY_NON_DESTRUCTIVE_TOOLS`, `KUBECONFIG_PATH`, `K8S_SERVER`, ...) work as the seed
documents them. A bad value raises `ConfigError` with one line naming the variable.
"""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Any

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})


class ConfigError(ValueError):
    """A setting has a value we cannot use; the message names the variable in one line."""


@dataclasses.dataclass(frozen=True, slots=True)
class Settings:
    """Everything the server needs to know at start, fixed for the life of the process."""

    # --- transport ---
    http: bool = False  # serve MCP over HTTP (/sse, /messages, /mcp) instead of stdio
    host: str = "127.0.0.1"  # loopback by default; the container image sets 0.0.0.0
    port: int = 3000  # the seed's default port
    stateless: bool = False  # /mcp without sessions, so several replicas need no affinity
    allowed_hosts: tuple[str, ...] = ()  # extra Host header values for MCP routes (name or name:*)
    allowed_origins: tuple[str, ...] = ()  # extra Origin values for MCP routes
    service_name: str | None = None  # our Service's name: its DNS forms join the Host allow-list
    max_body_bytes: int = 1_048_576  # 1 MiB: a tool call is a few KiB; larger bodies get 413
    drain_seconds: float = 10.0  # SIGTERM: how long in-flight calls may finish before exit
    # --- callers ---
    trust_loopback: bool = True  # loopback peers are the kubectl port-forward path (see README)
    auth_token: str | None = None  # a static bearer token network callers may present
    auth_token_file: str | None = None  # the same, read from a file (a mounted Secret)
    token_audience: str = "kube-mcp"  # noqa: S105 - audience of ServiceAccount tokens we accept ("" = none)
    unsafe_allow_unauthenticated: bool = False  # let network peers in without a token (loud)
    rate_limit: float = (
        20.0  # MCP requests a second per caller (a tool call is 1, a session ~5 more); 0 = off
    )
    rate_burst: int = 40  # requests one caller may send at once before the rate applies
    # --- modes ---
    read_only: bool = False  # only tools that never write
    non_destructive: bool = False  # no delete/uninstall/cleanup tools (the seed's mode)
    allowed_tools: tuple[str, ...] | None = None  # if set, only these tools exist
    # --- cluster access ---
    kubeconfig: str | None = None  # path(s) of a kubeconfig; default ~/.kube/config
    kubeconfig_yaml: str | None = None  # a whole kubeconfig in one variable
    context: str | None = None  # kubeconfig context; default the current one
    k8s_server: str | None = None  # API server URL, used with k8s_token
    k8s_token: str | None = None  # bearer token for k8s_server
    k8s_ca_data: str | None = None  # base64 PEM CA for k8s_server
    k8s_skip_tls_verify: bool = False  # only for k8s_server; never the default
    default_namespace: str | None = None  # default: the pod's namespace, else kubeconfig's, else default
    request_timeout: float = 10.0  # seconds to wait for an API response (connect and read)
    read_retries: int = 3  # retries of a read on 429/5xx; writes are never retried
    # --- output ---
    max_response_chars: int = 20_000  # ~5k tokens: enough for a page, small for a context window
    page_size: int = 100  # objects per API list page
    redact_env_values: bool = True  # hide literal env values in pod specs (valueFrom kept)
    max_log_bytes: int = 65_536  # most log bytes fetched per call
    # --- operations ---
    log_level: str = "info"  # stderr log level
    readiness_cache_seconds: float = 5.0  # /readyz re-asks the API server at most this often


def _bool(env: str, raw: str) -> bool:
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(f"{env}: expected true or false, got {raw!r}")


def _str(env: str, raw: str) -> str | None:
    return raw.strip() or None


def _port(env: str, raw: str) -> int:
    value = _int(env, raw)
    if not 1 <= value <= 65535:
        raise ConfigError(f"{env}: expected a port from 1 to 65535, got {raw!r}")
    return value


def _int(env: str, raw: str) -> int:
    try:
        value = int(raw.strip())
    except ValueError:
        raise ConfigError(f"{env}: expected a whole number, got {raw!r}") from None
    if value < 0:
        raise ConfigError(f"{env}: expected a number of 0 or more, got {raw!r}")
    return value


def _seconds(env: str, raw: str) -> float:
    try:
        value = float(raw.strip())
    except ValueError:
        raise ConfigError(f"{env}: expected a number of seconds, got {raw!r}") from None
    if not 0 < value <= 3600:
        raise ConfigError(f"{env}: expected seconds between 0 and 3600, got {raw!r}")
    return value


def _rate(env: str, raw: str) -> float:
    try:
        value = float(raw.strip())
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1_000_000:  # also refuses nan and inf
        raise ConfigError(f"{env}: expected 0 (off) to 1000000 requests a second, got {raw!r}")
    return value


def _list(env: str, raw: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in raw.split(",") if item.strip())


def _log_level(env: str, raw: str) -> str:
    level = raw.strip().lower()
    if level not in {"debug", "info", "warning", "error"}:
        raise ConfigError(f"{env}: expected debug, info, warning or error, got {raw!r}")
    return level


@dataclasses.dataclass(frozen=True, slots=True)
class Spec:
    """One setting: where it comes from and how its text becomes a value."""

    field: str
    env: str
    flag: str
    cast: Callable[[str, str], Any]
    help: str
    aliases: tuple[str, ...] = ()  # other environment names accepted (first found wins)
    is_switch: bool = False  # a flag without a value (sets "true")


# One setting a line or two reads better than the formatter's seven lines a setting.
# fmt: off
SPECS: tuple[Spec, ...] = (
    Spec("http", "ENABLE_UNSAFE_SSE_TRANSPORT", "--http", _bool,
         "serve MCP over HTTP (/sse, /messages, /mcp) instead of stdio", is_switch=True),
    Spec("host", "HOST", "--host", lambda e, r: r.strip(), "address to listen on (default 127.0.0.1)"),
    Spec("port", "PORT", "--port", _port, "port to listen on (default 3000)"),
    Spec("stateless", "KUBE_MCP_STATELESS", "--stateless", _bool,
         "serve /mcp without sessions (for several replicas); /sse stays per-process", is_switch=True),
    Spec("allowed_hosts", "KUBE_MCP_ALLOWED_HOSTS", "--allowed-hosts", _list,
         "extra Host values accepted on MCP routes, comma-separated (name or name:*)"),
    Spec("allowed_origins", "KUBE_MCP_ALLOWED_ORIGINS", "--allowed-origins", _list,
         "extra Origin values accepted on MCP routes, comma-separated"),
    Spec("service_name", "KUBE_MCP_SERVICE_NAME", "--service-name", _str,
         "our Service's name; its cluster DNS names join the Host allow-list"),
    Spec("max_body_bytes", "KUBE_MCP_MAX_BODY_BYTES", "--max-body-bytes", _int,
         "largest accepted request body in bytes (default 1048576)"),
    Spec("drain_seconds", "KUBE_MCP_DRAIN_SECONDS", "--drain-seconds", _seconds,
         "on SIGTERM, seconds in-flight calls get to finish (default 10)"),
    Spec("trust_loopback", "KUBE_MCP_TRUST_LOOPBACK", "--trust-loopback", _bool,
         "accept loopback peers (the kubectl port-forward path) without a token (default true)"),
    Spec("auth_token", "KUBE_MCP_AUTH_TOKEN", "--auth-token", _str,
         "static bearer token that network callers may present"),
    Spec("auth_token_file", "KUBE_MCP_AUTH_TOKEN_FILE", "--auth-token-file", _str,
         "file holding the static bearer token (re-read when it changes)"),
    Spec("token_audience", "KUBE_MCP_TOKEN_AUDIENCE", "--token-audience", lambda e, r: r.strip(),
         "audience of ServiceAccount tokens accepted via TokenReview (default kube-mcp; empty: off)"),
    Spec("unsafe_allow_unauthenticated", "KUBE_MCP_UNSAFE_ALLOW_UNAUTHENTICATED",
         "--unsafe-allow-unauthenticated", _bool,
         "UNSAFE: let network peers call without a token", is_switch=True),
    Spec("rate_limit", "KUBE_MCP_RATE_LIMIT", "--rate-limit", _rate,
         "MCP requests a second per caller, over it 429 + Retry-After (default 20; 0: off)"),
    Spec("rate_burst", "KUBE_MCP_RATE_BURST", "--rate-burst", _int,
         "requests a caller may send at once before the rate applies (default 40)"),
    Spec("read_only", "ALLOW_ONLY_READONLY_TOOLS", "--read-only", _bool,
         "only tools that never change the cluster", is_switch=True),
    Spec("non_destructive", "ALLOW_ONLY_NON_DESTRUCTIVE_TOOLS", "--non-destructive", _bool,
         "no delete/uninstall/cleanup tools (the seed's mode)", is_switch=True),
    Spec("allowed_tools", "ALLOWED_TOOLS", "--allowed-tools", _list,
         "comma-separated tool names; only these exist"),
    Spec("kubeconfig", "KUBECONFIG", "--kubeconfig", _str,
         "kubeconfig path (default ~/.kube/config)", aliases=("KUBECONFIG_PATH",)),
    Spec("kubeconfig_yaml", "KUBECONFIG_YAML", "--kubeconfig-yaml", _str, "a whole kubeconfig as YAML text"),
    Spec("context", "KUBE_MCP_CONTEXT", "--context", _str, "kubeconfig context (default the current one)"),
    Spec("k8s_server", "K8S_SERVER", "--k8s-server", _str, "API server URL (with K8S_TOKEN)"),
    Spec("k8s_token", "K8S_TOKEN", "--k8s-token", _str, "bearer token for K8S_SERVER"),
    Spec("k8s_ca_data", "K8S_CA_DATA", "--k8s-ca-data", _str, "base64 PEM CA bundle for K8S_SERVER"),
    Spec("k8s_skip_tls_verify", "K8S_SKIP_TLS_VERIFY", "--k8s-skip-tls-verify", _bool,
         "do not verify K8S_SERVER's certificate (testing only)", is_switch=True),
    Spec("default_namespace", "KUBE_MCP_DEFAULT_NAMESPACE", "--default-namespace", _str,
         "namespace used when a tool gets none (default: pod's, kubeconfig's, or default)"),
    Spec("request_timeout", "KUBE_MCP_REQUEST_TIMEOUT", "--request-timeout", _seconds,
         "seconds to wait for each API server response (default 10)"),
    Spec("read_retries", "KUBE_MCP_READ_RETRIES", "--read-retries", _int,
         "retries of a read on 429/5xx, honouring Retry-After (default 3)"),
    Spec("max_response_chars", "KUBE_MCP_MAX_RESPONSE_CHARS", "--max-response-chars", _int,
         "largest tool answer in characters; the rest is cut with a note (default 20000)"),
    Spec("page_size", "KUBE_MCP_PAGE_SIZE", "--page-size", _int, "objects per list page (default 100)"),
    Spec("redact_env_values", "KUBE_MCP_REDACT_ENV_VALUES", "--redact-env-values", _bool,
         "hide literal env values in pod specs (default true)"),
    Spec("max_log_bytes", "KUBE_MCP_MAX_LOG_BYTES", "--max-log-bytes", _int,
         "most log bytes fetched per call (default 65536)"),
    Spec("log_level", "KUBE_MCP_LOG_LEVEL", "--log-level", _log_level, "debug, info, warning or error"),
    Spec("readiness_cache_seconds", "KUBE_MCP_READINESS_CACHE_SECONDS", "--readiness-cache-seconds",
         _seconds, "how long /readyz reuses its last API answer (default 5)"),
)
# fmt: on

_MINIMUMS = {
    "max_body_bytes": 1024,
    "max_response_chars": 1000,
    "page_size": 1,
    "max_log_bytes": 1024,
    "rate_burst": 1,
}


def build_parser() -> argparse.ArgumentParser:
    """The command line: every setting as a flag, with its environment variable in the help."""
    parser = argparse.ArgumentParser(
        prog="kube-mcp",
        description="Kubernetes MCP server. stdio by default; --http (ENABLE_UNSAFE_SSE_TRANSPORT=1) "
        "serves /sse, /messages, /mcp, /healthz, /readyz and /metrics on one port.",
        epilog="Every flag can also be set by the environment variable shown in brackets.",
    )
    for spec in SPECS:
        names = ", ".join((spec.env, *spec.aliases))
        if spec.is_switch:
            parser.add_argument(
                spec.flag, dest=spec.field, action="store_const", const="true", help=f"{spec.help} [{names}]"
            )
        else:
            parser.add_argument(spec.flag, dest=spec.field, metavar="VALUE", help=f"{spec.help} [{names}]")
    return parser


def from_env(environ: Mapping[str, str], argv: Sequence[str] = ()) -> Settings:
    """Build Settings from an environment mapping and flags; flags win over the environment."""
    flags = vars(build_parser().parse_args(list(argv)))
    values: dict[str, Any] = {}
    for spec in SPECS:
        source, raw = _raw_value(spec, environ, flags)
        if raw is not None:
            values[spec.field] = spec.cast(source, raw)
    for name, minimum in _MINIMUMS.items():
        if name in values and values[name] < minimum:
            spec = next(s for s in SPECS if s.field == name)
            raise ConfigError(f"{spec.env}: expected at least {minimum}, got {values[name]}")
    if values.get("auth_token") and values.get("auth_token_file"):
        raise ConfigError("KUBE_MCP_AUTH_TOKEN: set either it or KUBE_MCP_AUTH_TOKEN_FILE, not both")
    if values.get("k8s_token") and not values.get("k8s_server"):
        raise ConfigError("K8S_TOKEN: needs K8S_SERVER as well")
    return Settings(**values)


def _raw_value(spec: Spec, environ: Mapping[str, str], flags: Mapping[str, Any]) -> tuple[str, str | None]:
    if flags.get(spec.field) is not None:
        return spec.flag, str(flags[spec.field])
    for env in (spec.env, *spec.aliases):
        if env in environ:
            return env, environ[env]
    return spec.env, None
