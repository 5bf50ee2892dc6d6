package io.switchyard.sandbox;

import io.switchyard.sandbox.SandboxSpec.KeyspaceSpec;
import io.switchyard.sandbox.SandboxSpec.ShardSpec;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * What happens once every server of a new sandbox is up: the keyspace databases are created on the primaries (and
 * {@value Sandbox#TOPOLOGY_DATABASE} on the topology server), replicas start replicating from their primaries with
 * GTIDs, and the sandbox waits until every replica has caught up.
 */
final class ReplicationWiring {
    private ReplicationWiring() {
    }

    static void wire(Sandbox sandbox, Duration timeout) {
        for (KeyspaceSpec keyspace : sandbox.spec().keyspaces()) {
            for (ShardSpec shard : keyspace.shards()) {
                MariaDbServer primary = sandbox.primary(keyspace.name(), shard.name());
                primary.execute("CREATE DATABASE IF NOT EXISTS `" + keyspace.name() + "`");
                for (MariaDbServer replica : sandbox.replicas(keyspace.name(), shard.name())) {
                    replicateFrom(replica, primary);
                }
            }
        }
        if (sandbox.spec().topology()) {
            sandbox.topology().execute("CREATE DATABASE IF NOT EXISTS " + Sandbox.TOPOLOGY_DATABASE);
        }
        awaitCaughtUp(sandbox, timeout);
    }

    /**
     * {@code MASTER_USE_GTID=slave_pos}: the replica asks for everything after the GTIDs it has applied, and a fresh
     * replica has applied none, so it receives the primary's whole binary log. {@code MASTER_CONNECT_RETRY=1} makes it
     * reconnect within a second after a test restarts the primary (the default is 60 s).
     */
    static void replicateFrom(MariaDbServer replica, MariaDbServer primary) {
        replica.execute(
                "CHANGE MASTER TO MASTER_HOST='" + primary.host() + "', MASTER_PORT=" + primary.port()
                        + ", MASTER_USER='root', MASTER_PASSWORD='', MASTER_USE_GTID=slave_pos"
                        + ", MASTER_CONNECT_RETRY=1",
                "START SLAVE");
    }

    /** Waits until every replica has applied every transaction its primary had binlogged when this was called. */
    static void awaitCaughtUp(Sandbox sandbox, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (KeyspaceSpec keyspace : sandbox.spec().keyspaces()) {
            for (ShardSpec shard : keyspace.shards()) {
                MariaDbServer primary = sandbox.primary(keyspace.name(), shard.name());
                List<MariaDbServer> replicas = sandbox.replicas(keyspace.name(), shard.name());
                if (replicas.isEmpty()) {
                    continue;
                }
                String position = primary.query("SELECT @@gtid_binlog_pos").get(0).get(0);
                for (MariaDbServer replica : replicas) {
                    long remaining = Math.max(1, (deadline - System.nanoTime()) / 1_000_000_000L);
                    awaitPosition(replica, position, remaining);
                }
            }
        }
    }

    private static void awaitPosition(MariaDbServer replica, String position, long timeoutSeconds) {
        try (Connection c = replica.connect();
             PreparedStatement wait = c.prepareStatement("SELECT MASTER_GTID_WAIT(?, ?)")) {
            wait.setString(1, position);
            wait.setLong(2, timeoutSeconds);
            try (ResultSet rs = wait.executeQuery()) {
                rs.next();
                if (rs.getInt(1) != 0) {
                    throw new SandboxException(replica.name() + " did not reach GTID position " + position
                            + " of its primary within " + timeoutSeconds + " s; " + slaveErrors(replica));
                }
            }
        } catch (SQLException e) {
            throw new SandboxException(replica.name() + ": waiting for GTID " + position + ": " + e.getMessage(), e);
        }
    }

    private static String slaveErrors(MariaDbServer replica) {
        try (Connection c = replica.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
            if (!rs.next()) {
                return "replication is not configured";
            }
            return "Slave_IO_Running=" + rs.getString("Slave_IO_Running") + ", Slave_SQL_Running="
                    + rs.getString("Slave_SQL_Running") + ", Last_IO_Error=" + rs.getString("Last_IO_Error")
                    + ", Last_SQL_Error=" + rs.getString("Last_SQL_Error");
        } catch (SQLException e) {
            return "SHOW SLAVE STATUS failed: " + e.getMessage();
        }
    }
}
