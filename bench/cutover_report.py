#!/usr/bin/env python3
"""Summarises a bench/cutover.sh run from the files it left in its work directory.

    cutover_report.py WORK LOAD_STARTED_NS SWITCHES_ENDED_NS LOAD_ENDED_NS WRITER_RC READER_RC VERIFIED

Reads switches.tsv (one SWITCH or REVERSE command a line), the per-statement latency files written by
bench/cutover.lua (write.<thread>, read.<thread>: "<kind> <start_us> <latency_us>"), metrics.txt (the gateway's
switchyard_buffer_* lines at the end), the sysbench logs and verify.txt, and prints one table a switch plus the
figures docs/benchmarks.md reports.

A statement is "in a switch window" when its execution overlaps the time between the start and the end of a
SWITCH/REVERSE command as the script measured them; every other statement of the load is "outside".
"""
import glob
import os
import re
import sys


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, int(round(p / 100.0 * len(ordered) + 0.5)) - 1))
    return ordered[index]


def read_latencies(work, prefix):
    rows = []
    for path in glob.glob(os.path.join(work, prefix + ".*")):
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 3:
                    rows.append((parts[0], int(parts[1]), int(parts[2])))
    return rows


def read_switches(work):
    switches = []
    with open(os.path.join(work, "switches.tsv")) as f:
        for line in f:
            op, rnd, start, end, message, rc, gauge, refused = (line.rstrip("\n").split("\t") + [""] * 8)[:8]
            ms = re.search(r"(?:in|after) (\d+) ms", message)
            switches.append({
                "op": op, "round": int(rnd), "start_us": int(start) // 1000, "end_us": int(end) // 1000,
                "rc": int(rc), "message": message.strip(), "gateway_ms": int(ms.group(1)) if ms else None,
                "max_hold_s": float(gauge) if gauge else None, "refused": int(refused or 0),
            })
    return switches


def overlapping(statement, window):
    _, start, latency = statement
    return start < window["end_us"] and start + latency > window["start_us"]


def split(statements, switches):
    inside, outside = [], []
    # Both lists are sorted by start; a statement overlaps at most a few windows, so a linear scan is enough.
    for s in statements:
        (inside if any(overlapping(s, w) for w in switches) else outside).append(s)
    return inside, outside


def ms(us):
    return us / 1000.0


def line(label, values):
    if not values:
        return "  %-34s %9s" % (label, "none")
    return "  %-34s %9d  p50 %8.2f ms  p99 %8.2f ms  max %8.2f ms" % (
        label, len(values), ms(percentile(values, 50)), ms(percentile(values, 99)), ms(max(values)))


def sysbench_summary(path):
    text = open(path).read() if os.path.exists(path) else ""
    fields = {}
    for key, pattern in (("transactions", r"transactions:\s+(\d+)"), ("queries", r"queries:\s+(\d+)"),
                         ("ignored errors", r"ignored errors:\s+(\d+)"), ("reconnects", r"reconnects:\s+(\d+)"),
                         ("max ms", r"max:\s+([\d.]+)")):
        m = re.search(pattern, text)
        fields[key] = m.group(1) if m else "?"
    fatal = [l for l in text.splitlines() if "FATAL" in l or "error" in l.lower() and "ignored" not in l]
    return fields, fatal


def print_steps(steps_path, log_path, timeline_path, switches):
    """STEPS=1: where each switch's hold went, from the statements it ran on the topology store and the primaries.

    Writes the full statement timeline of every switch to timeline_path and prints one row a switch. The marks:
    the journal's 'holding' write (the hold starts right after it), the last LOCK TABLES, the 'catching_up' write
    (positions read), the streams' position commits (UPDATE _switchyard.stream SET pos ..., time_updated) up to the
    'flipping' write, and the hold's release from the gateway's log line.
    """
    events = []
    for row in open(steps_path):
        parts = row.rstrip("\n").split("\t")
        if len(parts) >= 5:
            events.append((int(parts[0]), parts[1], parts[2], parts[3], parts[4]))
    releases = []
    for m in re.finditer(r"^(\d\d):(\d\d):(\d\d)\.(\d\d\d) .*TrafficHold - traffic hold on .* after (\d+) ms",
                         open(log_path).read(), re.M):
        releases.append(((int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3))) * 1000000
                         + int(m.group(4)) * 1000, int(m.group(5))))
    print()
    print("where each hold went (STEPS=1; ms; catch-up = until the streams' final position commit; idle = the part of"
          " it every stream sat on an open group with nothing more to apply, a lower bound):")
    print("  %-8s %5s %11s %9s %9s %16s %12s %13s %7s" % ("op", "round", "drain+lock", "read pos", "catch-up",
                                                         "of which idle", "halt+record", "flip+release", "hold"))
    with open(timeline_path, "w") as timeline:
        for i, w in enumerate(switches):
            mine = [e for e in events if w["start_us"] - 20000 <= e[0] <= w["end_us"] + 20000]
            timeline.write("\n%s round %d (ms from the command's start)\n" % (w["op"], w["round"]))
            for at, server, thread, kind, text in mine:
                timeline.write("  %8.1f  %-12s %5s %-6s %s\n"
                               % (ms(at - w["start_us"]), server, thread, kind[:6], text))

            def first(pattern, after=0):
                return next((e[0] for e in mine if e[0] >= after and re.search(pattern, e[4])), None)
            holding = first(r"SET journal = .*holding")
            caught = first(r"SET journal = .*catching_up")
            flipping = first(r"SET journal = .*flipping")
            locks = [e[0] for e in mine if e[4].startswith("LOCK TABLES")]
            if None in (holding, caught, flipping) or not locks:
                print("  %-8s %5d   (marks missing in the general log)" % (w["op"], w["round"]))
                continue
            lock = max(locks)
            # Each stream commits its position over its own connection to its target primary.
            commits = {}
            for at, server, thread, _, text in mine:
                if lock <= at <= flipping and text.startswith("UPDATE _switchyard.stream SET pos") \
                        and "time_updated" in text:
                    commits.setdefault((server, thread), []).append(at)
            last = max((c[-1] for c in commits.values()), default=caught)
            # Idle wait: per stream, from its last position commit before the final one (or the lock) to the final
            # one, minimum over the streams: a lower bound of the time every stream had applied all it would get
            # and sat on an open, uncommitted group.
            idle = min((c[-1] - max([t for t in c if t < c[-1] - 20000] or [lock]) for c in commits.values()),
                       default=0)
            day_us = w["start_us"] % 86400000000  # the gateway logs UTC times of day
            release = releases[i] if i < len(releases) else None  # one hold a switch, logged in order
            released_at = w["start_us"] - day_us + release[0] if release else None
            print("  %-8s %5d %11.0f %9.0f %9.0f %16.0f %12.0f %13s %7s" % (
                w["op"], w["round"], ms(lock - holding), ms(caught - lock), ms(last - caught),
                ms(idle), ms(flipping - last),
                "%.0f" % ms(released_at - flipping) if released_at else "?",
                release[1] if release else "?"))
    print("  (every statement of each switch: %s)" % timeline_path)


def main():
    work, load_started, switches_ended, load_ended = sys.argv[1], *map(int, sys.argv[2:5])
    writer_rc, reader_rc, verified = int(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
    switches = read_switches(work)
    writes = sorted(read_latencies(work, "write"), key=lambda s: s[1])
    reads = sorted(read_latencies(work, "read"), key=lambda s: s[1])
    write_statements = [s for s in writes if s[0] != "trx"]
    transactions = [s for s in writes if s[0] == "trx"]

    print("switches (duration = the SWITCH/REVERSE command as the client saw it; gateway = the ms in its OK"
          " message; hold = switchyard_buffer_max_hold_seconds after it; slowest = the longest statement"
          " overlapping it):")
    print("  %-8s %5s %10s %10s %9s %12s %12s %7s %s" % ("op", "round", "duration", "gateway", "hold", "slowest wr",
                                                      "slowest rd", "refused", "result"))
    for w in switches:
        win_w = [s[2] for s in write_statements if overlapping(s, w)]
        win_r = [s[2] for s in reads if overlapping(s, w)]
        print("  %-8s %5d %8.0f ms %7s ms %7s s %9.1f ms %9.1f ms %7d %s" % (
            w["op"], w["round"], ms(w["end_us"] - w["start_us"]),
            w["gateway_ms"] if w["gateway_ms"] is not None else "?",
            "%.3f" % w["max_hold_s"] if w["max_hold_s"] is not None else "?",
            ms(max(win_w)) if win_w else 0, ms(max(win_r)) if win_r else 0, w["refused"],
            "ok" if w["rc"] == 0 else "FAILED: " + w["message"]))
    refusals_path = os.path.join(work, "refusals.txt")
    if os.path.exists(refusals_path):
        print("  (refused = times the pre-checks refused the command before it ran; retried a second later):")
        for r in sorted(set(open(refusals_path).read().splitlines())):
            print("    " + r)
    durations = [w["end_us"] - w["start_us"] for w in switches]
    holds = [w["max_hold_s"] for w in switches if w["max_hold_s"] is not None]
    print()
    if durations:
        print("switch duration: min %.0f ms, median %.0f ms, max %.0f ms over %d commands (%d failed)" % (
            ms(min(durations)), ms(percentile(durations, 50)), ms(max(durations)), len(durations),
            sum(1 for w in switches if w["rc"] != 0)))
    if holds:
        print("longest hold at the gateway (switchyard_buffer_max_hold_seconds): max %.3f s, per switch %s" % (
            max(holds), " ".join("%.3f" % h for h in holds)))
    print()
    print("statement latency through the gateway, inside the switch windows vs outside them:")
    for label, statements in (("write statements", write_statements), ("write transactions", transactions),
                              ("point selects", reads)):
        inside, outside = split(statements, switches)
        print(line(label + ", in switch windows", [s[2] for s in inside]))
        print(line(label + ", outside", [s[2] for s in outside]))
    print()
    print("gateway buffer metrics at the end:")
    metrics_path = os.path.join(work, "metrics.txt")
    if os.path.exists(metrics_path):
        for m in open(metrics_path):
            shown = ('le="1.0"', 'le="2.5"', 'le="+Inf"')
            if not m.startswith("#") and ("_bucket" not in m or any(b in m for b in shown)):
                print("  " + m.rstrip())
    print()
    failed = 0
    for label, path, rc in (("writer", "sysbench-write.log", writer_rc), ("reader", "sysbench-read.log", reader_rc)):
        fields, fatal = sysbench_summary(os.path.join(work, path))
        print("sysbench %s: exit %d, %s" % (label, rc, ", ".join("%s %s" % kv for kv in fields.items())))
        for l in fatal[:5]:
            print("  " + l)
        failed += (rc != 0) + (int(fields["ignored errors"]) if fields["ignored errors"].isdigit() else 0) \
            + (int(fields["reconnects"]) if fields["reconnects"].isdigit() else 0)
    print("failed statements / errors / reconnects: %d (any error is fatal: --mysql-ignore-errors=none)" % failed)
    print("load ran %.0f s, switches ended %.0f s before the load did" % (
        (load_ended - load_started) / 1e9, (load_ended - switches_ended) / 1e9))
    steps_path = os.path.join(work, "steps.tsv")
    if os.path.exists(steps_path):
        print_steps(steps_path, os.path.join(work, "demo.log"), os.path.join(work, "steps-timeline.txt"), switches)
    print()
    print("source vs target (count, sum of CRC32, sum of MD5 prefixes), identical: %s" % verified)
    verify_path = os.path.join(work, "verify.txt")
    if os.path.exists(verify_path):
        for v in open(verify_path):
            print("  " + v.rstrip())


if __name__ == "__main__":
    main()
