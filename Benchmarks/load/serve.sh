# Sourced by the load scripts: checks for the release build and wrk, starts `dispatch serve` on a
# fresh SQLite store in a temporary folder with a booking key, and sets dir, store, url, pid and
# KEY (exported); the server and the folder go when the script exits.
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
