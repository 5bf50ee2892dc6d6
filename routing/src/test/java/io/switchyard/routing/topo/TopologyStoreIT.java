package io.switchyard.routing.topo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchyard.config.ColumnVindex;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.routing.plan.RoutingException;
import io.switchyard.routing.plan.RoutingRules;
import io.switchyard.routing.plan.RoutingSnapshot;
import io.switchyard.routing.plan.VSchemaChange;
import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The topology store against a real MariaDB: schema, seeding, compare-and-set, vschema changes. */
@Sandboxed("commerce:0; topology")
class TopologyStoreIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final MariaDbServer topology;
    private final SwitchyardConfig config;

    TopologyStoreIT(Sandbox sandbox) {
        this.topology = sandbox.topology();
        this.config = TopoFixtures.config(topology);
    }

    @BeforeEach
    void emptyStore() {
        TopoFixtures.dropTables(topology);
    }

    @Test
    void createsItsSchemaIdempotently() {
        try (TopologyStore first = TopologyStore.open(config, TIMEOUT)) {
            long version = first.version();
            try (TopologyStore second = TopologyStore.open(config, TIMEOUT)) {
                assertEquals(version, second.version(), "a second open must not change anything");
            }
        }
        assertEquals(List.of(List.of("routing_rules"), List.of("routing_version"), List.of("vschema")),
                topology.query("SELECT table_name FROM information_schema.tables WHERE table_schema = '"
                        + topology.database() + "' ORDER BY table_name"));
        assertEquals(List.of(List.of("1", "2")), topology.query("SELECT id, version FROM "
                + topology.database() + ".routing_version"), "version 1, +1 for seeding, once");
        assertEquals(List.of(List.of("1", "0", "{}")), topology.query("SELECT id, version, rules_json FROM "
                + topology.database() + ".routing_rules"));
    }

    @Test
    void seedsVSchemasFromTheConfigAndReadsThemBack() {
        RoutingSnapshot fromConfig = RoutingSnapshot.fromConfig(config);
        try (TopologyStore store = TopologyStore.open(config, TIMEOUT)) {
            Map<String, StoredVSchema> stored = store.readVSchemas();
            assertEquals(List.of("commerce", "customer"), List.copyOf(stored.keySet()));
            stored.forEach((name, vschema) -> {
                assertEquals(1, vschema.version(), name);
                assertEquals(fromConfig.keyspace(name).orElseThrow(), vschema.schema(), name);
            });
            RoutingSnapshot loaded = store.loadSnapshot();
            assertEquals(fromConfig.keyspaces(), loaded.keyspaces());
            assertEquals(RoutingRules.NONE, loaded.routingRules());
            assertEquals(store.version(), loaded.version());
        }
    }

    @Test
    void afterSeedingTheStoreNotTheConfigIsTheSourceOfTruth() {
        var addVindex = new VSchemaChange.AddVindex("customer", "corder", "hash", "customer_id", Optional.empty());
        try (TopologyStore store = TopologyStore.open(config, TIMEOUT)) {
            long before = store.version();
            store.applyVSchemaChange(addVindex);
            assertEquals(before + 1, store.version());
            assertEquals(2, store.readVSchemas().get("customer").version());
            assertEquals(1, store.readVSchemas().get("commerce").version());
        }
        try (TopologyStore reopened = TopologyStore.open(config, TIMEOUT)) {
            var corder = reopened.loadSnapshot().keyspace("customer").orElseThrow().table("corder").orElseThrow();
            assertEquals(List.of(new ColumnVindex("customer_id", "hash")), corder.columnVindexes(),
                    "reopening with the same config must not reseed a keyspace the store has");
        }
    }

    @Test
    void aVSchemaChangeThatDoesNotFitChangesNothing() {
        try (TopologyStore store = TopologyStore.open(config, TIMEOUT)) {
            long before = store.version();
            var error = assertThrows(RoutingException.class, () -> store.applyVSchemaChange(
                    new VSchemaChange.AddVindex("commerce", "product", "hash", "id", Optional.of("hash"))));
            assertEquals("keyspace commerce is unsharded; vindexes place rows in sharded keyspaces only",
                    error.getMessage());
            assertEquals(before, store.version());
            assertEquals(1, store.readVSchemas().get("commerce").version());
        }
    }

    @Test
    void routingRulesAreCompareAndSet() {
        try (TopologyStore gatewayA = TopologyStore.open(config, TIMEOUT);
             TopologyStore gatewayB = TopologyStore.open(config, TIMEOUT)) {
            long before = gatewayA.version();
            RoutingRules read = gatewayA.readRoutingRules();
            assertEquals(RoutingRules.NONE, read);
            assertEquals(1, gatewayA.writeRoutingRules(Map.of("customer", "commerce"), read.version()));

            // Gateway B read version 0 too, before A wrote: its write must be refused, not overwrite A's.
            var conflict = assertThrows(TopologyConflictException.class,
                    () -> gatewayB.writeRoutingRules(Map.of("customer", "customer"), 0));
            assertEquals("the routing rules changed underneath: expected version 0 but the topology store has"
                    + " version 1; read it again, reapply the change and retry", conflict.getMessage());
            assertEquals(new RoutingRules(1, Map.of("customer", "commerce")), gatewayB.readRoutingRules());
            assertEquals(before + 1, gatewayB.version(), "a refused write must not raise the version");

            assertEquals(2, gatewayB.writeRoutingRules(Map.of("customer", "customer"), 1));
            assertEquals(new RoutingRules(2, Map.of("customer", "customer")), gatewayA.loadSnapshot().routingRules());
        }
    }

    @Test
    void concurrentWritersEachWinOnceWithRetries() throws Exception {
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<TopologyStore> stores = new ArrayList<>();
        AtomicInteger conflicts = new AtomicInteger();
        try {
            for (int i = 0; i < writers; i++) {
                stores.add(TopologyStore.open(config, TIMEOUT));
            }
            List<Future<Long>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                TopologyStore store = stores.get(i);
                String rule = "t" + i;
                results.add(pool.submit(() -> {
                    while (true) {
                        RoutingRules current = store.readRoutingRules();
                        Map<String, String> next = new LinkedHashMap<>(current.rules());
                        next.put(rule, "commerce");
                        try {
                            return store.writeRoutingRules(next, current.version());
                        } catch (TopologyConflictException e) {
                            conflicts.incrementAndGet();
                        }
                    }
                }));
            }
            List<Long> versions = new ArrayList<>();
            for (Future<Long> result : results) {
                versions.add(result.get());
            }
            versions.sort(null);
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), versions, "each write won exactly once");
            assertEquals(writers, stores.get(0).readRoutingRules().rules().size(), "no write was lost");
        } finally {
            pool.shutdownNow();
            stores.forEach(TopologyStore::close);
        }
    }

    @Test
    void rulesEveryGatewayWouldRefuseAreNeverWritten() {
        try (TopologyStore store = TopologyStore.open(config, TIMEOUT)) {
            var error = assertThrows(RoutingException.class,
                    () -> store.writeRoutingRules(Map.of("customer", "nowhere"), 0));
            assertTrue(error.getMessage().startsWith("routing rule 'customer' points at keyspace 'nowhere', which"
                    + " does not exist"), error.getMessage());
            assertEquals(RoutingRules.NONE, store.readRoutingRules());
        }
    }

    @Test
    void unreachableStoreFailsOpenWithoutShowingThePassword() {
        SwitchyardConfig elsewhere = TopoFixtures.config("mysql://root:hunter2@127.0.0.1:1/switchyard_topo");
        var error = assertThrows(TopologyException.class, () -> TopologyStore.open(elsewhere, TIMEOUT));
        assertTrue(error.getMessage().startsWith("topology store mysql://root:***@127.0.0.1:1/switchyard_topo is"
                + " unreachable: "), error.getMessage());
        assertFalse(error.getMessage().contains("hunter2"), error.getMessage());
    }
}
