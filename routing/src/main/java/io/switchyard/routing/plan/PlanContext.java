package io.switchyard.routing.plan;

import io.switchyard.routing.plan.TableResolver.Resolved;
import io.switchyard.routing.vindex.Vindex;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;

/** What compiling one statement needs: its marked SQL, table resolution, and the vindex functions. */
final class PlanContext {

    final String markedSql;
    final StatementKind kind;
    final TableResolver resolver;
    final Map<String, Vindex> vindexes;

    PlanContext(String markedSql, StatementKind kind, TableResolver resolver, Map<String, Vindex> vindexes) {
        this.markedSql = markedSql;
        this.kind = kind;
        this.resolver = resolver;
        this.vindexes = vindexes;
    }

    /** The statement as the client wrote it, for plans that send it unchanged. */
    SqlTemplate original() {
        return SqlTemplate.parse(markedSql);
    }

    /** Resolves every table, keyed by node identity. */
    Map<Table, Resolved> resolveAll(List<Table> tables) {
        Map<Table, Resolved> resolved = new IdentityHashMap<>();
        for (Table table : tables) {
            resolved.put(table, resolver.resolve(Names.qualifier(table), Names.name(table)));
        }
        return resolved;
    }

    /** The distinct qualified names of resolved tables, in statement order. */
    static List<String> names(List<Table> tables, Map<Table, Resolved> resolved) {
        return tables.stream().map(t -> resolved.get(t).qualified()).distinct().toList();
    }

    /** The one keyspace all tables resolve to. */
    static KeyspaceSchema singleKeyspace(Collection<Resolved> tables) {
        Resolved first = null;
        for (Resolved table : tables) {
            if (first != null && !first.keyspace().name().equals(table.keyspace().name())) {
                throw RoutingException.unsupported("cross-keyspace query: " + first.qualified() + " and "
                        + table.qualified() + " are in different keyspaces; query each keyspace separately");
            }
            first = first == null ? table : first;
        }
        return first == null ? null : first.keyspace();
    }

    /**
     * Removes keyspace qualifiers from tables and columns, so the SQL runs on a backend whose default database is
     * the keyspace's database (which may have another name, or be another keyspace after a routing rule).
     *
     * @return whether anything changed, so the SQL must be rendered from the tree
     */
    static boolean stripQualifiers(List<Table> tables, List<Column> columns) {
        boolean changed = false;
        for (Table table : tables) {
            changed |= strip(table);
        }
        for (Column column : columns) {
            if (column.getTable() != null) {
                changed |= strip(column.getTable());
            }
        }
        return changed;
    }

    private static boolean strip(Table table) {
        if (table.getSchemaName() == null) {
            return false;
        }
        table.setSchemaName(null);
        return true;
    }

    /**
     * For statements that name no table, or only system schemas: the session keyspace's first shard, else the first
     * keyspace's (an expression like {@code SELECT 1} gives the same answer on any backend).
     */
    Template anyShard(SqlTemplate sql) {
        Optional<KeyspaceSchema> keyspace = resolver.sessionKeyspace()
                .or(() -> resolver.snapshot().keyspaces().values().stream().findFirst());
        if (keyspace.isEmpty()) {
            return new Template.Fixed(new Plan.Session(kind, markedSql));
        }
        KeyspaceSchema ks = keyspace.get();
        String shard = ks.shards().get(0).name();
        return values -> {
            String rendered = sql.render(values);
            return ks.sharded() ? new Plan.SingleShard(ks.name(), shard, kind, rendered, List.of())
                    : new Plan.Unsharded(ks.name(), shard, kind, rendered, List.of());
        };
    }
}
