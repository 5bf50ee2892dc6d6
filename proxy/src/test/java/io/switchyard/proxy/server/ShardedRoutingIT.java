package io.switchyard.proxy.server;

import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import io.switchyard.routing.vindex.Vindex;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Vindex routing through the gateway, on the Vitess demo layout: customer sharded by hash(customer_id). */
@Sandboxed("commerce:0; customer:-80,80-")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShardedRoutingIT {
    private static final String KEYSPACES = """
            keyspaces:
              - name: commerce
                shards:
                  - name: "0"
                    primary: ${sandbox:commerce/0/primary}
                vschema:
                  tables:
                    customer_seq: {type: sequence}
              - name: customer
                sharded: true
                shards:
                  - name: "-80"
                    primary: ${sandbox:customer/-80/primary}
                  - name: "80-"
                    primary: ${sandbox:customer/80-/primary}
                vschema:
                  vindexes:
                    hash: {type: hash}
                  tables:
                    customer:
                      column_vindexes: [{column: customer_id, name: hash}]
                      auto_increment: {column: customer_id, sequence: commerce.customer_seq}
            """;

    private final Sandbox sandbox;
    private GatewayFixture gateway;

    ShardedRoutingIT(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    @BeforeAll
    void start() throws Exception {
        gateway = GatewayFixture.start(sandbox, KEYSPACES, LocalCommands.NONE, GatewayServer.Options.defaults());
        try (Connection c = gateway.mariadb("commerce", "root", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customer_seq (id int, next_id bigint, cache bigint, PRIMARY KEY (id))");
            s.execute("INSERT INTO customer_seq VALUES (0, 1000, 10)");
        }
        try (Connection c = gateway.mariadb("customer", "root", ""); Statement s = c.createStatement()) {
            // DDL on a sharded keyspace runs on every shard.
            s.execute("CREATE TABLE customer (customer_id bigint PRIMARY KEY, email varchar(128))");
            assertEquals(5, s.executeUpdate("INSERT INTO customer (customer_id, email) VALUES (1, 'alice'),"
                    + " (2, 'bob'), (3, 'charlie'), (4, 'dan'), (5, 'eve')"));
        }
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void rowsLandOnTheShardTheirKeyspaceIdBelongsTo() {
        // Vitess's local example: hash(1), hash(2), hash(3), hash(5) are below 0x80, hash(4) above.
        assertEquals(List.of(List.of("1"), List.of("2"), List.of("3"), List.of("5")),
                sandbox.primary("customer", "-80").query("SELECT customer_id FROM customer.customer WHERE customer_id < 100 ORDER BY 1"));
        assertEquals(List.of(List.of("4")),
                sandbox.primary("customer", "80-").query("SELECT customer_id FROM customer.customer WHERE customer_id < 100"));
    }

    @Test
    void aSessionOnAnUnshardedKeyspaceReachesTablesQualifiedWithAnother() throws SQLException {
        // The unsharded fast path must not send `customer.customer` to commerce's server.
        try (Connection c = gateway.mariadb("commerce", "app", "app"); Statement s = c.createStatement()) {
            assertEquals(List.of("5"), column(s, "SELECT COUNT(*) FROM customer.customer WHERE customer_id < 100"));
            assertEquals(List.of("dan"), column(s, "SELECT email FROM `customer`.customer WHERE customer_id = 4"));
            assertEquals(List.of("1"), column(s, "SELECT COUNT(*) FROM customer_seq"));
        }
    }

    @Test
    void singleShardAndScatterQueries() throws SQLException {
        try (Connection c = gateway.mariadb("customer", "app", "app"); Statement s = c.createStatement()) {
            assertEquals(List.of("dan"), column(s, "SELECT email FROM customer WHERE customer_id = 4"));
            assertEquals(List.of("bob", "dan"),
                    column(s, "SELECT email FROM customer WHERE customer_id IN (2, 4) ORDER BY email"));
            assertEquals(List.of("5"), column(s, "SELECT COUNT(*) FROM customer WHERE customer_id < 100"));
            assertEquals(List.of("5", "4"),
                    column(s, "SELECT customer_id FROM customer WHERE customer_id < 100 ORDER BY customer_id DESC"
                            + " LIMIT 2"));
            assertEquals(List.of("1"), column(s, "SELECT MIN(customer_id) FROM customer WHERE customer_id < 100"));
            assertEquals(List.of("5"), column(s, "SELECT MAX(customer_id) FROM customer WHERE customer_id < 100"));
        }
    }

    @Test
    void preparedTransactionControlIsTheGatewaysTransaction() throws SQLException {
        // sysbench prepares BEGIN and COMMIT: they must open and end the gateway's transaction, not one shard's.
        long high = idOnShard(700, true);
        try (Connection c = java.sql.DriverManager.getConnection(gateway.mariadbUrl("customer",
                "user=app&password=app&useServerPrepStmts=true"));
             java.sql.PreparedStatement begin = c.prepareStatement("BEGIN");
             java.sql.PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO customer (customer_id, email) VALUES (?, 'tx')");
             java.sql.PreparedStatement rollback = c.prepareStatement("ROLLBACK");
             java.sql.PreparedStatement commit = c.prepareStatement("COMMIT")) {
            begin.execute();
            insert.setLong(1, high);
            assertEquals(1, insert.executeUpdate());
            rollback.execute();
            assertEquals(List.of(), sandbox.primary("customer", "80-").query(
                    "SELECT email FROM customer.customer WHERE customer_id = " + high), "rolled back on its shard");
            begin.execute();
            assertEquals(1, insert.executeUpdate());
            commit.execute();
            assertEquals(List.of(List.of("tx")), sandbox.primary("customer", "80-").query(
                    "SELECT email FROM customer.customer WHERE customer_id = " + high));
        }
    }

    @Test
    void serverPreparedStatementsRouteEachExecuteByItsParameters() throws SQLException {
        String[] urls = {gateway.mariadbUrl("customer", "user=app&password=app&useServerPrepStmts=true"),
                gateway.mysqlUrl("customer", "user=app&password=app&useServerPrepStmts=true")};
        for (String url : urls) {
            try (Connection c = java.sql.DriverManager.getConnection(url);
                 java.sql.PreparedStatement select = c.prepareStatement(
                         "SELECT email FROM customer WHERE customer_id = ?")) {
                List<String> emails = new ArrayList<>();
                for (long id = 1; id <= 5; id++) {
                    select.setLong(1, id);
                    try (ResultSet rs = select.executeQuery()) {
                        assertTrue(rs.next(), url + " id " + id);
                        emails.add(rs.getString(1));
                    }
                }
                assertEquals(List.of("alice", "bob", "charlie", "dan", "eve"), emails, url);
            }
        }
        long high = idOnShard(500, true);
        try (Connection c = java.sql.DriverManager.getConnection(urls[0]);
             java.sql.PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO customer (customer_id, email) VALUES (?, ?)")) {
            insert.setLong(1, high);
            insert.setString(2, "prepared");
            assertEquals(1, insert.executeUpdate());
        }
        assertEquals(List.of(List.of("prepared")), sandbox.primary("customer", "80-")
                .query("SELECT email FROM customer.customer WHERE customer_id = " + high));
        try (Connection c = gateway.mariadb("customer", "app", "app"); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM customer WHERE customer_id = " + high);
        }
    }

    @Test
    void aggregatesGroupsAndDistinctAreMergedAcrossShards() throws SQLException {
        try (Connection c = gateway.mariadb("customer", "root", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE visit (customer_id bigint, page varchar(16), ms int)");
            s.execute("ALTER VSCHEMA ON customer.visit ADD VINDEX hash(customer_id) USING hash");
            s.executeUpdate("INSERT INTO visit (customer_id, page, ms) VALUES (1, 'home', 10), (2, 'home', 20),"
                    + " (3, 'cart', 30), (4, 'home', 40), (5, 'cart', 50), (4, 'cart', 60)");
            assertEquals(List.of("210"), column(s, "SELECT SUM(ms) FROM visit"));
            assertEquals(List.of("35.0000"), column(s, "SELECT AVG(ms) FROM visit"));
            assertEquals(List.of("cart", "home"), column(s, "SELECT DISTINCT page FROM visit ORDER BY page"));
            List<List<String>> groups = new ArrayList<>();
            try (ResultSet rs = s.executeQuery(
                    "SELECT page, COUNT(*), MAX(ms) FROM visit GROUP BY page ORDER BY page")) {
                while (rs.next()) {
                    groups.add(List.of(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
            assertEquals(List.of(List.of("cart", "3", "60"), List.of("home", "3", "40")), groups);
            assertEquals(List.of("60", "50"), column(s, "SELECT ms FROM visit ORDER BY ms DESC LIMIT 2"));
            assertEquals(List.of("50", "40"), column(s, "SELECT ms FROM visit ORDER BY ms DESC LIMIT 1, 2"));
            // Same-shard join on the vindex column: each shard joins its own rows.
            assertEquals(List.of("dan"), column(s, "SELECT DISTINCT c.email FROM customer c JOIN visit v"
                    + " ON c.customer_id = v.customer_id WHERE v.customer_id = 4"));
            SQLException crossShard = assertThrows(SQLException.class, () -> s.executeQuery(
                    "SELECT c.email FROM customer c JOIN visit v ON c.email = v.page"));
            assertTrue(crossShard.getMessage().toLowerCase().contains("join"), crossShard.getMessage());
        }
    }

    @Test
    void ddlThatFailsOnOneShardSaysWhichShard() throws SQLException {
        sandbox.primary("customer", "80-").execute("CREATE TABLE customer.only_high (a int)");
        try (Connection c = gateway.mariadb("customer", "root", ""); Statement s = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> s.execute("CREATE TABLE only_high (a int)"));
            assertEquals(1050, e.getErrorCode(), e.getMessage());
            assertTrue(e.getMessage().contains("shard 80-"), e.getMessage());
        }
    }

    @Test
    void anInsertWithoutTheIdTakesOneFromTheSequence() throws SQLException {
        try (Connection c = gateway.mariadb("customer", "app", "app"); Statement s = c.createStatement()) {
            assertEquals(1, s.executeUpdate("INSERT INTO customer (email) VALUES ('frank')",
                    Statement.RETURN_GENERATED_KEYS));
            long id;
            try (ResultSet keys = s.getGeneratedKeys()) {
                assertTrue(keys.next());
                id = keys.getLong(1);
            }
            assertTrue(id >= 1000, "id from customer_seq: " + id);
            assertEquals(List.of(Long.toString(id)), column(s, "SELECT LAST_INSERT_ID()"));
            assertEquals(List.of("frank"), column(s, "SELECT email FROM customer WHERE customer_id = " + id));
        }
    }

    @Test
    void whatCannotBeAnsweredCorrectlyIsRefused() throws SQLException {
        try (Connection c = gateway.mariadb("customer", "app", "app"); Statement s = c.createStatement()) {
            SQLException vindex = assertThrows(SQLException.class,
                    () -> s.executeUpdate("UPDATE customer SET customer_id = 9 WHERE customer_id = 1"));
            assertTrue(vindex.getMessage().contains("customer_id"), vindex.getMessage());
            SQLException noVindex = assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM audit"));
            assertTrue(noVindex.getMessage().contains("ALTER VSCHEMA"), noVindex.getMessage());
        }
    }

    @Test
    void globalRoutingFindsTheKeyspaceOfAnUnqualifiedTable() throws SQLException {
        try (Connection c = gateway.mariadb("", "app", "app"); Statement s = c.createStatement()) {
            assertEquals(List.of("eve"), column(s, "SELECT email FROM customer WHERE customer_id = 5"));
        }
    }

    @Test
    void alterVSchemaNeedsAnAdminAndThenRoutesTheTable() throws SQLException {
        try (Connection c = gateway.mariadb("customer", "app", "app"); Statement s = c.createStatement()) {
            SQLException denied = assertThrows(SQLException.class,
                    () -> s.execute("ALTER VSCHEMA ON customer.corder ADD VINDEX hash(customer_id) USING hash"));
            assertEquals(1227, denied.getErrorCode());
        }
        try (Connection c = gateway.mariadb("customer", "root", ""); Statement s = c.createStatement()) {
            s.execute("ALTER VSCHEMA ON customer.corder ADD VINDEX hash(customer_id) USING hash");
            s.execute("CREATE TABLE corder (order_id bigint PRIMARY KEY, customer_id bigint, sku varchar(64))");
            s.executeUpdate("INSERT INTO corder (order_id, customer_id, sku) VALUES (1, 4, 'SKU-1'), (2, 1, 'SKU-2')");
            assertEquals(List.of("SKU-1"), column(s, "SELECT sku FROM corder WHERE customer_id = 4"));
        }
        assertEquals(List.of(List.of("1")),
                sandbox.primary("customer", "80-").query("SELECT order_id FROM customer.corder"));
    }

    @Test
    void aTransactionSpansShardsAndCommitsOrRollsBackOnEach() throws SQLException {
        long low = idOnShard(100, false);
        long high = idOnShard(100, true);
        String both = "customer_id IN (" + low + ", " + high + ")";
        try (Connection c = gateway.mariadb("customer", "app", "app"); Statement s = c.createStatement()) {
            s.execute("BEGIN");
            s.executeUpdate("INSERT INTO customer (customer_id, email) VALUES (" + low + ", 'low'), (" + high
                    + ", 'high')");
            assertEquals(List.of("2"), column(s, "SELECT COUNT(*) FROM customer WHERE " + both));
            s.execute("ROLLBACK");
            assertEquals(List.of("0"), column(s, "SELECT COUNT(*) FROM customer WHERE " + both));

            s.execute("BEGIN");
            s.executeUpdate("INSERT INTO customer (customer_id, email) VALUES (" + low + ", 'low'), (" + high
                    + ", 'high')");
            s.execute("COMMIT");
        }
        assertEquals(List.of(List.of(Long.toString(low))),
                sandbox.primary("customer", "-80").query("SELECT customer_id FROM customer.customer WHERE " + both));
        assertEquals(List.of(List.of(Long.toString(high))),
                sandbox.primary("customer", "80-").query("SELECT customer_id FROM customer.customer WHERE " + both));
        try (Connection c = gateway.mariadb("customer", "app", "app"); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM customer WHERE " + both);
        }
    }

    /** The first id from {@code from} whose keyspace id (Vitess hash) is in 80- when {@code high}, else in -80. */
    private static long idOnShard(long from, boolean high) {
        Vindex hash = Vindex.of("hash");
        for (long id = from; ; id++) {
            boolean isHigh = (hash.keyspaceId(id)[0] & 0x80) != 0;
            if (isHigh == high) {
                return id;
            }
        }
    }

    private static List<String> column(Statement s, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
