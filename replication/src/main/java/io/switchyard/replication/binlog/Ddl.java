package io.switchyard.replication.binlog;

import java.util.Objects;

/**
 * A statement other than BEGIN/COMMIT/ROLLBACK that names a watched table, e.g. {@code ALTER TABLE}. {@code database}
 * is the session's default database when the statement ran (it may be empty; the statement may qualify names itself).
 * {@code gtid} is the position after the statement. The caller decides what to do (on_ddl STOP, IGNORE, EXEC).
 */
public record Ddl(String gtid, String database, String sql) implements BinlogEvent {
    public Ddl {
        Objects.requireNonNull(gtid, "gtid");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(sql, "sql");
    }
}
