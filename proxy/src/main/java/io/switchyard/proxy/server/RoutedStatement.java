package io.switchyard.proxy.server;

import io.switchyard.proxy.packet.command.ParamType;
import io.switchyard.proxy.session.TabletType;
import io.switchyard.routing.plan.Plan;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A prepared statement that the planner places at each execute rather than once: one whose shard depends on its
 * parameters, and any other prepared while routing rules could move its table (a traffic switch sends the executes
 * after it to the new keyspace). Prepared on one backend for the client's metadata, then on each backend an execute
 * goes to, the first time it does. Lives on one session's event loop; not thread-safe.
 */
final class RoutedStatement {
    /** The plan for one execute's parameter values, by the routing snapshot in force when it is called. */
    final Function<List<?>, Plan> binder;
    /** Where the client's prepare went. */
    final LeaseKey preparedOn;
    /**
     * Whether every execute must be placed by the planner (the shard depends on the parameters). Otherwise executes
     * are placed only while the session plans its statements; without routing rules they go where it was prepared.
     */
    final boolean perExecute;
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

    RoutedStatement(Function<List<?>, Plan> binder, LeaseKey preparedOn, boolean perExecute, String sql,
                    int paramCount) {
        this.binder = binder;
        this.preparedOn = preparedOn;
        this.perExecute = perExecute;
        this.keyspace = preparedOn.keyspace();
        this.tabletType = preparedOn.tabletType();
        this.sql = sql;
        this.paramCount = paramCount;
    }
}
