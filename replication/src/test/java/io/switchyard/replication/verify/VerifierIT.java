package io.switchyard.replication.verify;

import io.switchyard.replication.copy.SqlConnector;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.switchyard.replication.verify.VerificationStore.State.DONE;
import static io.switchyard.replication.verify.VerificationStore.State.ERROR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Verification state in the topology store, and resuming a verification after a failure or restart. */
@Sandboxed(DiffFixtures.SPEC)
class VerifierIT {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T19:30:00.123456Z"), ZoneOffset.UTC);

    @Test
    void recordsEveryTableAndResumesWithTheOnesNotDone(Sandbox sandbox) throws Exception {
        for (String table : List.of("t1", "t2", "t3")) {
            DiffFixtures.createEverywhere(sandbox, "CREATE TABLE {db}." + table + " (id BIGINT PRIMARY KEY, v TEXT)");
            List<Object[]> rows = new ArrayList<>();
            for (long id = 1; id <= 20; id++) {
                rows.add(new Object[] {id, "v" + id});
            }
            DiffFixtures.insertBoth(sandbox, table, 0, rows);
        }
        DiffFixtures.targetOwning(sandbox, 3).execute("UPDATE dst.t2 SET v = 'changed' WHERE id = 3");
        List<String> opened = new ArrayList<>();
        AtomicBoolean failT2 = new AtomicBoolean(true);
        Verifier.SnapshotOpener opener = table -> {
            opened.add(table);
            if (table.equals("t2") && failT2.getAndSet(false)) {
                throw new SQLException("source src/-80 unreachable");
            }
            return snapshots(sandbox);
        };
        TableDiff diff = new TableDiff(DiffOptions.DEFAULTS, CLOCK);

        List<VerificationStore.TableVerification> first = new Verifier(diff, store(sandbox), CLOCK)
                .verify("wf", List.of("t1", "t2", "t3"), opener);

        assertEquals(List.of(DONE, ERROR, DONE), first.stream().map(VerificationStore.TableVerification::state)
                .toList());
        assertEquals("source src/-80 unreachable", first.get(1).message());
        assertTrue(first.get(0).report().orElseThrow().identical());

        // A restarted gateway: new store and verifier over the same topology database.
        VerificationStore restarted = store(sandbox);
        assertEquals(List.of("t2"), restarted.unfinished("wf"));
        List<VerificationStore.TableVerification> second = new Verifier(diff, restarted, CLOCK).resume("wf", opener);

        assertEquals(List.of("t1", "t2", "t3", "t2"), opened);
        assertEquals(List.of(DONE, DONE, DONE), second.stream().map(VerificationStore.TableVerification::state)
                .toList());
        VerifyReport stored = second.get(1).report().orElseThrow();
        assertEquals(DiffFixtures.diff(sandbox, "t2", DiffOptions.DEFAULTS.withTextComparison(
                DiffOptions.TextComparison.COLLATION)).summary(), stored.summary());
        assertEquals(new VerifyReport("t2", 20, 19, 0, 1, 0, 0, 0, List.of("{\"id\":3}"), List.of(),
                List.of(), List.of(), Map.of("v", 1L), CLOCK.instant(), CLOCK.instant()), stored);
        assertEquals(List.of(), restarted.unfinished("wf"));
    }

    @Test
    void aTableInterruptedWhileRunningIsNotFinished(Sandbox sandbox) throws Exception {
        VerificationStore store = store(sandbox);
        store.plan("interrupted", List.of("a", "b", "c"));
        store.markRunning("interrupted", "a", CLOCK.instant());
        store.markDone("interrupted", new VerifyReport("b", 0, 0, 0, 0, 0, 0, 0, List.of(), List.of(), List.of(),
                List.of(), Map.of(), CLOCK.instant(), CLOCK.instant()));

        assertEquals(List.of("a", "c"), store(sandbox).unfinished("interrupted"));

        store.plan("interrupted", List.of("c"));
        assertEquals(List.of("c"), store.unfinished("interrupted"));
        store.delete("interrupted");
        assertEquals(List.of(), store.tables("interrupted"));
        IllegalStateException unplanned = assertThrows(IllegalStateException.class,
                () -> store.markRunning("interrupted", "c", CLOCK.instant()));
        assertTrue(unplanned.getMessage().contains("call plan first"), unplanned.getMessage());
    }

    private static VerificationStore store(Sandbox sandbox) throws SQLException {
        SqlConnector topology = () -> sandbox.topology().connect(Sandbox.TOPOLOGY_DATABASE);
        return new VerificationStore(topology);
    }

    private static Verifier.TableSnapshots snapshots(Sandbox sandbox) throws SQLException {
        DiffFixtures.Snapshots snapshots = new DiffFixtures.Snapshots(sandbox);
        return new Verifier.TableSnapshots() {
            @Override
            public List<DiffSide> sources() {
                return snapshots.sources;
            }

            @Override
            public List<DiffSide> targets() {
                return snapshots.targets;
            }

            @Override
            public void close() throws SQLException {
                snapshots.close();
            }
        };
    }
}
