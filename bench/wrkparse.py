#!/usr/bin/env python3
"""Reads `wrk --latency` output on stdin; prints one JSON object:
{"rps": float, "p50_ms": float, "p75_ms", "p90_ms", "p99_ms", "requests": int,
 "non_2xx_3xx": int, "socket_errors": {...}}. Exits 1 if the output has no figures."""
import json
import re
import sys

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def ms(value, unit):
    return float(value) * UNITS[unit]


def main():
    text = sys.stdin.read()
    out = {"non_2xx_3xx": 0, "socket_errors": {}}
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    if m:
        out["rps"] = float(m.group(1))
    m = re.search(r"(\d+) requests in", text)
    if m:
        out["requests"] = int(m.group(1))
    for pct, value, unit in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s|m|h)\s*$", text, re.M):
        out[f"p{pct}_ms"] = round(ms(value, unit), 3)
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    if m:
        out["non_2xx_3xx"] = int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        out["socket_errors"] = dict(zip(["connect", "read", "write", "timeout"], map(int, m.groups())))
    if "rps" not in out or "p99_ms" not in out:
        print(json.dumps({"error": "no figures in wrk output"}))
        sys.exit(1)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
