#!/usr/bin/env bash
# Traffic switch under load: SWITCH TRAFFIC / REVERSE TRAFFIC, ROUNDS times, while sysbench writes and reads the moved
# tables through the gateway.
#   bench/cutover.sh [ROUNDS] [GAP_SECONDS] [WRITE_THREADS]      e.g. bench/cutover.sh 5 5 8
#
# Starts `./switchyard demo`, prepares sysbench tables in commerce (on its primary), moves them to the sharded keyspace
# customer (CREATE WORKFLOW ... MOVE TABLES, vindex hash(id)), waits for the copy, then runs through the gateway
#   - oltp_write_only's transaction on WRITE_THREADS threads (bench/cutover.lua, --mysql-ignore-errors=none: any error
#     stops sysbench and fails this script),
#   - one point-select reader thread (same script, --workload=read),
# and, after a warm-up, SWITCH TRAFFIC then REVERSE TRAFFIC ROUNDS times, GAP_SECONDS apart. Afterwards it checks that
# the source and target tables hold the same rows (counts and row checksums on the servers directly) and prints: each
# switch's duration, the longest statement hold (the gateway's switchyard_buffer_* metrics and the clients' own
# latencies), statement p99 inside vs outside the switch windows, and the failed statements.
# KEEP=DIR keeps the raw files (per-statement latencies, demo log, metrics) in DIR.
# STEPS=1 also turns on the general query log (log_output=TABLE, microsecond times) of the topology store and the
# primaries and prints where each hold went (drain and lock, position reads, the streams' catch-up, stopping them and
# recording the reverse positions, the flip), from the switch's own statements (journal writes, LOCK TABLES, position
# commits); every statement of every switch lands in DIR/steps-timeline.txt. The log costs the servers throughput:
# latency figures of such a run are not comparable with a plain one.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rounds=${1:-5}
gap=${2:-5}
threads=${3:-8}
tables=4
rows=20000
warmup=15
tail_seconds=10
for tool in sysbench mariadb python3 curl; do
  command -v "$tool" >/dev/null || { echo "cutover: $tool is needed" >&2; exit 1; }
done
if ss -ltn | grep -qE '127\.0\.0\.1\]?:(15306|15000) '; then
  echo "cutover: ports 15306/15000 are in use (another demo running?): $(ss -ltnp | grep -E ':(15306|15000) ')" >&2
  exit 1
fi

work=${KEEP:-$(mktemp -d)}
mkdir -p "$work"
log="$work/demo.log"
SWITCHYARD_JAVA_OPTS="${SWITCHYARD_JAVA_OPTS:-} -Dorg.slf4j.simpleLogger.showDateTime=true
  -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS" "$here/switchyard" demo >"$log" 2>&1 &
demo=$!
writer=""; reader=""
cleanup() {
  local rc=$?
  for p in $writer $reader; do kill -TERM "$p" 2>/dev/null || true; done
  kill -TERM $demo 2>/dev/null; wait $demo 2>/dev/null || true
  [ -n "${KEEP:-}" ] || rm -rf "$work"
  exit $rc
}
trap cleanup EXIT
for _ in $(seq 1 240); do grep -q "Press Ctrl-C" "$log" && break; sleep 0.5; done
grep -q "Press Ctrl-C" "$log" || { cat "$log" >&2; exit 1; }
port_of() { sed -n "s/^ *$1 *$2 *primary *127.0.0.1:\([0-9]*\).*/\1/p" "$log"; }
source_port=$(port_of commerce 0)
shard_ports="$(port_of customer -80) $(port_of customer 80-)"
gateway=$(sed -n 's/^Gateway: MySQL protocol on 127.0.0.1:\([0-9]*\),.*/\1/p' "$log")
http=$(sed -n 's/.*HTTP (metrics) on 127.0.0.1:\([0-9]*\).*/\1/p' "$log")
gw() { mariadb -h127.0.0.1 -P"$gateway" -uroot --batch --skip-column-names "$@"; }
now_ns() { date +%s%N; }

common=(--mysql-host=127.0.0.1 --mysql-user=root --mysql-db=commerce --tables=$tables --table-size=$rows
        --db-driver=mysql --mysql-ssl=off)
sysbench oltp_write_only "${common[@]}" --mysql-port="$source_port" --threads=4 prepare >/dev/null

# Move the tables to the sharded keyspace and wait for the copy.
table_list=$(seq -s, -f 'sbtest%g' 1 $tables)
for t in $(seq 1 $tables); do gw -e "ALTER VSCHEMA ON customer.sbtest$t ADD VINDEX hash(id) USING hash"; done
python3 "$here/bench/admin_sql.py" "$gateway" \
  "CREATE WORKFLOW cutover MOVE TABLES $table_list FROM commerce TO customer" >/dev/null
for _ in $(seq 1 300); do
  state=$(gw -e "SHOW WORKFLOWS" | awk '$1 == "cutover" {print $3}')
  [ "$state" = running ] && break
  [ "$state" = error ] && { gw -e "SHOW WORKFLOW cutover STREAMS" >&2; exit 1; }
  sleep 1
done
[ "$state" = running ] || { echo "cutover: the copy did not finish (state $state)" >&2; exit 1; }
target_db=$(gw -e "SHOW KEYSPACES" | awk '$1 == "customer" {print $4}')
topology_port=$(sed -n 's/^ *- *- *topology *127.0.0.1:\([0-9]*\).*/\1/p' "$log")
traced="topology:$topology_port commerce/0:$source_port"
traced+=" customer/-80:$(port_of customer -80) customer/80-:$(port_of customer 80-)"
if [ "${STEPS:-0}" = 1 ]; then
  for server in $traced; do
    mariadb -h127.0.0.1 -P"${server#*:}" -uroot -e "SET GLOBAL log_output = 'TABLE'; SET GLOBAL general_log = 1"
  done
fi

# Load through the gateway for the whole run; any error ends sysbench with a non-zero status.
seconds=$((warmup + rounds * 2 * (gap + 4) + tail_seconds))
load=(--mysql-port="$gateway" --time="$seconds" --rand-type=uniform --mysql-ignore-errors=none --report-interval=1
      --percentile=99)
sysbench "$here/bench/cutover.lua" "${common[@]}" "${load[@]}" --threads="$threads" --workload=write \
  --latency-prefix="$work/write" run >"$work/sysbench-write.log" 2>&1 &
writer=$!
sysbench "$here/bench/cutover.lua" "${common[@]}" "${load[@]}" --threads=1 --workload=read --point-selects=1 \
  --latency-prefix="$work/read" run >"$work/sysbench-read.log" 2>&1 &
reader=$!
load_started=$(now_ns)
sleep "$warmup"

# SWITCH then REVERSE, ROUNDS times. Each line of switches.tsv: operation, round, start/end of the command's round
# trip (ns since the epoch), its exit status, its OK message or error, the switchyard_buffer_max_hold_seconds gauge
# right after it, and how many times the pre-checks refused it first (retried once a second, at most 20 times).
# bench/admin_sql.py, not the mariadb client, sends the commands: see its header for why.
metric() { curl -s "http://127.0.0.1:$http/metrics" | awk -v m="$1" '$1 == m {print $2}'; }
: >"$work/switches.tsv"
for round in $(seq 1 "$rounds"); do
  for op in SWITCH REVERSE; do
    refused=0
    while :; do
      rc=0
      result=$(python3 "$here/bench/admin_sql.py" "$gateway" "$op TRAFFIC FOR WORKFLOW cutover") || rc=$?
      # A pre-check refusal changes nothing; anything else (a switch that failed and was undone) is a result.
      if [ $rc != 0 ] && [[ "$result" == *"cannot "*" traffic of workflow"* ]] && [ $refused -lt 20 ]; then
        refused=$((refused + 1))
        echo "$result" | cut -f3 >>"$work/refusals.txt"
        sleep 1
        continue
      fi
      break
    done
    printf '%s\t%d\t%s\t%d\t%s\t%d\n' "$op" "$round" "$result" "$rc" \
      "$(metric switchyard_buffer_max_hold_seconds)" "$refused" >>"$work/switches.tsv"
    [ $rc = 0 ] || echo "cutover: $op TRAFFIC failed in round $round: $result" >&2
    sleep "$gap"
  done
done
switches_ended=$(now_ns)
writer_rc=0; wait "$writer" || writer_rc=$?
reader_rc=0; wait "$reader" || reader_rc=$?
writer=""; reader=""
load_ended=$(now_ns)
curl -s "http://127.0.0.1:$http/metrics" | grep -E '^switchyard_buffer' >"$work/metrics.txt" || true
gw -e "SHOW WORKFLOW cutover LOGS" >"$work/workflow-logs.tsv" || true

if [ "${STEPS:-0}" = 1 ]; then
  # Every statement but the load's own (prepared sysbench statements, and the rows the streams apply to sbtest*).
  for server in $traced; do
    mariadb -h127.0.0.1 -P"${server#*:}" -uroot --batch --skip-column-names -e "SET GLOBAL general_log = 0;
      SELECT ROUND(UNIX_TIMESTAMP(event_time) * 1000000), '${server%%:*}', thread_id, command_type,
             REPLACE(REPLACE(LEFT(CONVERT(argument USING utf8mb4), 160), '\n', ' '), '\t', ' ')
      FROM mysql.general_log
      WHERE command_type NOT IN ('Execute', 'Prepare', 'Close stmt', 'Reset stmt', 'Binlog Dump', 'Connect', 'Quit')
        AND CONVERT(argument USING utf8mb4) NOT IN ('BEGIN', 'COMMIT')
        AND (CONVERT(argument USING utf8mb4) NOT LIKE '%sbtest%'
             OR CONVERT(argument USING utf8mb4) LIKE 'LOCK TABLES%')"
  done | sort -n >"$work/steps.tsv"
fi

# Source vs target, on the servers directly, once replication has caught up (at most 60 s).
# Two order-independent row checksums (sums of 32-bit row hashes: exact in awk, and additive over shards).
rows_sum() { # port database table -> "count crc32-sum md5-sum"
  mariadb -h127.0.0.1 -P"$1" -uroot --batch --skip-column-names -e "SELECT COUNT(*),
    COALESCE(SUM(CRC32(CONCAT_WS('#', id, k, c, pad))), 0),
    COALESCE(SUM(CAST(CONV(LEFT(MD5(CONCAT_WS('#', id, k, c, pad)), 8), 16, 10) AS UNSIGNED)), 0)
    FROM \`$2\`.\`$3\`"
}
compare() {
  : >"$work/verify.txt"
  local same=1
  for t in $(seq 1 $tables); do
    local src tgt
    src=$(rows_sum "$source_port" commerce "sbtest$t")
    tgt=$(for p in $shard_ports; do rows_sum "$p" "$target_db" "sbtest$t"; done |
          awk '{n += $1; s += $2; m += $3} END {printf "%.0f\t%.0f\t%.0f\n", n, s, m}')
    echo -e "sbtest$t\tsource\t$src\ttarget\t$tgt" >>"$work/verify.txt"
    [ "$src" = "$tgt" ] || same=0
  done
  [ $same = 1 ]
}
verified=no
for _ in $(seq 1 60); do
  if compare; then verified=yes; break; fi
  sleep 1
done

python3 "$here/bench/cutover_report.py" "$work" "$load_started" "$switches_ended" "$load_ended" \
  "$writer_rc" "$reader_rc" "$verified"
echo
echo "gateway log, traffic switch lines:"
grep -E 'TrafficHold|TrafficSwitch|traffic' "$log" | sed 's/^/  /' | tail -40
[ "$writer_rc" = 0 ] && [ "$reader_rc" = 0 ] && [ "$verified" = yes ]
