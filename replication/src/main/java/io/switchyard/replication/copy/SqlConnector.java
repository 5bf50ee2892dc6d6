package io.switchyard.replication.copy;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Opens a new JDBC connection the caller closes; {@code dataSource::getConnection} adapts a pool. An interface rather
 * than {@link javax.sql.DataSource} so that tests and the sandbox need not implement a dozen unused methods.
 */
@FunctionalInterface
public interface SqlConnector {
    Connection open() throws SQLException;
}
