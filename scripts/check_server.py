"""Check that `npm start`'s Jupyter server runs a chapter with the project's tslab kernel.

Usage: check_server.py BASE_URL TOKEN NOTEBOOK_NAME
Starts a kernel through the server's REST API, runs every code cell of the chapter over the kernel websocket,
and fails on the first cell that errors or writes to stderr. Prints the number of cells and display outputs.
"""
import json
import sys
import uuid
import urllib.request

from tornado import gen, ioloop, websocket


def api(base, token, path, method="GET", body=None):
    req = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Authorization": "token " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        data = r.read()
        return json.loads(data) if data else None


@gen.coroutine
def main():
    base, token, name = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
    specs = api(base, token, "/api/kernelspecs")
    assert "tslab" in specs["kernelspecs"], "the server does not list the tslab kernel"
    nb = api(base, token, "/api/contents/" + name)["content"]
    session = api(base, token, "/api/sessions", "POST", {"path": name, "type": "notebook", "kernel": {"name": "tslab"}})
    kid = session["kernel"]["id"]
    ws_url = base.replace("http", "ws", 1) + "/api/kernels/%s/channels?token=%s" % (kid, token)
    conn = yield websocket.websocket_connect(ws_url)
    displays = 0
    cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    try:
        for i, cell in enumerate(cells):
            msg_id = uuid.uuid4().hex
            conn.write_message(json.dumps({
                "header": {"msg_id": msg_id, "username": "check", "session": uuid.uuid4().hex, "msg_type": "execute_request", "version": "5.3"},
                "parent_header": {}, "metadata": {}, "channel": "shell",
                "content": {"code": cell["source"], "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False},
            }))
            status = None
            while True:
                raw = yield gen.with_timeout(ioloop.IOLoop.current().time() + 120, conn.read_message())
                if raw is None:
                    raise SystemExit("the kernel websocket closed")
                msg = json.loads(raw)
                if "-v" in sys.argv: print(msg["header"]["msg_type"], msg.get("parent_header", {}).get("msg_id"), str(msg.get("content"))[:100])
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                t = msg["header"]["msg_type"]
                if t == "display_data":
                    displays += 1
                elif t == "stream" and msg["content"]["name"] == "stderr":
                    raise SystemExit("cell %d wrote to stderr:\n%s" % (i + 1, msg["content"]["text"]))
                elif t == "error":
                    raise SystemExit("cell %d failed: %s" % (i + 1, msg["content"]["evalue"]))
                elif t == "execute_reply":
                    status = msg["content"]["status"]
                if t == "status" and msg["content"]["execution_state"] == "idle" and status is not None:
                    break
            if status != "ok":
                raise SystemExit("cell %d: execute_reply status %s" % (i + 1, status))
    finally:
        api(base, token, "/api/sessions/" + session["id"], "DELETE")
    print("server check: %s ran %d code cells through the server's tslab kernel, %d display outputs" % (name, len(cells), displays))


if __name__ == "__main__":
    ioloop.IOLoop.current().run_sync(main)
