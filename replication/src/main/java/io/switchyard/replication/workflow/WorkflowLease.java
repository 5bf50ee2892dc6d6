package io.switchyard.replication.workflow;

import io.switchyard.replication.copy.SqlConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The right to run a workflow's streams (design.md: a workflow runs in exactly one gateway at a time): a named lock
 * ({@code GET_LOCK}) in the topology store, held by one open connection. When the holding gateway dies, even by
 * SIGKILL, the server drops its connection and with it the lock, so another gateway can take the workflow over.
 *
 * <p>A holder that loses its connection (store restart, network) loses the lock without noticing; {@link #held}
 * checks, and the owner halts the workflow when it returns false.
 */
final class WorkflowLease implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkflowLease.class);

    private final Connection connection;
    private final String name;

    private WorkflowLease(Connection connection, String name) {
        this.connection = connection;
        this.name = name;
    }

    /** The lease of {@code workflow}, or empty if another connection (gateway) holds it. Does not wait. */
    static Optional<WorkflowLease> tryAcquire(SqlConnector topology, String workflow) throws SQLException {
        String name = "switchyard.workflow." + workflow;
        Connection connection = topology.open();
        try (PreparedStatement lock = connection.prepareStatement("SELECT GET_LOCK(?, 0)")) {
            lock.setString(1, name);
            try (ResultSet rs = lock.executeQuery()) {
                if (rs.next() && rs.getInt(1) == 1) {
                    return Optional.of(new WorkflowLease(connection, name));
                }
            }
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        connection.close();
        return Optional.empty();
    }

    /** Whether this lease still holds the lock. */
    boolean held() {
        try (PreparedStatement check = connection.prepareStatement("SELECT IS_USED_LOCK(?) = CONNECTION_ID()")) {
            check.setString(1, name);
            try (ResultSet rs = check.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            connection.close(); // releases the lock
        } catch (SQLException e) {
            LOG.warn("closing the lease connection of {} failed: {}", name, e.getMessage());
        }
    }
}
