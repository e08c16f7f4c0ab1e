#!/usr/bin/env python3
"""Benchmarks of `serve` (HTTP upserts from concurrent clients, search by email) and `calibrate`
(a log of real answers), against a replica that `scripts/bench.sh` (or `load`) built.

    scripts/bench_serve_calibrate.py BIN REPLICA CONTACTS_CSV [--clients 4] [--batches 100] [--records 100]

BIN is a release build of crm-replica; REPLICA a loaded replica (it is only read: serve runs
with --dry-run, calibrate without --apply); CONTACTS_CSV the export it was loaded from (the
requests reuse its emails, as scripts/gen_replay_log.py makes them). Prints the numbers and the
commands; BENCHMARKS.md quotes them.
"""
import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AS_OF = "2026-11-20T18:00:00+00:00"


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def start_serve(binary, replica):
    server = subprocess.Popen([binary, "serve", "--db", replica, "--port", "0", "--dry-run", "--as-of", AS_OF],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = server.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:(\d+)", line)
    if not match:
        server.kill()
        sys.exit(f"serve did not start: {line}{server.stderr.read()}")
    return server, int(match.group(1))


def serve_bench(binary, replica, log_path, clients):
    bodies = [json.dumps(json.loads(line)["body"]) for line in open(log_path)]
    server, port = start_serve(binary, replica)
    latencies, records, errors = [], [0], []
    lock = threading.Lock()

    def client(index):
        connection = http.client.HTTPConnection("127.0.0.1", port)
        for body in bodies[index::clients]:
            started = time.perf_counter()
            connection.request("POST", "/crm/v8/Contacts/upsert", body=body,
                               headers={"Authorization": "Zoho-oauthtoken bench"})
            answer = connection.getresponse().read()
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                records[0] += len(json.loads(answer).get("data", []))
        connection.close()

    try:
        started = time.perf_counter()
        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        total = time.perf_counter() - started
        emails = [json.loads(b)["data"][0]["Email"] for b in bodies[:200]]
        connection = http.client.HTTPConnection("127.0.0.1", port)
        searches = []
        for email in emails:
            started = time.perf_counter()
            connection.request("GET", f"/crm/v8/Contacts/search?email={email}", headers={"Authorization": "Zoho-oauthtoken bench"})
            connection.getresponse().read()
            searches.append(time.perf_counter() - started)
        rss = next((int(l.split()[1]) for l in open(f"/proc/{server.pid}/status") if l.startswith("VmHWM")), 0)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"requests": len(latencies), "records": records[0], "seconds": total, "records_per_s": records[0] / total,
            "p50_ms": percentile(latencies, 50) * 1000, "p99_ms": percentile(latencies, 99) * 1000,
            "search_p50_ms": statistics.median(searches) * 1000, "rss_mb": rss / 1024, "errors": errors}


def answered_log(binary, replica, log_path, out_path):
    """The log with the replica's own answers (default settings) as `response`, and a time."""
    answers = subprocess.run([binary, "replay", log_path, "--db", replica, "--json", "--as-of", AS_OF],
                             capture_output=True, text=True, check=False).stdout.splitlines()
    with open(out_path, "w") as out:
        for request, answer in zip(open(log_path), answers):
            entry = json.loads(request)
            response = json.loads(answer)
            response.pop("$replica", None)
            entry["response"], entry["time"] = response, AS_OF
            out.write(json.dumps(entry) + "\n")


def timed(command):
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    return time.perf_counter() - started, result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("replica")
    parser.add_argument("contacts_csv")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--batches", type=int, default=100)
    parser.add_argument("--records", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="crm-replica-bench-")
    log_path = os.path.join(work, "log.ndjson")
    gen = ["python3", f"{ROOT}/scripts/gen_replay_log.py", args.contacts_csv, log_path,
           "--batches", str(args.batches), "--records", str(args.records), "--seed", "42"]
    subprocess.run(gen, check=True, stdout=subprocess.DEVNULL)
    print("inputs:", " ".join(gen))

    print(f"serve: {args.clients} clients, {args.batches} upserts of {args.records} records, dry run")
    runs = [serve_bench(args.binary, args.replica, log_path, args.clients) for _ in range(args.runs)]
    best = sorted(runs, key=lambda r: r["records_per_s"])[len(runs) // 2]
    print(json.dumps(best))

    replay = [args.binary, "replay", log_path, "--db", args.replica, "--as-of", AS_OF, "--timing"]
    phases = []
    for _ in range(args.runs):
        _, result = timed(replay)
        match = re.search(r"replay (\d+) items ([\d.]+) s", result.stderr)
        phases.append(float(match.group(2)))
    phase = statistics.median(phases)
    print(f"replay phase in-process: {phase:.3f} s = {args.batches * args.records / phase:,.0f} records/s ({' '.join(replay)})")

    answered = os.path.join(work, "answered.ndjson")
    answered_log(args.binary, args.replica, log_path, answered)
    calibrate = [args.binary, "calibrate", answered, "--db", args.replica, "--json"]
    times = []
    for _ in range(args.runs):
        elapsed, result = timed(calibrate)
        times.append(elapsed)
    report = json.loads(result.stdout)
    whole, _ = timed(replay)
    print(f"calibrate: {statistics.median(times):.2f} s for {report['combinations']} combinations of {report['items']} items "
          f"(one replay, whole process: {whole:.2f} s; x{report['combinations']} = {whole * report['combinations']:.1f} s) "
          f"({' '.join(calibrate)})")


if __name__ == "__main__":
    main()
