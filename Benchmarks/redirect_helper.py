#!/usr/bin/env python3
"""Helpers for Benchmarks/redirect (standard library only).

  freeport                               print a free TCP port on 127.0.0.1
  wait URL SECONDS                       poll URL until it answers 200
  setup BASE API_KEY LINKS KEYS_FILE     create the bench program and LINKS partnerships; write their link keys
  record RESULTS PHASE ROUTE JSON BEFORE AFTER WRKCPU
                                         append one wrk result (tagged, with the share of the machine's
                                         CPU that neither the server nor wrk used) to RESULTS and show it
  clicks DB                              print SELECT COUNT(*) FROM clicks
  report RESULTS STORED CONNECTIONS LAG  print the table and verdicts; exit 1 if the click check fails
"""
import json
import os
import socket
import statistics
import sqlite3
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

UA = "tandem-benchmark-setup"  # setup requests never touch /r/, so no click either way


def freeport():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        print(s.getsockname()[1])


def wait(url, seconds):
    deadline = time.time() + float(seconds)
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except Exception:
            pass
        time.sleep(0.2)
    sys.exit(f"server did not answer {url} within {seconds}s")


def api(base, key, path, body):
    req = urllib.request.Request(
        base + path, data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": "Bearer " + key, "Content-Type": "application/json", "User-Agent": UA})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")


def setup(base, key, links, keys_file):
    status, body = api(base, key, "/api/v1/programs", {
        "name": "Bench", "slug": "bench", "currency": "USD",
        "default_destination": "https://shop.example.com/landing?src=x",
        "allowed_domains": ["shop.example.com"]})
    if status != 201:
        sys.exit(f"POST /api/v1/programs -> {status}: {body}")

    def enrol(i):
        s, b = api(base, key, "/api/v1/partnerships",
                   {"program": "bench", "email": f"p{i}@example.com", "name": f"P {i}"})
        if s != 201:
            raise RuntimeError(f"POST /api/v1/partnerships ({i}) -> {s}: {b}")
        link = b.get("default_link") or ""
        if "/r/" not in link:
            raise RuntimeError(f"partnership {i} has no default_link: {b}")
        return link.rsplit("/r/", 1)[1]

    started = time.time()
    with ThreadPoolExecutor(max_workers=8) as pool:
        keys = list(pool.map(enrol, range(int(links))))
    if len(set(keys)) != len(keys):
        sys.exit("duplicate link keys")
    with open(keys_file, "w") as f:
        f.write("\n".join(keys) + "\n")
    print(f"created program 'bench' and {len(keys)} links in {time.time() - started:.1f}s")


def record(results_file, phase, route, line, before="", after="", wrk_cpu="", prefix="/r/"):
    r = json.loads(line)
    r["phase"], r["route"], r["prefix"] = phase, route, prefix
    r["other_cpu_pct"] = None
    try:
        b, a = [int(x) for x in before.split()], [int(x) for x in after.split()]
        hz = os.sysconf("SC_CLK_TCK")
        busy, total, server = a[0] - b[0], a[1] - b[1], a[2] - b[2]
        wrk = sum(float(x) for x in wrk_cpu.split()) * hz
        r["other_cpu_pct"] = max(0.0, 100.0 * (busy - server - wrk) / total) if total else None
        r["server_cpu_pct"] = 100.0 * server / total if total else None
    except (ValueError, IndexError):
        pass
    with open(results_file, "a") as f:
        f.write(json.dumps(r) + "\n")
    print(f"    {phase:<6} {route:<9} {r['counted_rps']:>8.0f} req/s  p99 {r['p99_ms']:6.2f} ms  "
          f"counted {r['counted']}" + ("" if r["other_cpu_pct"] is None else f"  other processes {r['other_cpu_pct']:.0f} % CPU"),
          file=sys.stderr)


def clicks(db):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        print(con.execute("SELECT COUNT(*) FROM clicks").fetchone()[0])
    finally:
        con.close()


def exposure():
    """What the commit wait exposes under the server's spool setting (inherited from the script's
    environment): with the spool on, a killed process loses no answered click (CrashRecoveryTests), so
    the wait only bounds what a lost machine could lose; with it off, a SIGKILL loses that window."""
    if os.environ.get("CLICK_SPOOL_DIR", "") == "off":
        return "what a SIGKILL could lose: the spool is off"
    if os.environ.get("CLICK_SPOOL_FSYNC", "false") == "true":
        return "how stale the numbers get: the spool fsyncs, so a lost machine loses none"
    return "what a lost machine could lose; a SIGKILL loses none, the spool holds them (CrashRecoveryTests)"


def report(results_file, stored, connections, lag):
    stored = int(stored)
    lag = float(lag) if lag else None
    runs = [json.loads(line) for line in open(results_file) if line.strip()]
    measured = {"recording": [], "bare": []}
    for run in runs:
        if run["phase"] == "round":
            measured[run["route"]].append(run)
    expected = sum(r["counted"] for r in runs if r.get("prefix", "/r/") == "/r/")
    control = any(r["route"] == "recording" and r.get("prefix") != "/r/" for r in measured["recording"])
    bad = sum(r["status_errors"] + r["unexpected"] for r in runs)
    sock = sum(r["connect_errors"] + r["read_errors"] + r["write_errors"] + r["timeouts"] for r in runs)

    def med(route, field):
        return statistics.median(r[field] for r in measured[route])

    def worst(route, field):
        return max(r[field] for r in measured[route])

    rec, bare = med("recording", "counted_rps"), med("bare", "counted_rps")
    ratio_of_medians = 100.0 * rec / bare if bare else 0.0
    # Each recording round against the bare round next to it (the script alternates which
    # goes first): background load that drifts during the run affects both sides of a pair alike.
    pairs = [100.0 * r["counted_rps"] / b["counted_rps"] for r, b in zip(measured["recording"], measured["bare"]) if b["counted_rps"]]
    ratio = statistics.median(pairs) if pairs else 0.0
    other = [r["other_cpu_pct"] for r in runs if r["phase"] == "round" and r.get("other_cpu_pct") is not None]
    p99_rec, p99_bare = med("recording", "p99_ms"), med("bare", "p99_ms")
    p99_rec_worst, p99_bare_worst = worst("recording", "p99_ms"), worst("bare", "p99_ms")

    print()
    print(f"rounds (each {connections} connections):")
    print(f"  {'#':>2} {'route':<10} {'req/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'counted':>8} {'other CPU':>9}")
    n = 0
    for run in runs:
        if run["phase"] != "round":
            continue
        n += 1
        print(f"  {n:>2} {run['route']:<10} {run['counted_rps']:>9.0f} {run['p50_ms']:>7.2f} "
              f"{run['p99_ms']:>7.2f} {run['max_ms']:>7.1f} {run['counted']:>8} "
              + ("      n/a" if run.get("other_cpu_pct") is None else f"{run['other_cpu_pct']:>8.0f}%"))
    print()
    print(f"  {'':<34} {'recording /r/{key}':>19} {'bare /bench/bare':>17}")
    print(f"  {'throughput, req/s (median)':<34} {rec:>19.0f} {bare:>17.0f}")
    print(f"  {'p99 latency, ms (median of rounds)':<34} {p99_rec:>19.2f} {p99_bare:>17.2f}")
    print(f"  {'p99 latency, ms (worst round)':<34} {p99_rec_worst:>19.2f} {p99_bare_worst:>17.2f}")
    print(f"  ratio recording / bare: {ratio:.1f} % (median of per-pair ratios "
          + ", ".join(f"{p:.0f}" for p in pairs) + f"; ratio of medians {ratio_of_medians:.1f} %)")
    print(f"  clicks expected (counted redirects on /r/, warm-up included): {expected}")
    print(f"  clicks stored (SELECT COUNT(*) FROM clicks after SIGTERM):     {stored}")
    print(f"  responses other than 302: {bad}; socket errors/timeouts: {sock}")
    print(f"  longest a click waited for its commit ({exposure()}): "
          + ("n/a" if lag is None else f"{lag * 1000:.0f} ms"))
    if other and max(other) > 10:
        print(f"  WARNING: other processes used up to {max(other):.0f} % of the machine's CPU during a round;"
              " throughput and latency figures are unreliable (run on an idle machine)")
    if control:
        print("  CONTROL RUN: both sides were the bare route; the ratios above are the machine's noise, not a measurement")
    print()
    verdict = lambda ok: "PASS" if ok else "FAIL"
    ratio_ok, p99_ok = ratio >= 85.0, p99_rec <= 5.0
    clicks_ok = stored == expected and bad == 0
    print(f"  {verdict(ratio_ok)}  throughput ratio {ratio:.1f} % >= 85 % (median of per-pair ratios)")
    print(f"  {verdict(p99_ok)}  recording p99 {p99_rec:.2f} ms <= 5 ms at {connections} connections (median of rounds)")
    print(f"  {verdict(clicks_ok)}  stored clicks {stored} == counted redirects {expected}"
          + ("" if bad == 0 else f", and {bad} responses other than 302"))
    if lag is not None:
        print(f"  {verdict(lag <= 1.0)}  the longest wait for a commit, {lag * 1000:.0f} ms, is <= 1 s ({exposure()})")
    if not (ratio_ok and p99_ok):
        print("  (throughput and latency bars depend on the machine: reported, not fatal)")
    sys.exit(0 if clicks_ok else 1)


if __name__ == "__main__":
    commands = {"freeport": freeport, "wait": wait, "setup": setup, "record": record, "clicks": clicks, "report": report}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](*sys.argv[2:])
