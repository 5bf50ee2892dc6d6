package io.switchyard.replication.workflow;

import java.util.Objects;

/**
 * The {@code WITH (...)} options of {@code CREATE WORKFLOW ... MOVE TABLES}.
 *
 * @param deferSecondaryKeys create secondary keys after the copy (forced off for tables with foreign keys)
 * @param onDdl              what the streams do when the source runs a DDL on a moved table
 * @param globalKeyspace     unsharded keyspace that receives a sequence table for every moved table with an
 *                           AUTO_INCREMENT column when the target is sharded; empty for none
 * @param stopAfterCopy      stop the workflow once every table is copied and caught up, instead of replicating
 * @param copyParallelism    tables (or foreign-key groups) copied at the same time from each source shard, each
 *                           over its own source connection
 * @param autoStart          start copying at create; false leaves the workflow pending until START WORKFLOW
 */
public record WorkflowOptions(boolean deferSecondaryKeys, MoveTablesSpec.OnDdl onDdl, String globalKeyspace,
                              boolean stopAfterCopy, int copyParallelism, boolean autoStart) {
    /** The most copy connections one source shard gets; IMPORT CONNECTIONS caps imports at 100 as well. */
    public static final int MAX_COPY_PARALLELISM = 100;
    /**
     * defer_secondary_keys on, on_ddl STOP, no global keyspace, replicate after the copy, two tables at a time,
     * start at create.
     */
    public static final WorkflowOptions DEFAULTS = new WorkflowOptions(true, MoveTablesSpec.OnDdl.STOP, "", false, 2,
            true);

    public WorkflowOptions {
        Objects.requireNonNull(onDdl, "onDdl");
        Objects.requireNonNull(globalKeyspace, "globalKeyspace");
        if (copyParallelism < 1 || copyParallelism > MAX_COPY_PARALLELISM) {
            throw new IllegalArgumentException("copy_parallelism must be 1.." + MAX_COPY_PARALLELISM + ", was "
                    + copyParallelism);
        }
    }

    public WorkflowOptions withDeferSecondaryKeys(boolean defer) {
        return new WorkflowOptions(defer, onDdl, globalKeyspace, stopAfterCopy, copyParallelism, autoStart);
    }

    public WorkflowOptions withOnDdl(MoveTablesSpec.OnDdl policy) {
        return new WorkflowOptions(deferSecondaryKeys, policy, globalKeyspace, stopAfterCopy, copyParallelism, autoStart);
    }

    public WorkflowOptions withGlobalKeyspace(String keyspace) {
        return new WorkflowOptions(deferSecondaryKeys, onDdl, keyspace, stopAfterCopy, copyParallelism, autoStart);
    }

    public WorkflowOptions withStopAfterCopy(boolean stop) {
        return new WorkflowOptions(deferSecondaryKeys, onDdl, globalKeyspace, stop, copyParallelism, autoStart);
    }

    public WorkflowOptions withAutoStart(boolean start) {
        return new WorkflowOptions(deferSecondaryKeys, onDdl, globalKeyspace, stopAfterCopy, copyParallelism, start);
    }

    public WorkflowOptions withCopyParallelism(int parallelism) {
        return new WorkflowOptions(deferSecondaryKeys, onDdl, globalKeyspace, stopAfterCopy, parallelism, autoStart);
    }
}
