#!/usr/bin/env python3
"""Read-only look into the database a reliability run uses (never writes: SQLite is opened
with mode=ro, PostgreSQL through psql in a read-only transaction).

  dbq.py URL query SQL           rows as JSON lists, one JSON document
  dbq.py URL snapshot            {table: {"rows": n, "sha256": digest of all rows}} of every table
"""
import hashlib
import json
import subprocess
import sys


def sqlite_path(url):
    path = url.split("://", 1)[1].split("?", 1)[0]
    return path


def query(url, sql):
    if url.startswith("sqlite:"):
        import sqlite3
        con = sqlite3.connect(f"file:{sqlite_path(url)}?mode=ro", uri=True, timeout=30)
        try:
            return [list(r) for r in con.execute(sql).fetchall()]
        finally:
            con.close()
    # PostgreSQL: psql, unaligned, tab-separated, in a read-only transaction.
    out = subprocess.run(
        ["psql", url, "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1",
         "-c", "SET default_transaction_read_only = on", "-c", sql],
        check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines():
        if line == "":
            continue
        rows.append([None if v == "" else (int(v) if v.lstrip("-").isdigit() else v) for v in line.split("\t")])
    return rows


def snapshot(url):
    """Row count and a digest of the rows of every table, read in one transaction."""
    if not url.startswith("sqlite:"):
        raise SystemExit("snapshot: SQLite only")
    import sqlite3
    con = sqlite3.connect(f"file:{sqlite_path(url)}?mode=ro", uri=True, timeout=30)
    try:
        con.execute("BEGIN")
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        out = {}
        for t in tables:
            try:
                rows = con.execute(f'SELECT * FROM "{t}"').fetchall()
            except sqlite3.OperationalError as e:  # a virtual table that cannot be read back
                out[t] = {"rows": None, "sha256": f"unreadable: {e}"}
                continue
            h = hashlib.sha256()
            for line in sorted(repr(r) for r in rows):
                h.update(line.encode("utf-8", "surrogatepass"))
                h.update(b"\n")
            out[t] = {"rows": len(rows), "sha256": h.hexdigest()}
        con.execute("COMMIT")
        return out
    finally:
        con.close()


def main():
    if len(sys.argv) >= 4 and sys.argv[2] == "query":
        print(json.dumps(query(sys.argv[1], sys.argv[3])))
    elif len(sys.argv) == 3 and sys.argv[2] == "snapshot":
        print(json.dumps(snapshot(sys.argv[1]), indent=1, sort_keys=True))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
