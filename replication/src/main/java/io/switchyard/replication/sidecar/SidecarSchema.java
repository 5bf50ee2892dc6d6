package io.switchyard.replication.sidecar;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Creates the {@code _switchyard} database and its tables on a target primary. Every statement is
 * {@code IF NOT EXISTS}, so running it again (every stream start does) changes nothing.
 *
 * <p>The tables are InnoDB so that their rows commit atomically with the copied or applied rows; the column shapes
 * follow Vitess's {@code _vt.vreplication} and {@code _vt.copy_state} (see the reference notes, section 2).
 */
public final class SidecarSchema {
    /** The sidecar database name. */
    public static final String DATABASE = "_switchyard";

    static final List<String> STATEMENTS = List.of(
            "CREATE DATABASE IF NOT EXISTS " + DATABASE + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
            "CREATE TABLE IF NOT EXISTS " + DATABASE + ".stream ("
                    + " workflow VARBINARY(64) NOT NULL,"
                    + " source_shard VARBINARY(128) NOT NULL,"
                    + " target_shard VARBINARY(128) NOT NULL,"
                    // A MariaDB position lists one GTID per domain and a MySQL GTID set can be long: TEXT, not VARCHAR.
                    + " pos TEXT NOT NULL,"
                    + " state VARBINARY(32) NOT NULL,"
                    + " message TEXT NOT NULL,"
                    + " rows_copied BIGINT UNSIGNED NOT NULL DEFAULT 0,"
                    + " time_updated TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),"
                    // Source commit time of the last applied transaction, seconds since the epoch; 0 for none yet.
                    + " transaction_timestamp BIGINT NOT NULL DEFAULT 0,"
                    + " time_heartbeat BIGINT NOT NULL DEFAULT 0,"
                    + " PRIMARY KEY (workflow, source_shard, target_shard)"
                    + ") ENGINE=InnoDB",
            "CREATE TABLE IF NOT EXISTS " + DATABASE + ".copy_state ("
                    + " workflow VARBINARY(64) NOT NULL,"
                    + " source_shard VARBINARY(128) NOT NULL,"
                    + " target_shard VARBINARY(128) NOT NULL,"
                    + " table_name VARBINARY(128) NOT NULL,"
                    + " lastpk TEXT NOT NULL,"
                    + " PRIMARY KEY (workflow, source_shard, target_shard, table_name)"
                    + ") ENGINE=InnoDB",
            "CREATE TABLE IF NOT EXISTS " + DATABASE + ".log ("
                    + " id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,"
                    + " workflow VARBINARY(64) NOT NULL,"
                    + " ts TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),"
                    + " level VARBINARY(16) NOT NULL,"
                    + " message TEXT NOT NULL,"
                    + " PRIMARY KEY (id),"
                    + " KEY workflow_ts (workflow, ts)"
                    + ") ENGINE=InnoDB",
            "CREATE TABLE IF NOT EXISTS " + DATABASE + ".lag_history ("
                    + " workflow VARBINARY(64) NOT NULL,"
                    + " ts TIMESTAMP NOT NULL,"
                    + " lag_seconds BIGINT NOT NULL,"
                    + " PRIMARY KEY (workflow, ts)"
                    + ") ENGINE=InnoDB");

    private SidecarSchema() {
    }

    /**
     * Creates whatever part of the schema is missing. DDL commits implicitly, so do not call this inside a
     * transaction that holds other work.
     *
     * @throws SQLException naming the statement that failed
     */
    public static void create(Connection target) throws SQLException {
        try (Statement statement = target.createStatement()) {
            for (String sql : STATEMENTS) {
                try {
                    statement.execute(sql);
                } catch (SQLException e) {
                    throw new SQLException("creating the " + DATABASE + " sidecar schema failed at: " + sql
                            + ": " + e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
                }
            }
        }
    }
}
