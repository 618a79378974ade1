"""A minimal AgentRun agent: answers /health and echoes invocations. Standard library only."""

import json
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Agent(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/health":
            self._reply(200, {"status": "ok"})
        else:
            self._reply(404, {"error": f"no route {self.path}"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        try:
            request = json.loads(self.rfile.read(length) or b"{}")
        except json.JSONDecodeError:
            self._reply(400, {"error": "body must be JSON"})
            return
        prompt = str(request.get("prompt", ""))
        self._reply(
            200,
            {
                "answer": f"You said: {prompt}",
                "environment": os.environ.get("ENVIRONMENT", "unknown"),
            },
        )

    def _reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        print(f"{self.command} {self.path} -> {args[1] if len(args) > 1 else ''}", flush=True)


if __name__ == "__main__":
    # The cloud routes to every interface; a local emulator sets HOST=127.0.0.1.
    host = os.environ.get("HOST", "0.0.0.0")
    port = int(os.environ.get("PORT", "8000"))
    print(f"agent listening on {host}:{port}", flush=True)
    ThreadingHTTPServer((host, port), Agent).serve_forever()
