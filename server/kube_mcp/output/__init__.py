"""Output: what a tool's answer looks like, and what it must never contain.

    sanitize   strip ANSI escapes, control characters and bidi/invisible marks from cluster text
    redact     Secret values, literal env values, last-applied annotations, managedFields
    table      the API server's Table (meta.k8s.io) as aligned columns
    render     yaml/json/name rendering of objects and lists
    caps       the response cap: cut at a line or item boundary, and say how to get the rest

Every string that came from the cluster passes `sanitize` before a model sees it; every object
passes `redact`. Both run in the tools' shared paths, not in each tool.
"""
