package io.switchyard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Records built in code (as other modules' tests do) obey the same rules as loaded ones. */
class RecordsTest {

    private static String error(Runnable r) {
        return assertThrows(ConfigException.class, r::run).getMessage();
    }

    @Test
    void endpointParsing() {
        assertEquals(new Endpoint("db-1.internal", 3306), Endpoint.parse("db-1.internal:3306"));
        assertEquals(new Endpoint("::1", 3306), Endpoint.parse("[::1]:3306"));
        assertEquals("[::1]:3306", Endpoint.parse("[::1]:3306").toString());
        assertEquals("127.0.0.1:3306", new Endpoint("127.0.0.1", 3306).toString());
        assertEquals("\"::1:3306\" is not host:port (e.g. 127.0.0.1:3306)", error(() -> Endpoint.parse("::1:3306")));
        assertEquals("\":3306\" is not host:port (e.g. 127.0.0.1:3306)", error(() -> Endpoint.parse(":3306")));
        assertEquals("\"h:65536\": \"65536\" is not a port number (1..65535)", error(() -> Endpoint.parse("h:65536")));
        assertEquals("\"a b:1\": host \"a b\" is not a host name or IP address", error(() -> Endpoint.parse("a b:1")));
    }

    @Test
    void topologyDsn() {
        Topology t = Topology.parse("mariadb://sw%40admin:p%2Bw+d@db.internal:3307/topo");
        assertEquals(new Endpoint("db.internal", 3307), t.endpoint());
        assertEquals("sw@admin", t.user());
        assertEquals("p+w+d", t.password(), "+ is not a space outside HTML forms");
        assertEquals("topo", t.database());
        assertEquals("Topology[dsn=mariadb://sw%40admin:***@db.internal:3307/topo]", t.toString());
        assertEquals("dsn: \"mysql://127.0.0.1:3306/t\" has no user; "
                + "expected mysql://user[:password]@host:port/database",
                error(() -> Topology.parse("mysql://127.0.0.1:3306/t")));
        assertEquals("dsn: \"mysql://u:***@h:1\" has no database; expected mysql://user[:password]@host:port/database",
                error(() -> Topology.parse("mysql://u:secret@h:1")));
        assertEquals("dsn: \"mysql://u:***@h:1/t?ssl=true\" has a path or query parameters after the database; "
                + "expected mysql://user[:password]@host:port/database",
                error(() -> Topology.parse("mysql://u:x@h:1/t?ssl=true")));
        assertEquals("dsn: \"mysql://u:***@h:1/t\": bad percent-encoding in the password (write %25 for a literal %)",
                error(() -> Topology.parse("mysql://u:10%@h:1/t")));
    }

    @Test
    void constructorsValidate() {
        assertEquals("mysql_port: \"0\" is not a port number (1..65535)",
                error(() -> new Listeners("127.0.0.1", 0, 15000, 1 << 20, Optional.empty())));
        assertEquals("pool_max_size: \"0\" is too small; a pool needs at least 1 connection\n"
                + "connect_timeout: \"-1s\" must be longer than zero",
                error(() -> new Backend(0, Duration.ofSeconds(1), Duration.ofSeconds(-1), Duration.ofSeconds(1),
                        false)));
        Shard a = Shard.of("-80", new Endpoint("h", 1), List.of());
        Shard b = Shard.of("c0-", new Endpoint("h", 2), List.of());
        assertEquals("shards: gap between \"-80\" and \"c0-\" (keyspace ids 80..c0 belong to no shard)",
                error(() -> new Keyspace("customer", true, "customer", Credentials.DEFAULT, BackendTls.DISABLED,
                        List.of(a, b), VSchema.EMPTY)));
        assertEquals("replicas[0]: \"h:1\" is also the shard's primary",
                error(() -> Shard.of("0", new Endpoint("h", 1), List.of(new Endpoint("h", 1)))));
        assertEquals("name: \"-80\" does not match key range 80-",
                error(() -> new Shard("-80", KeyRange.parse("80-"), new Endpoint("h", 1), List.of())));
        assertEquals("column_vindexes: a sequence table has no column vindexes",
                error(() -> new Table("seq", TableType.SEQUENCE, List.of(new ColumnVindex("id", "hash")),
                        Optional.empty())));
        assertEquals("vindexes.a: is keyed by a different name than its vindex \"b\"",
                error(() -> new VSchema(Map.of("a", new Vindex("b", VindexType.HASH)), Map.of())));
    }

    @Test
    void durations() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofSeconds(10), Durations.parse("10s"));
        assertEquals(Duration.ofMinutes(5), Durations.parse("5m"));
        assertEquals(Duration.ofHours(1), Durations.parse("1h"));
        assertEquals("\"1.5s\" is not a duration; write a whole number and a unit: 500ms, 10s, 5m or 1h",
                error(() -> Durations.parse("1.5s")));
        assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
        assertEquals("2m", Durations.format(Duration.ofSeconds(120)));
    }
}
