# Sourced by the bench scripts: starts `./switchyard demo` in the background, stops it (and a background sampler,
# if the script set $sampler) when the script exits, and finds the servers' ports in its output.
#   start_demo              after it: $work (a scratch dir, removed at exit), $log (the demo's output), $gateway
#   primary_port KS SHARD   the port of a keyspace shard's primary
start_demo() {
  work=$(mktemp -d)
  log="$work/demo.log"
  "$here/switchyard" demo >"$log" 2>&1 &
  demo=$!
  sampler=
  trap bench_cleanup EXIT
  for _ in $(seq 1 480); do grep -q "Press Ctrl-C" "$log" && break; sleep 0.5; done
  grep -q "Press Ctrl-C" "$log" || { cat "$log" >&2; exit 1; }
  gateway=$(sed -n 's/^Gateway: MySQL protocol on 127.0.0.1:\([0-9]*\),.*/\1/p' "$log")
}

bench_cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null
  kill -TERM $demo 2>/dev/null; wait $demo 2>/dev/null || true
  rm -rf "$work"
}

primary_port() { sed -n "s/.*$1 *$2 *primary *127.0.0.1:\([0-9]*\).*/\1/p" "$log" | head -1; }
