package io.switchyard.admin;

import io.switchyard.config.SwitchyardConfig;
import io.switchyard.proxy.server.GatewayServer;
import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.switchyard.admin.ImportFixture.await;
import static io.switchyard.admin.ImportFixture.config;
import static io.switchyard.admin.ImportFixture.connect;
import static io.switchyard.admin.ImportFixture.state;
import static io.switchyard.admin.SqlRows.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An import from an external MariaDB the config does not know (another sandbox server): attached with CREATE
 * EXTERNAL KEYSPACE, served through the gateway from the moment the import workflow is created, switched to the
 * target under write load, completed — every acknowledged write is in the target, and the credentials are gone.
 */
@Sandboxed("commerce:0; legacy:0; topology")
class ImportIT {
    private static final String KEY = "import-test-key-0123456789";

    @Test
    void importsUnderWriteLoadThroughTheGateway(Sandbox sandbox) throws Exception {
        MariaDbServer legacy = sandbox.primary("legacy", "0");
        legacy.execute("CREATE USER 'importer'@'%' IDENTIFIED BY 'imp0rt-pw'",
                "GRANT ALL ON *.* TO 'importer'@'%'",
                "CREATE TABLE legacy.ledger (id BIGINT PRIMARY KEY, writer INT NOT NULL, note VARCHAR(40))",
                "INSERT INTO legacy.ledger SELECT seq, 0, 'old' FROM legacy.seq_1_to_2000",
                "CREATE TABLE legacy.audit (id BIGINT PRIMARY KEY, what VARCHAR(20))",
                "INSERT INTO legacy.audit SELECT seq, 'a' FROM legacy.seq_1_to_100");
        SwitchyardConfig config = config(sandbox, KEY);
        try (Gateway gateway = Gateway.start(config, GatewayServer.Options.defaults().withPort(0), Optional.of(0),
                Map.of());
             Connection admin = connect(gateway); Statement s = admin.createStatement()) {
            s.executeQuery("CREATE EXTERNAL KEYSPACE legacy HOST '127.0.0.1' PORT " + legacy.port()
                    + " DATABASE 'legacy' USER 'importer' PASSWORD 'imp0rt-pw' SSL MODE DISABLED IMPORT CONNECTIONS 1")
                    .close();
            s.execute("CREATE WORKFLOW imp IMPORT ALL FROM EXTERNAL legacy INTO commerce WITH (copy_parallelism = 4)");
            assertEquals("Import", rows(s, "SHOW WORKFLOWS").get(0).get(1));
            List<String> monitor = rows(s, "SHOW WORKFLOW imp IMPORT").get(0);
            assertEquals(List.of("legacy", "127.0.0.1", Integer.toString(legacy.port()), "legacy", "live"),
                    monitor.subList(0, 5), "connection status: live, host and database");
            assertTrue(List.of("Pending", "Copying data", "Replicating data").contains(monitor.get(5)), monitor.get(5));
            assertEquals(List.of("commerce", "0", "external", "external"), monitor.subList(7, 11),
                    "target shards, and the external database serves until the switch");

            Map<Long, String> acknowledged = new ConcurrentHashMap<>();
            ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> writers = new ArrayList<>();
            for (int w = 1; w <= 2; w++) {
                int writer = w;
                writers.add(new Thread(() -> {
                    long id = writer * 1_000_000L;
                    try (Connection c = connect(gateway); PreparedStatement insert = c.prepareStatement(
                            "INSERT INTO ledger (id, writer, note) VALUES (?, ?, 'new')")) {
                        while (running.get()) {
                            insert.setLong(1, ++id);
                            insert.setInt(2, writer);
                            insert.executeUpdate();
                            acknowledged.put(id, "new");
                        }
                    } catch (SQLException e) {
                        errors.add("writer " + writer + ": " + e.getMessage());
                    }
                }, "import-writer-" + w));
            }
            writers.forEach(Thread::start);
            // Served from the external database while it imports: the gateway reads what the writers wrote there.
            await(() -> state(s, "imp").equals("running"), "copy finished");
            assertTrue(Long.parseLong(legacy.query("SELECT COUNT(*) FROM legacy.ledger WHERE writer > 0").get(0)
                    .get(0)) > 0, "writes went to the external database before the switch");
            List<String> copies = rows(s, "SHOW WORKFLOW imp LOGS").stream().map(row -> row.get(2))
                    .filter(line -> line.startsWith("copying ")).toList();
            assertEquals(List.of("copying audit from 1 source shard(s)", "copying ledger from 1 source shard(s)"),
                    copies, "IMPORT CONNECTIONS 1: one table at a time, whatever copy_parallelism asks");
            await(() -> !rows(s, "SHOW WORKFLOW imp LAG HISTORY").isEmpty(), "a lag history point");
            for (List<String> point : rows(s, "SHOW WORKFLOW imp LAG HISTORY")) {
                assertTrue(point.get(0).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), point.get(0));
                assertTrue(Long.parseLong(point.get(1)) >= 0, point.toString());
            }
            assertEquals("Replicating data", rows(s, "SHOW WORKFLOW imp IMPORT").get(0).get(5));
            s.execute("SWITCH TRAFFIC FOR WORKFLOW imp");
            monitor = rows(s, "SHOW WORKFLOW imp IMPORT").get(0);
            assertEquals(List.of("Switched primaries (replicating back to the external database)", "switched_primaries"),
                    monitor.subList(5, 7));
            assertEquals(List.of("target", "target"), monitor.subList(9, 11), "the target serves after the switch");
            Thread.sleep(1_000); // writes now go to commerce, and replicate back to the external database
            running.set(false);
            for (Thread writer : writers) {
                writer.join();
            }
            assertEquals(List.of(), List.copyOf(errors), "no client saw an error");
            s.execute("COMPLETE WORKFLOW imp");
            assertEquals("completed", state(s, "imp"));
            List<List<String>> target = sandbox.primary("commerce", "0").query("SELECT id FROM commerce.ledger");
            java.util.Set<Long> ids = new java.util.HashSet<>();
            target.forEach(row -> ids.add(Long.parseLong(row.get(0))));
            assertEquals(target.size(), ids.size(), "no row twice");
            for (Long id : acknowledged.keySet()) {
                assertTrue(ids.contains(id), "acknowledged write " + id + " is in the target");
            }
            assertEquals(2000 + acknowledged.size(), target.size(), "the old rows and every acknowledged write");
            assertTrue(rows(s, "SHOW EXTERNAL KEYSPACES").stream().noneMatch(row -> row.get(0).equals("legacy")),
                    "the credentials are gone");
            assertEquals(List.of("removed", "Completed"), rows(s, "SHOW WORKFLOW imp IMPORT").get(0).subList(4, 6));
            await(() -> legacy.query("SELECT COUNT(*) FROM information_schema.processlist WHERE user = 'importer'")
                    .equals(List.of(List.of("0"))), "every connection to the external database closed");
            assertEquals(List.of(List.of(Integer.toString(target.size()))), rows(s, "SELECT COUNT(*) FROM ledger"));
            assertEquals(List.of(List.of("100")), rows(s, "SELECT COUNT(*) FROM audit"));
        }
    }

    @Test
    void aDatabaseWithForeignKeysIsImportedWhole(Sandbox sandbox) throws Exception {
        MariaDbServer legacy = sandbox.primary("legacy", "0");
        legacy.execute("CREATE DATABASE shop", "CREATE USER IF NOT EXISTS 'shopper'@'%' IDENTIFIED BY 'sh0p-pw'",
                "GRANT ALL ON *.* TO 'shopper'@'%'",
                "CREATE TABLE shop.parent (id BIGINT PRIMARY KEY)",
                "CREATE TABLE shop.child (id BIGINT PRIMARY KEY, parent_id BIGINT NOT NULL,"
                        + " CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parent (id))",
                "CREATE TABLE shop.loner (id BIGINT PRIMARY KEY)");
        SwitchyardConfig config = config(sandbox, KEY);
        try (Gateway gateway = Gateway.start(config, GatewayServer.Options.defaults().withPort(0), Optional.of(0),
                Map.of());
             Connection admin = connect(gateway); Statement s = admin.createStatement()) {
            s.executeQuery("CREATE EXTERNAL KEYSPACE shop HOST '127.0.0.1' PORT " + legacy.port()
                    + " DATABASE 'shop' USER 'shopper' PASSWORD 'sh0p-pw' SSL MODE DISABLED").close();
            s.execute("CREATE WORKFLOW shopimp IMPORT loner FROM EXTERNAL shop INTO commerce");
            assertEquals(List.of("child", "loner", "parent"), rows(s, "SHOW WORKFLOW shopimp").stream()
                    .map(row -> row.get(0)).sorted().toList(), "foreign keys: every table is imported");
            s.execute("CANCEL WORKFLOW shopimp");
            assertEquals(List.of(), sandbox.primary("commerce", "0").query("SHOW TABLES FROM commerce LIKE 'child'"));
            assertEquals(List.of(List.of("child"), List.of("loner"), List.of("parent")),
                    legacy.query("SHOW TABLES FROM shop"), "cancel leaves the external database as it was");
        }
    }

    @Test
    void validationDecidesWhatAnImportTakes(Sandbox sandbox) throws Exception {
        MariaDbServer legacy = sandbox.primary("legacy", "0");
        legacy.execute("CREATE DATABASE mixed", "CREATE USER IF NOT EXISTS 'mixer'@'%' IDENTIFIED BY 'm1x-pw'",
                "GRANT ALL ON *.* TO 'mixer'@'%'",
                "CREATE TABLE mixed.fine (id BIGINT PRIMARY KEY, note VARCHAR(20))",
                "CREATE TABLE mixed.old (id BIGINT PRIMARY KEY, name VARCHAR(20)) CHARACTER SET latin2",
                "INSERT INTO mixed.fine SELECT seq, 'f' FROM legacy.seq_1_to_50",
                "INSERT INTO mixed.old SELECT seq, 'o' FROM legacy.seq_1_to_20");
        MariaDbServer target = sandbox.primary("commerce", "0");
        SwitchyardConfig config = config(sandbox, KEY);
        try (Gateway gateway = Gateway.start(config, GatewayServer.Options.defaults().withPort(0), Optional.of(0),
                Map.of());
             Connection admin = connect(gateway); Statement s = admin.createStatement()) {
            s.executeQuery("CREATE EXTERNAL KEYSPACE mixed HOST '127.0.0.1' PORT " + legacy.port()
                    + " DATABASE 'mixed' USER 'mixer' PASSWORD 'm1x-pw' SSL MODE DISABLED").close();

            // A subset cannot skip the latin2 table's failure: the seed's "skip and continue" takes every table.
            List<List<String>> subset = rows(s, "VALIDATE WORKFLOW mix IMPORT fine FROM EXTERNAL mixed INTO commerce");
            assertEquals(List.of("external_keyspace", "pass"), subset.get(0).subList(0, 2), subset.toString());
            assertEquals(List.of("table_selection", "fail"), subset.get(1).subList(0, 2));
            assertTrue(subset.get(1).get(2).contains("Invalid charset: old uses latin2") && subset.get(1).get(2)
                    .contains("Fix them, or skip them and continue with IMPORT ALL"), subset.get(1).get(2));
            SQLException refused = assertThrows(SQLException.class,
                    () -> s.execute("CREATE WORKFLOW mix IMPORT fine FROM EXTERNAL mixed INTO commerce"));
            assertTrue(refused.getMessage().contains("skip them and continue with IMPORT ALL"), refused.getMessage());

            // Free space is unknown until the target can report it; then it is a real figure.
            List<List<String>> all = rows(s, "VALIDATE WORKFLOW mix IMPORT ALL FROM EXTERNAL mixed INTO commerce");
            assertEquals(List.of(List.of("external_keyspace", "pass"), List.of("table_selection", "pass"),
                    List.of("keyspaces_and_vschema", "pass"), List.of("tables", "pass"), List.of("storage", "unknown")),
                    all.stream().map(row -> row.subList(0, 2)).toList(), all.toString());
            assertTrue(all.get(1).get(2).startsWith("skipping 1 validation failure(s), which imports every table"));
            assertTrue(all.get(3).get(2).endsWith("on 1 shard(s): fine, old"), all.get(3).get(2));
            assertTrue(all.get(4).get(2).contains("INSTALL SONAME 'disks'"), all.get(4).get(2));
            target.execute("INSTALL SONAME 'disks'");
            try {
                List<String> storage = rows(s, "VALIDATE WORKFLOW mix IMPORT ALL FROM EXTERNAL mixed INTO commerce")
                        .get(4);
                assertEquals(List.of("storage", "pass"), storage.subList(0, 2), storage.toString());
                assertTrue(storage.get(2).matches("target keyspace commerce shard 0 needs about [0-9.]+ KiB .*the disk"
                        + " holding its datadir has [0-9.]+ [KMGT]iB free"), storage.get(2));
            } finally {
                target.execute("UNINSTALL SONAME 'disks'");
            }
            assertEquals(List.of(), target.query("SHOW TABLES FROM commerce LIKE 'fine'"), "validating creates nothing");

            SQLException notExternal = assertThrows(SQLException.class,
                    () -> s.execute("CREATE WORKFLOW mix IMPORT ALL FROM EXTERNAL commerce INTO commerce"));
            assertTrue(notExternal.getMessage().contains("keyspace commerce is in the config, not an external"
                    + " keyspace"), notExternal.getMessage());

            // A failure an import cannot skip refuses it, whatever the tables.
            legacy.execute("SET GLOBAL binlog_format = 'STATEMENT'");
            try {
                SQLException hard = assertThrows(SQLException.class,
                        () -> s.execute("CREATE WORKFLOW mix IMPORT ALL FROM EXTERNAL mixed INTO commerce"));
                assertTrue(hard.getMessage().contains("external keyspace mixed fails 1 check(s) an import cannot"
                        + " skip: [binlog_format]"), hard.getMessage());
            } finally {
                legacy.execute("SET GLOBAL binlog_format = 'ROW'");
            }

            s.execute("CREATE WORKFLOW mix IMPORT ALL FROM EXTERNAL mixed INTO commerce");
            await(() -> state(s, "mix").equals("running"), "copy finished");
            assertEquals(List.of(List.of("20")), target.query("SELECT COUNT(*) FROM commerce.old"));
            assertTrue(rows(s, "SHOW WORKFLOW mix LOGS").stream().anyMatch(row -> row.get(2).startsWith(
                    "importing every table: skipping 1 validation failure(s)")), "the skip is in the workflow's log");
            s.execute("CANCEL WORKFLOW mix");
        }
    }
}
