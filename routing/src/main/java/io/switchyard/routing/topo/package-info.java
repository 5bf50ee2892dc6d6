/**
 * The topology store: routing rules and vschemas shared by every gateway, kept in the MySQL or MariaDB database the
 * config's {@code topology.dsn} names, and the watcher that brings each gateway's planner up to date.
 *
 * <p>{@link io.switchyard.routing.topo.TopologyStore} reads and writes the store (control path: HikariCP and JDBC,
 * never on a Netty event loop). {@link io.switchyard.routing.topo.TopologyWatcher} polls its version on an injected
 * scheduler and hands each new {@link io.switchyard.routing.plan.RoutingSnapshot} to the planner, so a change written
 * by one gateway reaches every other within a second.
 *
 * <p>Where each part of a snapshot comes from: keyspaces and shards from the config (static topology); each
 * keyspace's vschema from the store, seeded from the config the first time a keyspace is seen; routing rules from
 * the store. The snapshot's version is the store's combined version, which every write raises by one in the same
 * transaction as the change, so all gateways agree on what version N contains.
 */
package io.switchyard.routing.topo;
