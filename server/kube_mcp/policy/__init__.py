"""Policy: what may be called in this mode, by whom, with which values.

The server's modes are the second wall after the ServiceAccount's RBAC. Everything here is pure:
no cluster calls, so a refusal costs zero API requests.
"""
