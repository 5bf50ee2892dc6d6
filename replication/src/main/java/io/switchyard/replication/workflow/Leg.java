package io.switchyard.replication.workflow;

import io.switchyard.config.ColumnVindex;
import io.switchyard.config.Keyspace;
import io.switchyard.config.Shard;
import io.switchyard.replication.apply.StreamPosition;
import io.switchyard.replication.binlog.Flavor;
import io.switchyard.replication.copy.RowRouter;
import io.switchyard.replication.copy.SqlConnector;
import io.switchyard.replication.copy.TargetShard;
import io.switchyard.replication.sidecar.SidecarSchema;
import io.switchyard.replication.sidecar.StreamKey;
import io.switchyard.routing.plan.KeyspaceSchema;
import io.switchyard.routing.plan.RoutingSnapshot;
import io.switchyard.routing.plan.TableSchema;
import io.switchyard.routing.topo.TopologyStore;
import io.switchyard.routing.vindex.KeyRange;
import io.switchyard.routing.vindex.Vindex;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One direction of a workflow's replication: the forward leg streams the moved tables from the source keyspace to
 * the target, the reverse leg (after primary traffic switched) from the target back to the source. A leg names its
 * streams after its own spec ({@code wf} or {@code wf_reverse}) and keeps them in {@code _switchyard} on the
 * primaries it writes to.
 */
final class Leg {
    private final MoveTablesSpec spec;
    private final Keyspace from;
    private final Keyspace to;
    private final TopologyStore topology;
    private final Servers servers;

    Leg(MoveTablesSpec spec, Keyspace from, Keyspace to, TopologyStore topology, Servers servers) {
        this.spec = spec;
        this.from = from;
        this.to = to;
        this.topology = topology;
        this.servers = servers;
    }

    MoveTablesSpec spec() {
        return spec;
    }

    Keyspace from() {
        return from;
    }

    Keyspace to() {
        return to;
    }

    TopologyStore topology() {
        return topology;
    }

    String sourceShard(Shard shard) {
        return from.name() + "/" + shard.name();
    }

    /** Every stream of the leg: one per (from shard, to shard). */
    List<StreamKey> streamKeys() {
        List<StreamKey> keys = new ArrayList<>();
        for (Shard a : from.shards()) {
            for (Shard b : to.shards()) {
                keys.add(new StreamKey(spec.name(), sourceShard(a), b.name()));
            }
        }
        return keys;
    }

    /** One pipeline per from-shard, writing to every to-shard. */
    List<ShardPipeline> pipelines(WorkflowDependencies deps, WorkflowLog log) {
        List<TargetShard> targets = targetShards(false);
        List<TargetShard> copyTargets = targetShards(true);
        RoutingSnapshot vschemas = topology.loadSnapshot();
        Map<String, RowRouter> routers = new HashMap<>();
        for (String table : spec.tables()) {
            routers.put(table, router(vschemas, table));
        }
        List<ShardPipeline> pipelines = new ArrayList<>();
        for (Shard shard : from.shards()) {
            var credentials = from.credentials();
            pipelines.add(new ShardPipeline(spec, new ShardPipeline.Endpoints(sourceShard(shard), sourceData(shard),
                    from.database(), new ShardPipeline.BinlogTarget(shard.primary().host(), shard.primary().port(),
                    credentials.user(), credentials.password(), servers.binlogTls(from, shard)), targets,
                    copyTargets, routers), deps, log));
        }
        return pipelines;
    }

    private RowRouter router(RoutingSnapshot vschemas, String table) {
        if (!to.sharded()) {
            return RowRouter.single();
        }
        KeyspaceSchema schema = vschemas.keyspace(to.name()).orElseThrow();
        ColumnVindex column = schema.table(table).flatMap(TableSchema::primaryVindex).orElseThrow(() ->
                new IllegalStateException("table " + table + " has no vindex in keyspace " + to.name()
                        + "; add one with ALTER VSCHEMA"));
        return RowRouter.byKeyspaceId(column.column(), Vindex.of(schema.vindexes().get(column.vindexName())),
                to.shards().stream().map(s -> KeyRange.parse(s.name())).toList());
    }

    /** @param copy connections for the copy: foreign key checks off (see {@link ShardPipeline.Endpoints}) */
    List<TargetShard> targetShards(boolean copy) {
        return to.shards().stream().map(shard -> new TargetShard(shard.name(),
                servers.primary(to, shard, copy ? "foreign_key_checks=0" : ""), to.database())).toList();
    }

    SqlConnector sourceData(Shard shard) {
        return servers.primary(from, shard);
    }

    List<SqlConnector> sourceData() {
        return from.shards().stream().map(this::sourceData).toList();
    }

    /** The streams' rows, lag measured against each from-shard's clock. */
    List<WorkflowStatus.StreamStatus> streams(java.time.Clock clock) throws SQLException {
        Map<String, Duration> skew = new HashMap<>();
        for (Shard shard : from.shards()) {
            skew.put(sourceShard(shard), SourceClock.offset(sourceData(shard), clock));
        }
        List<TargetShard> targets = targetShards(false);
        List<WorkflowStatus.StreamStatus> streams = new ArrayList<>();
        for (StreamKey key : streamKeys()) {
            TargetShard shard = targets.stream().filter(t -> t.name().equals(key.targetShard())).findFirst()
                    .orElseThrow();
            streams.addAll(StreamRows.read(shard, key, clock.instant(), skew.get(key.sourceShard())));
        }
        return streams;
    }

    /** The current binlog position of every from-shard primary, by stream source-shard label. */
    Map<String, String> fromPositions() throws SQLException {
        Map<String, String> positions = new LinkedHashMap<>();
        for (Shard shard : from.shards()) {
            try (Connection connection = sourceData(shard).open()) {
                positions.put(sourceShard(shard), Flavor.of(connection).currentPosition(connection));
            }
        }
        return positions;
    }

    /**
     * Sets every stream's position to its from-shard's entry in {@code positions}, creating the rows that are
     * missing; the streams must not be running.
     */
    void setPositions(Map<String, String> positions, String state, String message, java.time.Instant now)
            throws SQLException {
        for (TargetShard target : targetShards(false)) {
            try (Connection connection = target.connector().open()) {
                SidecarSchema.create(connection);
                for (StreamKey key : streamKeys()) {
                    if (!key.targetShard().equals(target.name())) {
                        continue;
                    }
                    String pos = positions.get(key.sourceShard());
                    if (StreamPosition.read(connection, key).isEmpty()) {
                        StreamPosition.create(connection, key, pos, state, now);
                        StreamPosition.saveHeartbeat(connection, key, pos, now); // caught up as of now: lag 0
                    } else {
                        try (PreparedStatement update = connection.prepareStatement("UPDATE "
                                + SidecarSchema.DATABASE + ".stream SET pos = ?, state = ?, message = ?,"
                                + " time_heartbeat = ? WHERE workflow = ? AND source_shard = ? AND target_shard = ?")) {
                            update.setString(1, pos);
                            update.setString(2, state);
                            update.setString(3, message);
                            update.setLong(4, now.getEpochSecond()); // caught up as of now: lag 0
                            update.setString(5, key.workflow());
                            update.setString(6, key.sourceShard());
                            update.setString(7, key.targetShard());
                            update.executeUpdate();
                        }
                    }
                }
            }
        }
    }

    /** Sets every stream's state and message. */
    void setStates(String state, String message, java.time.Instant now) throws SQLException {
        for (TargetShard target : targetShards(false)) {
            try (Connection connection = target.connector().open()) {
                for (StreamKey key : streamKeys()) {
                    if (key.targetShard().equals(target.name()) && StreamPosition.read(connection, key).isPresent()) {
                        StreamPosition.setState(connection, key, state, message, now);
                    }
                }
            } catch (SQLException e) {
                if (e.getErrorCode() != 1146 && e.getErrorCode() != 1049) {
                    throw e;
                }
            }
        }
    }

    /** Removes the leg's stream and copy-state rows from {@code _switchyard} on every to-shard. */
    void deleteStreams() throws SQLException {
        for (TargetShard target : targetShards(false)) {
            try (Connection connection = target.connector().open(); Statement statement = connection.createStatement()) {
                SidecarSchema.create(connection);
                for (String table : List.of("stream", "copy_state")) {
                    try (PreparedStatement delete = connection.prepareStatement("DELETE FROM "
                            + SidecarSchema.DATABASE + "." + table + " WHERE workflow = ?")) {
                        delete.setString(1, spec.name());
                        delete.executeUpdate();
                    }
                }
            }
        }
    }
}
