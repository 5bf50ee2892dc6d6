package io.switchyard.proxy.server;

import io.switchyard.proxy.packet.command.ParamType;
import io.switchyard.proxy.session.TabletType;
import io.switchyard.routing.plan.Plan;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A prepared statement on a sharded keyspace whose shard depends on its parameters: prepared on one shard for the
 * client's metadata, then on each shard an execute routes to, the first time it does. Lives on one session's event
 * loop; not thread-safe.
 */
final class RoutedStatement {
    final Plan.Prepared plan;
    final String keyspace;
    final TabletType tabletType;
    final String sql;
    final int paramCount;
    /**
     * Backend statement id per place ({@link #place}) it has been prepared on: routing rules can send executes to
     * another keyspace than the one it was first prepared in (after a traffic switch).
     */
    final Map<String, Long> backendIds = new HashMap<>();
    /** The parameter types of the last execute: clients send them only when they change. */
    List<ParamType> lastTypes = List.of();

    static String place(String keyspace, String shard) {
        return keyspace + "/" + shard;
    }

    RoutedStatement(Plan.Prepared plan, String keyspace, TabletType tabletType, String sql, int paramCount) {
        this.plan = plan;
        this.keyspace = keyspace;
        this.tabletType = tabletType;
        this.sql = sql;
        this.paramCount = paramCount;
    }
}
