package io.switchyard.routing.topo;

import static org.junit.jupiter.api.Assertions.fail;

import io.switchyard.config.ConfigLoader;
import io.switchyard.config.PlaceholderResolver;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.sandbox.MariaDbServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Test helpers: the Vitess local-example config with its topology store on a sandbox server, a clock, polling. */
final class TopoFixtures {

    /**
     * {@code commerce} unsharded with the sequences, {@code customer} sharded by hash(customer_id). The keyspaces'
     * backends are never contacted here; only the topology DSN is real.
     */
    static final String YAML = """
            users:
              - name: root
                password: ""
                role: admin
            topology:
              dsn: "%s"
            keyspaces:
              - name: commerce
                sharded: false
                shards:
                  - name: "0"
                    primary: 127.0.0.1:4001
                vschema:
                  tables:
                    customer_seq: { type: sequence }
                    product: {}
              - name: customer
                sharded: true
                shards:
                  - name: "-80"
                    primary: 127.0.0.1:4002
                  - name: "80-"
                    primary: 127.0.0.1:4003
                vschema:
                  vindexes:
                    hash: { type: hash }
                  tables:
                    customer:
                      column_vindexes: [ { column: customer_id, name: hash } ]
                      auto_increment: { column: customer_id, sequence: customer_seq }
            """;

    private TopoFixtures() {
    }

    static SwitchyardConfig config(String dsn) {
        return ConfigLoader.parse(YAML.formatted(dsn), PlaceholderResolver.none());
    }

    static SwitchyardConfig config(MariaDbServer topology) {
        return config("mysql://root:@" + topology.address() + "/" + topology.database());
    }

    /** Drops the store's tables, so each test starts from an empty topology database. */
    static void dropTables(MariaDbServer topology) {
        topology.execute("DROP TABLE IF EXISTS " + topology.database() + ".routing_version, " + topology.database()
                + ".routing_rules, " + topology.database() + ".vschema");
    }

    static void until(Duration timeout, BooleanSupplier condition, Supplier<String> description) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not true within " + timeout + ": " + description.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for: " + description.get());
            }
        }
    }

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {

        private volatile Instant now;

        ManualClock(Instant start) {
            this.now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("tests use UTC");
        }
    }
}
