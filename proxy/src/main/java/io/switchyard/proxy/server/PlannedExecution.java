package io.switchyard.proxy.server;

import io.netty.buffer.ByteBuf;
import io.switchyard.config.User;
import io.switchyard.proxy.codec.CommandType;
import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.codec.Packet;
import io.switchyard.proxy.codec.ProtocolException;
import io.switchyard.proxy.packet.resultset.ColumnDefinition41;
import io.switchyard.proxy.packet.resultset.ResultRow;
import io.switchyard.proxy.packet.resultset.TextResultSet;
import io.switchyard.proxy.session.StatementKind;
import io.switchyard.proxy.session.TabletType;
import io.switchyard.proxy.session.Target;
import io.switchyard.routing.merge.MergeSpec;
import io.switchyard.routing.plan.Plan;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Statements the planner routes: sessions on a sharded keyspace, without a keyspace, or touching tables that
 * routing rules redirect. Single-shard plans are relayed like any statement; multi-shard plans run through
 * {@link ShardedExecution}; INSERTs that need ids take them from {@link Sequences} first.
 */
final class PlannedExecution {
    private final GatewayContext context;
    private final CommandPhase commands;
    private final FrontendHandler frontend;
    private final Session session;
    private final ShardedExecution sharded;
    private final Sequences sequences;

    PlannedExecution(GatewayContext context, CommandPhase commands, FrontendHandler frontend, Session session) {
        this.context = context;
        this.commands = commands;
        this.frontend = frontend;
        this.session = session;
        this.sharded = new ShardedExecution(context, commands, frontend);
        this.sequences = context.sequences();
    }

    void run(Packet packet, String sql, StatementKind kind) {
        if (kind == StatementKind.BEGIN && !session.inTransaction()) {
            // On a sharded keyspace the gateway opens the transaction itself and starts it on each shard the
            // transaction touches, just before the first statement there.
            packet.release();
            session.beginGatewayTransaction();
            commands.ok();
            return;
        }
        if ((kind == StatementKind.COMMIT || kind == StatementKind.ROLLBACK) && session.gatewayTransaction()) {
            packet.release();
            finish(kind == StatementKind.COMMIT ? "COMMIT" : "ROLLBACK", session.endGatewayTransaction());
            return;
        }
        TabletType type = session.target().map(Target::tabletType).orElse(TabletType.PRIMARY);
        if (type == TabletType.REPLICA && CommandPhase.isWrite(kind)) {
            packet.release();
            commands.fail(MySqlError.ER_UNKNOWN_ERROR.exception("the session targets " + session.target().get() + ", and"
                    + " writes are not allowed on replicas: USE " + session.target().get().keyspace()
                    + " (the primary) to write"));
            return;
        }
        if (session.sequenceInsertId() != 0 && isLastInsertIdQuery(sql)) {
            packet.release();
            commands.answer(new LocalCommands.Rows(new TextResultSet(
                    List.of(ColumnDefinition41.longLong("LAST_INSERT_ID()",
                            true)),
                    List.of(ResultRow.ofStrings(
                            Long.toString(session.sequenceInsertId()))))));
            return;
        }
        if (kind == StatementKind.INSERT || kind == StatementKind.REPLACE) {
            session.sequenceInsertId(0);
        }
        Plan plan = context.planner().plan(sql, session.target().map(Target::keyspace),
                type == TabletType.REPLICA ? io.switchyard.routing.plan.TabletType.REPLICA
                        : io.switchyard.routing.plan.TabletType.PRIMARY);
        // A statement on a table whose traffic is being switched waits here, before anything is sent, and is planned
        // again when released: by then the routing rules may point elsewhere.
        if (!commands.admit(Touches.of(plan, sql, session.target().map(Target::keyspace)), packet,
                () -> run(packet, sql, kind))) {
            return;
        }
        execute(packet, sql, kind, type, plan);
    }

    private void execute(Packet packet, String sql, StatementKind kind, TabletType type, Plan plan) {
        if (plan instanceof Plan.Unsharded p) {
            forwardTo(packet, sql, p.sql(), leaseKey(p.keyspace(), p.shard(), type, kind), kind);
        } else if (plan instanceof Plan.SingleShard p) {
            forwardTo(packet, sql, p.sql(), leaseKey(p.keyspace(), p.shard(), type, kind), kind);
        } else if (plan instanceof Plan.MultiShard p) {
            packet.release();
            sharded.run(p.keyspace(), writeType(type, kind), p.sqlByShard(), p.merge(), kind, 0);
        } else if (plan instanceof Plan.Scatter p) {
            packet.release();
            Map<String, String> sqlByShard = new LinkedHashMap<>();
            p.shards().forEach(shard -> sqlByShard.put(shard, p.sql()));
            sharded.run(p.keyspace(), writeType(type, kind), sqlByShard, p.merge(), kind, 0);
        } else if (plan instanceof Plan.Refused p) {
            packet.release();
            commands.fail(new ProtocolException(p.errorCode(), p.sqlState(), p.message()));
        } else if (plan instanceof Plan.Session) {
            commands.forward(packet, CommandType.COM_QUERY, commands.route(kind, sql), kind, null,
                    kind == StatementKind.SET ? sql : null);
        } else if (plan instanceof Plan.AlterVSchema p) {
            packet.release();
            alterVSchema(p);
        } else if (plan instanceof Plan.NeedsSequence p) {
            packet.release();
            sequences.reserve(p.sequenceKeyspace(), p.sequenceTable(), p.rowCount())
                    .whenComplete((firstId, error) -> commands.onLoop(() -> {
                        if (error != null) {
                            commands.fail(CommandPhase.toProtocol(error));
                            return;
                        }
                        session.sequenceInsertId(firstId);
                        executeWithInsertId(p.bindSequenceIds(firstId), kind, firstId);
                    }));
        } else {
            packet.release();
            commands.fail(MySqlError.ER_UNKNOWN_ERROR.exception("statements with '?' placeholders need the binary protocol"
                    + " (COM_STMT_PREPARE)"));
        }
    }

    /**
     * An INSERT whose ids came from a sequence: run through {@link ShardedExecution} even on one shard, because the
     * OK the client gets must carry the first id as its last-insert-id, which the backend's OK does not.
     */
    private void executeWithInsertId(Plan bound, StatementKind kind, long firstId) {
        Map<String, String> sqlByShard = new LinkedHashMap<>();
        String keyspace;
        if (bound instanceof Plan.SingleShard p) {
            keyspace = p.keyspace();
            sqlByShard.put(p.shard(), p.sql());
        } else if (bound instanceof Plan.Unsharded p) {
            keyspace = p.keyspace();
            sqlByShard.put(p.shard(), p.sql());
        } else if (bound instanceof Plan.MultiShard p) {
            keyspace = p.keyspace();
            sqlByShard.putAll(p.sqlByShard());
        } else if (bound instanceof Plan.Refused p) {
            commands.fail(new ProtocolException(p.errorCode(), p.sqlState(), p.message()));
            return;
        } else {
            commands.fail(MySqlError.ER_UNKNOWN_ERROR.exception("unexpected plan for an INSERT with sequence ids: " + bound));
            return;
        }
        sharded.run(keyspace, TabletType.PRIMARY, sqlByShard, MergeSpec.CONCAT, kind,
                firstId);
    }

    /** Relays the statement to one backend: the client's own packet when the plan left the SQL as it was. */
    private void forwardTo(Packet packet, String original, String planned, LeaseKey key, StatementKind kind) {
        Packet out = packet;
        if (!planned.equals(original)) {
            packet.release();
            ByteBuf payload = frontend.alloc().buffer(planned.length() + 1);
            payload.writeByte(CommandType.COM_QUERY.code());
            payload.writeCharSequence(planned, StandardCharsets.UTF_8);
            out = new Packet(0, payload);
        }
        commands.forward(out, CommandType.COM_QUERY, key, kind, null, null);
    }

    private LeaseKey leaseKey(String keyspace, String shard, TabletType requested, StatementKind kind) {
        return new LeaseKey(keyspace, shard, writeType(requested, kind));
    }

    /** Writes and reads inside a transaction go to primaries whatever the session's target says. */
    private TabletType writeType(TabletType requested, StatementKind kind) {
        return CommandPhase.isWrite(kind) || session.inTransaction() ? TabletType.PRIMARY : requested;
    }

    private void alterVSchema(Plan.AlterVSchema plan) {
        if (session.user().role() != User.Role.ADMIN) {
            commands.fail(MySqlError.ER_SPECIFIC_ACCESS_DENIED_ERROR.exception("SWITCHYARD ADMIN"));
            return;
        }
        try {
            context.vschemaChanges().apply(plan.change());
            commands.ok();
        } catch (RuntimeException e) {
            commands.fail(MySqlError.ER_UNKNOWN_ERROR.exception("ALTER VSCHEMA failed: " + e.getMessage()));
        }
    }

    /**
     * COMMIT or ROLLBACK on every shard the transaction touched, one after the other in the order they joined. A
     * cross-shard commit is not atomic (as in Vitess by default): if a shard fails to commit, the shards before it
     * have committed, and the error says which.
     */
    private void finish(String verb, List<LeaseKey> members) {
        java.util.concurrent.CompletableFuture<Void> chain = java.util.concurrent.CompletableFuture.completedFuture(null);
        List<String> done = new java.util.ArrayList<>();
        for (LeaseKey key : members) {
            chain = chain.thenCompose(ignored -> commands.lease(key))
                    .thenCompose(lease -> lease.connection().query(verb))
                    .thenAccept(ok -> done.add(key.shard()));
        }
        chain.whenComplete((ok, error) -> commands.onLoop(() -> {
            if (error == null) {
                commands.ok();
                return;
            }
            ProtocolException cause = CommandPhase.toProtocol(error);
            commands.fail(new ProtocolException(cause.errorCode(), cause.sqlState(), verb + " failed after "
                    + (done.isEmpty() ? "no shard" : "shard(s) " + String.join(", ", done)) + " completed: "
                    + cause.getMessage()));
        }));
    }

    /**
     * COM_STMT_PREPARE in a planned session: a statement without placeholders is prepared where its plan runs. One
     * with placeholders is routed again at each execute, by its parameters and by the routing rules in force then, so
     * that a traffic switch moves it too; it is prepared (for the client's metadata) where it would run now if the
     * place does not depend on the parameters, otherwise on the session keyspace's first shard.
     */
    static boolean isTransactionControl(StatementKind kind) {
        return kind == StatementKind.BEGIN || kind == StatementKind.COMMIT || kind == StatementKind.ROLLBACK;
    }

    void prepare(Packet packet, String sql, Statements statements) {
        TabletType type = session.target().map(Target::tabletType).orElse(TabletType.PRIMARY);
        StatementKind kind = StatementKind.of(sql);
        Plan plan = context.planner().plan(sql, session.target().map(Target::keyspace),
                type == TabletType.REPLICA ? io.switchyard.routing.plan.TabletType.REPLICA
                        : io.switchyard.routing.plan.TabletType.PRIMARY);
        Touches touches = Touches.of(plan, sql, session.target().map(Target::keyspace));
        if (plan instanceof Plan.Unsharded p) {
            LeaseKey key = leaseKey(p.keyspace(), p.shard(), type, kind);
            statements.prepare(packet, key, touches, params -> replanned(sql, key, params));
        } else if (plan instanceof Plan.SingleShard p) {
            LeaseKey key = leaseKey(p.keyspace(), p.shard(), type, kind);
            statements.prepare(packet, key, touches, params -> replanned(sql, key, params));
        } else if (plan instanceof Plan.Prepared p) {
            TabletType effective = writeType(type, kind);
            LeaseKey where = p.routingParameters().isEmpty() ? fixedPlace(p, effective) : null;
            if (where == null) {
                String keyspace = session.target().map(Target::keyspace).orElse(null);
                if (keyspace == null || context.keyspace(keyspace).isEmpty()) {
                    packet.release();
                    commands.fail(MySqlError.ER_NO_DB_ERROR.exception());
                    return;
                }
                where = new LeaseKey(keyspace, context.keyspace(keyspace).get().shards().get(0).name(),
                        effective);
            }
            // Executes are admitted to the query buffer after binding, by the tables of the bound plan.
            LeaseKey preparedOn = where;
            statements.prepare(packet, where, Touches.NOTHING, params -> new RoutedStatement(p::bind, preparedOn,
                    !p.routingParameters().isEmpty(), sql, params));
        } else if (plan instanceof Plan.Refused p) {
            packet.release();
            commands.fail(new ProtocolException(p.errorCode(), p.sqlState(), p.message()));
        } else if (plan instanceof Plan.Session && isTransactionControl(kind)) {
            // The gateway owns transactions that may span shards: each execute runs as the text statement would,
            // so a prepared BEGIN opens the gateway's transaction and a prepared COMMIT ends it on every shard.
            LeaseKey key = commands.route(kind, sql);
            statements.prepare(packet, key, CommandPhase.touches(kind, sql, key),
                    params -> new RoutedStatement(args -> plan, key, true, sql, params));
        } else if (plan instanceof Plan.Session) {
            LeaseKey key = commands.route(kind, sql);
            statements.prepare(packet, key, CommandPhase.touches(kind, sql, key));
        } else {
            packet.release();
            commands.fail(MySqlError.ER_NOT_SUPPORTED_YET.exception("preparing a statement that runs on several"
                    + " shards; send it as a text statement, which the gateway can scatter and merge"));
        }
    }

    /**
     * A prepared statement whose place the planner decides again at each execute while the session plans (routing
     * rules exist), so that a traffic switch moves it.
     */
    RoutedStatement replanned(String sql, LeaseKey preparedOn, int params) {
        Optional<String> keyspace = session.target().map(Target::keyspace);
        io.switchyard.routing.plan.TabletType type = preparedOn.tabletType() == TabletType.REPLICA
                ? io.switchyard.routing.plan.TabletType.REPLICA : io.switchyard.routing.plan.TabletType.PRIMARY;
        return new RoutedStatement(values -> {
            Plan plan = context.planner().plan(sql, keyspace, type);
            return plan instanceof Plan.Prepared prepared ? prepared.bind(values) : plan;
        }, preparedOn, false, sql, params);
    }

    /** Where a statement whose place does not depend on its parameters runs now; null if binding says nothing. */
    private static LeaseKey fixedPlace(Plan.Prepared plan, TabletType type) {
        Plan bound = plan.bind(java.util.Collections.nCopies(plan.parameterCount(), null));
        if (bound instanceof Plan.Unsharded p) {
            return new LeaseKey(p.keyspace(), p.shard(), type);
        } else if (bound instanceof Plan.SingleShard p) {
            return new LeaseKey(p.keyspace(), p.shard(), type);
        }
        return null;
    }

    private static boolean isLastInsertIdQuery(String sql) {
        return sql.strip().replaceAll("\\s+", "").replace(";", "").equalsIgnoreCase("SELECTLAST_INSERT_ID()");
    }

}
