#!/usr/bin/env bash
# Booking throughput and latency of `dispatch serve` on loopback with the SQLite store.
# Usage (from the project root, after `swift build -c release --product dispatch`):
#   Benchmarks/load/run.sh [SECONDS] [CONNECTIONS]
# Runs wrk (Debian package) against GET /readyz (baseline: one store read, no write; /healthz touches no store since issue 13) and POST /v1/bookings on the same
# server, one after the other, and prints both with their ratio. wrk and the server share the
# machine's two cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-20}
connections=${2:-32}
source Benchmarks/load/serve.sh

echo "dispatch serve $url, SQLite store (WAL, synchronous=FULL), $connections connections, ${seconds} s each, $(date -u '+%Y-%m-%d %H:%M UTC')"
base=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -s Benchmarks/load/health.lua "$url/readyz" | grep RESULT)
echo "GET /readyz        $base"
book=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -s Benchmarks/load/bookings.lua "$url/v1/bookings" | grep RESULT)
echo "POST /v1/bookings  $book"
stored=$(sqlite3 "$dir/store.sqlite" "SELECT COUNT(*), SUM(status = 'accepted'), SUM(status = 'rejected') FROM bookings" 2>/dev/null || echo "?")
echo "stored bookings (count|accepted|rejected): $stored"
rate() { sed -E 's/.*rate=([0-9.]+).*/\1/' <<<"$1"; }
awk -v b="$(rate "$book")" -v h="$(rate "$base")" 'BEGIN { printf "booking rate / readiness rate = %.3f\n", b / h }'
