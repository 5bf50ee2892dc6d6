package io.switchyard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    /** The full shape of the documented schema: unsharded commerce holding the sequence, sharded customer. */
    static final String GOOD = """
            listeners:
              bind_address: 0.0.0.0
              mysql_port: 15306
              http_port: 15000
              max_packet_size: 16777216
              tls:
                cert: /etc/switchyard/cert.pem
                key: /etc/switchyard/key.pem
            users:
              - name: root
                password: ""
                role: admin
              - name: app
                password: ${env:APP_PASSWORD}
                role: app
            topology:
              dsn: "mysql://root:@127.0.0.1:3306/switchyard_topo"
            backend:
              pool_max_size: 32
              pool_idle_timeout: 5m
              connect_timeout: 500ms
              health_check_interval: 2s
              replica_fallback_to_primary: true
            keyspaces:
              - name: commerce
                shards:
                  - name: "0"
                    primary: 127.0.0.1:3306
                    replicas: [127.0.0.1:3307]
                vschema:
                  tables:
                    customer_seq: {type: sequence}
                    product:
              - name: customer
                sharded: true
                database: customer_db
                credentials: {user: switchyard, password: s3cret}
                tls: {mode: verify_ca, ca: /etc/switchyard/ca.pem}
                shards:
                  - name: "-80"
                    primary: 127.0.0.1:3310
                  - name: "80-"
                    primary: 127.0.0.1:3311
                    replicas: [127.0.0.1:3312, "[::1]:3313"]
                vschema:
                  vindexes:
                    hash: {type: hash}
                    xx: {type: xxhash}
                  tables:
                    customer:
                      column_vindexes: [{column: customer_id, name: hash}]
                      auto_increment: {column: customer_id, sequence: commerce.customer_seq}
                    corder:
                      column_vindexes:
                        - {column: customer_id, name: hash}
                        - {column: sku, name: xx}
                      auto_increment: {column: order_id, sequence: customer_seq}
            """;

    /** The smallest valid config, to which the bad cases below add one mistake each. */
    static final String MINIMAL = """
            users:
              - {name: root, password: "", role: admin}
            topology:
              dsn: "mysql://root:@127.0.0.1:3306/switchyard_topo"
            keyspaces:
              - name: commerce
                shards:
                  - {name: "0", primary: 127.0.0.1:3306}
            """;

    static final PlaceholderResolver ENV = PlaceholderResolver.environment(Map.of("APP_PASSWORD", "app"));

    @Test
    void fullConfigLoadsToTheExpectedRecords() {
        SwitchyardConfig config = ConfigLoader.parse(GOOD, ENV);

        assertEquals(new Listeners("0.0.0.0", 15306, 15000, 16_777_216,
                Optional.of(new ServerTls(Path.of("/etc/switchyard/cert.pem"), Path.of("/etc/switchyard/key.pem")))),
                config.listeners());
        assertEquals(List.of(new User("root", "", User.Role.ADMIN), new User("app", "app", User.Role.APP)),
                config.users());
        assertEquals(new Topology("mysql://root:@127.0.0.1:3306/switchyard_topo", new Endpoint("127.0.0.1", 3306),
                "root", "", "switchyard_topo"), config.topology());
        assertEquals(new Backend(32, Duration.ofMinutes(5), Duration.ofMillis(500), Duration.ofSeconds(2), true),
                config.backend());

        Keyspace commerce = config.keyspace("commerce").orElseThrow();
        assertEquals(new Keyspace("commerce", false, "commerce", Credentials.DEFAULT, BackendTls.DISABLED,
                List.of(new Shard("0", KeyRange.FULL, new Endpoint("127.0.0.1", 3306),
                        List.of(new Endpoint("127.0.0.1", 3307)))),
                new VSchema(Map.of(), Map.of(
                        "customer_seq", new Table("customer_seq", TableType.SEQUENCE, List.of(), Optional.empty()),
                        "product", new Table("product", TableType.NORMAL, List.of(), Optional.empty())))),
                commerce);

        Keyspace customer = config.keyspace("customer").orElseThrow();
        assertTrue(customer.sharded());
        assertEquals("customer_db", customer.database());
        assertEquals(new Credentials("switchyard", "s3cret"), customer.credentials());
        assertEquals(new BackendTls(BackendTls.Mode.VERIFY_CA, Optional.of(Path.of("/etc/switchyard/ca.pem"))),
                customer.tls());
        assertEquals(List.of(
                new Shard("-80", new KeyRange("", "80"), new Endpoint("127.0.0.1", 3310), List.of()),
                new Shard("80-", new KeyRange("80", ""), new Endpoint("127.0.0.1", 3311),
                        List.of(new Endpoint("127.0.0.1", 3312), new Endpoint("::1", 3313)))),
                customer.shards());
        assertEquals(List.of("hash", "xx"), List.copyOf(customer.vschema().vindexes().keySet()), "YAML order kept");
        assertEquals(new Vindex("xx", VindexType.XXHASH), customer.vschema().vindex("xx").orElseThrow());
        assertEquals(new Table("customer", TableType.NORMAL, List.of(new ColumnVindex("customer_id", "hash")),
                Optional.of(new AutoIncrement("customer_id", "commerce.customer_seq"))),
                customer.vschema().table("customer").orElseThrow());
        Table corder = customer.vschema().table("corder").orElseThrow();
        assertEquals(List.of(new ColumnVindex("customer_id", "hash"), new ColumnVindex("sku", "xx")),
                corder.columnVindexes());
        assertEquals(Optional.of("commerce.customer_seq"),
                config.resolveSequence(corder.autoIncrement().orElseThrow().sequence()));
        assertEquals(Optional.empty(), config.keyspace("nope"));
    }

    @Test
    void defaultsApplyWhenSectionsAreLeftOut() {
        SwitchyardConfig config = ConfigLoader.parse(MINIMAL, PlaceholderResolver.none());

        assertEquals(Listeners.defaults(), config.listeners());
        assertEquals(new Listeners("127.0.0.1", 15306, 15000, 64L * 1024 * 1024, Optional.empty()),
                config.listeners());
        assertEquals(Backend.defaults(), config.backend());
        assertEquals(new Backend(64, Duration.ofSeconds(60), Duration.ofSeconds(2), Duration.ofSeconds(2), false),
                config.backend());
        Keyspace commerce = config.keyspaces().get(0);
        assertEquals("commerce", commerce.database());
        assertFalse(commerce.sharded());
        assertEquals(new Credentials("root", ""), commerce.credentials());
        assertEquals(BackendTls.Mode.DISABLED, commerce.tls().mode());
        assertEquals(VSchema.EMPTY, commerce.vschema());
    }

    @Test
    void recordsAreImmutable() {
        SwitchyardConfig config = ConfigLoader.parse(GOOD, ENV);
        assertThrows(UnsupportedOperationException.class, () -> config.users().clear());
        assertThrows(UnsupportedOperationException.class,
                () -> config.keyspaces().get(1).vschema().tables().clear());
        assertThrows(UnsupportedOperationException.class, () -> config.keyspaces().get(1).shards().clear());
    }

    @Test
    void secretsStayOutOfToString() {
        SwitchyardConfig config = ConfigLoader.parse(GOOD.replace("root:@127", "root:hunter2@127"), ENV);
        String text = config.toString();
        assertFalse(text.contains("hunter2"), text);
        assertFalse(text.contains("s3cret"), text);
        assertTrue(text.contains("mysql://root:***@127.0.0.1:3306/switchyard_topo"), text);
    }

    @Test
    void loadReadsAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("switchyard.yaml");
        Files.writeString(file, MINIMAL);
        assertEquals("commerce", ConfigLoader.load(file).keyspaces().get(0).name());

        Path missing = dir.resolve("nope.yaml");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(missing));
        assertTrue(e.getMessage().startsWith(missing + ": cannot read the config file"), e.getMessage());
    }
}
