#!/bin/sh
# The gate and the dashboard at fleet size, on loopback: a store of 1,000 SLOs (the demo fleet over 2 days),
# `ebm serve` over it, then wrk against GET /services/{s}/gate (the four services in turn) and GET / (the
# dashboard, 440 KB of HTML): requests per second and latency percentiles, after a warm-up.
# usage: infrastructure/local/bench/load.sh [jar]     (default: the built ebm.jar; needs wrk)
#        EBM_DB=/tmp/ebm-load.db  SECONDS_EACH=10  CONNECTIONS=8
set -eu
here=$(cd "$(dirname "$0")" && pwd)
jar=${1:-$here/../target/ebm.jar}
db=${EBM_DB:-/tmp/ebm-load.db}
seconds=${SECONDS_EACH:-10}
connections=${CONNECTIONS:-8}
port=${PORT:-18181}
if [ ! -f "$db" ]; then
  "$here/../ebm" demo --slos 1000 --days 2 --db "$db" --out "${db%.db}.html" > /dev/null
fi
java -jar "$jar" serve --db "$db" --port "$port" > "${db%.db}-serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
until curl -sf -o /dev/null "http://127.0.0.1:$port/slos"; do sleep 0.5; done
gates="$here/gates.lua"
cat > "$gates" <<'LUA'
local services = {"checkout-api", "search", "payments", "checkout-journey"}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/services/" .. services[n % #services + 1] .. "/gate")
end
LUA
wrk -t2 -c"$connections" -d5s -s "$gates" "http://127.0.0.1:$port/" > /dev/null  # warm-up: the JIT compiles
wrk -t2 -c"$connections" -d5s "http://127.0.0.1:$port/" > /dev/null
report() { # name, wrk output
  echo "$1: $(grep 'Requests/sec' "$2" | awk '{print $2}') requests/s, p50 $(grep ' 50%' "$2" | awk '{print $2}'),"\
    "p99 $(grep ' 99%' "$2" | awk '{print $2}'), errors: $(grep -c 'Non-2xx\|Socket errors' "$2")"
}
out=$(mktemp)
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$gates" "http://127.0.0.1:$port/" > "$out"
report "gate (GET /services/{s}/gate, 1,000 SLOs)" "$out"
wrk -t2 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:$port/" > "$out"
report "dashboard (GET /, 1,000 SLOs)" "$out"
rm -f "$out" "$gates"
