#!/usr/bin/env python3
"""Local channel sinks for the demo: one loopback HTTP server that answers as Dooray's incoming
hooks, the Telegram Bot API and NHN Cloud SMS answer a successful send, and writes each message
it received, one JSON line per request, to the file named on the command line.

Prints its port on the first line of stdout, then serves until killed."""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

out_path = sys.argv[1]
lock = threading.Lock()


class Sink(BaseHTTPRequestHandler):
    def log_message(self, *args):  # quiet: the demo prints what matters
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        try:
            doc = json.loads(body)
        except ValueError:
            doc = {"raw": body.decode("utf-8", "replace")}
        if self.path.startswith("/services/"):
            service, answer = "dooray", {"header": {"resultCode": 0, "resultMessage": "", "isSuccessful": True}}
        elif self.path.startswith("/bot") and self.path.endswith("/sendMessage"):
            service, answer = "telegram", {"ok": True, "result": {"message_id": 1, "chat": {"id": doc.get("chat_id")}, "date": 0}}
        elif self.path.startswith("/sms/v3.0/appKeys/"):
            recipients = [{"recipientNo": r.get("recipientNo"), "resultCode": 0, "resultMessage": "SUCCESS", "recipientSeq": i + 1}
                          for i, r in enumerate(doc.get("recipientList", []))]
            service, answer = "nhn_sms", {"header": {"isSuccessful": True, "resultCode": 0, "resultMessage": "SUCCESS"},
                                          "body": {"data": {"requestId": "demo", "statusCode": "2", "sendResultList": recipients}}}
        else:
            self.send_response(404)
            self.end_headers()
            return
        with lock, open(out_path, "a", encoding="utf-8") as f:
            f.write(json.dumps({"service": service, "body": doc}, ensure_ascii=False) + "\n")
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


server = ThreadingHTTPServer(("127.0.0.1", 0), Sink)
print(server.server_address[1], flush=True)
server.serve_forever()
