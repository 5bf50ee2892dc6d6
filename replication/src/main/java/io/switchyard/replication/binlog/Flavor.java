package io.switchyard.replication.binlog;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The source server's flavour, which decides how a position is read and how a consistent snapshot is taken: MariaDB
 * ({@code @@gtid_binlog_pos}, a lock-free snapshot) or MySQL ({@code @@global.gtid_executed}, a brief table lock).
 */
public enum Flavor {
    MARIADB("SELECT @@gtid_binlog_pos"),
    MYSQL("SELECT @@global.gtid_executed");

    private final String positionQuery;

    Flavor(String positionQuery) {
        this.positionQuery = positionQuery;
    }

    /** From {@code @@version}: MariaDB says so in it (e.g. {@code 10.11.6-MariaDB-0+deb12u1}); MySQL does not. */
    public static Flavor of(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT @@version")) {
            rs.next();
            return of(rs.getString(1));
        }
    }

    public static Flavor of(String version) {
        return version != null && version.toLowerCase(Locale.ROOT).contains("mariadb") ? MARIADB : MYSQL;
    }

    /** The query that reads the server's current position in this flavour's notation. */
    public String positionQuery() {
        return positionQuery;
    }

    /**
     * The server's current position: every transaction it has written to its binlog.
     *
     * @throws SQLException also when the position is empty: the server has written no GTID yet (binlog or GTIDs off)
     */
    public String currentPosition(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(positionQuery)) {
            rs.next();
            String position = rs.getString(1);
            if (position == null || position.isBlank()) {
                throw new SQLException("the server reports no GTID position (" + positionQuery + " is empty): "
                        + (this == MARIADB ? "turn log-bin on and write at least one transaction"
                        : "turn gtid_mode ON and log_bin on"));
            }
            return position.replace("\n", "");
        }
    }
}
