package io.switchyard.replication.apply;

import io.switchyard.replication.binlog.BinlogEvent;
import io.switchyard.replication.binlog.Ddl;
import io.switchyard.replication.binlog.Heartbeat;
import io.switchyard.replication.binlog.RowChange;
import io.switchyard.replication.binlog.Transaction;
import io.switchyard.replication.copy.RowRouter;
import io.switchyard.replication.copy.SourceTable;
import io.switchyard.replication.copy.TargetShard;
import io.switchyard.replication.sidecar.SidecarSchema;
import io.switchyard.replication.sidecar.StreamKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies a {@link io.switchyard.replication.binlog.BinlogStream}'s events to one target shard, exactly once.
 *
 * <p><b>Exactly-once.</b> The rows of a group of source transactions and the stream's position after the last of
 * them ({@code _switchyard.stream.pos}) commit in one target transaction ({@link StreamPosition}). After a crash the
 * target has either both or neither, and the stream restarts from the stored position: nothing is applied twice and
 * nothing is skipped. Re-applying is never relied on, so an INSERT that hits a duplicate key is a real divergence
 * and stops the stream.
 *
 * <p><b>Routing.</b> Every target's applier sees every change and applies only its own side, with the same
 * {@link RowRouter} the copy used: a row routed here is inserted, updated or deleted by primary key; an UPDATE whose
 * before image is routed here and after image elsewhere is a DELETE here (the other shard's applier inserts it), and
 * the reverse is an INSERT. An UPDATE that changes the primary key is a DELETE plus an INSERT.
 *
 * <p><b>Batching.</b> A group's row changes are queued per table ({@link TableChanges}) and sent as multi-row
 * statements when the group commits (or the queue passes a bound), in an order that gives the same rows as source
 * order. A duplicate key therefore surfaces when the group is sent rather than at its transaction; either way nothing
 * of the group, nor its position, commits.
 *
 * <p><b>Catch-up filter.</b> Per table, {@link CopyProgress} limits what is applied while a copy is under way.
 *
 * <p><b>DDL.</b> A DDL on a watched table is handled per {@link OnDdl}. EXEC runs the statement on the target and then
 * commits the position after it; DDL commits implicitly, so a crash between the two runs the statement again on
 * restart, where it usually fails (duplicate column) and stops with {@code error} for the operator, as in Vitess.
 *
 * <p><b>Threading.</b> Not thread-safe: use it as the stream's event consumer ({@link #accept}) so that every call
 * runs on the stream thread. {@link #close} may be called from another thread once the stream has stopped (its
 * thread has ended). {@link #stats} and {@link #committedPosition} may be read from any thread.
 */
public final class RowApplier implements Consumer<BinlogEvent>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RowApplier.class);
    /** How often an idle stream records that it is up to date, which is what its lag is measured from. */
    private static final Duration HEARTBEAT_SAVE_INTERVAL = Duration.ofSeconds(1);
    /**
     * Queued row changes after which they are sent before the group commits: bounds memory, and at this size a
     * multi-row statement's round trip is already a small part of its cost.
     */
    private static final int MAX_QUEUED_CHANGES = 2_000;
    private static final long MAX_QUEUED_BYTES = 16 << 20;

    private final StreamKey stream;
    private final TargetShard target;
    private final int targetIndex;
    private final RowRouter router;
    private final Map<String, TablePlan> plans;
    private final ApplyOptions options;
    private final OnDdl onDdl;
    /** Qualified references to the source database in a DDL, for EXEC; null when the source database is unknown. */
    private final Pattern sourceQualifier;
    private final Clock clock;
    private final Connection connection;

    // The open group; stream thread only.
    private int pendingTransactions;
    private long pendingRows;
    /** Changes not yet sent, per table key; sent in table order of first appearance (tables commute). */
    private final Map<String, TableChanges> pending = new LinkedHashMap<>();
    /**
     * Tables (keys as {@link #key}) that reference or are referenced by a foreign key: their changes are sent one at
     * a time, in source order across tables, because reordering them (parent and child queued separately) could
     * break a constraint or a cascade the source ran in a different order.
     */
    private final Set<String> foreignKeyTables;
    private int pendingChanges;
    private long pendingBytes;
    private String pendingPosition;
    private Instant pendingCommitTime;
    private Instant groupStarted;
    private boolean failed;
    private Instant lastHeartbeatSaved;

    private volatile String committedPosition;
    private volatile ApplyStats stats = new ApplyStats(0, 0, 0);

    private RowApplier(StreamKey stream, TargetShard target, int targetIndex, RowRouter router,
                       Map<String, TablePlan> plans, ApplyOptions options, OnDdl onDdl, String sourceDatabase,
                       Clock clock, Connection connection, String position, Set<String> foreignKeyTables) {
        this.stream = stream;
        this.target = target;
        this.targetIndex = targetIndex;
        this.router = router;
        this.plans = plans;
        this.foreignKeyTables = Set.copyOf(foreignKeyTables);
        this.options = options;
        this.onDdl = onDdl;
        // `db`. or db. not preceded by another name character: the database part of a qualified name.
        this.sourceQualifier = sourceDatabase.isEmpty() ? null : Pattern.compile(
                "(?<![\\w$`.])(?:`" + Pattern.quote(sourceDatabase) + "`|" + Pattern.quote(sourceDatabase)
                        + ")(\\s*\\.)", Pattern.CASE_INSENSITIVE);
        this.clock = clock;
        this.connection = connection;
        this.committedPosition = position;
    }

    /**
     * Connects to {@code target} and prepares to apply to it. The stream's row must exist (see
     * {@link StreamPosition#create}); start the binlog stream from {@link #committedPosition()}.
     *
     * @param targetIndex this target's index in the router's target list
     * @param tables      every table the stream delivers, by name, with its copy progress on this target
     * @throws ApplyException if the stream row or a target table is missing
     */
    public static RowApplier open(StreamKey stream, TargetShard target, int targetIndex, RowRouter router,
                                  Map<String, CopyProgress> tables, ApplyOptions options, Clock clock)
            throws SQLException {
        return open(stream, target, targetIndex, router, tables, options, OnDdl.STOP, "", clock);
    }

    /**
     * As {@link #open(StreamKey, TargetShard, int, RowRouter, Map, ApplyOptions, Clock)}, handling source DDL per
     * {@code onDdl}.
     *
     * @param sourceDatabase the source's database; EXEC rewrites names qualified with it to the target's database
     */
    public static RowApplier open(StreamKey stream, TargetShard target, int targetIndex, RowRouter router,
                                  Map<String, CopyProgress> tables, ApplyOptions options, OnDdl onDdl,
                                  String sourceDatabase, Clock clock) throws SQLException {
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(onDdl, "onDdl");
        Objects.requireNonNull(sourceDatabase, "sourceDatabase");
        Objects.requireNonNull(clock, "clock");
        if (!stream.targetShard().equals(target.name())) {
            throw new IllegalArgumentException("stream " + stream + " does not belong to target shard "
                    + target.name());
        }
        Connection connection = target.connector().open();
        try {
            SidecarSchema.create(connection);
            try (Statement statement = connection.createStatement()) {
                // UTC because the binlog client computed temporal values in UTC (see JdbcValues); the sql_mode
                // matches the copy's (TargetWriter) so that whatever the copy could write, apply can too. Foreign key
                // checks stay on, unlike the copy's: InnoDB does not binlog cascaded changes, so the target's own
                // constraints must cascade them. Tables linked by foreign keys are copied together (CopyPhase), so
                // every row a constraint looks for is there when an event arrives, in source commit order.
                statement.execute("SET SESSION time_zone = '+00:00', sql_mode = 'NO_AUTO_VALUE_ON_ZERO',"
                        + " foreign_key_checks = 1");
            }
            connection.setAutoCommit(false);
            Map<String, TablePlan> plans = new HashMap<>();
            for (Map.Entry<String, CopyProgress> table : tables.entrySet()) {
                plans.put(key(table.getKey()), plan(connection, target, table.getKey(), table.getValue()));
            }
            Set<String> foreignKeyTables = foreignKeyTables(connection, target.database(), plans.keySet());
            String position = StreamPosition.read(connection, stream).orElseThrow(() -> new ApplyException(
                    "_switchyard.stream on " + target.name() + " has no row for " + stream
                            + ": create it at the copy's snapshot position before applying")).pos();
            connection.commit(); // end the read snapshot so that the first group sees current data
            LOG.info("applying {} to {} from {} (tables {}, on_ddl {})", stream.workflow(), target.name(), position,
                    tables, onDdl);
            return new RowApplier(stream, target, targetIndex, router, plans, options, onDdl, sourceDatabase, clock,
                    connection, position, foreignKeyTables);
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** The position the target has durably committed; restart the stream from here. */
    public String committedPosition() {
        return committedPosition;
    }

    public ApplyStats stats() {
        return stats;
    }

    /**
     * Applies one event. A transaction joins the open group (committed when full or old enough, see
     * {@link ApplyOptions}); a heartbeat commits the group and records the idle position; a DDL commits the group
     * and is handled per {@link OnDdl}.
     *
     * @throws ApplyException after rolling back the open group; the applier is unusable afterwards
     */
    @Override
    public void accept(BinlogEvent event) {
        if (failed) {
            throw new IllegalStateException("applier for " + stream + " has failed; restart from its position");
        }
        try {
            // Java 17: pattern switch is a preview feature, so an instanceof chain over the sealed type.
            if (event instanceof Transaction transaction) {
                apply(transaction);
            } else if (event instanceof Heartbeat heartbeat) {
                idle(heartbeat);
            } else if (event instanceof Ddl ddl) {
                ddl(ddl);
            } else {
                throw new IllegalArgumentException("unknown binlog event " + event);
            }
        } catch (SQLException e) {
            throw fail(new ApplyException("applying to " + stream.targetShard() + " for " + stream.workflow()
                    + " failed after position " + committedPosition + ": " + e.getMessage(), e));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    /** Commits the open group, if any. Call on the stream thread (or after it has ended). */
    public void flush() throws SQLException {
        if (pendingTransactions == 0) {
            return;
        }
        sendPending();
        StreamPosition.savePosition(connection, stream, pendingPosition, pendingCommitTime, clock.instant());
        connection.commit();
        ApplyStats before = stats;
        stats = new ApplyStats(before.rows() + pendingRows, before.transactions() + pendingTransactions,
                before.commits() + 1);
        committedPosition = pendingPosition;
        pendingTransactions = 0;
        pendingRows = 0;
        groupStarted = null;
    }

    /**
     * Closes the connection. An open group is rolled back, not flushed: call {@link #flush} first for a clean stop.
     * Either way the target stays consistent with its stored position.
     */
    @Override
    public void close() throws SQLException {
        if (pendingTransactions > 0) {
            LOG.info("closing applier for {} with {} uncommitted transactions; they will be applied again from {}",
                    stream, pendingTransactions, committedPosition);
        }
        connection.close(); // rolls back the open transaction
    }

    private void apply(Transaction transaction) throws SQLException {
        for (RowChange change : transaction.changes()) {
            applyChange(change);
            if (pendingChanges >= MAX_QUEUED_CHANGES || pendingBytes >= MAX_QUEUED_BYTES) {
                sendPending();
            }
        }
        Instant now = clock.instant();
        if (groupStarted == null) {
            groupStarted = now;
        }
        pendingTransactions++;
        pendingPosition = transaction.gtid();
        pendingCommitTime = transaction.commitTime();
        if (pendingTransactions >= options.maxTransactions()
                || Duration.between(groupStarted, now).compareTo(options.maxDelay()) >= 0) {
            flush();
        }
    }

    /** Queues a change's statements on this target, if it has any here. */
    private void applyChange(RowChange change) throws SQLException {
        TablePlan plan = plans.get(key(change.table()));
        if (plan == null) {
            // Skipping would silently lose the table's changes on this target.
            throw new ApplyException("the stream delivered rows of " + change.database() + "." + change.table()
                    + " but applier for " + stream + " was not given that table");
        }
        if (plan.progress() instanceof CopyProgress.NotStarted) {
            return; // the copy will read the table later, with this change in it
        }
        Object[] before = change.kind() == RowChange.Kind.INSERT ? null : plan.row(change, change.before());
        Object[] after = change.kind() == RowChange.Kind.DELETE ? null : plan.row(change, change.after());
        boolean beforeHere = before != null && plan.route(router, before) == targetIndex;
        boolean afterHere = after != null && plan.route(router, after) == targetIndex;
        if (!beforeHere && !afterHere) {
            return;
        }
        boolean strictOrder = foreignKeyTables.contains(key(change.table()));
        if (strictOrder && !pending.isEmpty()) {
            sendPending();
        }
        TableChanges changes = pending.computeIfAbsent(key(change.table()), t -> new TableChanges(plan));
        long bytesBefore = changes.bytes();
        int queued = 0;
        if (beforeHere && afterHere && plan.samePrimaryKey(before, after)) {
            changes.update(before, after);
            queued++;
        } else {
            if (beforeHere) {
                changes.delete(before);
                queued++;
            }
            if (afterHere) {
                changes.insert(after);
                queued++;
            }
        }
        pendingChanges += queued;
        pendingBytes += changes.bytes() - bytesBefore;
        if (strictOrder) {
            sendPending();
        }
    }

    /** The tables among {@code tables} that take part in a foreign key on the target, either end. */
    private static Set<String> foreignKeyTables(Connection connection, String database, Set<String> tables)
            throws SQLException {
        Set<String> linked = new java.util.HashSet<>();
        try (java.sql.PreparedStatement select = connection.prepareStatement("SELECT table_name,"
                + " referenced_table_name FROM information_schema.referential_constraints WHERE constraint_schema = ?")) {
            select.setString(1, database);
            try (java.sql.ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    for (String name : List.of(rs.getString(1), rs.getString(2))) {
                        String key = key(name);
                        if (tables.contains(key)) {
                            linked.add(key);
                        }
                    }
                }
            }
        }
        return linked;
    }

    /**
     * Sends the queued changes to the target inside the open transaction, without committing. Runs when a group
     * commits and whenever the queue passes its bound, so memory stays bounded even for one huge source transaction.
     */
    private void sendPending() throws SQLException {
        for (TableChanges changes : pending.values()) {
            try {
                pendingRows += changes.execute(connection);
            } catch (TablePlan.DuplicateRowException e) {
                throw new ApplyException("target " + stream.targetShard() + " already has the row of "
                        + changes.plan().name() + " with " + e.key() + " that the source inserts after position "
                        + committedPosition + ": the target diverged from the source (written to directly, or the"
                        + " stream was started before the copy's snapshot position); stopping without applying it",
                        e);
            }
        }
        pending.clear();
        pendingChanges = 0;
        pendingBytes = 0;
    }

    private void idle(Heartbeat heartbeat) throws SQLException {
        flush();
        Instant now = clock.instant();
        if (heartbeat.gtid().equals(committedPosition) && lastHeartbeatSaved != null
                && Duration.between(lastHeartbeatSaved, now).compareTo(HEARTBEAT_SAVE_INTERVAL) < 0) {
            return; // nothing new, and the lag clock was refreshed recently: spare the target a commit
        }
        lastHeartbeatSaved = now;
        // Every watched transaction before the heartbeat has been applied and committed just above, so the position
        // after the unwatched ones that followed is safe to record.
        StreamPosition.saveHeartbeat(connection, stream, heartbeat.gtid(), clock.instant());
        connection.commit();
        committedPosition = heartbeat.gtid();
    }

    private void ddl(Ddl ddl) throws SQLException {
        flush();
        switch (onDdl) {
            case STOP -> stopAt(ddl);
            case IGNORE -> {
                LOG.info("{}: ignoring DDL on the source (on_ddl IGNORE): {}", stream, ddl.sql());
                advancePast(ddl, "INFO", "ignored DDL on the source: " + ddl.sql());
            }
            case EXEC, EXEC_IGNORE -> exec(ddl);
        }
    }

    /**
     * on_ddl EXEC and EXEC_IGNORE: run the statement in the target database, then commit the position after it. A
     * failure under EXEC records state {@code error} with the statement and the server's error, keeps the position
     * before the DDL (a retry runs it again), and stops; under EXEC_IGNORE it is logged and the stream goes on.
     */
    private void exec(Ddl ddl) throws SQLException {
        String sql = forTarget(ddl.sql());
        try (Statement statement = connection.createStatement()) {
            // Unqualified names resolve against the session's database, which on the source was ddl.database().
            statement.execute("USE " + quoteName(target.database()));
            statement.execute(sql);
        } catch (SQLException e) {
            String problem = "DDL from the source failed on " + target.name() + ": " + sql + ": " + e.getMessage();
            if (onDdl == OnDdl.EXEC_IGNORE) {
                LOG.warn("{}: {} (on_ddl EXEC_IGNORE: continuing)", stream, problem);
                connection.rollback();
                advancePast(ddl, "WARN", problem + " (on_ddl EXEC_IGNORE: continuing)");
                return;
            }
            connection.rollback();
            StreamPosition.setState(connection, stream, StreamPosition.ERROR, problem, clock.instant());
            connection.commit();
            throw new ApplyException(stream + " " + problem, e);
        }
        LOG.info("{}: ran DDL from the source (on_ddl {}): {}", stream, onDdl, sql);
        // The target's columns may have changed: map later rows onto the new ones.
        for (Map.Entry<String, TablePlan> entry : plans.entrySet()) {
            TablePlan old = entry.getValue();
            entry.setValue(plan(connection, target, old.name(), old.progress()));
        }
        advancePast(ddl, "INFO", "ran DDL from the source: " + sql);
    }

    /** Commits the position after a DDL that was handled without stopping, with a line in the workflow's log. */
    private void advancePast(Ddl ddl, String level, String message) throws SQLException {
        Instant now = clock.instant();
        StreamPosition.saveDdl(connection, stream, ddl.gtid(), now);
        StreamPosition.log(connection, stream.workflow(), level, stream.targetShard() + ": " + message,
                now);
        connection.commit();
        committedPosition = ddl.gtid();
    }

    /**
     * The DDL with every name qualified by the source database requalified by the target's. A literal or comment
     * that happens to contain "{@code sourcedb.}" is rewritten too; such DDL is rare enough to accept that.
     */
    String forTarget(String sql) {
        if (sourceQualifier == null) {
            return sql;
        }
        return sourceQualifier.matcher(sql).replaceAll(Matcher.quoteReplacement(quoteName(target.database()))
                + "$1");
    }

    /**
     * Vitess's {@code on_ddl=STOP}: record the position after the DDL with state {@code stopped} and a message
     * quoting it, then stop. The operator applies the change on the targets and starts the stream again, which
     * resumes after the DDL.
     */
    private void stopAt(Ddl ddl) throws SQLException {
        String message = "stopped at DDL on the source: " + ddl.sql() + " (apply it to the target tables, then"
                + " start the workflow again)";
        StreamPosition.stop(connection, stream, ddl.gtid(), message, clock.instant());
        connection.commit();
        committedPosition = ddl.gtid();
        throw new ApplyException(stream + " " + message);
    }

    private RuntimeException fail(RuntimeException e) {
        failed = true;
        pendingTransactions = 0; // rolled back below: nothing is pending any more
        pendingRows = 0;
        pending.clear();
        pendingChanges = 0;
        pendingBytes = 0;
        try {
            connection.rollback();
        } catch (SQLException rollback) {
            e.addSuppressed(rollback);
        }
        LOG.error("applier for {} stopped at {}: {}", stream, committedPosition, e.getMessage());
        return e;
    }

    private static TablePlan plan(Connection connection, TargetShard target, String table, CopyProgress progress)
            throws SQLException {
        return new TablePlan(SourceTable.load(connection, target.database(), table), progress);
    }

    private static String quoteName(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    private static String key(String table) {
        return table.toLowerCase(Locale.ROOT);
    }
}
