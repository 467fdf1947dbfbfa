"""The transports of kube-mcp: HTTP on one port (Starlette under uvicorn), and stdio.

    /sse, /messages      legacy HTTP+SSE, in the seed's spelling          (sse.py, compat.py)
    /mcp                 Streamable HTTP, 2025-11-25 and 2026-07-28        (streamable.py)
    /healthz, /readyz    kubelet probes; /metrics for Prometheus           (health.py)
    stdin/stdout         stdio, answering requests read before EOF         (stdio.py)

The MCP routes sit behind one guard (security.py): Host and Origin allow-lists, then the caller
check (callers.py, tokens.py), then the body cap. Probes and metrics are outside it, because the
kubelet and Prometheus send `Host: <pod IP>:<port>`. `asgi.create_app` wires the HTTP side
together, `serving.serve` runs it under uvicorn, and `lifecycle.Drain` turns SIGTERM into a
bounded drain.
"""
