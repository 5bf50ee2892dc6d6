package io.switchyard.routing.plan;

import io.switchyard.routing.vindex.Vindex;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a planned statement goes, decided at plan time as far as it can be and finished at bind time, when the vindex
 * values are known. Cached with the plan, so it holds no per-execution state.
 */
sealed interface Routing {

    /** The only shard of an unsharded keyspace. */
    record Unsharded(KeyspaceSchema keyspace) implements Routing {
    }

    /** Every shard: no usable vindex predicate. */
    record Scatter(KeyspaceSchema keyspace) implements Routing {
    }

    /**
     * The shards of the given vindex values ({@code col = v}, {@code col IN (...)}, ORs of those).
     *
     * @param inSlot whether the values are an IN list that the SQL template holds as slot 0, so that each shard
     *     gets only its own values
     */
    record ByVindex(KeyspaceSchema keyspace, String vindexType, List<ValueSource> values, boolean inSlot)
            implements Routing {
        public ByVindex {
            values = List.copyOf(values);
        }
    }

    /**
     * Several independently routed parts (tables not joined on their vindex, subqueries) that are only correct
     * together when they all land on one shard; otherwise the statement is refused with {@code refusal}.
     */
    record Together(List<Routing> parts, String refusal) implements Routing {
        public Together {
            parts = List.copyOf(parts);
        }
    }

    /** A vindex value in the statement: bind variable {@code bind}, or a constant when {@code bind} is -1. */
    record ValueSource(int bind, Object constant) {

        static ValueSource bind(int index) {
            return new ValueSource(index, null);
        }

        static ValueSource constant(Object value) {
            return new ValueSource(-1, value);
        }

        Object value(List<BoundValue> values) {
            return bind >= 0 ? values.get(bind).value() : constant;
        }
    }

    /** The bind-time outcome of a routing. */
    sealed interface Destination {
        KeyspaceSchema keyspace();
    }

    /**
     * One shard.
     *
     * @param slotValues the IN-slot bind indexes to send there, when the routing has an IN slot
     */
    record One(KeyspaceSchema keyspace, String shard, List<Integer> slotValues) implements Destination {
    }

    /** Several shards, each with its IN-slot bind indexes (empty without a slot), in shard order. */
    record Many(KeyspaceSchema keyspace, Map<String, List<Integer>> shards) implements Destination {
    }

    /** Every shard of the keyspace. */
    record All(KeyspaceSchema keyspace) implements Destination {
    }

    /** Parts that landed on different shards. */
    record Refusal(KeyspaceSchema keyspace, String message) implements Destination {
    }

    /** Evaluates a routing for one execution's values. */
    static Destination evaluate(Routing routing, List<BoundValue> values, Map<String, Vindex> vindexes) {
        if (routing instanceof Unsharded u) {
            return new One(u.keyspace(), u.keyspace().shards().get(0).name(), List.of());
        }
        if (routing instanceof Scatter s) {
            return new All(s.keyspace());
        }
        if (routing instanceof ByVindex v) {
            return byVindex(v, values, Objects.requireNonNull(vindexes.get(v.vindexType()), v.vindexType()));
        }
        Together together = (Together) routing;
        One first = null;
        for (Routing part : together.parts()) {
            Destination destination = evaluate(part, values, vindexes);
            if (!(destination instanceof One one)
                    || first != null && !(first.keyspace().name().equals(one.keyspace().name())
                    && first.shard().equals(one.shard()))) {
                return new Refusal(destination.keyspace(), together.refusal());
            }
            first = first == null ? one : first;
        }
        return new One(first.keyspace(), first.shard(), List.of());
    }

    /**
     * A value the vindex cannot map (text where hash needs an integer) may still equal rows anywhere after MySQL's
     * type conversion, so it scatters; NULL equals nothing and sends no value anywhere.
     */
    private static Destination byVindex(ByVindex routing, List<BoundValue> values, Vindex vindex) {
        KeyspaceSchema keyspace = routing.keyspace();
        Map<String, List<Integer>> byShard = new LinkedHashMap<>();
        for (ShardRange shard : keyspace.shards()) {
            byShard.put(shard.name(), new ArrayList<>());
        }
        int matched = 0;
        for (ValueSource source : routing.values()) {
            Object value = source.value(values);
            if (value == null) {
                continue;
            }
            byte[] keyspaceId;
            try {
                keyspaceId = vindex.keyspaceId(value);
            } catch (IllegalArgumentException e) {
                return new All(keyspace);
            }
            byShard.get(keyspace.shardFor(keyspaceId)).add(source.bind());
            matched++;
        }
        byShard.values().removeIf(List::isEmpty);
        if (matched == 0) {
            // Nothing can match; one shard still answers, so the client gets an empty result of the right shape.
            return new One(keyspace, keyspace.shards().get(0).name(), allBinds(routing));
        }
        if (byShard.size() == 1) {
            Map.Entry<String, List<Integer>> only = byShard.entrySet().iterator().next();
            return new One(keyspace, only.getKey(), only.getValue());
        }
        return new Many(keyspace, byShard);
    }

    static List<Integer> allBinds(Routing routing) {
        if (routing instanceof ByVindex v) {
            return v.values().stream().map(ValueSource::bind).toList();
        }
        return List.of();
    }
}
