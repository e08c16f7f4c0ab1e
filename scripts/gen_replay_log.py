#!/usr/bin/env python3
"""A replay request log for the benchmarks: BATCHES lines of
{"method":"POST","path":"/crm/v8/Contacts/upsert","body":{"data":[...],"duplicate_check_fields":["Email"]}},
each with RECORDS contacts, about half of them holding an email already in CONTACTS_CSV (some in
other letter case, so they match through COLLATE NOCASE) and half a new one.

    scripts/gen_replay_log.py CONTACTS_CSV OUT.ndjson [--batches 100] [--records 100] [--seed 42]

Prints one existing email (for `why`) on stdout. Deterministic for a given CSV and seed.
"""
import argparse
import csv
import json
import random
import sys

LAST = ["Lee", "Ray", "Moss", "Kim", "Patel", "Garcia", "Smith", "Nguyen", "Okafor", "Rossi"]
FIRST = ["Ann", "Bob", "Carla", "Dev", "Emma", "Farid", "Grace", "Hiro", "Ines", "Jon"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("contacts_csv")
    parser.add_argument("out")
    parser.add_argument("--batches", type=int, default=100)
    parser.add_argument("--records", type=int, default=100)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    pick = random.Random(args.seed)
    reservoir = []
    seen = 0
    middle = None
    with open(args.contacts_csv, encoding="utf-8-sig", newline="") as f:
        rows = csv.reader(f)
        header = None
        for row in rows:
            if header is None:
                if "Email" in row:
                    header = row
                    email_column = row.index("Email")
                continue
            email = row[email_column] if len(row) > email_column else ""
            if not email or not email.isascii() or email.strip() != email:
                continue
            seen += 1
            if len(reservoir) < 20000:
                reservoir.append(email)
            else:
                k = pick.randrange(seen)
                if k < 20000:
                    reservoir[k] = email
    if not reservoir:
        sys.exit("no plain ASCII email found in " + args.contacts_csv)
    middle = reservoir[len(reservoir) // 2]

    rng = random.Random(args.seed + 1)
    with open(args.out, "w", encoding="utf-8") as log:
        for batch in range(args.batches):
            data = []
            for i in range(args.records):
                if rng.random() < 0.5:
                    email = rng.choice(reservoir)
                    if rng.random() < 0.3:
                        email = email.upper()
                else:
                    email = f"new.{batch}.{i}@replay.example.com"
                data.append({"Last_Name": rng.choice(LAST), "First_Name": rng.choice(FIRST), "Email": email,
                             "Phone": f"+1 555 {rng.randint(100, 999)} {rng.randint(0, 9999):04d}"})
            line = {"method": "POST", "path": "/crm/v8/Contacts/upsert",
                    "body": {"data": data, "duplicate_check_fields": ["Email"]}}
            log.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(middle)


if __name__ == "__main__":
    main()
