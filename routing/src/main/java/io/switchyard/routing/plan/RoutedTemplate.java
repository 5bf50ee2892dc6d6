package io.switchyard.routing.plan;

import io.switchyard.routing.merge.MergeSpec;
import io.switchyard.routing.plan.Routing.All;
import io.switchyard.routing.plan.Routing.Destination;
import io.switchyard.routing.plan.Routing.Many;
import io.switchyard.routing.plan.Routing.One;
import io.switchyard.routing.plan.Routing.Refusal;
import io.switchyard.routing.vindex.Vindex;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * A SELECT, UPDATE or DELETE: its routing, the SQL for one shard, and the SQL and merge for several shards (or why
 * several shards cannot answer it correctly). Slot 0 is the routing IN list, which each shard gets only its values of;
 * slot 1 is the per-shard LIMIT.
 */
final class RoutedTemplate implements Template {

    static final int IN_SLOT = 0;

    private final StatementKind kind;
    private final Routing routing;
    private final SqlTemplate single;
    private final SqlTemplate multi;
    private final MergeTemplate merge;
    private final String multiRefusal;
    private final Map<String, Vindex> vindexes;
    private final List<String> tables;

    /**
     * @param multi the SQL for each of several shards, {@code null} when {@code multiRefusal} is set
     * @param multiRefusal why the statement cannot run on several shards, or {@code null}
     * @param tables the qualified tables the statement touches
     */
    RoutedTemplate(StatementKind kind, Routing routing, SqlTemplate single, SqlTemplate multi, MergeTemplate merge,
                   String multiRefusal, Map<String, Vindex> vindexes, List<String> tables) {
        this.kind = kind;
        this.routing = routing;
        this.single = single;
        this.multi = multi;
        this.merge = merge;
        this.multiRefusal = multiRefusal;
        this.vindexes = vindexes;
        this.tables = List.copyOf(tables);
    }

    static RoutedTemplate unsharded(StatementKind kind, KeyspaceSchema keyspace, SqlTemplate sql,
                                    List<String> tables) {
        return new RoutedTemplate(kind, new Routing.Unsharded(keyspace), sql, null, MergeTemplate.CONCAT, null,
                Map.of(), tables);
    }

    @Override
    public List<Integer> routingBinds() {
        return routingBinds(routing);
    }

    private static List<Integer> routingBinds(Routing routing) {
        if (routing instanceof Routing.Together together) {
            return together.parts().stream().flatMap(p -> routingBinds(p).stream()).toList();
        }
        return Routing.allBinds(routing).stream().filter(b -> b >= 0).toList();
    }

    @Override
    public Plan bind(List<BoundValue> values) {
        Destination destination = Routing.evaluate(routing, values, vindexes);
        KeyspaceSchema keyspace = destination.keyspace();
        if (destination instanceof Refusal refusal) {
            return new Plan.Refused(RoutingException.NOT_SUPPORTED, "42000",
                    SqlTemplate.fillMarkers(refusal.message(), values));
        }
        if (destination instanceof One one) {
            String sql = single.render(values, slots(values, one.slotValues()));
            return keyspace.sharded() ? new Plan.SingleShard(keyspace.name(), one.shard(), kind, sql, tables)
                    : new Plan.Unsharded(keyspace.name(), one.shard(), kind, sql, tables);
        }
        if (multiRefusal != null) {
            return new Plan.Refused(RoutingException.NOT_SUPPORTED, "42000",
                    SqlTemplate.fillMarkers(multiRefusal, values));
        }
        MergeSpec spec = merge.resolve(values);
        if (destination instanceof Many many) {
            Map<String, String> sqlByShard = new LinkedHashMap<>();
            many.shards().forEach((shard, slotValues) ->
                    sqlByShard.put(shard, multi.render(values, slots(values, slotValues))));
            return new Plan.MultiShard(keyspace.name(), kind, sqlByShard, spec, tables);
        }
        All all = (All) destination;
        String sql = multi.render(values, slots(values, Routing.allBinds(routing)));
        return new Plan.Scatter(all.keyspace().name(), kind, keyspace.shardNames(), sql, spec, tables);
    }

    /** Slot 0: the IN values for the shard (all of them when none mapped); slot 1: the per-shard LIMIT. */
    private IntFunction<String> slots(List<BoundValue> values, List<Integer> slotValues) {
        return id -> {
            if (id == IN_SLOT) {
                List<Integer> binds = slotValues.isEmpty() ? Routing.allBinds(routing) : slotValues;
                return binds.stream().map(b -> values.get(b).sql()).collect(Collectors.joining(", "));
            }
            return merge.perShardLimit(values);
        };
    }
}
