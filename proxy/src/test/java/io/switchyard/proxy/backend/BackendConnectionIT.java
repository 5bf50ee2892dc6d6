package io.switchyard.proxy.backend;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.proxy.codec.Capabilities;
import io.switchyard.proxy.codec.ColumnType;
import io.switchyard.proxy.codec.Collations;
import io.switchyard.proxy.codec.CommandType;
import io.switchyard.proxy.codec.Packet;
import io.switchyard.proxy.codec.ServerStatus;
import io.switchyard.proxy.packet.MySqlPacket;
import io.switchyard.proxy.packet.command.ComFieldList;
import io.switchyard.proxy.packet.command.ParamType;
import io.switchyard.proxy.packet.command.StatementCommand;
import io.switchyard.proxy.packet.command.StmtExecute;
import io.switchyard.proxy.packet.command.StmtFetch;
import io.switchyard.proxy.packet.command.StmtPrepareOk;
import io.switchyard.proxy.packet.command.TextCommand;
import io.switchyard.proxy.packet.generic.ErrPacket;
import io.switchyard.proxy.packet.generic.OkPacket;
import io.switchyard.proxy.packet.resultset.BinaryRow;
import io.switchyard.proxy.packet.resultset.ColumnCount;
import io.switchyard.proxy.packet.resultset.ColumnDefinition41;
import io.switchyard.proxy.packet.resultset.ResultRow;
import io.switchyard.proxy.session.TabletType;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backend connections against a real MariaDB: authentication, and every kind of response relayed packet by packet
 * and checked by decoding the relayed bytes.
 */
@Sandboxed("commerce:0+1")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackendConnectionIT {
    private static final long PLAIN = 0;
    private static final long MULTI = Capabilities.CLIENT_MULTI_STATEMENTS | Capabilities.CLIENT_MULTI_RESULTS;

    private final BackendFixture fixture = new BackendFixture();
    private Sandbox sandbox;
    private Backends backends;
    private final List<Backends.Lease> leases = new ArrayList<>();

    @BeforeAll
    void start(Sandbox sandbox) {
        this.sandbox = sandbox;
        sandbox.primary("commerce", "0").execute(
                "CREATE TABLE commerce.product (id INT PRIMARY KEY, name VARCHAR(40), price DECIMAL(8,2))",
                "INSERT INTO commerce.product VALUES (1, 'apple', 1.50), (2, NULL, 0.99), (3, 'kiwi \u00e9', NULL)");
        backends = fixture.backends(BackendFixture.config(sandbox, ""));
    }

    @AfterEach
    void releaseLeases() {
        leases.forEach(backends::release);
        leases.clear();
    }

    @AfterAll
    void stop() {
        backends.close();
        fixture.close();
    }

    @Test
    void connectsAndAuthenticatesAsRoot() throws Exception {
        BackendConnection connection = acquire(PLAIN);
        assertTrue(connection.serverVersion().contains("MariaDB"), connection.serverVersion());
        assertTrue(connection.threadId() > 0);
        long caps = connection.capabilities();
        assertTrue(Capabilities.has(caps, Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_MYSQL
                | Capabilities.CLIENT_PLUGIN_AUTH | Capabilities.CLIENT_CONNECT_WITH_DB), Capabilities.names(caps));
        assertEquals(0, caps >>> 32, "MariaDB extended capabilities are never negotiated");
        assertEquals("1", connection.query("SELECT 1").get(5, TimeUnit.SECONDS).singleValue());
        assertEquals("commerce", connection.query("SELECT DATABASE()").get(5, TimeUnit.SECONDS).singleValue());
        assertEquals("utf8mb4_general_ci", connection.query("SELECT @@collation_connection")
                .get(5, TimeUnit.SECONDS).singleValue(), "the charset of the client's options");
    }

    @Test
    void theConnectionUsesTheClientsCharset() throws Exception {
        Backends.Lease lease = backends.acquire("commerce", "0", TabletType.PRIMARY,
                ClientOptions.of(0, Collations.LATIN1_SWEDISH_CI), fixture.group.next()).get(5, TimeUnit.SECONDS);
        leases.add(lease);
        assertEquals(List.of("latin1", "latin1_swedish_ci"), lease.connection().query(
                "SELECT @@character_set_client, @@collation_connection").get(5, TimeUnit.SECONDS).rows().get(0));
    }

    @Test
    void selectOneIsRelayedPacketByPacket() throws Exception {
        List<Collected.Received> packets = run(acquire(PLAIN), CommandType.COM_QUERY, TextCommand.query("SELECT 1"));
        // column count, definition, EOF, row, EOF
        assertEquals(5, packets.size());
        for (int i = 0; i < packets.size(); i++) {
            assertEquals(i + 1, packets.get(i).sequenceId());
            assertEquals(i == 4, packets.get(i).last());
        }
        assertEquals("1", ResultRow.read(packets.get(3).reader(), 1).string(0));
        assertTrue(ServerStatus.has(packets.get(4).statusFlags(), ServerStatus.SERVER_STATUS_AUTOCOMMIT));
    }

    @Test
    void multiRowResultDecodesToTheRows() throws Exception {
        for (long options : new long[] {PLAIN, Capabilities.CLIENT_DEPRECATE_EOF}) {
            BackendConnection connection = acquire(options);
            assertEquals(options, connection.capabilities() & Capabilities.CLIENT_DEPRECATE_EOF, "negotiated");
            List<Collected.Received> packets = run(connection, CommandType.COM_QUERY,
                    TextCommand.query("SELECT id, name, price FROM product ORDER BY id"));
            List<List<String>> rows = textRows(packets, connection.capabilities());
            assertEquals(List.of(Arrays.asList("1", "apple", "1.50"), Arrays.asList("2", null, "0.99"),
                    Arrays.asList("3", "kiwi \u00e9", null)), rows, "options " + Capabilities.names(options));
        }
    }

    @Test
    void multiStatementsGiveTwoResultsAndOnlyTheFinalPacketIsLast() throws Exception {
        BackendConnection connection = acquire(MULTI);
        List<Collected.Received> packets = run(connection, CommandType.COM_QUERY,
                TextCommand.query("SELECT 1 AS a; SELECT 2 AS b, 3 AS c"));
        // result 1: count, def, EOF, row, EOF(more); result 2: count, 2 defs, EOF, row, EOF
        assertEquals(11, packets.size());
        assertEquals(-1, packets.get(4).statusFlags(), "not last: no status reported");
        assertTrue(ServerStatus.has(eofStatus(packets.get(4)), ServerStatus.SERVER_MORE_RESULTS_EXISTS));
        for (int i = 0; i < packets.size(); i++) {
            assertEquals(i == packets.size() - 1, packets.get(i).last(), "packet " + i);
        }
        assertFalse(ServerStatus.has(packets.get(10).statusFlags(), ServerStatus.SERVER_MORE_RESULTS_EXISTS));
        assertEquals(List.of("2", "3"), ResultRow.read(packets.get(9).reader(), 2).values().stream()
                .map(v -> new String(v, StandardCharsets.UTF_8)).toList());
    }

    @Test
    void preparedStatementRoundTrip() throws Exception {
        BackendConnection connection = acquire(PLAIN);
        List<Collected.Received> prepare = run(connection, CommandType.COM_STMT_PREPARE,
                TextCommand.prepare("SELECT id + ? AS a, name FROM product WHERE id = ?"));
        StmtPrepareOk ok = StmtPrepareOk.read(prepare.get(0).reader(), connection.capabilities());
        assertEquals(2, ok.paramCount());
        assertEquals(2, ok.columnCount());
        assertEquals(1 + 2 + 1 + 2 + 1, prepare.size(), "PREPARE_OK, params, EOF, columns, EOF");
        assertTrue(prepare.get(prepare.size() - 1).last());

        StmtExecute execute = new StmtExecute(ok.statementId(), StmtExecute.CURSOR_TYPE_NO_CURSOR, 1, true,
                List.of(ParamType.of(ColumnType.LONGLONG), ParamType.of(ColumnType.LONGLONG)), List.of(10L, 1L));
        List<Collected.Received> result = run(connection, CommandType.COM_STMT_EXECUTE, execute);
        List<ColumnDefinition41> columns = List.of(column(result.get(1), connection),
                column(result.get(2), connection));
        BinaryRow row = BinaryRow.read(result.get(4).reader(), columns);
        assertEquals("11", String.valueOf(row.values().get(0)));
        assertEquals("apple", new String((byte[]) row.values().get(1), StandardCharsets.UTF_8));
        assertTrue(result.get(5).last());

        connection.send(StatementCommand.close(ok.statementId()).encode(ByteBufAllocator.DEFAULT, 0));
        List<Collected.Received> again = run(connection, CommandType.COM_STMT_EXECUTE, execute);
        assertEquals(1, again.size());
        assertEquals(1243, again.get(0).errorCode(), "unknown prepared statement handler after close");
    }

    @Test
    void prepareWithDeprecateEofHasNoEofPackets() throws Exception {
        BackendConnection connection = acquire(Capabilities.CLIENT_DEPRECATE_EOF);
        List<Collected.Received> prepare = run(connection, CommandType.COM_STMT_PREPARE,
                TextCommand.prepare("SELECT name, price FROM product WHERE id = ?"));
        assertEquals(1 + 1 + 2, prepare.size(), "PREPARE_OK, one parameter, two columns");
        assertTrue(prepare.get(3).last());
    }

    @Test
    void cursorExecuteEndsAfterTheColumnsAndFetchReturnsTheRows() throws Exception {
        for (long options : new long[] {PLAIN, Capabilities.CLIENT_DEPRECATE_EOF}) {
            cursorRoundTrip(acquire(options));
        }
    }

    private static void cursorRoundTrip(BackendConnection connection) throws Exception {
        StmtPrepareOk ok = StmtPrepareOk.read(run(connection, CommandType.COM_STMT_PREPARE,
                TextCommand.prepare("SELECT id FROM product ORDER BY id")).get(0).reader(), 0);
        List<Collected.Received> opened = run(connection, CommandType.COM_STMT_EXECUTE, new StmtExecute(
                ok.statementId(), StmtExecute.CURSOR_TYPE_READ_ONLY, 1, false, List.of(), List.of()));
        assertEquals(3, opened.size(), "column count, definition, EOF (or OK-0xFE) with CURSOR_EXISTS");
        assertTrue(ServerStatus.has(opened.get(2).statusFlags(), ServerStatus.SERVER_STATUS_CURSOR_EXISTS));

        List<Collected.Received> first = run(connection, CommandType.COM_STMT_FETCH, new StmtFetch(ok.statementId(),
                2));
        assertEquals(3, first.size(), "two rows and an EOF");
        List<Collected.Received> rest = run(connection, CommandType.COM_STMT_FETCH, new StmtFetch(ok.statementId(),
                10));
        assertEquals(2, rest.size(), "the last row and an EOF");
        assertTrue(ServerStatus.has(rest.get(1).statusFlags(), ServerStatus.SERVER_STATUS_LAST_ROW_SENT));
        assertEquals("1", connection.query("SELECT 1").get(5, TimeUnit.SECONDS).singleValue(), "still in sync");
    }

    @Test
    void anErrIsTheWholeResponseAndTheConnectionStaysUsable() throws Exception {
        BackendConnection connection = acquire(PLAIN);
        List<Collected.Received> packets = run(connection, CommandType.COM_QUERY,
                TextCommand.query("SELECT * FROM no_such_table"));
        assertEquals(1, packets.size());
        assertTrue(packets.get(0).last());
        ErrPacket err = ErrPacket.read(packets.get(0).reader(), connection.capabilities());
        assertEquals(1146, err.errorCode());
        assertEquals("42S02", err.sqlState());

        ExecutionException e = assertThrows(ExecutionException.class,
                () -> connection.query("SELECT * FROM no_such_table").get(5, TimeUnit.SECONDS));
        BackendException cause = assertInstanceOf(BackendException.class, e.getCause());
        assertEquals(BackendException.Kind.SERVER_ERROR, cause.kind());
        assertEquals(1146, cause.errorCode());
        assertEquals("2", connection.query("SELECT 2").get(5, TimeUnit.SECONDS).singleValue());
    }

    @Test
    void simpleCommandsAndFieldList() throws Exception {
        BackendConnection connection = acquire(PLAIN);
        assertEquals(OkPacket.HEADER, single(connection, CommandType.COM_PING, raw(CommandType.COM_PING)).header());
        Collected.Received statistics = single(connection, CommandType.COM_STATISTICS,
                raw(CommandType.COM_STATISTICS));
        assertTrue(new String(statistics.payload(), StandardCharsets.US_ASCII).startsWith("Uptime"));
        assertEquals(OkPacket.HEADER, single(connection, CommandType.COM_INIT_DB, TextCommand.initDb("commerce"))
                .header());
        List<Collected.Received> fields = run(connection, CommandType.COM_FIELD_LIST,
                new ComFieldList("product", ""));
        assertEquals(4, fields.size(), "three column definitions and an EOF");
        assertEquals("name", ColumnDefinition41.read(fields.get(1).reader(), connection.capabilities()).name());
    }

    @Test
    void localInfileRelaysTheClientsFile() throws Exception {
        sandbox.primary("commerce", "0").execute("CREATE TABLE commerce.loaded (id INT, word VARCHAR(10))");
        BackendConnection connection = acquire(Capabilities.CLIENT_LOCAL_FILES);
        Collected collected = new Collected(c -> {
            connection.sendLocalInfileData(new Packet(0, Unpooled.copiedBuffer("1,one\n2,two\n3,three\n",
                    StandardCharsets.UTF_8)));
            connection.sendLocalInfileData(new Packet(0, Unpooled.EMPTY_BUFFER));
        });
        connection.execute(CommandType.COM_QUERY, TextCommand.query("LOAD DATA LOCAL INFILE 'words.csv' INTO TABLE"
                + " loaded FIELDS TERMINATED BY ','").encode(ByteBufAllocator.DEFAULT, 0), collected);
        List<Collected.Received> packets = collected.await();
        assertEquals(1, collected.localInfileRequests());
        assertEquals(2, packets.size(), "the 0xFB request and the final OK");
        assertEquals(0xFB, packets.get(0).header());
        assertEquals(3, OkPacket.read(packets.get(1).reader(), connection.capabilities()).affectedRows());
        assertEquals(4, packets.get(1).sequenceId(), "request 1, data 2, empty 3, OK 4");
    }

    @Test
    void killQueryInterruptsALongQuery() throws Exception {
        Backends.Lease lease = lease(PLAIN);
        Collected collected = new Collected();
        long started = System.nanoTime();
        lease.connection().execute(CommandType.COM_QUERY, TextCommand.query("SELECT SLEEP(10), id FROM product")
                .encode(ByteBufAllocator.DEFAULT, 0), collected);
        Thread.sleep(300);
        backends.killQuery(lease).get(5, TimeUnit.SECONDS);
        List<Collected.Received> packets = collected.await();
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) < 5, "interrupted promptly");
        Collected.Received last = packets.get(packets.size() - 1);
        assertEquals(ErrPacket.HEADER, last.header());
        assertEquals(1317, last.errorCode(), "Query execution was interrupted");
        assertEquals("3", lease.connection().query("SELECT 3").get(5, TimeUnit.SECONDS).singleValue());
    }

    @Test
    void aUserWithANativePasswordAuthenticates() throws Exception {
        sandbox.primary("commerce", "0").execute(
                "CREATE USER 'app'@'%' IDENTIFIED VIA mysql_native_password USING PASSWORD('app-pw')",
                "GRANT ALL ON commerce.* TO 'app'@'%'");
        String primary = sandbox.primary("commerce", "0").address();
        SwitchyardConfig good = BackendFixture.config("", "credentials: {user: app, password: app-pw}", primary,
                List.of());
        try (Backends appBackends = fixture.backends(good)) {
            Backends.Lease lease = appBackends.acquire("commerce", "0", TabletType.PRIMARY, options(PLAIN),
                    fixture.group.next()).get(5, TimeUnit.SECONDS);
            assertEquals("app@%", lease.connection().query("SELECT CURRENT_USER()").get(5, TimeUnit.SECONDS)
                    .singleValue());
            appBackends.release(lease);
        }
        SwitchyardConfig bad = BackendFixture.config("", "credentials: {user: app, password: wrong}", primary,
                List.of());
        try (Backends badBackends = fixture.backends(bad)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> badBackends.acquire("commerce", "0",
                    TabletType.PRIMARY, options(PLAIN), fixture.group.next()).get(5, TimeUnit.SECONDS));
            BackendException cause = assertInstanceOf(BackendException.class, e.getCause());
            assertEquals(BackendException.Kind.AUTH_REFUSED, cause.kind());
            assertEquals(1045, cause.errorCode());
            assertEquals("28000", cause.sqlState());
            assertTrue(cause.getMessage().startsWith("keyspace commerce shard 0 primary " + primary
                    + " is unavailable: user 'app' was refused: Access denied for user 'app'"), cause.getMessage());
        }
    }

    @Test
    void probeServerVersionReturnsTheBackendsVersion() {
        assertTrue(backends.probeServerVersion(java.time.Duration.ofSeconds(5)).orElseThrow().contains("MariaDB"));
    }

    private BackendConnection acquire(long options) throws Exception {
        return lease(options).connection();
    }

    private Backends.Lease lease(long options) throws Exception {
        Backends.Lease lease = backends.acquire("commerce", "0", TabletType.PRIMARY, options(options),
                fixture.group.next()).get(5, TimeUnit.SECONDS);
        leases.add(lease);
        return lease;
    }

    private static ClientOptions options(long bits) {
        return ClientOptions.of(bits, Collations.UTF8MB4_GENERAL_CI);
    }

    private static List<Collected.Received> run(BackendConnection connection, CommandType command, MySqlPacket packet)
            throws Exception {
        Collected collected = new Collected();
        connection.execute(command, packet.encode(ByteBufAllocator.DEFAULT, connection.capabilities()), collected);
        return collected.await();
    }

    private static Collected.Received single(BackendConnection connection, CommandType command, MySqlPacket packet)
            throws Exception {
        List<Collected.Received> packets = run(connection, command, packet);
        assertEquals(1, packets.size());
        assertTrue(packets.get(0).last());
        return packets.get(0);
    }

    /** A packet that is only its command byte. */
    private static MySqlPacket raw(CommandType command) {
        return new io.switchyard.proxy.packet.command.SimpleCommand(command);
    }

    private static ColumnDefinition41 column(Collected.Received packet, BackendConnection connection) {
        return ColumnDefinition41.read(packet.reader(), connection.capabilities());
    }

    private static int eofStatus(Collected.Received eof) {
        return (eof.payload()[3] & 0xFF) | (eof.payload()[4] & 0xFF) << 8;
    }

    /** Decodes a relayed text result set: count, definitions, [EOF], rows, end. */
    private static List<List<String>> textRows(List<Collected.Received> packets, long caps) {
        int columns = (int) ColumnCount.read(packets.get(0).reader(), caps).count();
        int first = 1 + columns + (Capabilities.has(caps, Capabilities.CLIENT_DEPRECATE_EOF) ? 0 : 1);
        List<List<String>> rows = new ArrayList<>();
        for (int i = first; i < packets.size() - 1; i++) {
            ResultRow row = ResultRow.read(packets.get(i).reader(), columns);
            List<String> values = new ArrayList<>();
            for (int c = 0; c < columns; c++) {
                values.add(row.string(c));
            }
            rows.add(values);
        }
        assertTrue(packets.get(packets.size() - 1).last());
        return rows;
    }

}
