package io.switchyard.replication.apply;

import io.switchyard.replication.binlog.BinlogSource;
import io.switchyard.replication.binlog.BinlogStream;
import io.switchyard.replication.binlog.BinlogStreamException;
import io.switchyard.replication.binlog.TableName;
import io.switchyard.replication.copy.RowRouter;
import io.switchyard.replication.copy.TargetShard;
import io.switchyard.replication.sidecar.SidecarSchema;
import io.switchyard.replication.sidecar.StreamKey;
import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;
import org.mariadb.jdbc.MariaDbDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streams from {@code commerce/0} to the one target {@code customer/-80} of a sandbox, each with its applier: what
 * the applier tests share. Close it after each test.
 */
final class SingleTargetStreams implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);

    final MariaDbServer source;
    final MariaDbServer targetServer;
    final LinkedBlockingQueue<BinlogStreamException> failures = new LinkedBlockingQueue<>();
    private final TargetShard target;
    private final MariaDbDataSource sourceSchema;
    private final Clock clock = Clock.systemUTC();
    private long nextServerId = ThreadLocalRandom.current().nextLong(1_000_000, 4_000_000_000L);
    private final List<BinlogStream> streams = new ArrayList<>();
    private final List<RowApplier> appliers = new ArrayList<>();

    SingleTargetStreams(Sandbox sandbox) throws SQLException {
        source = sandbox.primary("commerce", "0");
        targetServer = sandbox.primary("customer", "-80");
        target = new TargetShard("-80", targetServer::connect, "customer");
        sourceSchema = new MariaDbDataSource(source.jdbcUrl());
    }

    /** Creates the stream row at the source's current position and starts stream and applier from it. */
    StreamKey start(String workflow, String table, CopyProgress progress, OnDdl onDdl) throws SQLException {
        return start(workflow, table, progress, onDdl, RowRouter.single());
    }

    /** As above, with rows routed by {@code router} (index 0 is this target). */
    StreamKey start(String workflow, String table, CopyProgress progress, OnDdl onDdl, RowRouter router)
            throws SQLException {
        StreamKey key = new StreamKey(workflow, "commerce/0", target.name());
        try (Connection connection = targetServer.connect()) {
            SidecarSchema.create(connection);
            StreamPosition.create(connection, key, sourcePosition(), StreamPosition.RUNNING, clock.instant());
        }
        RowApplier applier = RowApplier.open(key, target, 0, router, Map.of(table, progress),
                ApplyOptions.DEFAULTS, onDdl, "commerce", clock);
        appliers.add(applier);
        BinlogSource binlog = new BinlogSource(source.host(), source.port(), "root", "", nextServerId++,
                Duration.ofMillis(300));
        streams.add(BinlogStream.start(binlog, applier.committedPosition(),
                Set.of(new TableName("commerce", table)), sourceSchema::getConnection,
                r -> new Thread(r, "binlog-" + workflow), applier, failures::add, clock));
        return key;
    }

    /** Waits until the stream's committed position is the source's current one; fails if replication stopped. */
    void awaitCaughtUp(StreamKey key) throws InterruptedException {
        String goal = sourcePosition();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!goal.equals(stored(key, "pos"))) {
            BinlogStreamException failure = failures.poll();
            if (failure != null) {
                throw new AssertionError("replication stopped: " + failure.getMessage(), failure);
            }
            assertTrue(System.nanoTime() < deadline, "did not reach " + goal + ", at " + stored(key, "pos"));
            Thread.sleep(50);
        }
    }

    String sourcePosition() {
        return source.query("SELECT @@gtid_binlog_pos").get(0).get(0);
    }

    /** A column of the stream's row in {@code _switchyard.stream} on the target. */
    String stored(StreamKey key, String column) {
        return targetServer.query("SELECT " + column + " FROM _switchyard.stream WHERE workflow = '"
                + key.workflow() + "'").get(0).get(0);
    }

    @Override
    public void close() throws SQLException {
        streams.forEach(BinlogStream::close);
        for (RowApplier applier : appliers) {
            applier.close();
        }
    }
}
