package io.switchyard.replication.copy;

import io.switchyard.routing.vindex.KeyRange;
import io.switchyard.routing.vindex.Vindex;
import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** Test data and comparisons shared by the copy ITs; source is commerce/0, targets are the customer shards. */
final class CopyFixtures {
    static final String SOURCE_DB = "commerce";
    static final String TARGET_DB = "customer";
    static final List<String> SHARDS = List.of("-80", "80-");

    private CopyFixtures() {
    }

    static MariaDbServer source(Sandbox sandbox) {
        return sandbox.primary(SOURCE_DB, "0");
    }

    static TargetShard target(Sandbox sandbox, String shard) {
        MariaDbServer server = sandbox.primary(TARGET_DB, shard);
        return new TargetShard(shard, server::connect, TARGET_DB);
    }

    static List<TargetShard> shardedTargets(Sandbox sandbox) {
        return SHARDS.stream().map(shard -> target(sandbox, shard)).toList();
    }

    static RowRouter hashById() {
        return RowRouter.byKeyspaceId("id", Vindex.of("hash"), SHARDS.stream().map(KeyRange::parse).toList());
    }

    /** A table of every type the brief lists; {@code rows} rows with ids 1..rows, NULLs in every 7th row. */
    static void createMixedTable(MariaDbServer source, String table, int rows) throws SQLException {
        source.execute("CREATE TABLE " + SOURCE_DB + "." + table + " ("
                + " id INT NOT NULL PRIMARY KEY,"
                + " big BIGINT UNSIGNED,"
                + " name VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci,"
                + " amount DECIMAL(14,4),"
                + " created DATETIME(6),"
                + " stamp TIMESTAMP(3) NULL,"
                + " doc JSON,"
                + " payload BLOB,"
                + " flags BIT(5),"
                + " color ENUM('red','green','blue'),"
                + " ratio DOUBLE,"
                + " KEY idx_name (name)"
                + ") ENGINE=InnoDB");
        insertMixedRows(source, table, 1, rows);
    }

    static void insertMixedRows(MariaDbServer source, String table, int from, int to) throws SQLException {
        try (Connection connection = source.connect(SOURCE_DB)) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (int id = from; id <= to; id++) {
                    boolean nulls = id % 7 == 0;
                    insert.setInt(1, id);
                    insert.setString(2, nulls ? null : id == 1 ? "18446744073709551615" : Long.toString(id * 7919L));
                    insert.setString(3, nulls ? null : "name " + id + " ünïcødé 🚀 '\"\\ " + "x".repeat(id % 40));
                    insert.setBigDecimal(4, nulls ? null : new BigDecimal(id).movePointLeft(4).negate());
                    insert.setString(5, nulls ? null : String.format("2024-%02d-%02d 12:34:56.%06d",
                            1 + id % 12, 1 + id % 28, id * 37 % 1_000_000));
                    insert.setString(6, nulls ? null : "2023-06-01 00:00:00.123");
                    insert.setString(7, nulls ? null : "{\"id\": " + id + ", \"tags\": [\"a\", \"🚀\"], \"n\": null}");
                    insert.setBytes(8, nulls ? null : bytes(id));
                    insert.setInt(9, id % 32);
                    insert.setString(10, nulls ? null : List.of("red", "green", "blue").get(id % 3));
                    insert.setString(11, nulls ? null : Double.toString(id / 3.0));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            connection.commit();
        }
    }

    private static byte[] bytes(int id) {
        byte[] bytes = new byte[id % 300];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (id * 31 + i);
        }
        return bytes;
    }

    /**
     * COUNT and an order-independent sum of per-row CRC32s over every column as hex (so NULL, binary and text all
     * compare byte for byte). Additive, so shards' checksums add up to the source's.
     */
    static long[] checksum(MariaDbServer server, String database, String table, List<String> columns) {
        String row = columns.stream().map(c -> "COALESCE(HEX(`" + c + "`), 'NULL')")
                .collect(Collectors.joining(", "));
        List<String> result = server.query("SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('|', " + row
                + "))), 0) FROM " + database + "." + table).get(0);
        return new long[] {Long.parseLong(result.get(0)), Long.parseLong(result.get(1))};
    }

    static List<String> columns(MariaDbServer server, String database, String table) {
        return server.query("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '" + database
                + "' AND TABLE_NAME = '" + table + "' ORDER BY ORDINAL_POSITION").stream().map(r -> r.get(0)).toList();
    }

    /** Every row as text, in primary-key order, for exact comparisons. */
    static List<List<String>> rows(MariaDbServer server, String database, String table, String orderBy) {
        return server.query("SELECT * FROM " + database + "." + table + " ORDER BY " + orderBy);
    }

    /** The rows of every target shard together, in {@link #sorted} order. */
    static List<List<String>> union(Sandbox sandbox, String table) {
        List<List<String>> all = new ArrayList<>();
        for (String shard : SHARDS) {
            all.addAll(rows(sandbox.primary(TARGET_DB, shard), TARGET_DB, table, "1"));
        }
        return sorted(all);
    }

    /** Rows in an order independent of the servers' collations, to compare row sets exactly. */
    static List<List<String>> sorted(List<List<String>> rows) {
        List<List<String>> copy = new ArrayList<>(rows);
        copy.sort(Comparator.comparing(Object::toString));
        return copy;
    }
}
