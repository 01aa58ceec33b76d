"""Logs in to the large dataset and times each page; prints the server time's median and p95
(from the Server-Timing header) and the verdict, and the client-side times beside them."""
import re
import statistics
import sys
import time

import requests

base, count = sys.argv[1], int(sys.argv[2])


def logged_in(email):
    who = requests.Session()
    token = re.search(r'name="_csrf" value="([^"]+)"', who.get(base + "/login").text).group(1)
    answer = who.post(base + "/login", data={"_csrf": token, "email": email, "password": "tandem-demo"}, allow_redirects=False)
    assert answer.status_code == 303, answer.status_code
    return who


session = logged_in("large@example.com")
home = session.get(base + "/partner").text
program = re.search(r'href="(/partner/programs/[0-9a-f-]{36})"', home).group(1)
pages = [
    ("Home", "/partner"),
    ("Summary", program),
    ("Performance (month)", program + "/performance"),
    ("Performance (day)", program + "/performance?interval=day"),
    ("Links", program + "/links"),
    ("Referrals", program + "/referrals"),
    ("Referrals, search", program + "/referrals?q=c4999"),
    ("Deals", program + "/deals"),
    ("Messages (program)", program + "/messages"),
    ("Resources", program + "/resources"),
    ("Rewards & Withdrawals", "/partner/rewards"),
    ("Reporting Overview", "/partner/reporting"),
    ("Reporting Rewards", "/partner/reporting/rewards"),
    ("Marketplace", "/partner/marketplace"),
    ("Messages", "/partner/messages"),
    ("Settings", "/partner/settings"),
    ("Settings, team", "/partner/settings/team"),
    ("Settings, API keys", "/partner/settings/api-keys"),
    ("Settings, postbacks", "/partner/settings/postbacks"),
    ("FAQs", "/partner/faqs"),
    ("Support", "/partner/support"),
]
# The vendor console, logged in as the large program's owner: every page under the same bar.
vendor = logged_in("owner@large.example")
listing = vendor.get(base + "/vendor/partners").text
partner = re.search(r'href="(/vendor/partners/[0-9a-f-]{36})"', listing).group(1)
slug = re.search(r'href="/vendor/programs/([a-z0-9-]+)/settings"', vendor.get(base + "/vendor").text).group(1)
vendor_pages = [
    ("Vendor overview", "/vendor"),
    ("Vendor partners", "/vendor/partners"),
    ("Vendor partner", partner),
    ("Vendor rewards", "/vendor/rewards"),
    ("Vendor rewards, pending", "/vendor/rewards?status=pending"),
    ("Vendor payouts", "/vendor/payouts"),
    ("Vendor reporting", "/vendor/reporting"),
    ("Vendor reporting, partner", "/vendor/reporting?by=partner"),
    ("Vendor customers", "/vendor/customers"),
    ("Vendor customers, search", "/vendor/customers?q=c4999"),
    ("Vendor leads", "/vendor/leads"),
    ("Vendor deals", "/vendor/deals"),
    ("Vendor messages", "/vendor/messages"),
    ("New program", "/vendor/programs/new"),
    ("Program settings", f"/vendor/programs/{slug}/settings"),
    ("Program groups", f"/vendor/programs/{slug}/groups"),
    ("Program rules", f"/vendor/programs/{slug}/rewards"),
    ("Program tabs", f"/vendor/programs/{slug}/tabs"),
    ("Program resources", f"/vendor/programs/{slug}/resources"),
    ("Program campaigns", f"/vendor/programs/{slug}/campaigns"),
    ("Company settings", "/vendor/settings/company"),
    ("Team", "/vendor/settings/team"),
    ("API keys", "/vendor/settings/api-keys"),
    ("Webhooks", "/vendor/settings/webhooks"),
]


def percentile(values, p):
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * p // 100) - 1)]


def measure(path, who=None):
    who = who or session
    who.get(base + path)  # warm
    times, client = [], []
    for _ in range(count):
        started = time.perf_counter()
        response = who.get(base + path, stream=True)
        client.append((time.perf_counter() - started) * 1000)
        response.close()
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        times.append(float(re.search(r"dur=([0-9.]+)", response.headers["Server-Timing"]).group(1)))
    return times, client


failed = 0
print(f"{'page (server time)':24} {'median ms':>10} {'p95 ms':>8}  bar p95 <= 50 ms")
for who, name, path in [(session, n, p) for n, p in pages] + [(vendor, n, p) for n, p in vendor_pages]:
    times, client = measure(path, who)
    p95 = percentile(times, 95)
    verdict = "PASS" if p95 <= 50 else "FAIL"
    failed += verdict == "FAIL"
    print(f"{name:24} {statistics.median(times):10.1f} {p95:8.1f}  {verdict}   (client-side: median {statistics.median(client):.1f}, p95 {percentile(client, 95):.1f})")
print(f"pages: {len(pages) + len(vendor_pages) - failed} passed, {failed} failed")
