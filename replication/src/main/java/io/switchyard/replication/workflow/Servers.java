package io.switchyard.replication.workflow;

import io.switchyard.config.Endpoint;
import org.mariadb.jdbc.MariaDbDataSource;

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
        String url = "jdbc:mariadb://" + endpoint + "/" + database + (sessionVariables.isEmpty() ? ""
                : "?sessionVariables=" + sessionVariables); // callers pass plain name=value pairs
        try {
            MariaDbDataSource source = new MariaDbDataSource(url);
            // Not in the URL: Connector/J 3.5 does not URL-decode its parameters, so an encoded password (any
            // space, quote, backslash, +, %, & ...) reached the server encoded and the login failed.
            source.setUser(user);
            source.setPassword(password);
            return source;
        } catch (SQLException e) {
            throw new IllegalArgumentException("bad JDBC URL for " + endpoint + ": " + e.getMessage(), e);
        }
    }
}
