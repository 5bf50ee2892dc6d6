package io.switchyard.replication.workflow;

import io.switchyard.config.Shard;
import io.switchyard.replication.apply.StreamPosition;
import io.switchyard.replication.binlog.GtidPositions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Switching a workflow's traffic: replica reads by a routing-rule flip; primaries by a journaled cut-over that never
 * loses a write; and the same cut-over backwards for {@code REVERSE TRAFFIC}.
 *
 * <p><b>The cut-over</b> ({@link #cut}), from the side serving writes now ({@code from}) to the other ({@code to}):
 * <ol>
 *   <li>journal {@code holding}; hold new statements for the tables at this gateway; wait for transactions that
 *       already touched them to end (the gateway's drain);</li>
 *   <li>{@code LOCK TABLES ... READ} on every {@code from} primary: waits for any other writer's open transaction on
 *       the tables (another gateway's, a direct client's) and keeps new writes out, so the position read next
 *       covers every write the tables will ever get on that side;</li>
 *   <li>read each {@code from} primary's position; wait until the streams towards {@code to} have applied it; stop
 *       them;</li>
 *   <li>record each {@code to} primary's position as the start of the streams back (journal {@code flipping});</li>
 *   <li>flip the routing rules (the point of no return), route by them, release the held statements, unlock;</li>
 *   <li>start the streams back from the recorded positions; clear the journal.</li>
 * </ol>
 * Any failure before the flip undoes it: the held statements run where they were going, the tables are unlocked,
 * and the old streams resume. A crash leaves the journal: {@link #recover} finishes the switch if the rules were
 * flipped and undoes it otherwise.
 */
final class TrafficSwitch {
    static final String SWITCH = "switch";
    static final String REVERSE = "reverse";
    private static final Logger LOG = LoggerFactory.getLogger(TrafficSwitch.class);
    private static final long POLL_MILLIS = 20;
    /** A gateway's routing poll (250 ms) and the time to read the store. */
    private static final Duration PEER_HOLD_WAIT = Duration.ofMillis(300);
    /** Longer than a gateway's routing poll (250 ms), with margin. */
    private static final Duration STALE_ROUTE_GRACE = Duration.ofMillis(600);

    private final MoveTablesWorkflow workflow;
    private final String name;

    TrafficSwitch(MoveTablesWorkflow workflow) {
        this.workflow = workflow;
        this.name = workflow.spec().name();
    }

    String switchTraffic(boolean replicasOnly, boolean dryRun, TrafficGate gate, SwitchOptions options)
            throws Exception {
        synchronized (workflow) {
            workflow.requireLease("switch traffic there");
            TrafficStore.Traffic now = requireActive("SWITCH TRAFFIC");
            if (now.traffic().equals(TrafficStore.PRIMARIES)) {
                throw new IllegalStateException("workflow " + name + " has switched primary traffic already;"
                        + " REVERSE TRAFFIC switches it back, COMPLETE WORKFLOW finishes the move");
            }
            List<String> problems = checks(workflow.forward(), options);
            List<String> steps = new ArrayList<>();
            String source = workflow.spec().sourceKeyspace();
            String target = workflow.spec().targetKeyspace();
            if (!now.traffic().equals(TrafficStore.REPLICAS)) {
                steps.add("route replica reads of " + tables() + " to " + target);
            }
            if (!replicasOnly) {
                steps.addAll(cutSteps(workflow.forward(), options));
            }
            if (dryRun) {
                return dryRun(steps, problems);
            }
            if (!problems.isEmpty()) {
                throw new IllegalStateException("cannot switch traffic of workflow " + name + ": "
                        + String.join("; ", problems));
            }
            if (!now.traffic().equals(TrafficStore.REPLICAS)) {
                workflow.rules().routeReplicasTo(target);
                workflow.traffic().setTraffic(name, TrafficStore.REPLICAS);
                gate.refreshRouting();
                workflow.log().info("replica reads switched to " + target);
            }
            if (replicasOnly) {
                return "replica reads of " + tables() + " now go to " + target + "; primary traffic stays on " + source;
            }
            long started = System.nanoTime();
            cut(SWITCH, workflow.forward(), workflow.reverse(), gate, options);
            return "primary and replica traffic of " + tables() + " switched to " + target + " in "
                    + (System.nanoTime() - started) / 1_000_000 + " ms; writes replicate back to " + source
                    + " (REVERSE TRAFFIC undoes the switch, COMPLETE WORKFLOW finishes it)";
        }
    }

    String reverseTraffic(boolean dryRun, TrafficGate gate, SwitchOptions options) throws Exception {
        synchronized (workflow) {
            workflow.requireLease("reverse traffic there");
            TrafficStore.Traffic now = requireActive("REVERSE TRAFFIC");
            if (!now.traffic().equals(TrafficStore.PRIMARIES)) {
                throw new IllegalStateException("workflow " + name + " has not switched primary traffic (traffic: "
                        + now.traffic() + "); REVERSE TRAFFIC runs after SWITCH TRAFFIC"
                        + (now.traffic().equals(TrafficStore.REPLICAS) ? ", and CANCEL WORKFLOW undoes a replica"
                        + " switch" : ""));
            }
            List<String> problems = checks(workflow.reverse(), options);
            List<String> steps = cutSteps(workflow.reverse(), options);
            if (dryRun) {
                return dryRun(steps, problems);
            }
            if (!problems.isEmpty()) {
                throw new IllegalStateException("cannot reverse traffic of workflow " + name + ": "
                        + String.join("; ", problems));
            }
            long started = System.nanoTime();
            cut(REVERSE, workflow.reverse(), workflow.forward(), gate, options);
            return "primary and replica traffic of " + tables() + " is back on " + workflow.spec().sourceKeyspace()
                    + " after " + (System.nanoTime() - started) / 1_000_000 + " ms; replication runs forward again";
        }
    }

    /** After a crash mid-switch: finish it if the rules were flipped, undo it otherwise. Caller holds the lease. */
    void recover(TrafficStore.Journal journal) throws SQLException {
        boolean switching = journal.operation().equals(SWITCH);
        Leg draining = switching ? workflow.forward() : workflow.reverse();
        Leg next = switching ? workflow.reverse() : workflow.forward();
        String to = draining.to().name();
        if (workflow.rules().primariesOn(to) && !journal.positions().isEmpty()) {
            finish(journal.operation(), draining, next, false);
            workflow.log().info("a " + journal.operation() + " of traffic interrupted after its routing flip was"
                    + " finished on restart");
        } else {
            workflow.rules().removeHolds();
            if (journal.operation().equals(SWITCH)) {
                // the replicas stay switched: that step had completed before the cut began
                workflow.traffic().setTraffic(name, TrafficStore.REPLICAS);
            }
            workflow.traffic().clearJournal(name);
            workflow.log().error("a " + journal.operation() + " of traffic interrupted at step '" + journal.step()
                    + "' was undone on restart; traffic stays on " + draining.from().name());
        }
    }

    private void cut(String operation, Leg draining, Leg next, TrafficGate gate, SwitchOptions options)
            throws Exception {
        TrafficStore traffic = workflow.traffic();
        long deadline = System.nanoTime() + options.window().toNanos();
        traffic.writeJournal(name, journal(operation, "holding", Map.of()));
        TrafficGate.Hold hold = gate.hold(heldTables(), options.window(), options.maxHeld());
        // Every other gateway holds too once it sees the marks, within its routing poll: wait that long before the
        // source lock, so their statements wait in their buffers rather than on the lock.
        workflow.rules().addHolds(draining.from().name());
        SourceFence fence = new SourceFence(name, workflow.spec().tables());
        boolean halted = false;
        StepTimes times = new StepTimes();
        try {
            try {
                if (!hold.awaitDrained(remaining(deadline))) {
                    throw new IllegalStateException("transactions on " + tables() + " did not finish within "
                            + options.window());
                }
                Thread.sleep(PEER_HOLD_WAIT.toMillis());
                times.step("drained");
                fence.lock(draining, remaining(deadline));
                times.step("locked");
                Map<String, String> stop = draining.fromPositions();
                traffic.writeJournal(name, journal(operation, "catching_up", Map.of()));
                awaitApplied(draining, stop, deadline);
                times.step("caught up");
                workflow.halt(true);
                halted = true;
                times.step("streams stopped");
                if (operation.equals(SWITCH)) {
                    GlobalSequences.initialize(workflow.spec(), workflow.config(), workflow.forward().sourceData(),
                            workflow.servers());
                }
                Map<String, String> start = next.fromPositions();
                next.setPositions(start, StreamPosition.RUNNING, "", workflow.deps().clock().instant());
                for (Shard shard : next.from().shards()) {
                    for (String table : workflow.spec().tables()) {
                        workflow.store().markCopied(next.spec().name(), next.sourceShard(shard), table, 0);
                    }
                }
                traffic.writeJournal(name, journal(operation, "flipping", start));
                if (!hold.holdUntilRelease()) {
                    throw new IllegalStateException("the hold window of " + options.window() + " ended before the"
                            + " routing flip");
                }
                times.step("positions recorded");
                workflow.rules().routeAllTo(draining.to().name()); // the point of no return
                times.step("flipped");
            } catch (Exception e) {
                if (halted && workflow.rules().primariesOn(draining.to().name())) {
                    LOG.warn("workflow {}: the routing flip reported {} but took effect; finishing", name, e.toString());
                    gate.refreshRouting();
                    hold.release();
                    fence.close();
                    finish(operation, draining, next, true);
                    return;
                }
                hold.release();
                fence.close();
                undo(operation, draining, halted, e);
                throw new IllegalStateException(operation + " traffic of workflow " + name + " failed and was"
                        + " undone; traffic stays on " + draining.from().name() + ": " + e.getMessage(), e);
            }
            gate.refreshRouting();
            hold.release();
            times.step("released");
            // Other gateways route by the new rules within a poll; a statement one of them sent to the old side
            // before that waits on our lock. Run it there after the flip and it would be lost to the new side: keep
            // the lock past their poll, then interrupt whatever still waits (the client gets an error, not a loss).
            Thread.sleep(STALE_ROUTE_GRACE.toMillis());
            fence.interruptWaiters();
        } finally {
            // Normally a no-op here; after an Error (the gateway going down) this is what its death would do.
            hold.release();
            fence.close();
        }
        workflow.log().info(operation + " traffic: statements held " + times.total() + " ms (" + times + ")");
        finish(operation, draining, next, true);
    }

    /** How long each step of a cut-over took, for the workflow's log. */
    private static final class StepTimes {
        private final long started = System.nanoTime();
        private long last = started;
        private final List<String> steps = new ArrayList<>();

        void step(String name) {
            long now = System.nanoTime();
            steps.add(name + " +" + (now - last) / 1_000_000 + " ms");
            last = now;
        }

        long total() {
            return (last - started) / 1_000_000;
        }

        @Override
        public String toString() {
            return String.join(", ", steps);
        }
    }

    private void finish(String operation, Leg draining, Leg next, boolean live) throws SQLException {
        boolean switching = operation.equals(SWITCH);
        workflow.traffic().setTraffic(name, switching ? TrafficStore.PRIMARIES : TrafficStore.SOURCE);
        if (!switching) {
            workflow.rules().routeAllTo(draining.to().name()); // replicas too
        }
        draining.setStates(StreamPosition.STOPPED, switching ? "primary traffic switched to "
                + draining.to().name() + "; replication runs in reverse" : "traffic reversed to "
                + draining.to().name(), workflow.deps().clock().instant());
        workflow.traffic().clearJournal(name);
        workflow.verifications().forget(); // it compared the direction that just ended
        if (live) {
            workflow.runLeg(next);
        }
        workflow.log().info(switching ? "primary traffic switched to " + draining.to().name()
                + "; reverse replication started" : "traffic reversed to " + draining.to().name()
                + "; forward replication resumed");
    }

    private void undo(String operation, Leg draining, boolean halted, Exception cause) throws SQLException {
        workflow.rules().removeHolds();
        workflow.traffic().clearJournal(name);
        if (halted) {
            workflow.runLeg(draining);
        }
        workflow.log().error(operation + " traffic failed and was undone: " + cause.getMessage());
        LOG.warn("workflow {}: {} traffic undone: {}", name, operation, cause.getMessage());
    }

    /** Until every stream of {@code leg} has committed at least its from-shard's position in {@code stop}. */
    private void awaitApplied(Leg leg, Map<String, String> stop, long deadline) throws Exception {
        while (true) {
            List<WorkflowStatus.StreamStatus> streams = leg.streams(workflow.deps().clock());
            boolean caughtUp = !streams.isEmpty();
            for (WorkflowStatus.StreamStatus stream : streams) {
                caughtUp &= GtidPositions.atOrBefore(stop.get(stream.sourceShard()), stream.pos());
                if (stream.state().equals(StreamPosition.ERROR)) {
                    throw new IllegalStateException("stream " + stream.sourceShard() + " -> " + stream.targetShard()
                            + " failed: " + stream.message());
                }
            }
            if (caughtUp) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the target did not catch up with " + stop + " in time: " + streams);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** Pre-checks: every stream running, lag within the maximum. */
    private List<String> checks(Leg leg, SwitchOptions options) throws SQLException {
        List<String> problems = new ArrayList<>();
        List<WorkflowStatus.StreamStatus> streams = leg.streams(workflow.deps().clock());
        if (streams.size() != leg.streamKeys().size()) {
            problems.add("not every stream exists yet (" + streams.size() + " of " + leg.streamKeys().size() + ")");
        }
        for (WorkflowStatus.StreamStatus stream : streams) {
            String label = stream.sourceShard() + " -> " + stream.targetShard();
            if (!stream.state().equals(StreamPosition.RUNNING)) {
                problems.add("stream " + label + " is " + stream.state() + (stream.message().isEmpty() ? ""
                        : " (" + stream.message() + ")") + "; it must be running (the copy finished)");
            } else if (stream.lagSeconds() < 0 || stream.lagSeconds() > options.maxLag().toSeconds()) {
                problems.add("stream " + label + " lags " + (stream.lagSeconds() < 0 ? "an unknown time"
                        : stream.lagSeconds() + " s") + ", more than the " + options.maxLag().toSeconds()
                        + " s allowed");
            }
        }
        return problems;
    }

    private List<String> cutSteps(Leg draining, SwitchOptions options) {
        String from = draining.from().name();
        String to = draining.to().name();
        return List.of(
                "hold statements for " + tables() + " at the gateway for at most " + options.window().toMillis()
                        + " ms (at most " + options.maxHeld() + " statements)",
                "wait for open transactions on them to finish",
                "LOCK TABLES ... READ on every " + from + " primary and record its binlog position",
                "wait until " + to + " has applied those positions, then stop the streams " + from + " -> " + to,
                (draining == workflow.forward() && !workflow.spec().options().globalKeyspace().isEmpty()
                        ? "move the sequences in " + workflow.spec().options().globalKeyspace()
                        + " past the source's ids, " : "") + "record every " + to + " primary's position",
                "route primary and replica traffic of " + tables() + " to " + to + ", release the held statements,"
                        + " unlock",
                "start replication " + to + " -> " + from + " from the recorded positions");
    }

    private static String dryRun(List<String> steps, List<String> problems) {
        StringBuilder text = new StringBuilder("DRY RUN, nothing changed.");
        text.append(problems.isEmpty() ? " Checks pass." : " Checks fail: " + String.join("; ", problems) + ".");
        for (int i = 0; i < steps.size(); i++) {
            text.append(" ").append(i + 1).append(". ").append(steps.get(i)).append('.');
        }
        return text.toString();
    }

    private TrafficStore.Traffic requireActive(String command) throws SQLException {
        TrafficStore.Traffic now = workflow.traffic().read(name);
        if (!now.lifecycle().equals(TrafficStore.ACTIVE)) {
            throw new IllegalStateException("workflow " + name + " is " + now.lifecycle() + "; " + command
                    + " needs an active workflow");
        }
        if (now.journal().isPresent()) {
            throw new IllegalStateException("workflow " + name + " is in the middle of a traffic switch; wait for"
                    + " it to finish");
        }
        return now;
    }

    /** Every name the moved tables are reached by: in the source and in the target keyspace. */
    private Set<String> heldTables() {
        Set<String> held = new LinkedHashSet<>();
        for (String table : workflow.spec().tables()) {
            held.add(workflow.spec().sourceKeyspace() + "." + table);
            held.add(workflow.spec().targetKeyspace() + "." + table);
        }
        return held;
    }

    private String tables() {
        return String.join(", ", workflow.spec().tables());
    }

    private TrafficStore.Journal journal(String operation, String step, Map<String, String> positions) {
        return new TrafficStore.Journal(operation, step, new LinkedHashMap<>(positions),
                workflow.deps().clock().instant());
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    }
}
