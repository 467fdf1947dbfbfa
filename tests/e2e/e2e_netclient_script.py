"""Runs INSIDE a client pod (`python3 -c <this file>`): calls kube-mcp through its Service DNS name.

Standard library only, since the pod runs the kube-mcp image and nothing can be pulled. For each
bearer token case it does a Streamable HTTP initialize and, when let in, one `list_namespaces`
call, then prints one line `E2E-RESULT <json>` that the test reads from the pod's log.
Environment: URL (the /mcp URL), TOKEN (the chart's static token), AUD_TOKEN (a ServiceAccount
token minted for the audience kube-mcp; optional).
"""

import json
import os
import urllib.error
import urllib.request

URL = os.environ["URL"]
SA_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token"  # audience: the API server
INIT = {
    "jsonrpc": "2.0", "id": 1, "method": "initialize",
    "params": {"protocolVersion": "2025-11-25", "capabilities": {},
               "clientInfo": {"name": "e2e-netclient", "version": "1"}},
}  # fmt: skip
CALL = {
    "jsonrpc": "2.0",
    "id": 2,
    "method": "tools/call",
    "params": {"name": "list_namespaces", "arguments": {}},
}


def post(body, token, session=None):
    headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
    if token:
        headers["Authorization"] = "Bearer " + token
    if session:
        headers["Mcp-Session-Id"] = session
    request = urllib.request.Request(URL, data=json.dumps(body).encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.headers.get("mcp-session-id"), response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, None, err.read().decode(errors="replace")
    except OSError as err:
        return -1, None, repr(err)


def messages(text):
    """JSON-RPC messages of a response: a JSON body, or the data lines of an SSE body."""
    text = text.strip()
    if text.startswith("{"):
        return [json.loads(text)]
    data = [line[5:].strip() for line in text.splitlines() if line.startswith("data:")]
    return [json.loads(item) for item in data if item]


def attempt(token):
    status, session, body = post(INIT, token)
    outcome = {"initialize": status, "body": body[:300]}
    if status != 200:
        return outcome
    post({"jsonrpc": "2.0", "method": "notifications/initialized"}, token, session)
    status, _, body = post(CALL, token, session)
    answers = [m for m in messages(body) if m.get("id") == 2] if status == 200 else []
    outcome.update(call=status, body=body[:2000], result=answers[0].get("result") if answers else None)
    return outcome


def main():
    cases = {"none": None, "wrong": "not-the-configured-token", "static": os.environ["TOKEN"]}
    if os.path.exists(SA_TOKEN):
        with open(SA_TOKEN) as handle:
            cases["apiserver_audience"] = handle.read().strip()
    if os.environ.get("AUD_TOKEN"):
        cases["kube_mcp_audience"] = os.environ["AUD_TOKEN"]
    print("E2E-RESULT " + json.dumps({name: attempt(token) for name, token in cases.items()}), flush=True)


main()
