package io.switchyard.replication.workflow;

import io.switchyard.config.Endpoint;
import org.mariadb.jdbc.MariaDbDataSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;

/** JDBC access to a configured server, on the control path (copy, apply, metadata); never on the data path. */
final class Servers {
    private Servers() {
    }

    /** A data source for {@code database} on {@code endpoint}; each {@code getConnection()} opens a new connection. */
    static MariaDbDataSource dataSource(Endpoint endpoint, String user, String password, String database) {
        return dataSource(endpoint, user, password, database, "");
    }

    /** As above, with {@code sessionVariables} ({@code name=value,...}) set on every new connection. */
    static MariaDbDataSource dataSource(Endpoint endpoint, String user, String password, String database,
                                        String sessionVariables) {
        String url = "jdbc:mariadb://" + endpoint + "/" + database + "?user=" + encode(user) + "&password="
                + encode(password) + (sessionVariables.isEmpty() ? "" : "&sessionVariables="
                + sessionVariables); // the driver does not decode this one; callers pass plain name=value pairs
        try {
            return new MariaDbDataSource(url);
        } catch (SQLException e) {
            throw new IllegalArgumentException("bad JDBC URL for " + endpoint + ": " + e.getMessage(), e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
