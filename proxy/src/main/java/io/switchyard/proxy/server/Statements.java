package io.switchyard.proxy.server;

import io.switchyard.proxy.backend.Backends;
import io.switchyard.proxy.codec.CommandType;
import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.codec.Packet;
import io.netty.buffer.ByteBuf;
import io.switchyard.proxy.codec.ProtocolException;
import io.switchyard.proxy.packet.command.StatementIds;
import io.switchyard.proxy.packet.command.StmtExecute;
import io.switchyard.proxy.packet.command.TextCommand;
import io.switchyard.routing.plan.Plan;
import io.switchyard.proxy.session.StatementKind;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

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

    /** @param touches what its executes will read or write, for {@link QueryBuffer} */
    void prepare(Packet packet, LeaseKey key, Touches touches) {
        prepare(packet, key, touches, null);
    }

    /**
     * @param routed makes the statement placed by the planner at executes (see {@link RoutedStatement}); it is
     *     prepared on {@code key} now
     */
    void prepare(Packet packet, LeaseKey key, Touches touches, Function<Integer, RoutedStatement> routed) {
        commands.forward(packet, CommandType.COM_STMT_PREPARE, key, StatementKind.OTHER, first -> {
            if (first.header() == 0x00 && first.length() >= 9) {
                // COM_STMT_PREPARE_OK: 0x00, statement id int<4>, columns int<2>, params int<2>.
                int at = first.payload().readerIndex() + 1;
                long backendId = first.payload().getUnsignedIntLE(at);
                long clientId = session.prepare(key, backendId, touches);
                first.payload().setIntLE(at, (int) clientId);
                if (routed != null) {
                    RoutedStatement statement = routed.apply(first.payload().getUnsignedShortLE(at + 6));
                    statement.backendIds.put(RoutedStatement.place(key.keyspace(), key.shard()), backendId);
                    session.routed(clientId, statement);
                }
            }
        }, null);
    }

    /** COM_STMT_EXECUTE of a routed statement: decode the parameters, then bind and run. */
    private void executeRouted(Packet packet, RoutedStatement statement) {
        StmtExecute execute;
        try {
            execute = StmtExecute.read(packet.reader(), session.clientCapabilities(), statement.paramCount,
                    statement.lastTypes);
            statement.lastTypes = execute.paramTypes();
        } finally {
            packet.release();
        }
        bindAndRun(execute, statement);
    }

    /**
     * Binds the plan (by the routing snapshot in force now) and runs it on the keyspace and shard it names, first
     * preparing it there if that backend has not seen it. A bound plan on a held table waits in the query buffer and
     * is bound again when released.
     */
    private void bindAndRun(StmtExecute execute, RoutedStatement statement) {
        Plan bound = statement.binder.apply(execute.values());
        if (!commands.admit(Touches.of(bound, statement.sql, Optional.of(statement.keyspace)), () -> { },
                () -> bindAndRun(execute, statement))) {
            return;
        }
        String keyspace;
        String shard;
        if (bound instanceof Plan.SingleShard p) {
            keyspace = p.keyspace();
            shard = p.shard();
        } else if (bound instanceof Plan.Unsharded p) {
            keyspace = p.keyspace();
            shard = p.shard();
        } else if (bound instanceof Plan.Session
                && PlannedExecution.isTransactionControl(StatementKind.of(statement.sql))) {
            commands.queryText(statement.sql); // answered with the same OK as the binary execute would get
            return;
        } else if (bound instanceof Plan.Session) {
            // SET and the like: where the client prepared it, as a plain relay would have.
            keyspace = statement.preparedOn.keyspace();
            shard = statement.preparedOn.shard();
        } else if (bound instanceof Plan.Refused p) {
            commands.fail(new ProtocolException(p.errorCode(), p.sqlState(), p.message()));
            return;
        } else {
            commands.fail(MySqlError.ER_NOT_SUPPORTED_YET.exception("a prepared statement whose parameters reach"
                    + " several shards; send it as a text statement, which the gateway can scatter and merge"));
            return;
        }
        LeaseKey key = new LeaseKey(keyspace, shard, statement.tabletType);
        String place = RoutedStatement.place(keyspace, shard);
        Long known = statement.backendIds.get(place);
        CompletableFuture<Long> backendId = known != null ? CompletableFuture.completedFuture(known)
                : commands.lease(key).thenCompose(lease -> {
                    PrepareCollector collector = new PrepareCollector();
                    ByteBuf payload = TextCommand.prepare(statement.sql).encode(lease.connection().channel().alloc(),
                            lease.connection().capabilities());
                    lease.connection().execute(CommandType.COM_STMT_PREPARE, payload, collector);
                    return collector.id();
                });
        backendId.whenComplete((id, error) -> commands.onLoop(() -> {
            if (error != null) {
                commands.fail(CommandPhase.toProtocol(error));
                return;
            }
            statement.backendIds.put(place, id);
            // The shard may never have seen this statement's parameter types: always send them.
            ByteBuf payload = execute.withStatementId(id).withNewParamsBound(true)
                    .encode(commands.alloc(), session.clientCapabilities());
            commands.forward(new Packet(0, payload), CommandType.COM_STMT_EXECUTE, key, StatementKind.OTHER);
        }));
    }

    /** COM_STMT_EXECUTE, FETCH and RESET: answered by the backend that holds the statement. */
    void execute(Packet packet, CommandType type) {
        Optional<RoutedStatement> routed = session.routed(StatementIds.read(packet.payload()));
        if (routed.isPresent() && type == CommandType.COM_STMT_EXECUTE
                && (routed.get().perExecute || commands.needsPlanner())) {
            executeRouted(packet, routed.get());
            return;
        }
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
        if (type == CommandType.COM_STMT_EXECUTE
                && !commands.admit(statement.get().touches(), packet, () -> execute(packet, type))) {
            return; // waits in the query buffer; runs from the start (id lookup included) when released
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
