#!/usr/bin/env bash
# Table copy: a MoveTables workflow vs mydumper + myloader, in one run on one demo cluster.
#   bench/copy.sh [ROWS]                                   e.g. bench/copy.sh 2000000
#   SWITCHYARD_JAVA_OPTS=-Xmx128m bench/copy.sh 2000000    also shows the gateway's heap stays bounded
#   WORKFLOW_WITH="defer_secondary_keys = true" bench/copy.sh  workflow options (CREATE WORKFLOW ... WITH (...))
#   FLUSH_BINLOGS=1 bench/copy.sh                          rotate the source's binlog after filling the table
# Fills a table with sysbench's oltp rows (id, k, c CHAR(120), pad CHAR(60), index on k) on the unsharded commerce
# primary, renamed to commerce.customer (see below), then
#   1. copies it to the two customer shards with CREATE WORKFLOW ... MOVE TABLES (the demo's hash vindex on the key), timed from the
#      CREATE to the table's state 'copied' (so including target table creation and the secondary index);
#   2. moves the same table between the same servers with mydumper (commerce primary, 4 threads, 100,000-row
#      chunks, consistent snapshot without FTWRL) and myloader (into database `loaded` on shard -80's primary,
#      4 threads, binary logging on like the workflow's targets), timed end to end.
# Prints rows/s and MB/s (of the source's InnoDB data_length) for both, the ratio, and the gateway's peak heap use
# sampled once a second with jstat.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rows=${1:-2000000}
with=${WORKFLOW_WITH:+ WITH ($WORKFLOW_WITH)}
for tool in sysbench mydumper myloader mariadb jstat; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is needed (apt-get install -y sysbench mydumper mariadb-client)" >&2; exit 1; }
done

# shellcheck source=demo-lib.sh
. "$here/bench/demo-lib.sh"
start_demo
commerce=$(primary_port commerce 0)
shard1=$(primary_port customer -80)
sql() { mariadb -h127.0.0.1 -uroot -P"$1" -N -B -e "$2"; }
now() { date +%s.%N; }

echo "bench: filling commerce.sbtest1 with $rows rows..." >&2
sysbench oltp_read_write --mysql-host=127.0.0.1 --mysql-port="$commerce" --mysql-user=root --mysql-db=commerce \
  --db-driver=mysql --mysql-ssl=off --tables=1 --table-size="$rows" --threads=1 prepare >/dev/null
# The workflow checks the target's vindexes in the gateway's config, not in what ALTER VSCHEMA changed (reported),
# so the table takes the name and key column of one the demo config already shards: customer, by hash(customer_id).
sql "$commerce" "DROP TABLE commerce.customer;
  ALTER TABLE commerce.sbtest1 CHANGE id customer_id INT NOT NULL AUTO_INCREMENT, ALGORITHM = NOCOPY;
  RENAME TABLE commerce.sbtest1 TO commerce.customer; ANALYZE TABLE commerce.customer" >/dev/null
if [ -n "${FLUSH_BINLOGS:-}" ]; then
  # Start the workflow in a fresh binlog file: a GTID connect makes the source read its binlog file from the top up
  # to the position, and the fill above wrote about as much binlog as table data (see docs/benchmarks.md).
  sql "$commerce" "FLUSH BINARY LOGS"
fi
mb=$(sql "$commerce" "SELECT ROUND(data_length / 1048576, 1) FROM information_schema.TABLES
                      WHERE table_schema = 'commerce' AND table_name = 'customer'")

# Gateway heap: used = survivors + eden + old (KB), once a second, from the JVM the demo runs in.
jstat -gc "$demo" 1000 >"$work/heap" 2>/dev/null &
sampler=$!

echo "bench: copying with a MoveTables workflow..." >&2
t0=$(now)
# The gateway creates the workflow but its answer to CREATE WORKFLOW trips the mariadb client ("malformed packet",
# reported), so the outcome is read from SHOW WORKFLOW instead.
sql "$gateway" "CREATE WORKFLOW wf MOVE TABLES customer FROM commerce TO customer$with" 2>/dev/null || true
while :; do
  state=$(sql "$gateway" "SHOW WORKFLOW wf" | awk -F'\t' '$1 == "customer" {print $2}')
  case "$state" in copied|running) break ;; error) sql "$gateway" "SHOW WORKFLOW wf STREAMS" >&2; exit 1 ;; esac
  awk -v t0="$t0" -v t="$(now)" 'BEGIN {exit !(t - t0 > 3600)}' && { echo "bench: copy timed out" >&2; exit 1; }
  sleep 0.2
done
t1=$(now)
kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true; sampler=
copied=$(( $(sql "$shard1" "SELECT COUNT(*) FROM customer.customer") \
         + $(sql "$(primary_port customer 80-)" "SELECT COUNT(*) FROM customer.customer") ))
[ "$copied" -eq "$rows" ] || { echo "bench: the shards hold $copied rows, not $rows" >&2; exit 1; }
heap=$(awk 'NR > 1 && $1 ~ /^[0-9.]+$/ {u = $3 + $4 + $6 + $8; if (u > m) m = u} END {printf "%.0f", m / 1024}' \
  "$work/heap")
old=$(awk 'NR > 1 && $1 ~ /^[0-9.]+$/ {if ($8 > m) m = $8} END {printf "%.0f", m / 1024}' "$work/heap")
max_heap=$(jcmd "$demo" VM.flags 2>/dev/null | tr ' ' '\n' | sed -n 's/-XX:MaxHeapSize=//p')

echo "bench: mydumper + myloader..." >&2
t2=$(now)
mydumper -h 127.0.0.1 -P "$commerce" -u root -B commerce -T customer -o "$work/dump" -t 4 -r 100000 \
  --trx-consistency-only -v 1
t3=$(now)
myloader -h 127.0.0.1 -P "$shard1" -u root -d "$work/dump" -B loaded -t 4 -e -o -v 1
t4=$(now)
loaded=$(sql "$shard1" "SELECT COUNT(*) FROM loaded.customer")
[ "$loaded" -eq "$rows" ] || { echo "bench: myloader loaded $loaded rows, not $rows" >&2; exit 1; }

rotated=no; [ -n "${FLUSH_BINLOGS:-}" ] && rotated=yes
echo "workflow options:${with:- none}; source binlog rotated after the fill: $rotated"
awk -v r="$rows" -v mb="$mb" -v t0="$t0" -v t1="$t1" -v t2="$t2" -v t3="$t3" -v t4="$t4" -v heap="$heap" \
    -v old="$old" -v max="$max_heap" 'BEGIN {
  w = t1 - t0; d = t3 - t2; l = t4 - t3
  printf "table: %d rows, %.1f MB of InnoDB data\n", r, mb
  printf "workflow copy        %6.1f s  %8.0f rows/s  %6.1f MB/s\n", w, r / w, mb / w
  printf "mydumper + myloader  %6.1f s  %8.0f rows/s  %6.1f MB/s  (dump %.1f s, load %.1f s)\n", d + l, r / (d + l),
         mb / (d + l), d, l
  printf "workflow / mydumper+myloader throughput = %.2f\n", (d + l) / w
  printf "gateway heap during the copy: max %d MB, peak used %d MB (young garbage included), peak old gen %d MB\n",
         max / 1048576, heap, old
}'
grep -o "copied [0-9]* rows of commerce.customer in [0-9]* ms ([0-9]* rows/s)" "$log" | sed 's/^/gateway log: /' || true
