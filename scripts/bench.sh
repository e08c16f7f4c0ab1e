#!/usr/bin/env bash
# The performance benchmarks (issue 7): builds the release binary, generates the inputs, measures
# load / replay / why against their floors side by side, and writes BENCHMARKS.md.
#
#   scripts/bench.sh            # 1,000,000 contacts (about 5 minutes, plus a callgrind profile)
#   scripts/bench.sh --quick    # 100,000 contacts
#
# Other options go to scripts/bench.py (--runs N, --json-runs N, --no-profile, --no-sqlite-utils, --out FILE). Work files go to
# $BENCH_DIR (default /tmp/crm-replica-bench). Needs sqlite3, python3 and /usr/bin/time
# (apt-get install sqlite3 time); uses hyperfine, valgrind and sqlite-utils when present
# (sqlite-utils is pip-installed when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in sqlite3 python3 /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "bench.sh: $tool is missing (apt-get install sqlite3 python3 time)" >&2; exit 2; }
done
swift build -c release --product crm-replica
exec python3 scripts/bench.py "$@"
