package io.switchyard.proxy.server;

import io.switchyard.proxy.backend.Backends;
import io.switchyard.proxy.codec.CommandType;
import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.codec.Packet;
import io.switchyard.proxy.packet.command.StatementIds;
import io.switchyard.proxy.session.StatementKind;

import java.util.Optional;

/**
 * Prepared statements (the binary protocol). A statement lives on the backend connection it was prepared on; the
 * client knows it by the gateway's id, rewritten in place in each COM_STMT_* packet, so executes are relayed without
 * decoding their parameters or their binary rows.
 */
final class Statements {
    private final CommandPhase commands;
    private final Session session;

    Statements(CommandPhase commands, Session session) {
        this.commands = commands;
        this.session = session;
    }

    void prepare(Packet packet, LeaseKey key) {
        commands.forward(packet, CommandType.COM_STMT_PREPARE, key, StatementKind.OTHER, first -> {
            if (first.header() == 0x00 && first.length() >= 5) {
                // COM_STMT_PREPARE_OK: 0x00, then the statement id as int<4>.
                int at = first.payload().readerIndex() + 1;
                long backendId = first.payload().getUnsignedIntLE(at);
                first.payload().setIntLE(at, (int) session.prepare(key, backendId));
            }
        }, null);
    }

    /** COM_STMT_EXECUTE, FETCH and RESET: answered by the backend that holds the statement. */
    void execute(Packet packet, CommandType type) {
        Optional<PreparedStatementRef> statement = lookup(packet);
        if (statement.isEmpty()) {
            long id = StatementIds.read(packet.payload());
            packet.release();
            commands.fail(MySqlError.ER_UNKNOWN_STMT_HANDLER.exception(id, type.name()));
            return;
        }
        Backends.Lease lease = session.leases().get(statement.get().lease());
        if (lease == null || !lease.connection().isOpen()) {
            long id = statement.get().clientId();
            session.closeStatement(id);
            packet.release();
            commands.fail(MySqlError.ER_UNKNOWN_ERROR.exception("prepared statement " + id + " was lost with its"
                    + " backend connection (" + statement.get().lease() + "); prepare it again"));
            return;
        }
        StatementIds.rewrite(packet.payload(), statement.get().backendId());
        commands.forward(packet, type, statement.get().lease(),
                StatementKind.OTHER);
    }

    /** COM_STMT_SEND_LONG_DATA and COM_STMT_CLOSE have no response, not even an error. */
    void sendWithoutReply(Packet packet, CommandType type) {
        Optional<PreparedStatementRef> statement = lookup(packet);
        Backends.Lease lease = statement.map(s -> session.leases().get(s.lease())).orElse(null);
        if (statement.isEmpty() || lease == null || !lease.connection().isOpen()) {
            packet.release();
            statement.ifPresent(s -> {
                if (type == CommandType.COM_STMT_CLOSE) {
                    session.closeStatement(s.clientId());
                }
            });
            commands.done();
            return;
        }
        StatementIds.rewrite(packet.payload(), statement.get().backendId());
        if (type == CommandType.COM_STMT_CLOSE) {
            session.closeStatement(statement.get().clientId());
        }
        lease.connection().send(packet.payload());
        commands.done();
    }

    private Optional<PreparedStatementRef> lookup(Packet packet) {
        return session.statement(StatementIds.read(packet.payload()));
    }
}
