"""Receives Tandem's webhooks on 127.0.0.1 and verifies each with the Standard Webhooks
reference library: the signature scheme is checked by an implementation that is not ours."""
import json
import os
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

BASE = os.environ["TANDEM_URL"]
KEY = os.environ["VENDOR_KEY"]
received = []


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        received.append(({k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def api(method, path, payload=None):
    request = urllib.request.Request(BASE + path, method=method, data=json.dumps(payload).encode() if payload is not None else None,
                                     headers={"Authorization": "Bearer " + KEY, "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as answer:
        text = answer.read()
        return json.loads(text) if text else None


def wait_for(count, seconds=20):
    deadline = time.time() + seconds
    while len(received) < count and time.time() < deadline:
        time.sleep(0.2)
    assert len(received) >= count, f"expected {count} deliveries, got {len(received)}"


server = HTTPServer(("127.0.0.1", 0), Receiver)
threading.Thread(target=server.serve_forever, daemon=True).start()
hook_url = f"http://127.0.0.1:{server.server_address[1]}/hook"

endpoint = api("POST", "/api/v1/webhooks", {"url": hook_url, "events": ["partnership.created", "customer.created", "reward.created"]})
secret = endpoint["secret"]
assert secret.startswith("whsec_")
api("POST", "/api/v1/programs", {"name": "Hooks", "slug": "hooks", "currency": "USD", "default_destination": "https://hooks.example/"})
api("POST", "/api/v1/programs/hooks/reward-rules", {"trigger": "signup", "kind": "flat", "amount": 500})
partnership = api("POST", "/api/v1/partnerships", {"program": "hooks", "email": "partner@hooks.example", "name": "Hook Partner"})
api("POST", "/api/v1/customers", {"program": "hooks", "key": "cus_1", "partner_key": partnership["partner_key"]})
wait_for(3)

verifier = Webhook(secret)
types = []
for headers, body in received:
    payload = verifier.verify(body, headers)
    types.append(payload["type"])
    try:
        verifier.verify(body + b" ", headers)
        raise SystemExit("a changed body verified")
    except WebhookVerificationError:
        pass
assert sorted(types) == ["customer.created", "partnership.created", "reward.created"], types
print("verified", len(received), "deliveries with standardwebhooks:", ", ".join(types))

# After a rotation both secrets verify for 24 hours.
rotated = api("POST", f"/api/v1/webhooks/{endpoint['id']}/rotate-secret", {})
api("POST", f"/api/v1/webhooks/{endpoint['id']}/test", {})
wait_for(4)
headers, body = received[3]
assert Webhook(rotated["secret"]).verify(body, headers)["type"] == "webhook.test"
assert Webhook(secret).verify(body, headers)["type"] == "webhook.test"
print("a rotated secret and the previous one both verify")
server.shutdown()
