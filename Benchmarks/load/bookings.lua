-- wrk script: POST /v1/bookings with a new passenger each time, spread over 336 service dates
-- of 2099 (about as many bookings per day as a zone gets), pickups between 08:00 and 16:45.
-- KEY comes from the environment (a booking key).
local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  key = os.getenv("KEY")
end

request = function()
  counter = counter + 1
  local n = counter
  local month = (n % 12) + 1
  local day = (math.floor(n / 12) % 28) + 1
  local hour = 8 + (n % 9)
  local minute = (n % 4) * 15
  local from, to = "okukawa-yakuba-mae-meetingpoint", "hanaoka-prefectural-hospital-hospital"
  if n % 2 == 1 then from, to = "hanaoka-station-station", "minamidani-yakuba-mae-meetingpoint" end
  local body = string.format('{"passenger_ref":"L-%d-%d","municipality":"okukawa-mura","pickup":{"stop_id":"%s"},"dropoff":{"stop_id":"%s"},"date":"2099-%02d-%02d","pickup_time":"%02d:%02d"}',
    id, n, from, to, month, day, hour, minute)
  return wrk.format("POST", "/v1/bookings", {["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json"}, body)
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT requests=%d seconds=%.2f rate=%.1f p50_ms=%.2f p99_ms=%.2f errors=%d non2xx=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors, summary.errors.status))
end
