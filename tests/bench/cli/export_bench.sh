#!/usr/bin/env bash
# `silt export` throughput (docs/BENCHMARKS.md "silt export"): starts build/bin/silt-aggregator on
# a fresh temp dir, pushes 1M lines (10 streams x 100k entries, ~100-byte logfmt lines, 10 ms
# apart per stream, so 1,000 s of data) with curl in 10 JSON bodies, then times
# `silt export` of the whole range (default --batch 5000 and --part 1h) `runs` times, checks each
# file decompresses to exactly 1M lines, and prints lines/s. For reference it also times
# `silt query --limit 0 -o raw` (newest first, as query defaults) and `--forward -o jsonl` (the
# requests and text export makes, without zstd and files) of the same range to /dev/null.
# Usage: tests/bench/cli/export_bench.sh [build_dir (default build)] [runs (default 3)]
set -euo pipefail

build=$(realpath "${1:-build}")
runs=${2:-3}
work=$(mktemp -d /tmp/silt-export-bench.XXXXXX)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null && wait "$server_pid" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

cat > "$work/aggregator.yaml" <<YAML
data_dir: $work/data
http:
  listen: 127.0.0.1:0
agent_listener:
  listen: 127.0.0.1:0
syslog:
  tcp_listen: ""
  udp_listen: ""
limits:
  reject_old_samples: false
YAML
"$build/bin/silt-aggregator" serve --config "$work/aggregator.yaml" > "$work/aggregator.log" 2>&1 &
server_pid=$!
port=
for _ in $(seq 1 200); do
  port=$(grep -o 'http listener ready" address=127.0.0.1:[0-9]*' "$work/aggregator.log" |
         sed 's/.*://' || true)
  [ -n "$port" ] && break
  sleep 0.05  # waiting for the server to log its port, with a 10 s deadline
done
[ -n "$port" ] || { echo "export_bench: the aggregator did not start" >&2; exit 1; }
export SILT_ADDR="http://127.0.0.1:$port"
until curl -sf "$SILT_ADDR/ready" > /dev/null; do sleep 0.05; done

base=1765200000
for body in 0 1 2 3 4 5 6 7 8 9; do
  awk -v body="$body" -v base="$base" 'BEGIN {
    printf "{\"streams\":["
    for (s = 0; s < 10; s++) {
      printf "%s{\"stream\":{\"job\":\"bench\",\"host\":\"h%d\"},\"values\":[", (s ? "," : ""), s
      for (i = body * 10000; i < (body + 1) * 10000; i++) {
        printf "%s[\"%d%09d\",\"level=info host=h%d method=GET path=/api/v1/items/%d status=200 duration_ms=%d bytes=%d\"]",
               (i > body * 10000 ? "," : ""), base + int(i / 100), (i % 100) * 10000000, s, i, i % 997, i % 65536
      }
      printf "]}"
    }
    printf "]}"
  }' > "$work/body$body.json"
  curl -sf -o /dev/null -H 'Content-Type: application/json' --data-binary "@$work/body$body.json" \
    "$SILT_ADDR/loki/api/v1/push"
done

from=$base
to=$((base + 1000))
TIMEFORMAT='%R %U %S'
echo "| run | export wall | export lines/s (wall) | silt CPU (user+sys) | file bytes | query --limit 0 -o raw wall | query --limit 0 --forward -o jsonl wall |"
echo "|---|---|---|---|---|---|---|"
for run in $(seq 1 "$runs"); do
  rm -f "$work/out.jsonl.zst"
  { time "$build/bin/silt" export '{job="bench"}' --from "$from" --to "$to" \
      -o "$work/out.jsonl.zst" 2> /dev/null; } 2> "$work/export.time"
  lines=$(zstd -dc "$work/out.jsonl.zst" | wc -l)
  [ "$lines" -eq 1000000 ] || { echo "export_bench: $lines lines exported, want 1000000" >&2; exit 1; }
  { time "$build/bin/silt" query '{job="bench"}' --from "$from" --to "$to" --limit 0 -o raw \
      > /dev/null; } 2> "$work/query.time"
  { time "$build/bin/silt" query '{job="bench"}' --from "$from" --to "$to" --limit 0 \
      --forward -o jsonl > /dev/null; } 2> "$work/forward.time"
  read -r wall user sys < "$work/export.time"
  read -r qwall _ _ < "$work/query.time"
  read -r fwall _ _ < "$work/forward.time"
  awk -v w="$wall" -v u="$user" -v s="$sys" -v q="$qwall" -v f="$fwall" -v run="$run" \
      -v bytes="$(stat -c %s "$work/out.jsonl.zst")" 'BEGIN {
    printf "| %d | %.2f s | %.0f | %.2f s | %d | %.2f s | %.2f s |\n", run, w, 1000000 / w, u + s,
           bytes, q, f
  }'
done

# The peer on the same bytes: the zstd CLI compressing the exported jsonl at the same level.
zstd -dc "$work/out.jsonl.zst" > "$work/out.jsonl"
{ time zstd -3 -q -c "$work/out.jsonl" > /dev/null; } 2> "$work/zstd.time"
read -r _ zuser zsys < "$work/zstd.time"
awk -v u="$zuser" -v s="$zsys" -v bytes="$(stat -c %s "$work/out.jsonl")" 'BEGIN {
  printf "peer: zstd -3 of the same %d jsonl bytes: %.2f s CPU\n", bytes, u + s
}'
