package io.switchyard.replication.copy;

import io.switchyard.replication.binlog.Flavor;
import io.switchyard.replication.binlog.MariaDbGtidPosition;
import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The table-lock snapshot (MySQL's method) run for real on MariaDB while a writer inserts one row per transaction:
 * the rows the snapshot sees are exactly the transactions its position covers, and the writer is blocked only for
 * the moment of the lock.
 */
@Sandboxed("src:0")
class LockedSnapshotIT {
    @Test
    void snapshotAndPositionDescribeTheSameTransactions(Sandbox sandbox) throws Exception {
        MariaDbServer server = sandbox.primary("src", "0");
        server.execute("CREATE TABLE src.t (id INT PRIMARY KEY)", "INSERT INTO src.t VALUES (0)");
        long base = sequence(server.query("SELECT @@gtid_binlog_pos").get(0).get(0));
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            try (Connection c = server.connect("src"); PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO t VALUES (?)")) {
                for (int id = 1; writing.get(); id++) {
                    insert.setInt(1, id);
                    insert.executeUpdate(); // autocommit: one GTID per row, nothing else writes to this server
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        Thread.sleep(300);
        try (Connection source = server.connect("src")) {
            String position = Snapshot.locked(source, () -> server.connect("src"), List.of("`src`.`t`"),
                    Flavor.MARIADB);
            long seen;
            try (Statement statement = source.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT COUNT(*) - 1, MAX(id) FROM t")) {
                rs.next();
                seen = rs.getLong(1);
                assertEquals(seen, rs.getLong(2), "ids are dense");
            }
            assertEquals(base + seen, sequence(position), "position " + position + " covers exactly the " + seen
                    + " rows the snapshot sees");
            Thread.sleep(200);
            assertTrue(Long.parseLong(server.query("SELECT MAX(id) FROM src.t").get(0).get(0)) > seen,
                    "the writer went on after the lock");
        } finally {
            writing.set(false);
            writer.join();
        }
    }

    private static long sequence(String position) {
        return MariaDbGtidPosition.parse(position).gtids().get(0).sequence();
    }
}
