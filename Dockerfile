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
# Installed non-editable, without bytecode yet: the trimming below decides what gets compiled.
RUN python3 -m venv /opt/venv \
 && /opt/venv/bin/python -m pip install --no-compile /src
# Trim what the server never runs:
#  - kubernetes.aio, a second, asynchronous copy of the generated client (36 MB of sources), and
#    aiohttp with its helpers, needed only by it: kube_mcp.k8s uses the synchronous client in worker
#    threads. The import check below fails the build if the synchronous client stops importing.
#  - pip and setuptools: nothing is installed at run time.
RUN SITE="$(/opt/venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" \
 && /opt/venv/bin/python -m pip uninstall --yes --quiet \
      aiohttp aiohttp-retry aiohappyeyeballs aiosignal frozenlist multidict yarl propcache \
 && rm -rf "$SITE/kubernetes/aio" \
 && find "$SITE/kubernetes" -name '*_test.py' -delete \
 && /opt/venv/bin/python -c 'import kube_mcp.cli, kubernetes.client, kubernetes.config, kubernetes.stream, kubernetes.watch' \
 && /opt/venv/bin/python -m pip uninstall --yes --quiet pip setuptools wheel
# Bytecode is compiled here because the root filesystem is read-only at run time (no __pycache__
# writes: without it every pod start would recompile what it imports). The generated kubernetes
# client (34 MB of sources) ships as bytecode only (`-b` puts foo.pyc beside foo.py, then the
# sources go), which keeps tracebacks' file and line numbers but not the source lines.
RUN SITE="$(/opt/venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" \
 && find /opt/venv -name __pycache__ -prune -exec rm -rf {} + \
 && /opt/venv/bin/python -m compileall -q -j 0 -b "$SITE/kubernetes" \
 && find "$SITE/kubernetes" -name '*.py' -delete \
 && /opt/venv/bin/python -m compileall -q -j 0 --invalidation-mode unchecked-hash /opt/venv/lib \
 && /opt/venv/bin/python -c 'import kube_mcp.cli, kubernetes.client'

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
