"""`python -m kube_mcp` runs the command line."""

from kube_mcp import cli

raise SystemExit(cli.main())
