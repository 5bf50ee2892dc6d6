package io.switchyard.proxy.server;

import io.netty.channel.EventLoop;
import io.switchyard.config.Keyspace;
import io.switchyard.proxy.backend.BackendException;
import io.switchyard.proxy.backend.Backends;
import io.switchyard.proxy.backend.ClientOptions;
import io.switchyard.proxy.codec.Capabilities;
import io.switchyard.proxy.codec.CommandType;
import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.codec.Packet;
import io.switchyard.proxy.codec.ProtocolException;
import io.switchyard.proxy.packet.command.ComSetOption;
import io.switchyard.proxy.packet.generic.EofPacket;
import io.switchyard.proxy.packet.generic.OkPacket;
import io.switchyard.proxy.session.StatementKind;
import io.switchyard.proxy.session.SqlText;
import io.switchyard.proxy.session.TabletType;
import io.switchyard.proxy.session.Target;


import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The command phase of one client connection: one command at a time, each answered locally or relayed from the
 * backend that serves the session's target. Runs on the client channel's event loop; backend callbacks hop onto it.
 *
 * <p>Commands that arrive while one is running (pipelining clients) wait in a queue, so responses never interleave.
 */
final class CommandPhase implements QueryBuffer.Participant {
    private final GatewayContext context;
    private final FrontendHandler frontend;
    private final Session session;
    private final EventLoop loop;
    private final ArrayDeque<Packet> queue = new ArrayDeque<>();
    private final ChangeUser changeUser;
    private final Statements statements;
    private final PlannedExecution planned;
    private final KillCommand kill;
    /** Leases being acquired, so that callers before the first is recorded share it. */
    private final Map<LeaseKey, CompletableFuture<Backends.Lease>> acquiring = new ConcurrentHashMap<>();
    private boolean busy;
    private boolean closed;
    private Relay running;
    /** The statement waiting in the query buffer, and what frees its packet if the session ends first. */
    private TrafficHold.HeldStatement parked;
    private Runnable parkedDiscard;

    CommandPhase(GatewayContext context, FrontendHandler frontend, Session session) {
        this.context = context;
        this.frontend = frontend;
        this.session = session;
        this.loop = frontend.ctx().channel().eventLoop();
        this.changeUser = new ChangeUser(context, frontend, session, this);
        this.statements = new Statements(this, session);
        this.planned = new PlannedExecution(context, this, frontend, session);
        this.kill = new KillCommand(context, this, session);
        context.buffer().join(this);
    }

    void onPacket(Packet packet) {
        if (changeUser.awaitingResponse()) {
            changeUser.onResponse(packet);
            return;
        }
        if (busy) {
            queue.add(packet);
            return;
        }
        dispatch(packet);
    }

    /** The current command has been answered: take the next queued one. */
    void done() {
        if (!session.inTransaction() && session.endWork()) {
            context.buffer().workEnded(this);
        }
        busy = false;
        running = null;
        session.executing(null);
        while (!busy && !closed && !queue.isEmpty() && !changeUser.awaitingResponse()) {
            dispatch(queue.poll());
        }
    }

    private void dispatch(Packet packet) {
        busy = true;
        CommandType type;
        try {
            type = CommandType.fromCode(packet.header());
        } catch (ProtocolException e) {
            packet.release();
            fail(e);
            return;
        }
        try {
            switch (type) {
                case COM_QUIT -> {
                    packet.release();
                    closed = true;
                    frontend.ctx().close();
                }
                case COM_PING -> {
                    packet.release();
                    ok();
                }
                case COM_INIT_DB -> {
                    String database = text(packet);
                    packet.release();
                    Optional<ProtocolException> refused = frontend.useDatabase(database);
                    refused.ifPresentOrElse(this::fail, this::ok);
                }
                case COM_QUERY -> query(packet, text(packet));
                case COM_FIELD_LIST -> forward(packet, CommandType.COM_FIELD_LIST, route(StatementKind.SHOW, ""),
                        StatementKind.SHOW);
                case COM_STMT_PREPARE -> {
                    String sql = text(packet);
                    if (needsPlanner(sql)) {
                        planned.prepare(packet, sql, statements);
                    } else {
                        StatementKind kind = StatementKind.of(sql);
                        LeaseKey key = route(kind, sql);
                        // Relayed to its backend while the session takes the fast path; placed by the planner once
                        // routing rules exist (a workflow was created after the prepare) or a hold is in force.
                        statements.prepare(packet, key, touches(kind, sql, key), session.target()
                                .filter(t -> t.shard().isEmpty())
                                .map(t -> (java.util.function.Function<Integer, RoutedStatement>)
                                        params -> planned.replanned(sql, key, params))
                                .orElse(null));
                    }
                }
                case COM_STMT_EXECUTE, COM_STMT_FETCH, COM_STMT_RESET -> statements.execute(packet, type);
                case COM_STMT_SEND_LONG_DATA, COM_STMT_CLOSE -> statements.sendWithoutReply(packet, type);
                case COM_RESET_CONNECTION -> {
                    packet.release();
                    releaseLeases();
                    session.reset();
                    ok();
                }
                case COM_CHANGE_USER -> changeUser.start(packet);
                case COM_SET_OPTION -> setOption(packet);
                case COM_STATISTICS -> {
                    packet.release();
                    statistics();
                }
                case COM_PROCESS_KILL -> {
                    long id = argument(packet, 4);
                    packet.release();
                    kill.kill(id, false);
                }
                default -> {
                    packet.release();
                    fail(MySqlError.ER_UNKNOWN_COM_ERROR.exception());
                }
            }
        } catch (ProtocolException e) {
            if (packet.refCnt() > 0) {
                packet.release();
            }
            fail(e);
        }
    }

    /** Runs {@code sql} as if the client had sent it as COM_QUERY (a prepared statement the gateway must own). */
    void queryText(String sql) {
        byte[] text = sql.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        io.netty.buffer.ByteBuf payload = frontend.alloc().buffer(1 + text.length)
                .writeByte(CommandType.COM_QUERY.code()).writeBytes(text);
        query(new Packet(0, payload), sql);
    }

    private void query(Packet packet, String sql) {
        Optional<LocalCommands.Result> local = context.localCommands().execute(
                new LocalCommands.Caller(session.id(), session.user(), session.target()), sql);
        if (local.isPresent()) {
            packet.release();
            answer(local.get());
            return;
        }
        StatementKind kind = StatementKind.of(sql);
        switch (kind) {
            case USE -> {
                packet.release();
                frontend.useDatabase(SqlText.afterFirstKeyword(sql)).ifPresentOrElse(this::fail, this::ok);
                return;
            }
            case KILL -> {
                packet.release();
                kill.statement(SqlText.afterFirstKeyword(sql));
                return;
            }
            case SHOW -> {
                String upper = sql.strip().toUpperCase(Locale.ROOT);
                if (upper.matches("SHOW\\s+(DATABASES|SCHEMAS)\\s*;?")) {
                    packet.release();
                    answer(new LocalCommands.Rows(GatewayResults.databases(context.config())));
                    return;
                }
            }
            default -> {
                if (kind == StatementKind.OTHER && isLoadDataLocal(sql)) {
                    packet.release();
                    fail(new ProtocolException(MySqlError.ER_NOT_ALLOWED_COMMAND.code(),
                            MySqlError.ER_NOT_ALLOWED_COMMAND.sqlState(), "LOAD DATA LOCAL INFILE is not supported"
                            + " through the gateway; use LOAD DATA INFILE on the server or multi-row INSERTs"));
                    return;
                }
            }
        }
        if (needsPlanner(sql) || isAlterVSchema(kind, sql)) {
            planned.run(packet, sql, kind);
            return;
        }
        LeaseKey key = route(kind, sql);
        // Only shard-targeted sessions get here while a hold is in force (see needsPlanner): without a plan, the
        // statement counts against its whole keyspace.
        if (admit(touches(kind, sql, key), packet, () -> query(packet, sql))) {
            forward(packet, CommandType.COM_QUERY, key, kind, null, kind == StatementKind.SET ? sql : null);
        }
    }

    /**
     * Lets the statement run now (true), or parks it in the query buffer (false: it runs through {@code resume} on
     * this loop when its hold ends, and the session's later commands wait in the queue behind it). A full buffer
     * answers the client with its error (false). Records what the statement touches when it runs.
     */
    boolean admit(Touches touches, Packet packet, Runnable resume) {
        return admit(touches, () -> {
            if (packet.refCnt() > 0) {
                packet.release();
            }
        }, resume);
    }

    /** @param discard frees what the statement holds (its packet) when it will not run */
    boolean admit(Touches touches, Runnable discard, Runnable resume) {
        if (!touches.isEmpty() && context.buffer().holding()) {
            TrafficHold.HeldStatement held;
            try {
                held = context.buffer().admit(this, touches, () -> resumeHeld(discard, resume));
            } catch (ProtocolException e) {
                discard.run();
                fail(e);
                return false;
            }
            if (held != null) {
                parked = held;
                parkedDiscard = discard;
                return false;
            }
        }
        session.touch(touches);
        return true;
    }

    private void resumeHeld(Runnable discard, Runnable resume) {
        parked = null;
        parkedDiscard = null;
        if (closed) {
            discard.run();
            return;
        }
        try {
            resume.run();
        } catch (ProtocolException e) {
            discard.run();
            fail(e);
        }
    }

    @Override
    public void execute(Runnable task) {
        onLoop(task);
    }

    @Override
    public boolean touched(TrafficHold hold) {
        return session.touched(hold);
    }

    /** What a statement that skips the planner touches: nothing, or some table of its keyspace. */
    static Touches touches(StatementKind kind, String sql, LeaseKey key) {
        return touchesNoTable(kind, sql) || kind == StatementKind.SHOW || kind == StatementKind.USE
                ? Touches.NOTHING : Touches.unattributed(key.keyspace());
    }

    /**
     * Whether the statement needs the planner: always, unless the session targets one shard by name, or an unsharded
     * keyspace that no routing rule touches, where every statement goes to that keyspace's only shard unchanged —
     * the fast path, with no parsing at all.
     */
    boolean needsPlanner(String sql) {
        if (needsPlanner()) {
            return true;
        }
        Optional<Target> target = session.target();
        return target.isPresent() && target.get().shard().isEmpty()
                && context.keyspaceMentions().otherThan(target.get().keyspace(), sql);
    }

    /** As {@link #needsPlanner(String)} before the statement's text is known. */
    boolean needsPlanner() {
        Optional<Target> target = session.target();
        if (target.isPresent() && target.get().shard().isPresent()) {
            return false;
        }
        if (context.buffer().holding()) {
            return true; // the buffer needs to know which tables a statement touches
        }
        if (!context.planner().snapshot().routingRules().rules().isEmpty()) {
            return true;
        }
        return target.isEmpty() || context.keyspace(target.get().keyspace()).map(Keyspace::sharded)
                .orElse(false);
    }

    /**
     * Which backend serves the session's next statement. Until vindex routing exists, a statement goes to the
     * session's keyspace: the only shard of an unsharded keyspace, or the shard the client named.
     */
    LeaseKey route(StatementKind kind, String sql) {
        Target target = session.target().orElseGet(this::defaultTarget);
        Keyspace keyspace = context.keyspace(target.keyspace())
                .orElseThrow(() -> MySqlError.ER_BAD_DB_ERROR.exception(target.keyspace()));
        String shard;
        if (target.shard().isPresent()) {
            shard = target.shard().get();
        } else if (!keyspace.sharded() || touchesNoTable(kind, sql)) {
            // Statements without tables (SET, SELECT @@var, transaction control) mean the same on every shard.
            shard = keyspace.shards().get(0).name();
        } else {
            throw MySqlError.ER_UNKNOWN_ERROR.exception("keyspace " + keyspace.name() + " is sharded and this"
                    + " statement names no shard: target one with USE `" + keyspace.name() + ":"
                    + keyspace.shards().get(0).name() + "`");
        }
        TabletType type = target.tabletType();
        if (type == TabletType.REPLICA) {
            if (isWrite(kind)) {
                throw MySqlError.ER_UNKNOWN_ERROR.exception("the session targets " + target + ", and writes are not"
                        + " allowed on replicas: USE " + keyspace.name() + " (the primary) to write");
            }
            // Reads inside a transaction see the transaction's own writes: they stay on the primary.
            if (session.inTransaction() && session.leases().containsKey(new LeaseKey(keyspace.name(), shard,
                    TabletType.PRIMARY))) {
                type = TabletType.PRIMARY;
            }
        }
        return new LeaseKey(keyspace.name(), shard, type);
    }

    private static boolean touchesNoTable(StatementKind kind, String sql) {
        return switch (kind) {
            case SET, BEGIN, COMMIT, ROLLBACK -> true;
            case SELECT -> !SqlText.containsWord(sql, "FROM");
            default -> false;
        };
    }

    private Target defaultTarget() {
        // No database selected: statements without tables (SELECT @@version, driver set-up) need some backend;
        // the first keyspace in the config serves them, much as vtgate picks any keyspace for them.
        return Target.primary(context.config().keyspaces().get(0).name());
    }

    static boolean isWrite(StatementKind kind) {
        return switch (kind) {
            case INSERT, UPDATE, DELETE, REPLACE, DDL -> true;
            default -> false;
        };
    }

    /** Sends {@code packet} to the backend for {@code key} and relays its response to the client. */
    void forward(Packet packet, CommandType type, LeaseKey key, StatementKind kind) {
        forward(packet, type, key, kind, null, null);
    }

    /**
     * @param hook       sees the response's first packet before the client does (may be null)
     * @param settingSql a SET statement to record for replay once it succeeds (may be null)
     */
    void forward(Packet packet, CommandType type, LeaseKey key, StatementKind kind, Relay.FirstPacketHook hook,
                 String settingSql) {
        leaseForStatement(key).whenComplete((lease, error) -> onLoop(() -> {
            if (closed) {
                packet.release();
                return;
            }
            if (error != null) {
                packet.release();
                fail(toProtocol(error));
                return;
            }
            running = new Relay(context, frontend, this, session, lease, key, kind, hook, System.nanoTime())
                    .recordingSetting(settingSql);
            session.executing(lease);
            lease.connection().execute(type, packet.payload(), running);
        }));
    }

    /** The session's lease for {@code key}, acquired (and brought to the session's settings) if it has none. */
    CompletableFuture<Backends.Lease> lease(LeaseKey key) {
        Backends.Lease existing = session.leases().get(key);
        if (existing != null && existing.connection().isOpen()) {
            return CompletableFuture.completedFuture(existing);
        }
        if (existing != null) {
            session.leases().remove(key);
            context.backends().release(existing);
        }
        CompletableFuture<Backends.Lease> pending = acquiring.get(key);
        if (pending != null) {
            // A second caller before the first acquisition is recorded gets the same lease: a statement prepared on
            // it (a routed execute prepares first, then forwards) must run on that connection, not on another.
            return pending;
        }
        CompletableFuture<Backends.Lease> acquired = acquire(key);
        if (!acquired.isDone()) {
            acquiring.put(key, acquired);
            acquired.whenComplete((lease, error) -> onLoop(() -> acquiring.remove(key, acquired)));
        }
        return acquired;
    }

    private CompletableFuture<Backends.Lease> acquire(LeaseKey key) {
        return context.backends().acquire(key.keyspace(), key.shard(), key.tabletType(), session.options(), loop)
                .thenCompose(lease -> replaySettings(lease).thenApply(ignored -> lease)
                        .whenComplete((ok, error) -> {
                            if (error != null) {
                                context.backends().release(lease);
                            }
                        }))
                .thenApply(lease -> {
                    onLoop(() -> {
                        if (closed) {
                            context.backends().release(lease);
                        } else {
                            session.leases().put(key, lease);
                        }
                    });
                    return lease;
                });
    }

    /**
     * The lease for {@code key}, first made part of the session's cross-shard transaction if one is open: the
     * backend gets START TRANSACTION before the statement, the first time the transaction touches that shard.
     */
    CompletableFuture<Backends.Lease> leaseForStatement(LeaseKey key) {
        CompletableFuture<Backends.Lease> lease = lease(key);
        if (!session.gatewayTransaction() || !session.join(key)) {
            return lease;
        }
        return lease.thenCompose(l -> l.connection().query("START TRANSACTION").thenApply(ok -> l));
    }

    private CompletableFuture<Void> replaySettings(Backends.Lease lease) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (String sql : session.settings()) {
            chain = chain.thenCompose(ignored -> lease.connection().query(sql).thenApply(result -> null));
        }
        return chain;
    }

    io.netty.buffer.ByteBufAllocator alloc() {
        return frontend.alloc();
    }

    void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    static ProtocolException toProtocol(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof ProtocolException p) {
            return p;
        }
        if (cause instanceof BackendException b) {
            return new ProtocolException(b.errorCode(), b.sqlState(), b.getMessage());
        }
        return MySqlError.ER_UNKNOWN_ERROR.exception(String.valueOf(cause.getMessage()));
    }

    private void setOption(Packet packet) {
        int option = (int) argument(packet, 2);
        packet.release();
        if (session.inTransaction()) {
            fail(MySqlError.ER_UNKNOWN_ERROR.exception("cannot change multi-statement mode inside a transaction"));
            return;
        }
        long caps = session.clientCapabilities();
        caps = option == ComSetOption.MULTI_STATEMENTS_ON ? caps | Capabilities.CLIENT_MULTI_STATEMENTS
                : caps & ~Capabilities.CLIENT_MULTI_STATEMENTS;
        session.clientCapabilities(caps);
        session.options(ClientOptions.of(caps, session.options().charset()));
        // The backends this session holds were opened with the old option; later statements get matching ones.
        releaseLeases();
        if (Capabilities.has(caps, Capabilities.CLIENT_DEPRECATE_EOF)) {
            frontend.write(OkPacket.endOfRows(session.statusFlags(), 0), 1, caps);
        } else {
            frontend.write(new EofPacket(0, session.statusFlags()), 1, caps);
        }
        frontend.ctx().flush();
        done();
    }

    private void statistics() {
        String text = "Uptime: 0  Threads: " + context.sessions().size() + "  Questions: 0  Slow queries: 0"
                + "  Opens: 0  Open tables: 0  Queries per second avg: 0.000";
        var payload = frontend.alloc().buffer().writeBytes(text.getBytes(StandardCharsets.UTF_8));
        frontend.writeRelayed(new Packet(1, payload));
        frontend.ctx().flush();
        done();
    }

    void answer(LocalCommands.Result result) {
        if (result instanceof LocalCommands.Rows rows) {
            frontend.writeResultSet(1, rows.resultSet());
            done();
        } else if (result instanceof LocalCommands.Ok ok) {
            frontend.writeOk(1, ok.affectedRows(), 0, ok.info());
            done();
        } else if (result instanceof LocalCommands.Error error) {
            fail(error.error());
        } else if (result instanceof LocalCommands.Deferred deferred) {
            deferred.answer().whenComplete((answer, e) -> onLoop(() -> {
                if (closed) {
                    return;
                }
                if (e != null) {
                    fail(toProtocol(e));
                } else {
                    answer(answer);
                }
            }));
        }
    }

    void ok() {
        frontend.writeOk(1, 0, 0, "");
        done();
    }

    void fail(ProtocolException e) {
        frontend.writeError(1, e);
        done();
    }

    /** The client can take more bytes again: resume the backend whose reads were paused. */
    void clientWritable() {
        if (running != null) {
            running.resume();
        }
    }

    /** Hands every backend connection back to its pool (which resets or discards it). */
    void releaseLeases() {
        List<Backends.Lease> leases = new ArrayList<>(session.leases().values());
        session.leases().clear();
        leases.forEach(context.backends()::release);
    }

    void close() {
        closed = true;
        if (parked != null && parked.cancel()) {
            parkedDiscard.run();
        }
        parked = null;
        parkedDiscard = null;
        context.buffer().leave(this);
        for (Iterator<Packet> it = queue.iterator(); it.hasNext(); ) {
            it.next().release();
            it.remove();
        }
        releaseLeases();
    }

    /** The session kills its own connection: nothing more is answered. */
    void closing() {
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }

    /** The int&lt;n&gt; argument after the command byte. */
    private static long argument(Packet packet, int bytes) {
        var reader = packet.reader();
        reader.skip(1);
        return bytes == 2 ? reader.int2() : reader.int4();
    }

    private static String text(Packet packet) {
        var payload = packet.payload();
        return payload.toString(payload.readerIndex() + 1, payload.readableBytes() - 1, StandardCharsets.UTF_8);
    }

    /** ALTER VSCHEMA is the gateway's own statement: planned even where everything else takes the fast path. */
    private static boolean isAlterVSchema(StatementKind kind, String sql) {
        return kind == StatementKind.DDL && SqlText.firstKeyword(SqlText.afterFirstKeyword(sql))
                .equalsIgnoreCase("VSCHEMA");
    }

    private static boolean isLoadDataLocal(String sql) {
        String upper = sql.strip().toUpperCase(Locale.ROOT);
        return upper.startsWith("LOAD") && SqlText.containsWord(upper, "LOCAL") && SqlText.containsWord(upper, "DATA");
    }
}
