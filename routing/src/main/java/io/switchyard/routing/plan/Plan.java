package io.switchyard.routing.plan;

import io.switchyard.routing.merge.MergeSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * Where a statement runs and how its results combine. Every SQL string in a plan is ready to send on a backend
 * connection whose default database is the keyspace's database: keyspace qualifiers are removed, values are inlined.
 *
 * <p>Two plans are not final: {@link Prepared} (the statement has {@code ?} placeholders; {@link Prepared#bind} with
 * the execute-time values) and {@link NeedsSequence} (an INSERT needs auto-increment ids; reserve them and call
 * {@link NeedsSequence#bindSequenceIds}). Both return another plan, possibly another pending one.
 */
public sealed interface Plan {

    /**
     * The statement runs unchanged (but for qualifiers) on the only shard of an unsharded keyspace.
     *
     * @param tables the tables the statement reads or writes, as {@code keyspace.table} after routing rules, in
     *     statement order; what query buffering during a cutover matches on
     */
    record Unsharded(String keyspace, String shard, StatementKind kind, String sql, List<String> tables)
            implements Plan {
        public Unsharded {
            Objects.requireNonNull(keyspace, "keyspace");
            Objects.requireNonNull(shard, "shard");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(sql, "sql");
            tables = List.copyOf(tables);
        }
    }

    /**
     * The statement runs on one shard of a sharded keyspace; its result is relayed as it is.
     *
     * @param tables the tables the statement reads or writes, as {@code keyspace.table} after routing rules, in
     *     statement order; what query buffering during a cutover matches on
     */
    record SingleShard(String keyspace, String shard, StatementKind kind, String sql, List<String> tables)
            implements Plan {
        public SingleShard {
            Objects.requireNonNull(keyspace, "keyspace");
            Objects.requireNonNull(shard, "shard");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(sql, "sql");
            tables = List.copyOf(tables);
        }
    }

    /**
     * Each listed shard runs its own SQL, holding only the values that live there (an IN list or the rows of a
     * multi-row INSERT, split by shard). SELECT results are merged by {@code merge}; DML results add their affected
     * rows.
     *
     * @param sqlByShard in shard order
     * @param tables as in {@link Unsharded}
     */
    record MultiShard(String keyspace, StatementKind kind, Map<String, String> sqlByShard, MergeSpec merge,
                      List<String> tables) implements Plan {
        public MultiShard {
            Objects.requireNonNull(keyspace, "keyspace");
            Objects.requireNonNull(kind, "kind");
            sqlByShard = Collections.unmodifiableMap(new LinkedHashMap<>(sqlByShard));
            Objects.requireNonNull(merge, "merge");
            tables = List.copyOf(tables);
        }
    }

    /**
     * The same SQL runs on every shard of the keyspace, in parallel. SELECT results are merged by {@code merge}; DML
     * results add their affected rows; DDL ({@link MergeSpec#CONCAT}) reports the first shard that failed.
     *
     * @param tables as in {@link Unsharded}
     */
    record Scatter(String keyspace, StatementKind kind, List<String> shards, String sql, MergeSpec merge,
                   List<String> tables) implements Plan {
        public Scatter {
            Objects.requireNonNull(keyspace, "keyspace");
            Objects.requireNonNull(kind, "kind");
            shards = List.copyOf(shards);
            Objects.requireNonNull(sql, "sql");
            Objects.requireNonNull(merge, "merge");
            tables = List.copyOf(tables);
        }
    }

    /** The statement is not run; send the client this error. The message names the reason and what to do. */
    record Refused(int errorCode, String sqlState, String message) implements Plan {
        public Refused {
            Objects.requireNonNull(sqlState, "sqlState");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * Session and transaction control (SET, USE, BEGIN, COMMIT, LOCK TABLES, ...), or a statement without tables
     * and without a session keyspace to run it in: the executor handles it itself.
     */
    record Session(StatementKind kind, String sql) implements Plan {
        public Session {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(sql, "sql");
        }
    }

    /**
     * A validated {@code ALTER VSCHEMA} change. The admin layer checks the user's rights, applies it with
     * {@link RoutingSnapshot#apply}, stores the result and hands it to {@link Planner#update}.
     */
    record AlterVSchema(VSchemaChange change) implements Plan {
        public AlterVSchema {
            Objects.requireNonNull(change, "change");
        }
    }

    /**
     * A statement with {@code ?} placeholders, planned once (at prepare time) and bound at each execute. Binding
     * re-plans only if the routing snapshot changed in between, so a switch of traffic is never missed.
     */
    final class Prepared implements Plan {
        private final StatementKind kind;
        private final int parameterCount;
        private final List<Integer> routingParameters;
        private final Function<List<?>, Plan> binder;

        Prepared(StatementKind kind, int parameterCount, List<Integer> routingParameters,
                 Function<List<?>, Plan> binder) {
            this.kind = kind;
            this.parameterCount = parameterCount;
            this.routingParameters = List.copyOf(routingParameters);
            this.binder = binder;
        }

        public StatementKind kind() {
            return kind;
        }

        public int parameterCount() {
            return parameterCount;
        }

        /**
         * The 0-based placeholder indexes whose values choose the shard (vindex values); empty when the route does
         * not depend on the parameters.
         */
        public List<Integer> routingParameters() {
            return routingParameters;
        }

        /**
         * The plan for one execution.
         *
         * @param parameters one value a placeholder: {@code null}, a {@link Number}, {@link String}, {@code byte[]},
         *     {@link Boolean} or {@link java.time.temporal.Temporal}
         */
        public Plan bind(List<?> parameters) {
            Objects.requireNonNull(parameters, "parameters");
            if (parameters.size() != parameterCount) {
                return new Refused(1210, "HY000", "Incorrect arguments to mysqld_stmt_execute: the statement has "
                        + parameterCount + " placeholders and " + parameters.size() + " values were given");
            }
            return binder.apply(parameters);
        }

        @Override
        public String toString() {
            return "Prepared[kind=" + kind + ", parameters=" + parameterCount + ", routing=" + routingParameters + "]";
        }
    }

    /**
     * An INSERT whose rows need auto-increment ids from a sequence: reserve {@link #rowCount()} consecutive ids from
     * {@link #sequence()} and call {@link #bindSequenceIds}. The ids can decide the shard (when the auto-increment
     * column is the vindex column), so the statement is split by shard only then. The first id is the statement's
     * {@code LAST_INSERT_ID()}.
     */
    final class NeedsSequence implements Plan {
        private final String keyspace;
        private final String table;
        private final String column;
        private final String sequence;
        private final int rowCount;
        private final LongFunction<Plan> binder;

        NeedsSequence(String keyspace, String table, String column, String sequence, int rowCount,
                      LongFunction<Plan> binder) {
            this.keyspace = keyspace;
            this.table = table;
            this.column = column;
            this.sequence = sequence;
            this.rowCount = rowCount;
            this.binder = binder;
        }

        /** The keyspace of the table inserted into. */
        public String keyspace() {
            return keyspace;
        }

        public String table() {
            return table;
        }

        /** The auto-increment column. */
        public String column() {
            return column;
        }

        /** The sequence table, qualified: {@code commerce.customer_seq}. */
        public String sequence() {
            return sequence;
        }

        public String sequenceKeyspace() {
            return sequence.substring(0, sequence.indexOf('.'));
        }

        public String sequenceTable() {
            return sequence.substring(sequence.indexOf('.') + 1);
        }

        /** How many ids to reserve: one per row that left the column out or gave NULL. */
        public int rowCount() {
            return rowCount;
        }

        /** The plan with ids {@code firstId, firstId + 1, ...} filled into those rows, in row order. */
        public Plan bindSequenceIds(long firstId) {
            if (firstId < 1) {
                return new Refused(RoutingException.UNKNOWN_ERROR, "HY000", "sequence " + sequence
                        + " handed out id " + firstId + "; ids start at 1");
            }
            return binder.apply(firstId);
        }

        @Override
        public String toString() {
            return "NeedsSequence[" + keyspace + "." + table + "." + column + " from " + sequence + ", rows="
                    + rowCount + "]";
        }
    }
}
