package io.switchyard.admin.sql;

import io.switchyard.config.Endpoint;
import io.switchyard.config.Keyspace;
import io.switchyard.config.Shard;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.config.User;
import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.packet.resultset.ColumnDefinition41;
import io.switchyard.proxy.packet.resultset.ResultRow;
import io.switchyard.proxy.packet.resultset.TextResultSet;
import io.switchyard.proxy.server.LocalCommands;
import io.switchyard.routing.plan.RoutingRules;
import io.switchyard.routing.plan.RoutingSnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The admin SQL commands on the MySQL port ({@code SHOW KEYSPACES}, {@code SHOW SHARDS [FROM ks]},
 * {@code SHOW ROUTING RULES}). Only users with
 * the admin role may run them; others get error 1227, as MySQL answers a missing privilege.
 */
public final class AdminCommands implements LocalCommands {
    private static final Pattern SHOW_KEYSPACES = Pattern.compile("(?is)\\s*SHOW\\s+KEYSPACES\\s*;?\\s*");
    private static final Pattern SHOW_ROUTING_RULES = Pattern.compile("(?is)\\s*SHOW\\s+ROUTING\\s+RULES\\s*;?\\s*");
    private static final Pattern SHOW_SHARDS =
            Pattern.compile("(?is)\\s*SHOW\\s+SHARDS(?:\\s+(?:FROM|IN)\\s+`?([A-Za-z0-9_]+)`?)?\\s*;?\\s*");

    private final SwitchyardConfig config;
    private final Supplier<RoutingSnapshot> routing;

    public AdminCommands(SwitchyardConfig config, Supplier<RoutingSnapshot> routing) {
        this.config = config;
        this.routing = routing;
    }

    @Override
    public Optional<Result> execute(Caller caller, String sql) {
        Matcher shards = SHOW_SHARDS.matcher(sql);
        boolean keyspaces = SHOW_KEYSPACES.matcher(sql).matches();
        boolean rules = SHOW_ROUTING_RULES.matcher(sql).matches();
        boolean isShards = shards.matches();
        if (!keyspaces && !isShards && !rules) {
            return Optional.empty();
        }
        if (caller.user().role() != User.Role.ADMIN) {
            return Optional.of(new Error(MySqlError.ER_SPECIFIC_ACCESS_DENIED_ERROR.exception("SWITCHYARD ADMIN")));
        }
        if (rules) {
            return Optional.of(showRoutingRules());
        }
        return Optional.of(keyspaces ? showKeyspaces() : showShards(Optional.ofNullable(shards.group(1))));
    }

    /** One row a rule: what it matches ({@code table}, {@code ks.table}, {@code ks.table@replica}), where it goes. */
    private Result showRoutingRules() {
        RoutingRules rules = routing.get().routingRules();
        List<ResultRow> rows = new ArrayList<>();
        rules.rules().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(rule ->
                rows.add(ResultRow.ofStrings(rule.getKey(), rule.getValue(), Long.toString(rules.version()))));
        return new Rows(new TextResultSet(columns("from_table", "to_keyspace", "version"), rows));
    }

    private Result showKeyspaces() {
        List<ResultRow> rows = config.keyspaces().stream().map(k -> ResultRow.ofStrings(k.name(),
                k.sharded() ? "yes" : "no", Integer.toString(k.shards().size()), k.database())).toList();
        return new Rows(new TextResultSet(columns("keyspace", "sharded", "shards", "database"), rows));
    }

    private Result showShards(Optional<String> keyspaceName) {
        List<Keyspace> keyspaces;
        if (keyspaceName.isPresent()) {
            Optional<Keyspace> keyspace = config.keyspace(keyspaceName.get());
            if (keyspace.isEmpty()) {
                return new Error(MySqlError.ER_BAD_DB_ERROR.exception(keyspaceName.get()));
            }
            keyspaces = List.of(keyspace.get());
        } else {
            keyspaces = config.keyspaces();
        }
        List<ResultRow> rows = new ArrayList<>();
        for (Keyspace keyspace : keyspaces) {
            for (Shard shard : keyspace.shards()) {
                rows.add(ResultRow.ofStrings(keyspace.name(), shard.name(), shard.primary().toString(),
                        shard.replicas().stream().map(Endpoint::toString).collect(Collectors.joining(","))));
            }
        }
        return new Rows(new TextResultSet(columns("keyspace", "shard", "primary", "replicas"), rows));
    }

    private static List<ColumnDefinition41> columns(String... names) {
        return List.of(names).stream().map(ColumnDefinition41::varString).toList();
    }
}
