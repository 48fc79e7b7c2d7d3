#!/usr/bin/env bash
# Booking latency on a busy day: one service date is first filled with PREFILL booking attempts
# (random stops of the embedded zone, 07:30–18:00, a quarter arrive-by), then wrk sends more
# bookings for the same date for SECONDS with CONNECTIONS connections; GET /readyz in the same
# run is the baseline. Usage (from the project root, after
# `swift build -c release --product dispatch`):
#   Benchmarks/load/busy-day.sh [PREFILL] [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/../.."
prefill=${1:-2000}
seconds=${2:-10}
connections=${3:-32}
source Benchmarks/load/serve.sh
date=2099-07-01

# The stops and their municipalities, as Lua and for the prefill.
python3 - "$dir" <<'PY'
import json, sys
zone = json.load(open("Networks/default-zone.zone.json"))
stops = [(s["id"], s["municipality"]) for s in zone["stops"]]
with open(sys.argv[1] + "/stops.lua", "w") as f:
    f.write("stops = {" + ",".join('{"%s","%s"}' % s for s in stops) + "}\n")
json.dump(stops, open(sys.argv[1] + "/stops.json", "w"))
PY

python3 - "$url" "$dir/stops.json" "$prefill" "$date" <<'PY'
import json, os, random, sys, threading, urllib.request
url, stops, total, date = sys.argv[1], json.load(open(sys.argv[2])), int(sys.argv[3]), sys.argv[4]
key = os.environ["KEY"]
rng = random.Random(7)
jobs = []
for n in range(total):
    (a, m), (b, _) = rng.sample(stops, 2)
    t = rng.randrange(7 * 60 + 30, 18 * 60)
    kind = "arrive_by" if rng.random() < 0.25 else "pickup_time"
    jobs.append({"passenger_ref": f"F-{n}", "municipality": m, "pickup": {"stop_id": a}, "dropoff": {"stop_id": b},
                 "date": date, kind: "%02d:%02d" % (t // 60, t % 60)})
counts = {}
lock = threading.Lock()
def worker(part):
    for body in part:
        req = urllib.request.Request(url + "/v1/bookings", data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req) as r: status = json.load(r).get("status")
        except urllib.error.HTTPError as e: status = "http %d" % e.code
        with lock: counts[status] = counts.get(status, 0) + 1
threads = [threading.Thread(target=worker, args=(jobs[i::8],)) for i in range(8)]
for t in threads: t.start()
for t in threads: t.join()
print("prefill of %s: %s" % (date, counts))
PY

cat "$dir/stops.lua" - > "$dir/busy.lua" <<LUA
local counter = 0
request = function()
  counter = counter + 1
  local a = stops[math.random(#stops)]
  local b = stops[math.random(#stops)]
  while b[1] == a[1] do b = stops[math.random(#stops)] end
  local t = 450 + math.random(0, 629)
  local body = string.format('{"passenger_ref":"W-%d","municipality":"%s","pickup":{"stop_id":"%s"},"dropoff":{"stop_id":"%s"},"date":"$date","pickup_time":"%02d:%02d"}',
    counter, a[2], a[1], b[1], math.floor(t / 60), t % 60)
  return wrk.format("POST", "/v1/bookings", {["Authorization"] = "Bearer " .. os.getenv("KEY"), ["Content-Type"] = "application/json"}, body)
end
LUA
sed -n '/^done = function/,$p' Benchmarks/load/health.lua >> "$dir/busy.lua"

echo "dispatch serve $url, SQLite store, $date holds $prefill booking attempts, $connections connections, ${seconds} s each, $(date -u '+%Y-%m-%d %H:%M UTC')"
base=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -s Benchmarks/load/health.lua "$url/readyz" | grep RESULT)
echo "GET /readyz        $base"
book=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$dir/busy.lua" "$url/v1/bookings" | grep RESULT)
echo "POST /v1/bookings  $book"
stored=$(sqlite3 "$dir/store.sqlite" "SELECT COUNT(*), SUM(status = 'accepted'), SUM(status = 'rejected') FROM bookings" 2>/dev/null || echo "?")
echo "stored bookings of $date (count|accepted|rejected): $stored"
rate() { sed -E 's/.*rate=([0-9.]+).*/\1/' <<<"$1"; }
awk -v b="$(rate "$book")" -v h="$(rate "$base")" 'BEGIN { printf "booking rate / readiness rate = %.3f\n", b / h }'
