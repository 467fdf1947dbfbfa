# kube-mcp server image: the package in a virtualenv on a slim Python, run as uid 10001, serving
# MCP over HTTP on port 3000 (/sse, /messages, /mcp, /healthz, /readyz, /metrics).
#
#   docker build -t kube-mcp:0.1.0 .
#   docker build --build-arg BASE_IMAGE=kube-mcp-base:bookworm -t kube-mcp:test .   # offline base
#
# Only syntax the classic builder knows (no RUN --mount, no heredocs): some of our machines have no
# BuildKit. BASE_IMAGE must be a Debian-like image with python3 (>= 3.11) and its venv module; the
# build and the final stage use the same one, so the venv's interpreter path (/usr/local/bin/python3
# in the official image, /usr/bin/python3 in Debian's) exists in both.
ARG BASE_IMAGE=python:3.11.14-slim-bookworm

FROM ${BASE_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PIP_ROOT_USER_ACTION=ignore PYTHONDONTWRITEBYTECODE=1
COPY . /src
# Installed non-editable, without bytecode yet: it is compiled once the trimming below is done.
RUN python3 -m venv /opt/venv \
 && /opt/venv/bin/python -m pip install --no-compile /src
# Trim what the server never runs:
#  - the `kubernetes` package (25 MB of generated client) and the dependencies only it needs
#    (aiohttp and its helpers, requests, requests-oauthlib, oauthlib, websocket-client, durationpy,
#    python-dateutil, tzdata, certifi, charset-normalizer). kube_mcp.k8s speaks REST over
#    urllib3 and reads kubeconfigs itself; it imports `kubernetes` only for kubeconfig users with an
#    exec plugin or auth-provider (cloud CLIs, OIDC). This image has no plugin binaries (no cloud
#    CLIs), so that one unique feature cannot run here; such a kubeconfig gets a one-sentence error.
#    `kubernetes` stays a dependency of the package for local installs. `pip check` fails the build
#    if anything left still needs a removed package (kube-mcp's own need of `kubernetes` excepted).
#  - pip and setuptools: nothing is installed at run time.
RUN /opt/venv/bin/python -m pip uninstall --yes --quiet \
      kubernetes aiohttp aiohttp-retry aiohappyeyeballs aiosignal frozenlist multidict yarl propcache \
      requests requests-oauthlib oauthlib websocket-client durationpy python-dateutil tzdata \
      certifi charset-normalizer \
 && ! /opt/venv/bin/python -m pip check \
      | grep -v -e '^kube-mcp [^ ]* requires kubernetes, which is not installed' -e '^No broken' \
 && /opt/venv/bin/python -m pip uninstall --yes --quiet pip setuptools wheel
# Bytecode is compiled here because the root filesystem is read-only at run time (no __pycache__
# writes: without it every pod start would recompile what it imports). The check after it fails
# the build if the server's connection path (a pool built from plain connection facts, and the
# kubeconfig reader) imports `kubernetes`, or if the package is still installed.
RUN find /opt/venv -name __pycache__ -prune -exec rm -rf {} + \
 && /opt/venv/bin/python -m compileall -q -j 0 --invalidation-mode unchecked-hash /opt/venv/lib \
 && /opt/venv/bin/python -c "import sys, importlib.util, kube_mcp.cli; \
from kube_mcp.k8s import _client, kubeconfig, sources; \
_client.build(sources.Source('server', 'default', server='https://127.0.0.1:1', token='t'), None); \
kubeconfig.from_text('current-context: x\ncontexts: [{name: x, context: {cluster: c}}]\n' \
  'clusters: [{name: c, cluster: {server: https://127.0.0.1:1}}]', None); \
assert 'kubernetes' not in sys.modules and importlib.util.find_spec('kubernetes') is None"

FROM ${BASE_IMAGE}
LABEL org.opencontainers.image.title="kube-mcp" \
      org.opencontainers.image.description="A safe, lean Kubernetes MCP server made to run inside the cluster" \
      org.opencontainers.image.version="0.1.0" \
      org.opencontainers.image.licenses="Apache-2.0"
# A named user for tools that look one up; Kubernetes runs it by number (runAsUser: 10001).
RUN useradd --uid 10001 --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin --no-log-init kube-mcp
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    ENABLE_UNSAFE_SSE_TRANSPORT=1 \
    HOST=0.0.0.0 \
    PORT=3000
USER 10001:10001
EXPOSE 3000
ENTRYPOINT ["kube-mcp"]
