#!/usr/bin/env python3
"""What each index and column of `contacts` costs a load (issue 18), on a replica `scripts/bench.sh`
has loaded (default /tmp/crm-replica-bench/replica.sqlite and the floor next to it):

    python3 scripts/bench_schema.py [--db REPLICA] [--floor FLOOR] [--csv EXPORT] [--runs 3]

1. Each secondary index: the time of its `CREATE INDEX` on the loaded rows, with the loader's
   `cache_size` and `threads`, inside a transaction that is rolled back (the replica is left as it
   was), and how many entries it holds. This is what the index adds to a bulk load, which builds
   the indexes after the rows.
2. Each column: its stored bytes, and the bytes of `data` that repeat a column's value.
3. The yardstick of bench.py ("SQLite alone into the schema") as it is, and without the repeated
   members in `data`: what storing each value once would save SQLite, before any parsing.
Medians of `--runs`. Prints a Markdown report.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402

PRAGMAS = "PRAGMA cache_size = -8192; PRAGMA threads = 2;"


def sql(db, text):
    return subprocess.run(["sqlite3", db], input=text, text=True, capture_output=True, check=True).stdout


def index_build_seconds(db, name, create):
    out = sql(db, f"{PRAGMAS}\nBEGIN;\nDROP INDEX {name};\n.timer on\n{create};\n.timer off\nROLLBACK;\n")
    return float(re.search(r"Run Time: real ([\d.]+)", out).group(1))


def main():
    parser = argparse.ArgumentParser()
    work = os.environ.get("BENCH_DIR", "/tmp/crm-replica-bench")
    parser.add_argument("--db", default=os.path.join(work, "replica.sqlite"))
    parser.add_argument("--floor", default=os.path.join(work, "floor.sqlite"))
    parser.add_argument("--csv", help="the export the replica was loaded from (for the yardstick)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    db = args.db
    rows = int(sql(db, "SELECT count(*) FROM contacts;"))
    print(f"# contacts: {rows:,} rows ({os.path.getsize(db) / 1e6:,.0f} MB file)\n")

    print("| index | entries | CREATE INDEX (median s) | runs |")
    print("|---|---:|---:|---|")
    for name, create in bench.replica_indexes(db):
        where = create.split(" WHERE ", 1)[1] if " WHERE " in create else "1"
        entries = int(sql(db, f"SELECT count(*) FROM contacts WHERE {where};"))
        runs = [index_build_seconds(db, name, create) for _ in range(args.runs)]
        print(f"| `{name}` | {entries:,} | {statistics.median(runs):.3f} | {', '.join(f'{r:.3f}' for r in runs)} |")

    columns = [line.split("|")[1] for line in sql(db, "PRAGMA table_info(contacts);").strip().splitlines()]
    print("\n| column | stored bytes | bytes of `data` repeating it |")
    print("|---|---:|---:|")
    repeated = {"Email": "Email", "Secondary_Email": "Secondary_Email", "Phone": "Phone", "First_Name": "First_Name",
                "Last_Name": "Last_Name", "Owner_Name": "Owner", "Created_Time": "Created_Time", "Modified_Time": "Modified_Time",
                "id": "id"}
    for column in columns:
        stored = int(sql(db, f"SELECT coalesce(sum(length(CAST(\"{column}\" AS BLOB))), 0) FROM contacts;") or 0)
        member = repeated.get(column)
        # `"Key":"value",` as written in data: the key, quotes, colon, comma and the value.
        dup = int(sql(db, f"SELECT coalesce(sum(length(CAST(data ->> '{member}' AS BLOB)) + {len(member) + 6}), 0) "
                          f"FROM contacts WHERE data ->> '{member}' IS NOT NULL;")) if member else 0
        print(f"| `{column}` | {stored:,} | {dup:,} |")

    if args.csv:
        header = bench.csv_header(args.csv)
        omit = {repeated[c] for c in columns if c in repeated} - {"id"}
        print(f"\nYardstick without the repeated members in `data` (leaves out {', '.join(sorted(omit))}):\n")
        full_sql = bench.schema_floor_sql(args.csv, args.floor, db)
        slim_sql = bench.schema_floor_sql(args.csv, args.floor, db, omit=omit)
        target = os.path.join(os.path.dirname(db), "schema-variant.sqlite")
        results = {}
        for label, text in (("as bench.py builds it", full_sql), ("data without repeated members", slim_sql)):
            path = os.path.join(os.path.dirname(db), "schema-variant.sql")
            with open(path, "w") as f:
                f.write(text)
            times = []
            for _ in range(args.runs):
                bench.rm_db(target)
                subprocess.run(f"{bench.BIN} settings match nocase --db {target} && {bench.BIN} settings --reset --db {target}",
                               shell=True, check=True, capture_output=True)
                start = time.perf_counter()
                subprocess.run(f"sqlite3 {target} < {path}", shell=True, check=True, capture_output=True)
                times.append(time.perf_counter() - start)
            results[label] = (statistics.median(times), os.path.getsize(target) / 1e6, times)
            bench.rm_db(target)
        print("| yardstick | median s | file MB | runs |")
        print("|---|---:|---:|---|")
        for label, (median, size, times) in results.items():
            print(f"| {label} | {median:.2f} | {size:,.0f} | {', '.join(f'{t:.2f}' for t in times)} |")


if __name__ == "__main__":
    main()
