package io.switchyard.proxy.server;

import io.switchyard.proxy.session.SqlText;
import io.switchyard.routing.plan.Plan;
import io.switchyard.routing.plan.StatementKind;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/**
 * What a statement reads or writes, as far as {@link QueryBuffer} needs to know: tables as {@code keyspace.table}
 * after routing rules, and keyspaces whose tables the gateway could not name (a statement the SQL parser could not
 * read, {@code LOCK TABLES}, anything on the fast path that skips the planner). A keyspace in {@link #keyspaces()}
 * counts as touching every table in it, so such statements wait whenever any table of that keyspace is held.
 */
record Touches(Set<String> tables, Set<String> keyspaces) {
    static final Touches NOTHING = new Touches(Set.of(), Set.of());

    Touches {
        tables = Set.copyOf(tables);
        keyspaces = Set.copyOf(keyspaces);
    }

    static Touches tables(Collection<String> qualified) {
        return qualified.isEmpty() ? NOTHING : new Touches(Set.copyOf(qualified), Set.of());
    }

    /** Some table of {@code keyspace}, the gateway cannot say which. */
    static Touches unattributed(String keyspace) {
        return new Touches(Set.of(), Set.of(keyspace));
    }

    boolean isEmpty() {
        return tables.isEmpty() && keyspaces.isEmpty();
    }

    /**
     * What a planned statement touches. A plan that runs on a keyspace but names no table is a statement the parser
     * could not read, or one the planner sends to the keyspace as it is ({@code CALL}, {@code HANDLER}, ...): it is
     * counted against its whole keyspace, unless it plainly reads no table (a SELECT without FROM, SHOW).
     *
     * @param sessionKeyspace where session-level statements such as {@code LOCK TABLES} run
     */
    static Touches of(Plan plan, String sql, Optional<String> sessionKeyspace) {
        if (plan instanceof Plan.Unsharded p) {
            return of(p.keyspace(), p.kind(), p.tables(), sql);
        } else if (plan instanceof Plan.SingleShard p) {
            return of(p.keyspace(), p.kind(), p.tables(), sql);
        } else if (plan instanceof Plan.MultiShard p) {
            return of(p.keyspace(), p.kind(), p.tables(), sql);
        } else if (plan instanceof Plan.Scatter p) {
            return of(p.keyspace(), p.kind(), p.tables(), sql);
        } else if (plan instanceof Plan.NeedsSequence p) {
            return tables(Set.of(p.keyspace() + "." + p.table()));
        } else if (plan instanceof Plan.Session p && p.kind() == StatementKind.LOCK) {
            return sessionKeyspace.map(Touches::unattributed).orElse(NOTHING);
        }
        return NOTHING; // refused, ALTER VSCHEMA, SET, USE, transaction control
    }

    private static Touches of(String keyspace, StatementKind kind, Collection<String> tables, String sql) {
        if (!tables.isEmpty()) {
            return tables(tables);
        }
        return switch (kind) {
            case SHOW, SET, USE, TRANSACTION, ALTER_VSCHEMA -> NOTHING;
            case SELECT -> SqlText.containsWord(sql, "FROM") ? unattributed(keyspace) : NOTHING;
            default -> unattributed(keyspace);
        };
    }

    /** Whether this touches any of {@code heldTables}, or any table of {@code heldKeyspaces}. */
    boolean overlaps(Set<String> heldTables, Set<String> heldKeyspaces) {
        for (String table : tables) {
            if (heldTables.contains(table)) {
                return true;
            }
        }
        for (String keyspace : keyspaces) {
            if (heldKeyspaces.contains(keyspace)) {
                return true;
            }
        }
        return false;
    }
}
