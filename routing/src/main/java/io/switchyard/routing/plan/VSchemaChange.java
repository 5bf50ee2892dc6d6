package io.switchyard.routing.plan;

import java.util.Objects;
import java.util.Optional;

/**
 * One {@code ALTER VSCHEMA} statement, parsed by {@link VSchemaParser} with unqualified names already qualified by the
 * session keyspace. {@link RoutingSnapshot#apply} validates it and makes the next snapshot.
 */
public sealed interface VSchemaChange {

    /** The keyspace whose vschema changes. */
    String keyspace();

    /** {@code ALTER VSCHEMA CREATE VINDEX ks.name USING type}. */
    record CreateVindex(String keyspace, String vindex, String type) implements VSchemaChange {
        public CreateVindex {
            Objects.requireNonNull(keyspace, "keyspace");
            Objects.requireNonNull(vindex, "vindex");
            Objects.requireNonNull(type, "type");
        }
    }

    /**
     * {@code ALTER VSCHEMA ON ks.t ADD VINDEX name(column) [USING type]}: a column vindex on the table, creating the
     * table and (with USING) the vindex when they do not exist yet. The table's first column vindex is its primary.
     */
    record AddVindex(String keyspace, String table, String vindex, String column, Optional<String> type)
            implements VSchemaChange {
        public AddVindex {
            Objects.requireNonNull(keyspace, "keyspace");
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(vindex, "vindex");
            Objects.requireNonNull(column, "column");
            Objects.requireNonNull(type, "type");
        }
    }

    /** {@code ALTER VSCHEMA ON ks.t DROP VINDEX name}. */
    record DropVindex(String keyspace, String table, String vindex) implements VSchemaChange {
        public DropVindex {
            Objects.requireNonNull(keyspace, "keyspace");
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(vindex, "vindex");
        }
    }

    /** {@code ALTER VSCHEMA ADD TABLE ks.t}: lists a table of an unsharded keyspace. */
    record AddTable(String keyspace, String table) implements VSchemaChange {
        public AddTable {
            Objects.requireNonNull(keyspace, "keyspace");
            Objects.requireNonNull(table, "table");
        }
    }

    /** {@code ALTER VSCHEMA DROP TABLE ks.t}. */
    record DropTable(String keyspace, String table) implements VSchemaChange {
        public DropTable {
            Objects.requireNonNull(keyspace, "keyspace");
            Objects.requireNonNull(table, "table");
        }
    }

    /** {@code ALTER VSCHEMA ADD SEQUENCE ks.t_seq}: a sequence table of an unsharded keyspace. */
    record AddSequence(String keyspace, String table) implements VSchemaChange {
        public AddSequence {
            Objects.requireNonNull(keyspace, "keyspace");
            Objects.requireNonNull(table, "table");
        }
    }

    /**
     * {@code ALTER VSCHEMA ON ks.t ADD AUTO_INCREMENT col USING seq}.
     *
     * @param sequence as written: {@code ks.t_seq}, or {@code t_seq} when one unsharded keyspace has it
     */
    record AddAutoIncrement(String keyspace, String table, String column, String sequence) implements VSchemaChange {
        public AddAutoIncrement {
            Objects.requireNonNull(keyspace, "keyspace");
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(column, "column");
            Objects.requireNonNull(sequence, "sequence");
        }
    }

    /** {@code ALTER VSCHEMA ON ks.t DROP AUTO_INCREMENT}. */
    record DropAutoIncrement(String keyspace, String table) implements VSchemaChange {
        public DropAutoIncrement {
            Objects.requireNonNull(keyspace, "keyspace");
            Objects.requireNonNull(table, "table");
        }
    }
}
