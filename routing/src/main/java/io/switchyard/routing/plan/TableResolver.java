package io.switchyard.routing.plan;

import io.switchyard.config.ColumnVindex;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the keyspace of a table reference: a routing rule first (most specific wins, see {@link RoutingRules}), then
 * the keyspace written in the query, then the session keyspace, then global routing: the one keyspace whose vschema
 * lists the table. A table of a sharded keyspace must have a primary vindex, or the statement cannot be routed.
 */
final class TableResolver {

    /** Schemas every server has; queries on them run on a backend of the session keyspace, unrouted. */
    static final Set<String> SYSTEM_SCHEMAS = Set.of("information_schema", "mysql", "performance_schema", "sys");

    /**
     * A resolved table.
     *
     * @param schema the vschema entry; always present in a sharded keyspace
     */
    record Resolved(KeyspaceSchema keyspace, String table, Optional<TableSchema> schema) {

        boolean sharded() {
            return keyspace.sharded();
        }

        String qualified() {
            return keyspace.name() + "." + table;
        }

        /** The column vindex that places rows: sharded keyspaces only. */
        ColumnVindex primaryVindex() {
            return schema.flatMap(TableSchema::primaryVindex).orElseThrow();
        }

        String vindexType() {
            return keyspace.vindexType(primaryVindex().vindexName());
        }
    }

    private final RoutingSnapshot snapshot;
    private final Optional<String> session;
    private final TabletType tabletType;

    TableResolver(RoutingSnapshot snapshot, Optional<String> session, TabletType tabletType) {
        this.snapshot = snapshot;
        this.session = session;
        this.tabletType = tabletType;
    }

    RoutingSnapshot snapshot() {
        return snapshot;
    }

    /** The session keyspace, which must exist. */
    Optional<KeyspaceSchema> sessionKeyspace() {
        return session.map(snapshot::requireKeyspace);
    }

    static boolean isSystemSchema(String qualifier) {
        return qualifier != null && SYSTEM_SCHEMAS.contains(qualifier.toLowerCase(Locale.ROOT));
    }

    /**
     * Resolves a table a query reads or writes.
     *
     * @param qualifier the keyspace written before the table, or {@code null}
     * @throws RoutingException for an unknown keyspace, an ambiguous or unknown unqualified name, or a table of a
     *     sharded keyspace without a vindex
     */
    Resolved resolve(String qualifier, String table) {
        Optional<String> written = Optional.ofNullable(qualifier);
        Optional<String> target = snapshot.routingRules().target(written, table, session, tabletType);
        String keyspaceName = target.or(() -> written).or(() -> session).orElseGet(() -> global(table, true));
        KeyspaceSchema keyspace = snapshot.requireKeyspace(keyspaceName);
        Optional<TableSchema> schema = keyspace.table(table);
        if (keyspace.sharded() && schema.flatMap(TableSchema::primaryVindex).isEmpty()) {
            String name = keyspace.name() + "." + table;
            throw RoutingException.routing("table " + name + " has no vindex, so sharded keyspace " + keyspace.name()
                    + " cannot route it; add one: ALTER VSCHEMA ON " + name + " ADD VINDEX hash(<column>) USING hash");
        }
        return new Resolved(keyspace, table, schema);
    }

    /**
     * The keyspace of a DDL statement's table: as written, the session's, or the one keyspace whose vschema lists
     * it; never redirected by routing rules, and never guessed for a table no vschema lists (a new table).
     */
    KeyspaceSchema resolveForDdl(String qualifier, String table) {
        return snapshot.requireKeyspace(Optional.ofNullable(qualifier).or(() -> session)
                .orElseGet(() -> global(table, false)));
    }

    /**
     * Global routing: the only keyspace whose vschema lists the table, else (for queries) the only unsharded
     * keyspace, whose tables need not be listed.
     */
    private String global(String table, boolean onlyUnshardedFallback) {
        List<String> owners = snapshot.keyspaces().values().stream()
                .filter(k -> k.tables().containsKey(table)).map(KeyspaceSchema::name).toList();
        if (owners.size() == 1) {
            return owners.get(0);
        }
        if (owners.size() > 1) {
            String list = String.join(", ", owners.subList(0, owners.size() - 1)) + " and "
                    + owners.get(owners.size() - 1);
            throw RoutingException.routing("table " + table + " is in keyspaces " + list + "; qualify it ("
                    + owners.get(0) + "." + table + ") or select a keyspace with USE");
        }
        List<String> unsharded = snapshot.keyspaces().values().stream().filter(k -> !k.sharded())
                .map(KeyspaceSchema::name).toList();
        if (unsharded.size() == 1 && onlyUnshardedFallback) {
            return unsharded.get(0);
        }
        throw new RoutingException(RoutingException.NO_DB, "3D000", "No database selected: table " + table
                + " is in no keyspace's vschema; qualify it as keyspace." + table + " or select a keyspace with USE");
    }
}
