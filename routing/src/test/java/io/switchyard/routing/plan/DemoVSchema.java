package io.switchyard.routing.plan;

import io.switchyard.config.ConfigLoader;
import io.switchyard.config.PlaceholderResolver;
import io.switchyard.config.SwitchyardConfig;

/**
 * The Vitess local-example layout: {@code commerce} unsharded with the sequences (and the tables before MoveTables),
 * {@code customer} sharded {@code -80}/{@code 80-} with customer and corder by hash(customer_id). Keyspace ids of
 * Vitess's hash: 1, 2, 3 and 5 fall in -80, 4 in 80-.
 */
final class DemoVSchema {

    static final String YAML = """
            users:
              - name: root
                password: ""
                role: admin
            topology:
              dsn: "mysql://root:@127.0.0.1:4000/switchyard_topo"
            keyspaces:
              - name: commerce
                sharded: false
                shards:
                  - name: "0"
                    primary: 127.0.0.1:4001
                vschema:
                  tables:
                    customer_seq: { type: sequence }
                    order_seq: { type: sequence }
                    product: {}
                    customer: {}
                    corder: {}
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
                      auto_increment: { column: customer_id, sequence: commerce.customer_seq }
                    corder:
                      column_vindexes: [ { column: customer_id, name: hash } ]
                      auto_increment: { column: order_id, sequence: order_seq }
                    tagged:
                      column_vindexes: [ { column: tag, name: hash } ]
            """;

    private DemoVSchema() {
    }

    static SwitchyardConfig config() {
        return ConfigLoader.parse(YAML, PlaceholderResolver.none());
    }

    static RoutingSnapshot snapshot() {
        return RoutingSnapshot.fromConfig(config());
    }
}
