/**
 * Query planning: which keyspace and shards a statement runs on, with what SQL, and how multi-shard results merge.
 *
 * <p>The entry point is {@link io.switchyard.routing.plan.Planner#plan}, which returns a sealed
 * {@link io.switchyard.routing.plan.Plan}. Planning works on an immutable, versioned
 * {@link io.switchyard.routing.plan.RoutingSnapshot} (keyspaces, shards, vschemas, routing rules); changes such as
 * {@code ALTER VSCHEMA} ({@link io.switchyard.routing.plan.VSchemaChange}) and new routing rules make a new snapshot,
 * swapped in with {@link io.switchyard.routing.plan.Planner#update}.
 *
 * <p>The rule that shapes everything here: never a wrong answer. A statement whose per-shard results cannot be
 * combined exactly into what one unsharded database would return is refused with a MySQL error naming the reason
 * (1235 "unsupported: ..."), not approximated.
 *
 * <p>Everything is immutable or confined to one call; {@link io.switchyard.routing.plan.Planner} is safe to share
 * between threads and never blocks, so event loops call it directly.
 */
package io.switchyard.routing.plan;
