"""kube-mcp: a Kubernetes MCP server made to run inside the cluster."""

__version__ = "0.1.0"
