package io.switchyard.replication.verify;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs a workflow's verification table by table and records each table's outcome in the {@link VerificationStore},
 * so that a verification interrupted by a restart {@link #resume resumes} with the tables it has not finished.
 *
 * <p>Each table gets fresh snapshots from the caller's {@link SnapshotOpener}: that is where the workflow stops the
 * target's streams at a position, lets the source reach it and opens the snapshots, and where closing restarts the
 * streams. Vitess takes the snapshots per table for the same reason: a snapshot held for the whole verification would
 * keep the streams stopped and the InnoDB history growing for as long as the largest tables take.
 *
 * <p>A table that fails (a server error, a schema difference) is recorded as ERROR with the message and the
 * verification goes on with the next one; a later {@link #resume} tries it again. An interrupt stops after the
 * current table, which stays RUNNING, also for a later resume.
 */
public final class Verifier {
    private static final Logger log = LoggerFactory.getLogger(Verifier.class);

    /** Opens the snapshots one table is compared in. */
    @FunctionalInterface
    public interface SnapshotOpener {
        TableSnapshots open(String table) throws SQLException;
    }

    /** The snapshots of one table's diff; {@link #close()} ends them (and whatever the opener paused for them). */
    public interface TableSnapshots extends AutoCloseable {
        List<DiffSide> sources();

        List<DiffSide> targets();

        /** The target's sharding, to check every target row is on its own shard; empty to skip that check. */
        default Optional<Placement> placement() {
            return Optional.empty();
        }

        @Override
        void close() throws SQLException;
    }

    private final TableDiff diff;
    private final VerificationStore store;
    private final Clock clock;

    public Verifier(TableDiff diff, VerificationStore store, Clock clock) {
        this.diff = Objects.requireNonNull(diff, "diff");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Starts a new verification of {@code tables}, replacing the workflow's previous one, and runs it. */
    public List<VerificationStore.TableVerification> verify(String workflow, List<String> tables,
                                                            SnapshotOpener opener) throws SQLException {
        store.plan(workflow, tables);
        return resume(workflow, opener);
    }

    /**
     * Runs the tables of the workflow's verification that are not DONE (pending, interrupted or failed), in planned
     * order, and returns every table's state afterwards.
     */
    public List<VerificationStore.TableVerification> resume(String workflow, SnapshotOpener opener)
            throws SQLException {
        for (String table : store.unfinished(workflow)) {
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            store.markRunning(workflow, table, clock.instant());
            try (TableSnapshots snapshots = opener.open(table)) {
                VerifyReport report = diff.diff(snapshots.sources(), snapshots.targets(), table,
                        snapshots.placement().orElse(null));
                store.markDone(workflow, report);
                log.info("workflow {}: verified {}", workflow, report.summary());
            } catch (SQLException | VerifyException e) {
                if (Thread.currentThread().isInterrupted()) {
                    break; // the table stays RUNNING and is diffed again on resume
                }
                log.warn("workflow {}: verifying {} failed: {}", workflow, table, e.getMessage());
                store.markFailed(workflow, table, e.getMessage() == null ? e.toString() : e.getMessage(),
                        clock.instant());
            }
        }
        return store.tables(workflow);
    }
}
