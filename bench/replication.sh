#!/usr/bin/env bash
# Replication under write load: how fast a MoveTables workflow applies, and how far it lags, in one run.
#   bench/replication.sh [SECONDS] [THREADS] [ROWS]            e.g. bench/replication.sh 60 8 100000
# Fills commerce.customer with sysbench oltp rows, copies it to the two customer shards with a workflow, then runs
# sysbench's oltp_write_only transaction (bench/customer_write_only.lua: 2 updates, a delete and an insert) on the
# commerce primary while the workflow replicates. Once a second it samples, through the gateway,
# SHOW WORKFLOW wf STREAMS (lag_seconds, and pos: the last source transaction each shard has committed) and the
# source's @@gtid_binlog_pos. Prints
#   - source transactions/s (sysbench) and transactions/s applied (GTID sequence advance on the slower shard),
#   - lag_seconds p50/p99/max: the column's own figure, whole seconds (binlog timestamps have one-second resolution),
#   - transactions behind p50/p99/max and that backlog in seconds at the source's rate (sub-second resolution),
#   - how long the shards took to catch up after the load stopped;
# then the apply rate without the source as the limit: STOP WORKFLOW, the same load for SECONDS/2, START WORKFLOW,
# and the time the shards take to apply that backlog (row changes/s over both shards).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${1:-60}
threads=${2:-8}
rows=${3:-100000}
for tool in sysbench mariadb; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is needed (apt-get install -y sysbench mariadb-client)" >&2; exit 1; }
done

# shellcheck source=demo-lib.sh
. "$here/bench/demo-lib.sh"
start_demo
commerce=$(primary_port commerce 0)
sql() { mariadb -h127.0.0.1 -uroot -P"$1" -N -B -e "$2"; }
now() { date +%s.%N; }
seq_of() { sed 's/.*-//'; } # the sequence number of a one-domain GTID position d-s-n

echo "bench: filling commerce.customer with $rows rows and copying it..." >&2
sysbench oltp_read_write --mysql-host=127.0.0.1 --mysql-port="$commerce" --mysql-user=root --mysql-db=commerce \
  --db-driver=mysql --mysql-ssl=off --tables=1 --table-size="$rows" --threads=1 prepare >/dev/null
# The workflow checks the target's vindexes in the gateway's config, not in what ALTER VSCHEMA changed (reported),
# so the table takes the name and key column of one the demo config already shards: customer, by hash(customer_id).
sql "$commerce" "DROP TABLE commerce.customer;
  ALTER TABLE commerce.sbtest1 CHANGE id customer_id INT NOT NULL AUTO_INCREMENT, ALGORITHM = NOCOPY;
  RENAME TABLE commerce.sbtest1 TO commerce.customer"
# The gateway creates the workflow but its answer trips the mariadb client ("malformed packet", reported).
sql "$gateway" "CREATE WORKFLOW wf MOVE TABLES customer FROM commerce TO customer" 2>/dev/null || true
for _ in $(seq 1 600); do
  [ "$(sql "$gateway" "SHOW WORKFLOW wf STREAMS" | awk -F'\t' '$3 == "running"' | wc -l)" -eq 2 ] && break
  sleep 0.5
done
[ "$(sql "$gateway" "SHOW WORKFLOW wf STREAMS" | awk -F'\t' '$3 == "running"' | wc -l)" -eq 2 ] \
  || { sql "$gateway" "SHOW WORKFLOW wf STREAMS" >&2; exit 1; }

# Sampler: time, source sequence, slowest shard's sequence, largest lag_seconds.
(
  while :; do
    t=$(now)
    src=$(sql "$commerce" "SELECT @@gtid_binlog_pos" | seq_of)
    sql "$gateway" "SHOW WORKFLOW wf STREAMS" | awk -F'\t' -v t="$t" -v src="$src" '
      {n = split($4, p, "-"); s = p[n] + 0; if (min == "" || s < min) min = s; l = $5 == "NULL" ? 0 : $5 + 0
       if (l > lag) lag = l}
      END {printf "%s %d %d %d\n", t, src, min, lag}'
    sleep 1
  done
) >"$work/samples" &
sampler=$!

echo "bench: oltp_write_only, $threads threads, $seconds s..." >&2
start_seq=$(sql "$commerce" "SELECT @@gtid_binlog_pos" | seq_of)
t0=$(now)
load() { # seconds
  sysbench "$here/bench/customer_write_only.lua" --mysql-host=127.0.0.1 --mysql-port="$commerce" \
    --mysql-user=root --mysql-db=commerce --db-driver=mysql --mysql-ssl=off --table-size="$rows" \
    --threads="$threads" --time="$1" --report-interval=0 run | awk '/transactions:/ {gsub(/[()]/, "", $3); print $3}'
}
await_caught_up() { # sequence
  local start; start=$(now)
  while :; do
    behind=$(sql "$gateway" "SHOW WORKFLOW wf STREAMS" | awk -F'\t' -v e="$1" '
      $3 != "running" {b++} $3 == "running" {n = split($4, p, "-"); if (p[n] + 0 < e) b++} END {print b + 0}')
    [ "$behind" -eq 0 ] && break
    awk -v t1="$start" -v t="$(now)" 'BEGIN {exit !(t - t1 > 600)}' && { echo "bench: no catch-up in 600 s" >&2; exit 1; }
    sleep 0.1
  done
}
tps=$(load "$seconds")
t1=$(now)
end_seq=$(sql "$commerce" "SELECT @@gtid_binlog_pos" | seq_of)
await_caught_up "$end_seq"
t2=$(now)
kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true; sampler=
sql "$gateway" "SHOW WORKFLOW wf STREAMS" | awk -F'\t' '$3 != "running" {print "bench: stream not running: " $0; bad=1}
  END {exit bad}' >&2

echo "bench: backlog: workflow stopped during $((seconds / 2)) s of load, then started..." >&2
sql "$gateway" "STOP WORKFLOW wf" 2>/dev/null || true
backlog_start=$(sql "$commerce" "SELECT @@gtid_binlog_pos" | seq_of)
load $((seconds / 2)) >/dev/null
backlog_end=$(sql "$commerce" "SELECT @@gtid_binlog_pos" | seq_of)
t3=$(now)
sql "$gateway" "START WORKFLOW wf" 2>/dev/null || true
await_caught_up "$backlog_end"
t4=$(now)

# Samples taken while the load ran.
awk -v t0="$t0" -v t1="$t1" '$1 >= t0 && $1 <= t1' "$work/samples" >"$work/during"
pct() { sort -n | awk -v p="$1" '{v[NR] = $1} END {i = int((NR - 1) * p / 100 + 0.5) + 1; print v[i]}'; }
lag50=$(awk '{print $4}' "$work/during" | pct 50); lag99=$(awk '{print $4}' "$work/during" | pct 99)
lagmax=$(awk '{print $4}' "$work/during" | pct 100)
b50=$(awk '{d = $2 - $3; print d < 0 ? 0 : d}' "$work/during" | pct 50); b99=$(awk '{d = $2 - $3; print d < 0 ? 0 : d}' "$work/during" | pct 99)
bmax=$(awk '{d = $2 - $3; print d < 0 ? 0 : d}' "$work/during" | pct 100)
awk -v tps="$tps" -v n="$((end_seq - start_seq))" -v t0="$t0" -v t1="$t1" -v t2="$t2" -v samples="$(wc -l <"$work/during")" \
    -v l50="$lag50" -v l99="$lag99" -v lmax="$lagmax" -v b50="$b50" -v b99="$b99" -v bmax="$bmax" \
    -v th="$threads" -v bn="$((backlog_end - backlog_start))" -v t3="$t3" -v t4="$t4" 'BEGIN {
  rate = n / (t1 - t0)
  printf "load: oltp_write_only, %d threads, %.0f s: %.0f source transactions/s (sysbench %s tps), 4 row changes each\n",
         th, t1 - t0, rate, tps
  printf "applied: %.0f transactions/s (%.0f row changes/s over both shards) from load start to caught up\n",
         n / (t2 - t0), 4 * n / (t2 - t0)
  printf "lag_seconds over %d samples: p50 %d s, p99 %d s, max %d s\n", samples, l50, l99, lmax
  printf "behind: p50 %d, p99 %d, max %d transactions = p50 %.2f s, p99 %.2f s, max %.2f s at the source rate\n",
         b50, b99, bmax, b50 / rate, b99 / rate, bmax / rate
  printf "caught up %.2f s after the load stopped\n", t2 - t1
  printf "backlog of %d transactions (%d row changes) applied in %.2f s after START WORKFLOW: %.0f transactions/s,\n",
         bn, 4 * bn, t4 - t3, bn / (t4 - t3)
  printf "  %.0f row changes/s over both shards\n", 4 * bn / (t4 - t3)
}'
