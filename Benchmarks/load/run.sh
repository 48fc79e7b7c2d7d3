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
bin=.build/release/dispatch
[ -x "$bin" ] || { echo "build first: swift build -c release --product dispatch" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

dir=$(mktemp -d /tmp/dispatch-load.XXXXXX)
store="sqlite:$dir/store.sqlite"
KEY=$("$bin" keys create --role booking --label load --store "$store" 2>/dev/null)
export KEY
"$bin" serve --port 0 --store "$store" --booking-horizon-days 36600 >"$dir/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 100); do grep -q serving "$dir/serve.log" && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$dir/serve.log" | head -1)

echo "dispatch serve $url, SQLite store (WAL, synchronous=FULL), $connections connections, ${seconds} s each, $(date -u '+%Y-%m-%d %H:%M UTC')"
base=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -s Benchmarks/load/health.lua "$url/readyz" | grep RESULT)
echo "GET /readyz        $base"
book=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -s Benchmarks/load/bookings.lua "$url/v1/bookings" | grep RESULT)
echo "POST /v1/bookings  $book"
stored=$(sqlite3 "$dir/store.sqlite" "SELECT COUNT(*), SUM(status = 'accepted'), SUM(status = 'rejected') FROM bookings" 2>/dev/null || echo "?")
echo "stored bookings (count|accepted|rejected): $stored"
rate() { sed -E 's/.*rate=([0-9.]+).*/\1/' <<<"$1"; }
awk -v b="$(rate "$book")" -v h="$(rate "$base")" 'BEGIN { printf "booking rate / readiness rate = %.3f\n", b / h }'
