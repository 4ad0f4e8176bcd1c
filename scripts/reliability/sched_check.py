#!/usr/bin/env python3
"""Did the scheduler fire every deadline that fell due? Run while the server is up again
after the kill series (read-only look at the database).

  sched_check.py URL prep.json kill.json FINAL_SPAWN_MS [--wait SECONDS] [--stale-ms MS]

For each dispatched case of prep.json: its unit's time to sign ended at the dispatch's
`at` + the case's ack time; the scheduler must record an `escalated` event. Waits up to
--wait seconds for all of them, then reports, per case, how long the server had been
running between the deadline and the escalation (its up-time, from the spawn..kill
intervals of kill.json and FINAL_SPAWN_MS..now): the scheduler's lateness, not counting the
time the server lay dead. Also counts cases whose next alarm is overdue by more than
--stale-ms while the server runs (every alarm that fell due was handled, not only these).
Prints one JSON object."""
import json
import subprocess
import sys
import time
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def q(url, sql):
    out = subprocess.run([sys.executable, os.path.join(HERE, "dbq.py"), url, "query", sql], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def find_key(v, key):
    """The first value of `key` anywhere in a JSON document."""
    if isinstance(v, dict):
        if key in v:
            return v[key]
        v = list(v.values())
    if isinstance(v, list):
        for x in v:
            found = find_key(x, key)
            if found is not None:
                return found
    return None


def up_time(intervals, a, b):
    """Milliseconds within [a, b] covered by the intervals."""
    return sum(max(0, min(e, b) - max(s, a)) for s, e in intervals)


def main():
    url, prep_f, kill_f, final_spawn = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    args = sys.argv[5:]
    wait = float(args[args.index("--wait") + 1]) if "--wait" in args else 30
    stale_ms = int(args[args.index("--stale-ms") + 1]) if "--stale-ms" in args else 5000
    prep = json.load(open(prep_f))
    kill = json.load(open(kill_f))
    ids = [c["id"] for c in prep["cases"]]
    id_list = ",".join(str(i) for i in ids)
    deadline = time.time() + wait
    while True:
        rows = q(url, f"SELECT case_id, kind, at, body FROM case_events WHERE case_id IN ({id_list}) AND kind IN ('dispatched', 'escalated') ORDER BY case_id, seq")
        dispatched, escalated = {}, {}
        for case_id, kind, at, body in rows:
            if kind == "dispatched":
                due = find_key(json.loads(body), "ack_due_ms")
                dispatched.setdefault(case_id, (int(at), due))
            elif kind == "escalated":
                escalated.setdefault(case_id, int(at))
        if len(escalated) == len(ids) or time.time() > deadline:
            break
        time.sleep(0.5)
    now = int(time.time() * 1000)
    intervals = [tuple(i) for i in kill["intervals"][:-1]] + [(final_spawn, now)]
    # The kill driver's last interval is its own final read-back; keep it too.
    intervals.append(tuple(kill["intervals"][-1]))
    per_case = []
    for cid in ids:
        at, due = dispatched.get(cid, (None, None))
        if due is None and at is not None:
            due = at + 300_000
        esc = escalated.get(cid)
        fell_due = due is not None and due <= now
        lateness = up_time(intervals, due, esc) if (esc is not None and due is not None) else None
        per_case.append({"case_id": cid, "due_ms": due, "escalated_ms": esc, "fell_due": fell_due,
                         "up_time_late_ms": lateness,
                         "due_while": "up" if due is not None and any(s <= due <= e for s, e in intervals) else "down"})
    due_cases = [c for c in per_case if c["fell_due"]]
    fired = [c for c in due_cases if c["escalated_ms"] is not None]
    early = [c for c in per_case if c["escalated_ms"] is not None and c["due_ms"] is not None and c["escalated_ms"] < c["due_ms"]]
    late = sorted(c["up_time_late_ms"] for c in fired)
    stale = q(url, f"SELECT COUNT(*), MIN(next_alarm_at) FROM cases WHERE next_alarm_at IS NOT NULL AND next_alarm_at < {now - stale_ms}")[0]
    print(json.dumps({
        "cases": len(ids), "fell_due": len(due_cases), "fired": len(fired), "fired_early": len(early),
        "due_while_up": sum(1 for c in due_cases if c["due_while"] == "up"),
        "due_while_down": sum(1 for c in due_cases if c["due_while"] == "down"),
        "max_up_time_late_ms": late[-1] if late else None, "median_up_time_late_ms": late[len(late) // 2] if late else None,
        "stale_alarms": stale[0], "oldest_stale_alarm_ms": stale[1], "stale_ms": stale_ms,
        "not_fired": [c for c in due_cases if c["escalated_ms"] is None][:10],
    }))


if __name__ == "__main__":
    main()
