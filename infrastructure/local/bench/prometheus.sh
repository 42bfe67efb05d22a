#!/bin/sh
# The same counts in Prometheus (the Debian package, 2.42) and the same questions asked of both:
#   1. one instant: the sums of good and total events over the 8 reported windows for every SLO
#      (16 instant queries) against `ebm evaluate` at that instant;
#   2. every minute of the last day: the same 16 queries as range queries (step 60 s) against `ebm series`;
# then every burn rate compared (Occurrences SLOs on rolling windows; Prometheus has no slices).
# usage: infrastructure/local/bench/prometheus.sh [workdir]     (needs prometheus, promtool, curl, python3)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
ebm="$here/../ebm"
work=${1:-/tmp/ebm-prometheus}
port=${PROM_PORT:-19090}
mkdir -p "$work"
if [ ! -f "$work/fleet.csv" ]; then
  "$ebm" sample-data --out "$work/fleet.csv" --slos 50 --slo-out "$work/slos"
fi
if [ ! -d "$work/tsdb" ]; then
  python3 "$here/compare.py" openmetrics "$work/fleet.csv" "$work/samples.om"
  promtool tsdb create-blocks-from openmetrics --max-block-duration=744h "$work/samples.om" "$work/tsdb" > /dev/null
  rm -f "$work/samples.om"
fi
printf 'global:\n  scrape_interval: 1h\n' > "$work/prometheus.yml"
prometheus --config.file="$work/prometheus.yml" --web.listen-address=127.0.0.1:$port \
  --storage.tsdb.path="$work/tsdb" --storage.tsdb.retention.time=3650d > "$work/prometheus.log" 2>&1 &
prom=$!
trap 'kill $prom 2>/dev/null' EXIT
until curl -sf "http://127.0.0.1:$port/-/ready" > /dev/null 2>&1; do sleep 0.5; done
end=$(tail -n 1 "$work/fleet.csv" | cut -d, -f1)
at=$(( $(date -u -d "$end" +%s) + 60 ))   # the minute after the last row, as evaluate chooses
query() { # instant | range
  for w in 5m 30m 1h 2h 6h 1d 3d 30d; do
    for m in ebm_good ebm_total; do
      if [ "$1" = instant ]; then
        # sum_over_time sums the samples in (t - w, t]: at t - 1 s, the minutes that start in [t - w, t)
        curl -sf "http://127.0.0.1:$port/api/v1/query" --data-urlencode "query=sum_over_time($m[$w])" \
          --data-urlencode "time=$((at - 1))" -o "$work/instant-$m-$w.json"
      else
        curl -sf "http://127.0.0.1:$port/api/v1/query_range" --data-urlencode "query=sum_over_time($m[$w])" \
          --data-urlencode "start=$((at - 86400 - 1))" --data-urlencode "end=$((at - 60 - 1))" \
          --data-urlencode "step=60" -o "$work/range-$m-$w.json"
      fi
    done
  done
}
seconds() { # the wall time of "$@"
  s=$(date +%s%N); "$@" > /dev/null; e=$(date +%s%N); echo "$(( (e - s) / 1000000 )) ms"
}
query instant # the first query maps the blocks
echo "one instant (8 windows x 50 SLOs), 3 runs each:"
for i in 1 2 3; do
  echo "  prometheus, 16 instant queries:  $(seconds query instant)"
  echo "  ebm evaluate, JVM start incl.:   $(seconds "$ebm" evaluate --slo "$work/slos" --data "$work/fleet.csv")"
done
"$ebm" evaluate --slo "$work/slos" --data "$work/fleet.csv" > "$work/evaluate.json"
echo "every minute of the last day (1,440 steps x 8 windows x 50 SLOs), 3 runs each:"
for i in 1 2 3; do
  echo "  prometheus, 16 range queries:    $(seconds query range)"
  echo "  ebm series, JVM start incl.:     $(seconds "$ebm" series --slo "$work/slos" --data "$work/fleet.csv" --out "$work/series.csv")"
done
python3 "$here/compare.py" compare "$work"
