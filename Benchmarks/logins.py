#!/usr/bin/env python3
"""Parallel log-ins against a running Tandem: proves a burst gives 303s and 503s, never a 500.

Make the accounts first (bcrypt cost 12, as in production), then serve with the per-address
limit off so every request reaches the password check:

    export DATABASE_URL=sqlite:/tmp/load/tandem.sqlite
    for i in $(seq 1 100); do .build/debug/tandem partner create --name "P $i" --email p$i@load.example --password 'load password 1'; done
    AUTH_RATE_LIMIT=0 .build/debug/tandem serve --port 8100 &
    python3 Benchmarks/logins.py http://127.0.0.1:8100 100
"""
import concurrent.futures
import http.cookiejar
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter

base, count = sys.argv[1], int(sys.argv[2])


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def log_in(index):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())
    page = opener.open(base + "/login").read().decode()
    token = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"email": f"p{index + 1}@load.example", "password": "load password 1", "_csrf": token}).encode()
    try:
        return opener.open(base + "/login", form, timeout=60).status
    except urllib.error.HTTPError as error:
        return error.code


started = time.time()
with concurrent.futures.ThreadPoolExecutor(max_workers=count) as pool:
    statuses = Counter(pool.map(log_in, range(count)))
print(dict(statuses), f"in {time.time() - started:.1f} s")
sys.exit(1 if any(status >= 500 and status != 503 for status in statuses) else 0)
