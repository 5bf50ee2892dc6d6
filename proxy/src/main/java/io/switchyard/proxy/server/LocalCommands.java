package io.switchyard.proxy.server;

import io.switchyard.config.User;
import io.switchyard.proxy.codec.ProtocolException;
import io.switchyard.proxy.packet.resultset.TextResultSet;
import io.switchyard.proxy.session.Target;

import java.util.Optional;

/**
 * Statements the gateway answers itself instead of sending to a backend: the admin commands ({@code SHOW KEYSPACES},
 * workflows, ...) that the admin module implements. The seam exists because the admin module depends on this one.
 * Implementations run on a session's event loop and must answer from memory; anything slow returns quickly with
 * a handle and does its work elsewhere.
 */
@FunctionalInterface
public interface LocalCommands {
    /** Empty if {@code sql} is not a local command and goes on to routing. */
    Optional<Result> execute(Caller caller, String sql);

    /** Who runs the statement. */
    record Caller(long connectionId, User user, Optional<Target> target) {
    }

    /** A local command's answer. */
    sealed interface Result {
    }

    /** A result set. */
    record Rows(TextResultSet resultSet) implements Result {
    }

    /** An OK with affected rows and an info message (shown by the mysql CLI). */
    record Ok(long affectedRows, String info) implements Result {
    }

    /** An error packet for the client. */
    record Error(ProtocolException error) implements Result {
    }

    /**
     * An answer computed off the event loop (a command that talks to databases): the session waits for it, then
     * sends it. The future must complete, normally or exceptionally (an exception becomes an error packet).
     */
    record Deferred(java.util.concurrent.CompletableFuture<Result> answer) implements Result {
    }

    LocalCommands NONE = (caller, sql) -> Optional.empty();
}
