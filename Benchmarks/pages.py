"""Logs in to the large dataset and times each page; prints the server time's median and p95
(from the Server-Timing header) and the verdict, and the client-side times beside them."""
import re
import statistics
import sys
import time

import requests

base, count = sys.argv[1], int(sys.argv[2])
session = requests.Session()
login = session.get(base + "/login")
token = re.search(r'name="_csrf" value="([^"]+)"', login.text).group(1)
answer = session.post(base + "/login", data={"_csrf": token, "email": "large@example.com", "password": "tandem-demo"}, allow_redirects=False)
assert answer.status_code == 303, answer.status_code
home = session.get(base + "/partner").text
program = re.search(r'href="(/partner/programs/[0-9a-f-]{36})"', home).group(1)
pages = [
    ("Home", "/partner"),
    ("Summary", program),
    ("Performance (month)", program + "/performance"),
    ("Performance (day)", program + "/performance?interval=day"),
    ("Reporting Overview", "/partner/reporting"),
]
# Not under the bar, measured so a slow one is seen.
others = [
    ("Rewards & Withdrawals", "/partner/rewards"),
    ("Reporting Rewards", "/partner/reporting/rewards"),
    ("Links", program + "/links"),
    ("Referrals", program + "/referrals"),
    ("Referrals, search", program + "/referrals?q=c4999"),
]


def percentile(values, p):
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * p // 100) - 1)]


def measure(path):
    session.get(base + path)  # warm
    times, client = [], []
    for _ in range(count):
        started = time.perf_counter()
        response = session.get(base + path, stream=True)
        client.append((time.perf_counter() - started) * 1000)
        response.close()
        assert response.status_code == 200, (path, response.status_code)
        times.append(float(re.search(r"dur=([0-9.]+)", response.headers["Server-Timing"]).group(1)))
    return times, client


failed = 0
print(f"{'page (server time)':24} {'median ms':>10} {'p95 ms':>8}  bar p95 <= 50 ms")
for name, path in pages:
    times, client = measure(path)
    p95 = percentile(times, 95)
    verdict = "PASS" if p95 <= 50 else "FAIL"
    failed += verdict == "FAIL"
    print(f"{name:24} {statistics.median(times):10.1f} {p95:8.1f}  {verdict}   (client-side: median {statistics.median(client):.1f}, p95 {percentile(client, 95):.1f})")
print(f"pages: {len(pages) - failed} passed, {failed} failed")
print(f"\n{'other pages (no bar)':24} {'median ms':>10} {'p95 ms':>8}")
for name, path in others:
    times, _ = measure(path)
    print(f"{name:24} {statistics.median(times):10.1f} {percentile(times, 95):8.1f}")
