#!/usr/bin/env python3
"""Deterministic Zoho "Export Data" Contacts CSV for the benchmarks (used when
`crm-replica sample` is not available).

    scripts/gen_contacts.py ROWS OUT.csv [--seed 42]

Shape: UTF-8 BOM, CRLF line ends, display-label headers
`Record Id,Contact Owner,First Name,Last Name,Email,Secondary Email,Phone,Created Time,
Modified Time,Description,Customer Tier` (the last one a custom column), 19-digit ids that grow
with creation time as Zoho's do, ~1% of emails case variants of an earlier contact's email,
~2% non-ASCII names, a few emails with a trailing no-break space, ~10% secondary emails, and
~1% quoted descriptions holding commas, doubled quotes and line breaks.

Also writes a replay request log with --replay-log LOG (100 batches x 100 upserts, a mix of
emails already in the file and new ones) and prints a few existing emails with --emails N.
"""
import argparse
import random
import sys

FIRST = ["Ann", "Bob", "Carla", "Dev", "Emma", "Farid", "Grace", "Hiro", "Ines", "Jon", "Kira", "Liam",
         "Maya", "Noah", "Olga", "Paul", "Quinn", "Rosa", "Sam", "Tara", "Umar", "Vera", "Will", "Xena",
         "Yusuf", "Zoe"]
FIRST_NON_ASCII = ["Émile", "Zoë", "Łukasz", "Søren", "José", "Çağla", "Jürgen", "Ångström"]
LAST = ["Lee", "Ray", "Moss", "Kim", "Patel", "Garcia", "Smith", "Nguyen", "Okafor", "Rossi", "Novak",
        "Silva", "Khan", "Berg", "Dubois", "Tanaka", "Walsh", "Ivanova", "Haddad", "Costa"]
LAST_NON_ASCII = ["Müller", "Ørsted", "Nuñez", "Šimić", "Öztürk"]
DOMAINS = ["example.com", "example.org", "mail.example.net", "corp.example.io", "example.co.uk"]
OWNERS = ["Pat Boyle", "Dana Whitfield", "Lee Ortega", "Sam Kowalski"]
TIERS = ["Gold", "Silver", "Bronze", "", ""]
NOTES = ["Met at the trade fair", "Prefers email", "Called back twice", "Renewal due in Q3",
         "Asked for a demo", "Reseller contact"]

HEADERS = ["Record Id", "Contact Owner", "First Name", "Last Name", "Email", "Secondary Email", "Phone",
           "Created Time", "Modified Time", "Description", "Customer Tier"]


def cell(text):
    if any(c in text for c in ',"\r\n') or text.startswith(" ") or text.endswith(" "):
        return '"' + text.replace('"', '""') + '"'
    return text


def stamp(seconds):
    days, rest = divmod(seconds, 86400)
    # 2023-01-01 is day 19358 since the epoch; keep it simple and valid: month/day from a 28-day grid.
    year = 2023 + days // 336
    month = 1 + (days % 336) // 28
    day = 1 + days % 28
    h, rest = divmod(rest, 3600)
    m, s = divmod(rest, 60)
    return f"{year:04d}-{month:02d}-{day:02d}T{h:02d}:{m:02d}:{s:02d}+00:00"


def swap_case(email, rng):
    out = []
    for ch in email:
        if ch.isascii() and ch.isalpha() and rng.random() < 0.5:
            out.append(ch.swapcase())
        else:
            out.append(ch)
    text = "".join(out)
    return text if text != email else email.upper()


def contacts(rows, seed):
    rng = random.Random(seed)
    next_id = 5725767000000100000
    t = 0
    emails = []
    for n in range(rows):
        next_id += rng.randint(1, 40)
        t += rng.randint(1, 60)
        if rng.random() < 0.02:
            first = rng.choice(FIRST_NON_ASCII)
            last = rng.choice(LAST_NON_ASCII + LAST)
        else:
            first = rng.choice(FIRST)
            last = rng.choice(LAST)
        r = rng.random()
        if r < 0.01 and emails:
            email = swap_case(rng.choice(emails), rng)
        else:
            local = f"{first.lower()}.{last.lower()}{n}"
            email = f"{local}@{rng.choice(DOMAINS)}"
            if r > 0.997:
                email += "\u00a0"   # a trailing no-break space: a near miss, not an exact match
        emails.append(email)
        secondary = f"{first.lower()}{n}@home.example.net" if rng.random() < 0.10 else ""
        phone = f"+1 555-{rng.randint(100, 999):03d}-{rng.randint(0, 9999):04d}"
        created = stamp(t)
        modified = stamp(t + rng.randint(0, 86400 * 30))
        d = rng.random()
        if d < 0.01:
            description = f'Said "call me later", then, after lunch:\r\n{rng.choice(NOTES)}, {rng.choice(NOTES)}'
        elif d < 0.35:
            description = rng.choice(NOTES)
        else:
            description = ""
        yield [str(next_id), rng.choice(OWNERS), first, last, email, secondary, phone, created, modified,
               description, rng.choice(TIERS)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("rows", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--replay-log", help="also write a 100x100 upsert request log here")
    parser.add_argument("--emails", type=int, default=0, help="print this many existing emails, one a line")
    args = parser.parse_args()

    existing = []
    pick = random.Random(args.seed + 1)
    with open(args.out, "w", encoding="utf-8", newline="") as out:
        out.write("\ufeff")
        out.write(",".join(HEADERS) + "\r\n")
        for n, row in enumerate(contacts(args.rows, args.seed)):
            out.write(",".join(cell(v) for v in row) + "\r\n")
            # A reservoir of plain ASCII emails for the replay log and `why`.
            if row[4].isascii() and len(existing) < 20000:
                existing.append(row[4])
            elif row[4].isascii() and pick.random() < 20000 / (n + 1):
                existing[pick.randrange(len(existing))] = row[4]

    if args.replay_log:
        import json
        rng = random.Random(args.seed + 2)
        with open(args.replay_log, "w", encoding="utf-8") as log:
            for batch in range(100):
                data = []
                for i in range(100):
                    if rng.random() < 0.5:
                        email = rng.choice(existing)
                        if rng.random() < 0.3:
                            email = email.upper()
                    else:
                        email = f"new.{batch}.{i}@replay.example.com"
                    data.append({"Last_Name": rng.choice(LAST), "First_Name": rng.choice(FIRST),
                                 "Email": email, "Phone": f"+1 555-{rng.randint(100, 999)}-{rng.randint(0, 9999):04d}"})
                line = {"method": "POST", "path": "/crm/v8/Contacts/upsert",
                        "body": {"data": data, "duplicate_check_fields": ["Email"]}}
                log.write(json.dumps(line, ensure_ascii=False) + "\n")
    for email in existing[: args.emails]:
        print(email)


if __name__ == "__main__":
    sys.exit(main())
