#!/usr/bin/env python3
"""Sign-in flood: N concurrent wrong-password sign-ins against /api/auth/signin.

Python 3 stdlib only (threads + urllib). Every request goes to the base URL given,
which bench.sh always sets to 127.0.0.1. Each sign-in records its HTTP status, the
refusal named in the body (BadCredentials / Locked / Busy / ...) and its latency.
While the flood runs, one probe thread fetches the portal page sequentially over a
kept-alive connection, so the portal latency *during* the flood is measured as well.

Prints one JSON object on stdout. Exits non-zero only if something is broken
(e.g. a request got no HTTP answer at all).

Usage: flood.py BASE_URL USERNAMES_FILE [--count 100] [--timeout 30]
       (USERNAMES_FILE: one username per line; used round-robin)
"""
import argparse
import http.client
import json
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter


def percentile(sorted_values, p):
    if not sorted_values:
        return None
    k = max(0, min(len(sorted_values) - 1, int(round(p / 100.0 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


def refusal_of(body):
    """The AppError variant in a server-function error body, e.g. {"SignIn":"Locked"}."""
    try:
        v = json.loads(body)
    except ValueError:
        return "non-json"
    if isinstance(v, dict) and len(v) == 1:
        k, inner = next(iter(v.items()))
        return f"{k}:{inner}" if isinstance(inner, str) else k
    if isinstance(v, str):
        return v
    return "other-json"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("usernames")
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--timeout", type=float, default=30.0, help="per-request timeout, seconds")
    args = ap.parse_args()

    base = args.base.rstrip("/")
    host = urllib.parse.urlsplit(base)
    if host.hostname != "127.0.0.1":
        sys.exit("flood.py only talks to 127.0.0.1")
    with open(args.usernames, encoding="utf-8") as f:
        names = [line.strip() for line in f if line.strip()]
    if not names:
        sys.exit("no usernames")
    count = max(1, min(args.count, 1000))

    results = [None] * count
    start_gate = threading.Barrier(count + 2)  # sign-ins, probe, main
    flood_done = threading.Event()

    def sign_in(i):
        body = urllib.parse.urlencode({"username": names[i % len(names)], "password": "wrong"}).encode()
        req = urllib.request.Request(
            f"{base}/api/auth/signin",
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": base,
                "Sec-Fetch-Site": "same-origin",
            },
        )
        try:
            start_gate.wait(timeout=30)
        except threading.BrokenBarrierError:
            pass
        t0 = time.monotonic()
        status, text = None, ""
        try:
            with urllib.request.urlopen(req, timeout=args.timeout) as r:
                status, text = r.status, r.read(4096).decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            status, text = e.code, e.read(4096).decode("utf-8", "replace")
        except Exception as e:  # no HTTP answer at all
            status, text = None, f"{type(e).__name__}: {e}"
        t1 = time.monotonic()
        results[i] = {"status": status, "refusal": refusal_of(text) if status else text, "t0": t0, "t1": t1}

    probe = {"lat": [], "errors": 0, "statuses": Counter()}

    def portal_probe():
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
        try:
            start_gate.wait(timeout=30)
        except threading.BrokenBarrierError:
            pass
        deadline = time.monotonic() + args.timeout + 10
        for _ in range(100_000):  # bounded in count and time
            if flood_done.is_set() or time.monotonic() > deadline:
                break
            t0 = time.monotonic()
            try:
                conn.request("GET", "/")
                r = conn.getresponse()
                r.read()
                probe["statuses"][r.status] += 1
                probe["lat"].append((time.monotonic() - t0) * 1000)
            except Exception:
                probe["errors"] += 1
                conn.close()
                conn = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
        conn.close()

    threads = [threading.Thread(target=sign_in, args=(i,), daemon=True) for i in range(count)]
    for t in threads:
        t.start()
    prober = threading.Thread(target=portal_probe, daemon=True)
    prober.start()
    try:
        start_gate.wait(timeout=30)
    except threading.BrokenBarrierError:
        pass
    wall_start = time.monotonic()
    for t in threads:
        t.join(timeout=max(0.1, wall_start + args.timeout + 5 - time.monotonic()))
    flood_done.set()
    prober.join(timeout=15)

    done = [r for r in results if r is not None]
    lat = sorted((r["t1"] - r["t0"]) * 1000 for r in done)
    wall = (max(r["t1"] for r in done) - wall_start) if done else None
    statuses = Counter(str(r["status"]) for r in done)
    refusals = Counter(r["refusal"] for r in done)
    no_answer = sum(1 for r in done if r["status"] is None) + (count - len(done))
    # Server functions answer their errors with HTTP 500 and the error as JSON; a 5xx
    # whose body is not a sign-in refusal means something actually broke.
    unexpected_5xx = sum(
        1 for r in done if r["status"] and r["status"] >= 500 and not str(r["refusal"]).startswith("SignIn:")
    )
    plat = sorted(probe["lat"])
    out = {
        "count": count,
        "distinct_usernames": min(count, len(names)),
        "wall_ms": round(wall * 1000, 1) if wall is not None else None,
        "statuses": dict(statuses),
        "refusals": dict(refusals),
        "no_answer": no_answer,
        "unexpected_5xx": unexpected_5xx,
        "latency_ms": {
            "min": round(lat[0], 1) if lat else None,
            "p50": round(percentile(lat, 50), 1) if lat else None,
            "p99": round(percentile(lat, 99), 1) if lat else None,
            "max": round(lat[-1], 1) if lat else None,
        },
        "portal_probe": {
            "requests": len(plat),
            "errors": probe["errors"],
            "statuses": {str(k): v for k, v in probe["statuses"].items()},
            "p50_ms": round(percentile(plat, 50), 2) if plat else None,
            "p99_ms": round(percentile(plat, 99), 2) if plat else None,
            "max_ms": round(plat[-1], 2) if plat else None,
        },
    }
    print(json.dumps(out, ensure_ascii=False))
    sys.exit(1 if no_answer else 0)


if __name__ == "__main__":
    main()
